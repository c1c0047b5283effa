import JSONSupport

/// The keywords that judge a value by itself: `type`, `enum`, `const`, numeric bounds, string length, `pattern`
/// and `format`.
extension Validator {
    mutating func checkTypes(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .types(let set) = program.keywords[k].check else { return true }
        if Self.matches(instance, set) { return true }
        if report {
            let names = set.names
            let expected = names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
            fail("type", "must be \(expected), is \(Self.typeName(instance))")
        }
        return false
    }

    mutating func checkEnumeration(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .enumeration(let values) = program.keywords[k].check else { return true }
        if values.contains(where: { jsonEqual($0, instance) }) { return true }
        if report { fail("enum", "must be one of the enum values, is \(Self.short(instance))") }
        return false
    }

    mutating func checkConstant(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .constant(let value) = program.keywords[k].check else { return true }
        if jsonEqual(value, instance) { return true }
        if report { fail("const", "must be \(Self.short(value)), is \(Self.short(instance))") }
        return false
    }

    mutating func checkMultipleOf(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .multipleOf(let m) = program.keywords[k].check else { return true }
        guard case .number(let n) = instance else { return true }
        if ExactNumber(n).isMultiple(of: m) { return true }
        if report { fail("multipleOf", "must be a multiple of \(m), is \(n.text)") }
        return false
    }

    mutating func checkMaximum(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maximum(let limit, let exclusive) = program.keywords[k].check else { return true }
        guard case .number(let n) = instance else { return true }
        let order = limit.compare(n)
        if exclusive ? order < 0 : order <= 0 { return true }
        if report { fail(program.keywords[k].name, "must be \(exclusive ? "<" : "<=") \(limit), is \(n.text)") }
        return false
    }

    mutating func checkMinimum(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minimum(let limit, let exclusive) = program.keywords[k].check else { return true }
        guard case .number(let n) = instance else { return true }
        let order = limit.compare(n)
        if exclusive ? order > 0 : order >= 0 { return true }
        if report { fail(program.keywords[k].name, "must be \(exclusive ? ">" : ">=") \(limit), is \(n.text)") }
        return false
    }

    mutating func checkMaxLength(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxLength(let limit) = program.keywords[k].check else { return true }
        guard case .string(let s) = instance else { return true }
        // A string has at most as many code points as UTF-8 bytes, so a short one needs no count.
        if s.utf8.count <= limit { return true }
        let length = s.unicodeScalars.count
        if length <= limit { return true }
        if report { fail("maxLength", "must be at most \(limit) characters long, is \(length)") }
        return false
    }

    mutating func checkMinLength(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minLength(let limit) = program.keywords[k].check else { return true }
        guard case .string(let s) = instance else { return true }
        // A string has at least a quarter as many code points as UTF-8 bytes, so a long one needs no count.
        if s.utf8.count / 4 >= limit { return true }
        let length = s.unicodeScalars.count
        if length >= limit { return true }
        if report { fail("minLength", "must be at least \(limit) characters long, is \(length)") }
        return false
    }

    mutating func checkPattern(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .pattern(let regex) = program.keywords[k].check else { return true }
        guard case .string(let s) = instance else { return true }
        do {
            if try regex.matches(s) { return true }
            if report { fail("pattern", "must match the pattern \(regex.pattern)") }
        } catch {
            if report { fail("pattern", "could not be matched against the pattern \(regex.pattern): \(error)") }
        }
        return false
    }

    mutating func checkFormat(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .format(let name) = program.keywords[k].check else { return true }
        guard options.assertFormat else { return true }
        if Formats.check(name, instance) { return true }
        if report { fail("format", "must be a valid \(name), is \(Self.short(instance))") }
        return false
    }
}
