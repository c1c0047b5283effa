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
///
/// Checking is bounded: unions whose branches all accept objects could otherwise make the search exponential in
/// the depth of the value, so a whole schema gets a fixed number of steps (`stepBudget`).
struct AvroDefaultValidator {
    let schema: AvroSchema
    /// Values and types visited, across all defaults of one schema, before giving up.
    static let stepBudget = 1_000_000

    func validateAllDefaults() throws(AvroError) {
        var budget = Self.stepBudget
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
                    if let value = field.defaultValue, let problem = fieldProblem(with: value, for: field.type, budget: &budget) {
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
    func fieldProblem(with value: JSONValue, for id: AvroSchema.NodeID, budget: inout Int) -> String? {
        switch schema[id].kind {
        case .float, .double:
            if let text = value.stringValue {
                return Self.isJavaDoubleText(text) ? nil : "expected a number for type \(schema[id].typeName), found \(Self.brief(value))"
            }
        default: break
        }
        return problem(with: value, for: id, depth: 0, budget: &budget)
    }

    /// Why `value` is not a valid default for the type `id`, or nil when it is.
    func problem(with value: JSONValue, for id: AvroSchema.NodeID) -> String? {
        var budget = Self.stepBudget
        return problem(with: value, for: id, depth: 0, budget: &budget)
    }

    /// At most 60 characters of the value's JSON, for messages.
    static func brief(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }

    private enum Verdict {
        case valid, invalid, exhausted
    }

    private static let exhaustedMessage = "default is too large or too ambiguous to check"

    /// Decides validity without building messages (failures are common while trying union branches), then
    /// explains a failure by following one failing path.
    private func problem(with value: JSONValue, for id: AvroSchema.NodeID, depth: Int, budget: inout Int) -> String? {
        switch verdict(value, id, depth: depth, budget: &budget) {
        case .valid: return nil
        case .exhausted: return Self.exhaustedMessage
        case .invalid: return explain(value, id, depth: depth, budget: &budget)
        }
    }

    /// Whether the scalar `value` fits the non-container type `kind`.
    private static func scalarFits(_ value: JSONValue, _ kind: AvroNode.Kind) -> Bool {
        switch kind {
        case .null: return value.isNull
        case .boolean: return value.boolValue != nil
        case .int:
            guard let v = value.numberValue?.int64Value else { return false }
            return v >= Int64(Int32.min) && v <= Int64(Int32.max)
        case .long: return value.numberValue?.int64Value != nil
        case .float, .double: return value.numberValue != nil
        case .string: return value.stringValue != nil
        case .bytes: return value.stringValue.map(isByteString) ?? false
        case .fixed(let fixed):
            guard let s = value.stringValue else { return false }
            return isByteString(s) && s.unicodeScalars.count == fixed.size
        case .enumeration(let e): return value.stringValue.map(e.symbols.contains) ?? false
        case .array, .map, .record, .union: return false
        }
    }

    private func verdict(_ value: JSONValue, _ id: AvroSchema.NodeID, depth: Int, budget: inout Int) -> Verdict {
        if depth > 64 { return .invalid }
        budget -= 1
        if budget < 0 { return .exhausted }
        switch schema.nodes[id].kind {
        case .array(let items):
            guard let elements = value.arrayValue else { return .invalid }
            for element in elements {
                let v = verdict(element, items, depth: depth + 1, budget: &budget)
                if v != .valid { return v }
            }
            return .valid
        case .map(let values):
            guard let object = value.objectValue else { return .invalid }
            for member in object {
                let v = verdict(member.value, values, depth: depth + 1, budget: &budget)
                if v != .valid { return v }
            }
            return .valid
        case .record(let record):
            guard let object = value.objectValue else { return .invalid }
            for field in record.fields {
                guard let fieldValue = object[field.name] ?? field.defaultValue else { return .invalid }
                let v = verdict(fieldValue, field.type, depth: depth + 1, budget: &budget)
                if v != .valid { return v }
            }
            return .valid
        case .union(let branches):
            // Java 1.12: any branch will do.
            for branch in branches {
                let v = verdict(value, branch, depth: depth + 1, budget: &budget)
                if v != .invalid { return v }
            }
            return .invalid
        case let kind:
            return Self.scalarFits(value, kind) ? .valid : .invalid
        }
    }

    /// Why `value`, already known not to fit `id`, does not fit it.
    private func explain(_ value: JSONValue, _ id: AvroSchema.NodeID, depth: Int, budget: inout Int) -> String {
        if depth > 64 { return "default nests too deeply" }
        let node = schema.nodes[id]
        func expected(_ what: String) -> String {
            "expected \(what) for type \(node.unionKey), found \(Self.brief(value))"
        }
        /// The explanation for the first of `pairs` that does not fit.
        func firstFailure(_ pairs: [(JSONValue, AvroSchema.NodeID)]) -> String {
            for (child, type) in pairs {
                switch verdict(child, type, depth: depth + 1, budget: &budget) {
                case .valid: continue
                case .exhausted: return Self.exhaustedMessage
                case .invalid: return explain(child, type, depth: depth + 1, budget: &budget)
                }
            }
            return Self.exhaustedMessage
        }
        switch node.kind {
        case .null: return expected("null")
        case .boolean: return expected("true or false")
        case .int: return expected("a 32-bit integer")
        case .long: return expected("a 64-bit integer")
        case .float, .double: return expected("a number")
        case .string: return expected("a string")
        case .bytes: return expected("a string of characters U+0000 to U+00FF")
        case .fixed(let fixed): return expected("a string of \(fixed.size) characters U+0000 to U+00FF")
        case .enumeration: return expected("one of the enum's symbols")
        case .array(let items):
            guard let elements = value.arrayValue else { return expected("an array") }
            return firstFailure(elements.map { ($0, items) })
        case .map(let values):
            guard let object = value.objectValue else { return expected("an object") }
            return firstFailure(object.members.map { ($0.value, values) })
        case .record(let record):
            guard let object = value.objectValue else { return expected("an object") }
            var pairs: [(JSONValue, AvroSchema.NodeID)] = []
            for field in record.fields {
                guard let fieldValue = object[field.name] ?? field.defaultValue else {
                    if case .valid = verdictOfAll(pairs, depth: depth, budget: &budget) {
                        return "field \"\(field.name)\" of \"\(record.name.fullName)\" has no value and no default"
                    }
                    return firstFailure(pairs)
                }
                pairs.append((fieldValue, field.type))
            }
            return firstFailure(pairs)
        case .union(let branches):
            guard let first = branches.first else { return "an empty union has no valid default" }
            return "no branch of the union accepts the default; " + explain(value, first, depth: depth + 1, budget: &budget)
        }
    }

    private func verdictOfAll(_ pairs: [(JSONValue, AvroSchema.NodeID)], depth: Int, budget: inout Int) -> Verdict {
        for (child, type) in pairs {
            let v = verdict(child, type, depth: depth + 1, budget: &budget)
            if v != .valid { return v }
        }
        return .valid
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
