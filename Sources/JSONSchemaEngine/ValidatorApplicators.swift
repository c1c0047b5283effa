import JSONSupport

/// The applicators that evaluate subschemas in place: references, `allOf`, `anyOf`, `oneOf`, `not` and
/// `if`/`then`/`else`.
extension Validator {
    mutating func checkRef(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .ref(let target) = program.keywords[k].check else { return true }
        return follow(target, k, instance, report: report, collect: collect, into: &local)
    }

    mutating func checkRecursiveRef(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .recursiveRef(let target) = program.keywords[k].check else { return true }
        var destination = target
        if program.resources[program.subschemas[target].resource].recursiveAnchor {
            for r in dynamicScope where program.resources[r].recursiveAnchor {
                if let root = program.resources[r].root {
                    destination = root
                    break
                }
            }
        }
        return follow(destination, k, instance, report: report, collect: collect, into: &local)
    }

    mutating func checkDynamicRef(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dynamicRef(let target, let anchor) = program.keywords[k].check else { return true }
        var destination = target
        for r in dynamicScope {
            if let n = program.resources[r].dynamicAnchors[anchor] {
                destination = n
                break
            }
        }
        return follow(destination, k, instance, report: report, collect: collect, into: &local)
    }

    mutating func checkAllOf(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .allOf(let schemas) = program.keywords[k].check else { return true }
        var valid = true
        for (i, schema) in schemas.enumerated() {
            pushKeyword(String(i))
            let ok = evaluate(schema, instance, report: report, collect: collect, into: &local)
            popKeyword()
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        return valid
    }

    mutating func checkAnyOf(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .anyOf(let schemas) = program.keywords[k].check else { return true }
        var any = false
        for (i, schema) in schemas.enumerated() {
            pushKeyword(String(i))
            let ok = evaluate(schema, instance, report: false, collect: collect, into: &local)
            popKeyword()
            if ok {
                any = true
                if !collect { break }
            }
            if isStopped { return false }
        }
        if !any && report { fail("anyOf", "must match at least one schema of anyOf") }
        return any
    }

    mutating func checkOneOf(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .oneOf(let schemas) = program.keywords[k].check else { return true }
        var matched: [Int] = []
        var annotations = Annotations()
        for (i, schema) in schemas.enumerated() {
            pushKeyword(String(i))
            var branch = Annotations()
            let ok = evaluate(schema, instance, report: false, collect: collect, into: &branch)
            popKeyword()
            if isStopped { return false }
            if ok {
                matched.append(i)
                annotations = branch
                if matched.count > 1 { break }
            }
        }
        if matched.count == 1 {
            local.merge(annotations)
            return true
        }
        if report {
            fail(
                "oneOf",
                matched.isEmpty
                    ? "must match exactly one schema of oneOf, matches none"
                    : "must match exactly one schema of oneOf, matches \(matched.map(String.init).joined(separator: " and "))"
            )
        }
        return false
    }

    mutating func checkNot(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .not(let schema) = program.keywords[k].check else { return true }
        var ignored = Annotations()
        let ok = evaluate(schema, instance, report: false, collect: false, into: &ignored)
        if isStopped { return false }
        if !ok { return true }
        if report { fail("not", "must not match the schema in not") }
        return false
    }

    mutating func checkConditional(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .conditional(let condition, let thenSchema, let elseSchema) = program.keywords[k].check else { return true }
        let holds = evaluate(condition, instance, report: false, collect: collect, into: &local)
        if isStopped { return false }
        guard let branch = holds ? thenSchema : elseSchema else { return true }
        if trackPaths { keywordPath[keywordPath.count - 1] = holds ? "then" : "else" }
        return evaluate(branch, instance, report: report, collect: collect, into: &local)
    }
}
