import JSONSupport

/// Reads JSON into `AvroValue`s for the two `AvroJSONStyle`s and for schema field defaults.
struct AvroJSONDecoder {
    enum Mode {
        /// The specification's JSON encoding (wrapped unions, every field present).
        case avro
        /// JSON for people (unwrapped unions, logical types rendered, missing fields take defaults).
        case plain
        /// A field default: unwrapped unions (the first branch that accepts the value), underlying logical
        /// types, missing fields take defaults, unknown members ignored, integers strict, float strings as Java.
        case defaultValue
    }

    let schema: AvroSchema
    let mode: Mode
    let limits: AvroLimits
    /// Tokens of the JSON pointer of the value being read.
    private var path: [String] = []
    /// Values converted so far, including abandoned union trials; bounds the work of plain unions.
    private var work = 0

    init(schema: AvroSchema, mode: Mode, limits: AvroLimits) {
        self.schema = schema
        self.mode = mode
        self.limits = limits
    }

    private func fail(_ message: String) -> AvroError {
        AvroError(.invalidValue, message, pointer: JSONPointer(path))
    }

    private func expected(_ what: String, _ json: JSONValue, _ node: AvroNode) -> AvroError {
        fail("expected \(what) for type \(node.unionKey), found \(Self.describe(json))")
    }

    static func describe(_ json: JSONValue) -> String {
        switch json {
        case .null, .bool, .number: json.serialized()
        case .string(let s): s.unicodeScalars.count <= 40 ? json.serialized() : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    mutating func decode(_ json: JSONValue, _ id: AvroSchema.NodeID, depth: Int) throws(AvroError) -> AvroValue {
        if depth > limits.maxDepth {
            throw AvroError(.limitExceeded, "JSON nests more than \(limits.maxDepth) levels", pointer: JSONPointer(path))
        }
        work += 1
        if work > limits.maxValues {
            throw AvroError(.limitExceeded, "JSON needs more than \(limits.maxValues) steps to read", pointer: JSONPointer(path))
        }
        let node = schema[id]
        switch node.kind {
        case .null:
            guard json.isNull else { throw expected("null", json, node) }
            return .null
        case .boolean:
            guard let b = json.boolValue else { throw expected("true or false", json, node) }
            return .boolean(b)
        case .int:
            guard let v = json.numberValue?.int64Value, let int = Int32(exactly: v) else {
                throw expected("an integer from \(Int32.min) to \(Int32.max)", json, node)
            }
            return .int(int)
        case .long:
            guard let v = json.numberValue?.int64Value else {
                throw expected("an integer from \(Int64.min) to \(Int64.max)", json, node)
            }
            return .long(v)
        case .float:
            if let text = json.numberValue?.text {
                // Straight from the decimal text, so the value is rounded once.
                guard let float = Float(text), float.isFinite else {
                    throw expected("a number in the range of a float", json, node)
                }
                return .float(float)
            }
            return .float(Float(try floatingPoint(json, node)))
        case .double:
            return .double(try floatingPoint(json, node))
        case .string:
            guard let s = json.stringValue else { throw expected("a string", json, node) }
            return .string(s)
        case .bytes:
            if mode == .plain, case .decimal(let precision, let scale)? = node.logicalType {
                return .bytes(try decimal(json, node, precision: precision, scale: scale, fixedSize: nil))
            }
            guard let s = json.stringValue, let bytes = AvroByteString.bytes(from: s) else {
                throw expected("a string of code points U+0000 to U+00FF", json, node)
            }
            return .bytes(bytes)
        case .fixed(let fixed):
            if mode == .plain {
                switch node.logicalType {
                case .decimal(let precision, let scale)?:
                    return .fixed(try decimal(json, node, precision: precision, scale: scale, fixedSize: fixed.size))
                case .uuid?:
                    guard let s = json.stringValue, let bytes = AvroUUIDText.bytes(from: s) else {
                        throw expected("a UUID string like \"123e4567-e89b-12d3-a456-426614174000\"", json, node)
                    }
                    return .fixed(bytes)
                default: break
                }
            }
            guard let s = json.stringValue, let bytes = AvroByteString.bytes(from: s), bytes.count == fixed.size else {
                throw expected("a string of \(fixed.size) code points U+0000 to U+00FF", json, node)
            }
            return .fixed(bytes)
        case .enumeration(let e):
            guard let s = json.stringValue, let index = e.symbols.firstIndex(of: s) else {
                throw expected("one of the symbols \(e.symbols)", json, node)
            }
            return .enumeration(index: index, symbol: s)
        case .array(let items):
            guard let elements = json.arrayValue else { throw expected("an array", json, node) }
            if elements.count > limits.maxCollectionCount {
                throw AvroError(.limitExceeded, "array has more than \(limits.maxCollectionCount) elements", pointer: JSONPointer(path))
            }
            var out: [AvroValue] = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                path.append(String(i))
                out.append(try decode(element, items, depth: depth + 1))
                path.removeLast()
            }
            return .array(out)
        case .map(let values):
            guard let object = json.objectValue else { throw expected("an object", json, node) }
            if object.count > limits.maxCollectionCount {
                throw AvroError(.limitExceeded, "map has more than \(limits.maxCollectionCount) entries", pointer: JSONPointer(path))
            }
            var entries: [AvroMapEntry] = []
            entries.reserveCapacity(object.count)
            var seen = Set<String>()
            for member in object {
                path.append(member.key)
                guard seen.insert(member.key).inserted else { throw fail("map key \"\(member.key)\" appears twice") }
                entries.append(AvroMapEntry(member.key, try decode(member.value, values, depth: depth + 1)))
                path.removeLast()
            }
            return .map(entries)
        case .record(let record):
            guard let object = json.objectValue else { throw expected("an object", json, node) }
            return try decodeRecord(object, record, depth: depth)
        case .union(let branches):
            return try decodeUnion(json, branches, node, depth: depth)
        }
    }

    private mutating func decodeRecord(_ object: JSONObject, _ record: AvroRecord, depth: Int) throws(AvroError) -> AvroValue {
        var values = [AvroValue?](repeating: nil, count: record.fields.count)
        for member in object {
            let index = record.fieldIndex(named: member.key)
                ?? record.fields.firstIndex { $0.aliases.contains(member.key) }
            path.append(member.key)
            guard let index else {
                if mode == .defaultValue {
                    path.removeLast()
                    continue
                }
                throw fail("record \(record.name.fullName) has no field \"\(member.key)\"")
            }
            guard values[index] == nil else {
                throw fail("field \"\(record.fields[index].name)\" of \(record.name.fullName) is given twice")
            }
            values[index] = try decode(member.value, record.fields[index].type, depth: depth + 1)
            path.removeLast()
        }
        var out: [AvroValue] = []
        out.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            if let value {
                out.append(value)
                continue
            }
            let field = record.fields[index]
            guard mode != .avro, let defaultJSON = field.defaultValue else {
                throw fail("record \(record.name.fullName) is missing field \"\(field.name)\"")
            }
            // The default is read by the default rules, with errors pointing into it.
            var defaults = AvroJSONDecoder(schema: schema, mode: .defaultValue, limits: limits)
            defaults.work = work
            do {
                out.append(try defaults.decode(defaultJSON, field.type, depth: depth + 1))
            } catch {
                throw fail("the default of field \"\(field.name)\" is invalid: \(error.description)")
            }
            work = defaults.work
        }
        return .record(out)
    }

    private mutating func decodeUnion(
        _ json: JSONValue,
        _ branches: [AvroSchema.NodeID],
        _ node: AvroNode,
        depth: Int
    ) throws(AvroError) -> AvroValue {
        let keys = branches.map { schema[$0].unionKey }
        switch mode {
        case .defaultValue:
            // Java 1.12 lets a union default match any branch; the value belongs to the first that matches.
            let savedPath = path
            var firstError: AvroError?
            for (index, branch) in branches.enumerated() {
                do {
                    return .union(branch: index, value: try decode(json, branch, depth: depth + 1))
                } catch {
                    if error.code == .limitExceeded { throw error }
                    firstError = firstError ?? error
                    path = savedPath
                }
            }
            throw firstError ?? fail("an empty union has no values")
        case .avro:
            if json.isNull, let index = keys.firstIndex(of: "null") {
                return .union(branch: index, value: .null)
            }
            guard let object = json.objectValue, object.count == 1, let member = object.members.first else {
                throw fail(
                    "expected null or an object of one member naming a branch of union \(keys), found \(Self.describe(json))"
                )
            }
            path.append(member.key)
            guard let index = keys.firstIndex(of: member.key) else {
                throw fail("\"\(member.key)\" is not a branch of union \(keys)")
            }
            let value = try decode(member.value, branches[index], depth: depth + 1)
            path.removeLast()
            return .union(branch: index, value: value)
        case .plain:
            return try decodePlainUnion(json, branches, keys, depth: depth)
        }
    }

    private mutating func decodePlainUnion(
        _ json: JSONValue,
        _ branches: [AvroSchema.NodeID],
        _ keys: [String],
        depth: Int
    ) throws(AvroError) -> AvroValue {
        let savedPath = path
        var candidates: [Int] = []
        var lastError: AvroError?
        for (index, branch) in branches.enumerated() where Self.accepts(kindOf: json, schema[branch]) {
            candidates.append(index)
            do {
                return .union(branch: index, value: try decode(json, branch, depth: depth + 1))
            } catch {
                if error.code == .limitExceeded { throw error }
                lastError = error
                path = savedPath
            }
        }
        // The wrapped form `{"<branch>": value}`, used only when no branch took the object as it is.
        if let object = json.objectValue, object.count == 1, let member = object.members.first,
            let index = keys.firstIndex(of: member.key)
        {
            path.append(member.key)
            let value = try decode(member.value, branches[index], depth: depth + 1)
            path = savedPath
            return .union(branch: index, value: value)
        }
        if candidates.count == 1, let lastError { throw lastError }
        throw fail("no branch of union \(keys) accepts \(Self.describe(json))")
    }

    /// Whether a branch could possibly take a JSON value of this kind (a cheap filter before trying it).
    private static func accepts(kindOf json: JSONValue, _ node: AvroNode) -> Bool {
        switch (json, node.kind) {
        case (.null, .null), (.bool, .boolean), (.array, .array), (.object, .record), (.object, .map): true
        case (.number, .int), (.number, .long), (.number, .float), (.number, .double): true
        case (.number, .bytes), (.number, .fixed):
            if case .decimal? = node.logicalType { true } else { false }
        case (.string, .string), (.string, .enumeration), (.string, .float), (.string, .double): true
        case (.string, .bytes): if case .decimal? = node.logicalType { false } else { true }
        case (.string, .fixed): if case .decimal? = node.logicalType { false } else { true }
        default: false
        }
    }

    private func floatingPoint(_ json: JSONValue, _ node: AvroNode) throws(AvroError) -> Double {
        switch json {
        case .number(let n):
            let v = n.doubleValue
            guard v.isFinite else { throw expected("a number in the range of a double", json, node) }
            return v
        case .string(let s):
            switch s {
            case "NaN": return .nan
            case "Infinity", "INF": return .infinity
            case "-Infinity", "-INF": return -.infinity
            default:
                // The schema parser accepts a float default written as a string Java can parse; so do we.
                if mode == .defaultValue, let v = Double(s.trimmingWhitespace), v.isFinite { return v }
                throw expected("a number, \"NaN\", \"Infinity\" or \"-Infinity\"", json, node)
            }
        default:
            throw expected("a number", json, node)
        }
    }

    private func decimal(
        _ json: JSONValue,
        _ node: AvroNode,
        precision: Int,
        scale: Int,
        fixedSize: Int?
    ) throws(AvroError) -> [UInt8] {
        guard let number = json.numberValue else {
            throw expected("a decimal number with at most \(scale) fraction digits", json, node)
        }
        do {
            return try AvroDecimalText.unscaledBytes(
                fromJSON: number.text,
                precision: precision,
                scale: scale,
                fixedSize: fixedSize
            )
        } catch {
            switch error {
            case .tooManyFractionDigits(let s): throw fail("\(number.text) has more than \(s) digits after the point")
            case .tooManyDigits(let p): throw fail("\(number.text) has more than \(p) significant digits")
            case .doesNotFit(let size): throw fail("\(number.text) does not fit in \(size) bytes")
            case .tooLarge, .notANumber: throw fail("\(number.text) is too large for a decimal")
            }
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[start...end])
    }
}
