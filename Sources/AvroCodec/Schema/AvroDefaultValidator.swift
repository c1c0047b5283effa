import JSONSupport

/// Checks field defaults against their types, as Java's `Schema.isValidDefault` does, with the
/// specification's JSON rules for bytes and fixed (strings of code points 0–255).
struct AvroDefaultValidator {
    let schema: AvroSchema

    func validateAllDefaults() throws(AvroError) {
        var visited = Set<AvroSchema.NodeID>()
        var stack = [schema.root]
        while let id = stack.popLast() {
            guard visited.insert(id).inserted else { continue }
            switch schema[id].kind {
            case .array(let items): stack.append(items)
            case .map(let values): stack.append(values)
            case .union(let branches): stack.append(contentsOf: branches)
            case .record(let record):
                for field in record.fields {
                    stack.append(field.type)
                    if let value = field.defaultValue, let problem = problem(with: value, for: field.type) {
                        throw .schema(
                            "invalid default for field \"\(field.name)\" of \"\(record.name.fullName)\": \(problem)",
                            at: field.pointer.appending("default")
                        )
                    }
                }
            default: break
            }
        }
    }

    /// Why `value` is not a valid default for the type `id`, or nil when it is.
    func problem(with value: JSONValue, for id: AvroSchema.NodeID, depth: Int = 0) -> String? {
        if depth > 64 { return "default nests too deeply" }
        let node = schema[id]
        func expected(_ what: String) -> String {
            "expected \(what) for type \(node.unionKey), found \(value.serialized())"
        }
        switch node.kind {
        case .null:
            return value.isNull ? nil : expected("null")
        case .boolean:
            return value.boolValue != nil ? nil : expected("true or false")
        case .int:
            guard let n = value.numberValue, let v = n.int64Value, v >= Int64(Int32.min), v <= Int64(Int32.max) else {
                return expected("a 32-bit integer")
            }
            return nil
        case .long:
            guard let n = value.numberValue, n.int64Value != nil else { return expected("a 64-bit integer") }
            return nil
        case .float, .double:
            return value.numberValue != nil ? nil : expected("a number")
        case .string:
            return value.stringValue != nil ? nil : expected("a string")
        case .bytes:
            guard let s = value.stringValue, Self.isByteString(s) else {
                return expected("a string of characters U+0000 to U+00FF")
            }
            return nil
        case .fixed(let fixed):
            guard let s = value.stringValue, Self.isByteString(s), s.unicodeScalars.count == fixed.size else {
                return expected("a string of \(fixed.size) characters U+0000 to U+00FF")
            }
            return nil
        case .enumeration(let e):
            guard let s = value.stringValue, e.symbols.contains(s) else { return expected("one of the enum's symbols") }
            return nil
        case .array(let items):
            guard let elements = value.arrayValue else { return expected("an array") }
            for element in elements {
                if let problem = problem(with: element, for: items, depth: depth + 1) { return problem }
            }
            return nil
        case .map(let values):
            guard let object = value.objectValue else { return expected("an object") }
            for member in object {
                if let problem = problem(with: member.value, for: values, depth: depth + 1) { return problem }
            }
            return nil
        case .record(let record):
            guard let object = value.objectValue else { return expected("an object") }
            for field in record.fields {
                guard let fieldValue = object[field.name] ?? field.defaultValue else {
                    return "field \"\(field.name)\" of \"\(record.name.fullName)\" has no value and no default"
                }
                if let problem = problem(with: fieldValue, for: field.type, depth: depth + 1) { return problem }
            }
            return nil
        case .union(let branches):
            // The specification: a union's default must match its first branch.
            guard let first = branches.first else { return "an empty union has no valid default" }
            return problem(with: value, for: first, depth: depth + 1)
        }
    }

    static func isByteString(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value <= 0xFF }
    }
}
