import JSONSupport

/// Writes `AvroValue`s as JSON in either `AvroJSONStyle`, checking each value against its schema node.
struct AvroJSONEncoder {
    let schema: AvroSchema
    let style: AvroJSONStyle
    let limits: AvroLimits
    /// Tokens of the JSON pointer of the value being written, for errors.
    private var path: [String] = []

    init(schema: AvroSchema, style: AvroJSONStyle, limits: AvroLimits) {
        self.schema = schema
        self.style = style
        self.limits = limits
    }

    private func fail(_ message: String) -> AvroError {
        AvroError(.invalidValue, message, pointer: JSONPointer(path))
    }

    private func mismatch(_ value: AvroValue, _ node: AvroNode) -> AvroError {
        fail("a \(Self.caseName(value)) value does not fit type \(node.unionKey)")
    }

    mutating func encode(_ value: AvroValue, _ id: AvroSchema.NodeID, depth: Int) throws(AvroError) -> JSONValue {
        if depth > limits.maxDepth {
            throw AvroError(.limitExceeded, "value nests more than \(limits.maxDepth) levels", pointer: JSONPointer(path))
        }
        let node = schema[id]
        switch (node.kind, value) {
        case (.null, .null): return .null
        case (.boolean, .boolean(let b)): return .bool(b)
        case (.int, .int(let v)): return .integer(v)
        case (.long, .long(let v)): return .integer(v)
        case (.float, .float(let v)):
            return v.isFinite ? .number(JSONNumber(validatedText: "\(v)")) : Self.nonFinite(Double(v))
        case (.double, .double(let v)):
            return v.isFinite ? .number(JSONNumber(double: v)) : Self.nonFinite(v)
        case (.string, .string(let s)): return .string(s)
        case (.bytes, .bytes(let bytes)):
            if style == .plain, case .decimal(let precision, let scale)? = node.logicalType {
                return try decimal(bytes, precision: precision, scale: scale)
            }
            return .string(AvroByteString.string(from: bytes))
        case (.fixed(let fixed), .fixed(let bytes)):
            guard bytes.count == fixed.size else {
                throw fail("fixed \(fixed.name.fullName) needs \(fixed.size) bytes, the value has \(bytes.count)")
            }
            if style == .plain {
                switch node.logicalType {
                case .decimal(let precision, let scale)?:
                    return try decimal(bytes, precision: precision, scale: scale)
                case .uuid?:
                    return .string(AvroUUIDText.string(from: bytes))
                default: break
                }
            }
            return .string(AvroByteString.string(from: bytes))
        case (.enumeration(let e), .enumeration(let index, let symbol)):
            guard e.symbols.indices.contains(index), e.symbols[index] == symbol else {
                throw fail("\"\(symbol)\" at index \(index) is not a symbol of enum \(e.name.fullName)")
            }
            return .string(symbol)
        case (.array(let items), .array(let elements)):
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                path.append(String(i))
                out.append(try encode(element, items, depth: depth + 1))
                path.removeLast()
            }
            return .array(out)
        case (.map(let values), .map(let entries)):
            var members: [JSONMember] = []
            members.reserveCapacity(entries.count)
            for entry in entries {
                path.append(entry.key)
                members.append(JSONMember(entry.key, try encode(entry.value, values, depth: depth + 1)))
                path.removeLast()
            }
            return .object(JSONObject(members))
        case (.record(let record), .record(let fieldValues)):
            guard fieldValues.count == record.fields.count else {
                throw fail(
                    "record \(record.name.fullName) has \(record.fields.count) fields, the value has \(fieldValues.count)"
                )
            }
            var members: [JSONMember] = []
            members.reserveCapacity(fieldValues.count)
            for (field, fieldValue) in zip(record.fields, fieldValues) {
                path.append(field.name)
                members.append(JSONMember(field.name, try encode(fieldValue, field.type, depth: depth + 1)))
                path.removeLast()
            }
            return .object(JSONObject(members))
        case (.union(let branches), .union(let branch, let branchValue)):
            guard branches.indices.contains(branch) else {
                throw fail("union has \(branches.count) branches, the value picks branch \(branch)")
            }
            let branchNode = schema[branches[branch]]
            if style == .plain {
                return try encode(branchValue, branches[branch], depth: depth + 1)
            }
            if case .null = branchNode.kind {
                return try encode(branchValue, branches[branch], depth: depth + 1)
            }
            path.append(branchNode.unionKey)
            let inner = try encode(branchValue, branches[branch], depth: depth + 1)
            path.removeLast()
            return .object(JSONObject([JSONMember(branchNode.unionKey, inner)]))
        default:
            throw mismatch(value, node)
        }
    }

    private func decimal(_ bytes: [UInt8], precision: Int, scale: Int) throws(AvroError) -> JSONValue {
        do {
            let text = try AvroDecimalText.jsonText(fromUnscaled: bytes, precision: precision, scale: scale)
            return .number(JSONNumber(validatedText: text))
        } catch {
            switch error {
            case .tooManyDigits(let p): throw fail("decimal has more than its precision of \(p) digits")
            default: throw fail("decimal of \(bytes.count) bytes is too large to write")
            }
        }
    }

    /// Jackson's default spelling of the values JSON numbers cannot hold.
    static func nonFinite(_ v: Double) -> JSONValue {
        if v.isNaN { return .string("NaN") }
        return .string(v < 0 ? "-Infinity" : "Infinity")
    }

    static func caseName(_ value: AvroValue) -> String {
        switch value {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .record: "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        case .union: "union"
        }
    }
}
