import JSONSupport

/// The keywords that apply to arrays: tuple and item schemas, `contains`, item counts, `uniqueItems` and
/// `unevaluatedItems`.
extension Validator {
    mutating func checkPrefixItems(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .prefixItems(let schemas) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        var valid = true
        for i in 0..<min(items.count, schemas.count) {
            pushKeyword(String(i))
            let ok = descend(.index(i), schemas[i], items[i], report: report)
            popKeyword()
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        local.itemPrefix = max(local.itemPrefix, min(items.count, schemas.count))
        return valid
    }

    mutating func checkItemsFrom(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .itemsFrom(let start, let schema) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        var valid = true
        if start < items.count {
            for i in start..<items.count where !descend(.index(i), schema, items[i], report: report) {
                valid = false
                if !report { return false }
            }
        }
        local.allItems = true
        return valid
    }

    mutating func checkContains(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .contains(let schema, let minimum, let maximum, let annotates) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        var matched = 0
        for (i, item) in items.enumerated() where descend(.index(i), schema, item, report: false) {
            matched += 1
            if annotates { local.items.insert(i) }
        }
        if isStopped { return false }
        var valid = true
        if matched < minimum {
            valid = false
            if report { fail("contains", "must contain at least \(minimum) matching item\(minimum == 1 ? "" : "s"), has \(matched)") }
        }
        if let maximum, matched > maximum {
            valid = false
            if report { fail("maxContains", "must contain at most \(maximum) matching items, has \(matched)") }
        }
        return valid
    }

    mutating func checkMaxItems(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxItems(let limit) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count <= limit { return true }
        if report { fail("maxItems", "must have at most \(limit) items, has \(items.count)") }
        return false
    }

    mutating func checkMinItems(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minItems(let limit) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count >= limit { return true }
        if report { fail("minItems", "must have at least \(limit) items, has \(items.count)") }
        return false
    }

    mutating func checkUniqueItems(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .uniqueItems = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        // A short array compares its items pairwise, which builds nothing; both ways find the same first pair
        // (the earliest later item equal to an earlier one, and the earliest item it equals).
        if items.count <= 16 {
            for i in items.indices {
                for first in 0..<i where jsonEqual(items[first], items[i]) {
                    if report { fail("uniqueItems", "items must be unique, but items \(first) and \(i) are equal") }
                    return false
                }
            }
            return true
        }
        var seen: [CanonicalJSON: Int] = [:]
        for (i, item) in items.enumerated() {
            let key = CanonicalJSON(item)
            if let first = seen[key] {
                if report { fail("uniqueItems", "items must be unique, but items \(first) and \(i) are equal") }
                return false
            }
            seen[key] = i
        }
        return true
    }

    mutating func checkUnevaluatedItems(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .unevaluatedItems(let schema) = program.keywords[k].check else { return true }
        guard case .array(let items) = instance else { return true }
        var valid = true
        for (i, item) in items.enumerated() where !local.itemEvaluated(i) {
            let ok: Bool
            if isFalse(schema) {
                ok = false
                if trackPaths { instancePath.append(.index(i)) }
                if report { fail("unevaluatedItems", "item \(i) is not allowed (unevaluatedItems)") }
                if trackPaths { instancePath.removeLast() }
            } else {
                ok = descend(.index(i), schema, item, report: report)
            }
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        local.allItems = true
        return valid
    }
}
