import JSONSupport

/// The keywords that apply to objects: `properties`, `patternProperties`, `additionalProperties`, `required`,
/// dependencies, `propertyNames`, member counts and `unevaluatedProperties`.
extension Validator {
    mutating func checkProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .properties(let schemas, let uniqueNames) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        if !trackPaths && uniqueNames && schemas.count <= 64 {
            return checkPropertiesByMember(schemas, object, collect: collect, into: &local)
        }
        var valid = true
        for (name, schema) in schemas {
            guard let value = object[name] else { continue }
            pushKeyword(name)
            let ok = descend(.key(name), schema, value, report: report)
            popKeyword()
            if collect { local.properties.insert(name) }
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        return valid
    }

    /// `properties` for a verdict only: one pass over the members, each matched to its entry (the names being
    /// unique) by a scan that starts after the previous hit, so members in schema order cost one comparison.
    /// Each entry still takes only the first member with its name, as `object[name]` would.
    mutating func checkPropertiesByMember(_ schemas: [(String, Int)], _ object: JSONObject, collect: Bool, into local: inout Annotations) -> Bool {
        let count = schemas.count
        guard count > 0 else { return true }
        var taken: UInt64 = 0
        var cursor = 0
        let members = object.members
        // By index, so that no member (key and value) is copied out to be compared.
        for m in members.indices {
            var found = -1
            var j = cursor
            for _ in 0..<count {
                if schemas[j].0 == members[m].key {
                    found = j
                    break
                }
                j += 1
                if j == count { j = 0 }
            }
            guard found >= 0 else { continue }
            cursor = found + 1 == count ? 0 : found + 1
            let bit: UInt64 = 1 << UInt64(found)
            if taken & bit != 0 { continue }
            taken |= bit
            if !descend(.key(schemas[found].0), schemas[found].1, members[m].value, report: false) { return false }
            if collect { local.properties.insert(schemas[found].0) }
        }
        return true
    }

    mutating func checkPatternProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .patternProperties(let patterns) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for member in object.members {
            for (regex, schema) in patterns {
                let hit: Bool
                do { hit = try regex.matches(member.key) } catch {
                    if report { fail("patternProperties", "could not be matched against the pattern \(regex.pattern): \(error)") }
                    return false
                }
                guard hit else { continue }
                pushKeyword(regex.pattern)
                let ok = descend(.key(member.key), schema, member.value, report: report)
                popKeyword()
                if collect { local.properties.insert(member.key) }
                if !ok {
                    valid = false
                    if !report { return false }
                }
            }
        }
        return valid
    }

    mutating func checkAdditionalProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .additionalProperties(let schema, let names, let patterns) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var cursor = 0
        let valid = checkMembers(object, schema, keyword: "additionalProperties", refusal: "", report: report) { member in
            !Self.contains(names, member.key, cursor: &cursor)
                && !patterns.contains { (try? $0.matches(member.key)) == true }
        }
        local.allProperties = true
        return valid
    }

    /// Applies `schema` to each member `applies` selects; the `false` schema refuses each with "property … is
    /// not allowed" and `refusal` after it. Stops at the first failure unless reporting.
    private mutating func checkMembers(
        _ object: JSONObject, _ schema: Int, keyword: String, refusal: String, report: Bool,
        where applies: (JSONMember) -> Bool
    ) -> Bool {
        var valid = true
        for member in object.members where applies(member) {
            let ok: Bool
            if isFalse(schema) {
                ok = false
                if report { fail(keyword, "property \"\(member.key)\" is not allowed\(refusal)") }
            } else {
                ok = descend(.key(member.key), schema, member.value, report: report)
            }
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        return valid
    }

    mutating func checkRequired(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .required(let names) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        var cursor = 0
        for name in names where !Self.hasMember(object, name, cursor: &cursor) {
            valid = false
            if !report { return false }
            fail("required", "required property \"\(name)\" is missing")
        }
        return valid
    }

    mutating func checkDependentRequired(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dependentRequired(let dependencies) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (name, required) in dependencies where object[name] != nil {
            for other in required where object[other] == nil {
                valid = false
                if !report { return false }
                fail(program.keywords[k].name, "property \"\(other)\" is required when \"\(name)\" is present")
            }
        }
        return valid
    }

    mutating func checkDependentSchemas(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dependentSchemas(let dependencies) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (name, schema) in dependencies where object[name] != nil {
            pushKeyword(name)
            let ok = evaluate(schema, instance, report: report, collect: collect, into: &local)
            popKeyword()
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        return valid
    }

    mutating func checkPropertyNames(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .propertyNames(let schema) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for member in object.members where !descend(.key(member.key), schema, .string(member.key), report: false) {
            valid = false
            if !report || isStopped { return false }
            fail("propertyNames", "property name \"\(member.key)\" does not match propertyNames")
        }
        return valid
    }

    mutating func checkMaxProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxProperties(let limit) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        if object.count <= limit { return true }
        if report { fail("maxProperties", "must have at most \(limit) properties, has \(object.count)") }
        return false
    }

    mutating func checkMinProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minProperties(let limit) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        if object.count >= limit { return true }
        if report { fail("minProperties", "must have at least \(limit) properties, has \(object.count)") }
        return false
    }

    mutating func checkUnevaluatedProperties(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .unevaluatedProperties(let schema) = program.keywords[k].check else { return true }
        guard case .object(let object) = instance else { return true }
        let evaluated = local
        let valid = checkMembers(object, schema, keyword: "unevaluatedProperties", refusal: " (unevaluatedProperties)", report: report) {
            !evaluated.propertyEvaluated($0.key)
        }
        local.allProperties = true
        return valid
    }

    /// Whether some element of `names` equals `name` (by `==`), scanning from `cursor` round to it; a hit moves
    /// `cursor` past it, so names looked up in list order cost one comparison each.
    static func contains(_ names: [String], _ name: String, cursor: inout Int) -> Bool {
        let count = names.count
        guard count > 0 else { return false }
        var j = cursor < count ? cursor : 0
        for _ in 0..<count {
            if names[j] == name {
                cursor = j + 1
                return true
            }
            j += 1
            if j == count { j = 0 }
        }
        return false
    }

    /// Whether `object` has a member named `name` (as `object[name] != nil`), scanning from `cursor` round to it.
    static func hasMember(_ object: JSONObject, _ name: String, cursor: inout Int) -> Bool {
        let members = object.members
        let count = members.count
        guard count > 0 else { return false }
        var j = cursor < count ? cursor : 0
        for _ in 0..<count {
            if members[j].key == name {
                cursor = j + 1
                return true
            }
            j += 1
            if j == count { j = 0 }
        }
        return false
    }
}
