import JSONSupport

/// Checks field defaults against their types, as Java 1.12's `Schema.isValidDefault` does, with these choices:
///
/// - A union's default may match any branch (Java 1.12), not only the first as the specification says; the
///   value belongs to the first branch it matches.
/// - A `float` or `double` field (not a union branch) may have a string default that Java's `Double.parseDouble`
///   reads, such as `"NaN"`, `"Infinity"` or `"1.5"`; Java converts it to a number when parsing.
/// - Stricter than Java, which accepts any string: a `bytes` default must be a string of code points
///   U+0000–U+00FF (the specification's JSON form of bytes), a `fixed` default must also have exactly `size` of
///   them, and an enum default must be one of the symbols. Such defaults could not be used when reading.
/// - `int` and `long` defaults must be integer literals (no fraction or exponent) in range.
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
                    if let value = field.defaultValue, let problem = fieldProblem(with: value, for: field.type) {
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

    /// `problem(with:for:)` plus Java's string defaults for a field whose type is `float` or `double`.
    func fieldProblem(with value: JSONValue, for id: AvroSchema.NodeID) -> String? {
        switch schema[id].kind {
        case .float, .double:
            if let text = value.stringValue {
                return Self.isJavaDoubleText(text) ? nil : "expected a number for type \(schema[id].typeName), found \(value.serialized())"
            }
        default: break
        }
        return problem(with: value, for: id)
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
            guard let first = branches.first else { return "an empty union has no valid default" }
            // Java 1.12: any branch will do. Report the first branch's problem when none fits.
            if branches.contains(where: { problem(with: value, for: $0, depth: depth + 1) == nil }) { return nil }
            return problem(with: value, for: first, depth: depth + 1).map { "no branch of the union accepts the default; \($0)" }
        }
    }

    /// Text that Java's `Double.parseDouble` accepts: optional sign, then `NaN`, `Infinity`, or a decimal
    /// number with optional exponent and an optional `f`/`d` suffix, surrounded by optional whitespace.
    /// (Java's hexadecimal floating-point literals are not accepted.)
    static func isJavaDoubleText(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while let b = bytes.first, b <= 0x20 { bytes = bytes.dropFirst() }
        while let b = bytes.last, b <= 0x20 { bytes = bytes.dropLast() }
        if let b = bytes.first, b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.elementsEqual("NaN".utf8) || bytes.elementsEqual("Infinity".utf8) { return true }
        if let b = bytes.last, [UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "d"), UInt8(ascii: "D")].contains(b) {
            bytes = bytes.dropLast()
        }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var digits = 0
        while let b = bytes.first, isDigit(b) { digits += 1; bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let b = bytes.first, isDigit(b) { digits += 1; bytes = bytes.dropFirst() }
        }
        guard digits > 0 else { return false }
        if let b = bytes.first, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard let d = bytes.first, isDigit(d) else { return false }
            while let b = bytes.first, isDigit(b) { bytes = bytes.dropFirst() }
        }
        return bytes.isEmpty
    }

    static func isByteString(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value <= 0xFF }
    }
}
