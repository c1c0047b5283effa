import JSONSupport

/// What a subschema's in-place evaluation marked as evaluated, for `unevaluatedItems`/`unevaluatedProperties`.
struct Annotations {
    var properties: Set<String> = []
    var allProperties = false
    var itemPrefix = 0
    var allItems = false
    var items: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        if !other.properties.isEmpty { properties.formUnion(other.properties) }
        allProperties = allProperties || other.allProperties
        itemPrefix = max(itemPrefix, other.itemPrefix)
        allItems = allItems || other.allItems
        if !other.items.isEmpty { items.formUnion(other.items) }
    }

    func itemEvaluated(_ i: Int) -> Bool { allItems || i < itemPrefix || items.contains(i) }
    func propertyEvaluated(_ name: String) -> Bool { allProperties || properties.contains(name) }
}

enum PathToken {
    case key(String)
    case index(Int)
}

/// One validation run: the evaluation stacks and what failed.
struct Validator {
    let program: Program
    let options: JSONSchemaOptions
    let collectErrors: Bool
    /// Whether the instance and keyword paths are kept: only messages need them, so `isValid` skips them.
    let trackPaths: Bool
    var errors: [JSONSchemaViolation] = []
    var instancePath: [PathToken] = []
    var keywordPath: [String] = []
    /// The dynamic scope: resources entered, outermost first.
    var dynamicScope: [Int] = []
    /// References being followed, with the instance depth each was followed at (for loop detection).
    var refStack: [(target: Int, instanceDepth: Int)] = []
    var refsFollowed = 0
    var depth = 0
    var instanceDepth = 0
    /// Set when a limit stops the run; every evaluation then fails at once.
    var stopped: JSONSchemaViolation?

    init(program: Program, options: JSONSchemaOptions, collectErrors: Bool) {
        self.program = program
        self.options = options
        self.collectErrors = collectErrors
        self.trackPaths = collectErrors
    }

    @inline(__always)
    mutating func pushKeyword(_ token: @autoclosure () -> String) {
        if trackPaths { keywordPath.append(token()) }
    }

    @inline(__always)
    mutating func popKeyword() {
        if trackPaths { keywordPath.removeLast() }
    }

    var limits: JSONSchemaLimits { options.limits }

    mutating func run(_ instance: JSONValue) -> [JSONSchemaViolation] {
        var ignored = Annotations()
        let valid = evaluate(program.root, instance, report: collectErrors, collect: false, into: &ignored)
        if let stopped { errors.append(stopped) }
        if !valid && errors.isEmpty {
            errors.append(JSONSchemaViolation(instancePath: "", keywordPath: "", keyword: "", message: "does not match the schema"))
        }
        return errors
    }

    // MARK: Reporting

    var instancePointer: String {
        var out = ""
        for t in instancePath {
            switch t {
            case .key(let k): out += "/" + URIs.escapeToken(k)
            case .index(let i): out += "/" + String(i)
            }
        }
        return out
    }

    var keywordPointer: String { keywordPath.map { "/" + URIs.escapeToken($0) }.joined() }

    mutating func fail(_ keyword: String, _ message: String) {
        errors.append(
            JSONSchemaViolation(instancePath: instancePointer, keywordPath: keywordPointer, keyword: keyword, message: message)
        )
    }

    mutating func stop(_ keyword: String, _ message: String) {
        if stopped == nil {
            stopped = JSONSchemaViolation(instancePath: instancePointer, keywordPath: keywordPointer, keyword: keyword, message: message)
        }
    }

    // MARK: Evaluation

    /// Evaluates subschema `index` against `instance`. With `report`, every failure is recorded; without, the first
    /// failure returns. With `collect`, a valid evaluation merges its annotations into `out`.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, report: Bool, collect: Bool, into out: inout Annotations) -> Bool {
        if stopped != nil { return false }
        let node = program.nodes[index]
        if let constant = node.constant {
            if !constant && report { fail("false", "no value is allowed here (the schema is false)") }
            return constant
        }
        depth += 1
        defer { depth -= 1 }
        if depth > limits.maxEvaluationDepth {
            stop("", "validation stopped: subschemas nest deeper than the limit of \(limits.maxEvaluationDepth)")
            return false
        }
        let entered = dynamicScope.last != node.resource
        if entered { dynamicScope.append(node.resource) }
        defer { if entered { dynamicScope.removeLast() } }
        let needAnnotations = collect || node.needsAnnotations
        var local = Annotations()
        var valid = true
        let keywords = node.keywords
        // By index, so that each keyword is borrowed from the array rather than copied out by an iterator.
        for k in keywords.indices {
            pushKeyword(keywords[k].name)
            let ok = apply(keywords[k], instance, report: report, collect: needAnnotations, into: &local)
            popKeyword()
            if !ok {
                valid = false
                if !report || stopped != nil { return false }
            }
        }
        if collect && valid { out.merge(local) }
        return valid
    }

    private mutating func follow(_ target: Int, _ keyword: String, _ instance: JSONValue, report: Bool, collect: Bool, into out: inout Annotations) -> Bool {
        refsFollowed += 1
        if refsFollowed > limits.maxRefsFollowed {
            stop(keyword, "validation stopped: more than the limit of \(limits.maxRefsFollowed) references followed")
            return false
        }
        for frame in refStack.reversed() {
            if frame.instanceDepth != instanceDepth { break }
            if frame.target == target {
                stop(keyword, "validation stopped: \(keyword) loops back to a schema already being applied to this same value")
                return false
            }
        }
        refStack.append((target, instanceDepth))
        defer { refStack.removeLast() }
        return evaluate(target, instance, report: report, collect: collect, into: &out)
    }

    private mutating func descend(_ token: @autoclosure () -> PathToken, _ index: Int, _ value: JSONValue, report: Bool) -> Bool {
        instanceDepth += 1
        if trackPaths { instancePath.append(token()) }
        defer {
            instanceDepth -= 1
            if trackPaths { instancePath.removeLast() }
        }
        if instanceDepth > limits.maxInstanceDepth {
            stop("", "validation stopped: the instance nests deeper than the limit of \(limits.maxInstanceDepth)")
            return false
        }
        var ignored = Annotations()
        return evaluate(index, value, report: report, collect: false, into: &ignored)
    }

    private func isFalse(_ index: Int) -> Bool { program.nodes[index].constant == false }

    private mutating func apply(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        // Each keyword has its own function so that this frame, on the recursion path, stays small.
        switch keyword.check {
        case .ref: return checkRef(keyword, instance, report: report, collect: collect, into: &local)
        case .recursiveRef: return checkRecursiveRef(keyword, instance, report: report, collect: collect, into: &local)
        case .dynamicRef: return checkDynamicRef(keyword, instance, report: report, collect: collect, into: &local)
        case .types: return checkTypes(keyword, instance, report: report, collect: collect, into: &local)
        case .enumeration: return checkEnumeration(keyword, instance, report: report, collect: collect, into: &local)
        case .constant: return checkConstant(keyword, instance, report: report, collect: collect, into: &local)
        case .multipleOf: return checkMultipleOf(keyword, instance, report: report, collect: collect, into: &local)
        case .maximum: return checkMaximum(keyword, instance, report: report, collect: collect, into: &local)
        case .minimum: return checkMinimum(keyword, instance, report: report, collect: collect, into: &local)
        case .maxLength: return checkMaxLength(keyword, instance, report: report, collect: collect, into: &local)
        case .minLength: return checkMinLength(keyword, instance, report: report, collect: collect, into: &local)
        case .pattern: return checkPattern(keyword, instance, report: report, collect: collect, into: &local)
        case .format: return checkFormat(keyword, instance, report: report, collect: collect, into: &local)
        case .prefixItems: return checkPrefixItems(keyword, instance, report: report, collect: collect, into: &local)
        case .itemsFrom: return checkItemsFrom(keyword, instance, report: report, collect: collect, into: &local)
        case .contains: return checkContains(keyword, instance, report: report, collect: collect, into: &local)
        case .maxItems: return checkMaxItems(keyword, instance, report: report, collect: collect, into: &local)
        case .minItems: return checkMinItems(keyword, instance, report: report, collect: collect, into: &local)
        case .uniqueItems: return checkUniqueItems(keyword, instance, report: report, collect: collect, into: &local)
        case .properties: return checkProperties(keyword, instance, report: report, collect: collect, into: &local)
        case .patternProperties: return checkPatternProperties(keyword, instance, report: report, collect: collect, into: &local)
        case .additionalProperties: return checkAdditionalProperties(keyword, instance, report: report, collect: collect, into: &local)
        case .required: return checkRequired(keyword, instance, report: report, collect: collect, into: &local)
        case .dependentRequired: return checkDependentRequired(keyword, instance, report: report, collect: collect, into: &local)
        case .dependentSchemas: return checkDependentSchemas(keyword, instance, report: report, collect: collect, into: &local)
        case .propertyNames: return checkPropertyNames(keyword, instance, report: report, collect: collect, into: &local)
        case .maxProperties: return checkMaxProperties(keyword, instance, report: report, collect: collect, into: &local)
        case .minProperties: return checkMinProperties(keyword, instance, report: report, collect: collect, into: &local)
        case .allOf: return checkAllOf(keyword, instance, report: report, collect: collect, into: &local)
        case .anyOf: return checkAnyOf(keyword, instance, report: report, collect: collect, into: &local)
        case .oneOf: return checkOneOf(keyword, instance, report: report, collect: collect, into: &local)
        case .not: return checkNot(keyword, instance, report: report, collect: collect, into: &local)
        case .conditional: return checkConditional(keyword, instance, report: report, collect: collect, into: &local)
        case .unevaluatedItems: return checkUnevaluatedItems(keyword, instance, report: report, collect: collect, into: &local)
        case .unevaluatedProperties: return checkUnevaluatedProperties(keyword, instance, report: report, collect: collect, into: &local)
        }
    }

    private mutating func checkRef(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .ref(let target) = keyword.check else { return true }
        return follow(target, keyword.name, instance, report: report, collect: collect, into: &local)
    }

    private mutating func checkRecursiveRef(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .recursiveRef(let target) = keyword.check else { return true }
        var destination = target
        if program.resources[program.nodes[target].resource].recursiveAnchor {
            for r in dynamicScope where program.resources[r].recursiveAnchor {
                if let root = program.resources[r].root {
                    destination = root
                    break
                }
            }
        }
        return follow(destination, keyword.name, instance, report: report, collect: collect, into: &local)
    }

    private mutating func checkDynamicRef(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dynamicRef(let target, let anchor) = keyword.check else { return true }
        var destination = target
        for r in dynamicScope {
            if let n = program.resources[r].dynamicAnchors[anchor] {
                destination = n
                break
            }
        }
        return follow(destination, keyword.name, instance, report: report, collect: collect, into: &local)
    }

    private mutating func checkTypes(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .types(let set) = keyword.check else { return true }
        if Self.matches(instance, set) { return true }
        if report {
            let names = set.names
            let expected = names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
            fail("type", "must be \(expected), is \(Self.typeName(instance))")
        }
        return false
    }

    private mutating func checkEnumeration(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .enumeration(let values) = keyword.check else { return true }
        if values.contains(where: { jsonEqual($0, instance) }) { return true }
        if report { fail("enum", "must be one of the enum values, is \(Self.short(instance))") }
        return false
    }

    private mutating func checkConstant(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .constant(let value) = keyword.check else { return true }
        if jsonEqual(value, instance) { return true }
        if report { fail("const", "must be \(Self.short(value)), is \(Self.short(instance))") }
        return false
    }

    private mutating func checkMultipleOf(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .multipleOf(let m) = keyword.check else { return true }
        guard case .number(let n) = instance else { return true }
        if ExactNumber(n).isMultiple(of: m) { return true }
        if report { fail("multipleOf", "must be a multiple of \(m), is \(n.text)") }
        return false
    }

    private mutating func checkMaximum(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maximum(let limit, let exclusive) = keyword.check else { return true }
        guard case .number(let n) = instance else { return true }
        let order = limit.compare(n)
        if exclusive ? order < 0 : order <= 0 { return true }
        if report { fail(keyword.name, "must be \(exclusive ? "<" : "<=") \(limit), is \(n.text)") }
        return false
    }

    private mutating func checkMinimum(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minimum(let limit, let exclusive) = keyword.check else { return true }
        guard case .number(let n) = instance else { return true }
        let order = limit.compare(n)
        if exclusive ? order > 0 : order >= 0 { return true }
        if report { fail(keyword.name, "must be \(exclusive ? ">" : ">=") \(limit), is \(n.text)") }
        return false
    }

    private mutating func checkMaxLength(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxLength(let limit) = keyword.check else { return true }
        guard case .string(let s) = instance else { return true }
        let length = s.unicodeScalars.count
        if length <= limit { return true }
        if report { fail("maxLength", "must be at most \(limit) characters long, is \(length)") }
        return false
    }

    private mutating func checkMinLength(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minLength(let limit) = keyword.check else { return true }
        guard case .string(let s) = instance else { return true }
        let length = s.unicodeScalars.count
        if length >= limit { return true }
        if report { fail("minLength", "must be at least \(limit) characters long, is \(length)") }
        return false
    }

    private mutating func checkPattern(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .pattern(let regex) = keyword.check else { return true }
        guard case .string(let s) = instance else { return true }
        do {
            if try regex.matches(s) { return true }
            if report { fail("pattern", "must match the pattern \(regex.pattern)") }
        } catch {
            if report { fail("pattern", "could not be matched against the pattern \(regex.pattern): \(error)") }
        }
        return false
    }

    private mutating func checkFormat(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .format(let name) = keyword.check else { return true }
        guard options.assertFormat else { return true }
        if Formats.check(name, instance) { return true }
        if report { fail("format", "must be a valid \(name), is \(Self.short(instance))") }
        return false
    }

    private mutating func checkPrefixItems(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .prefixItems(let schemas) = keyword.check else { return true }
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

    private mutating func checkItemsFrom(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .itemsFrom(let start, let schema) = keyword.check else { return true }
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

    private mutating func checkContains(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .contains(let schema, let minimum, let maximum, let annotates) = keyword.check else { return true }
        guard case .array(let items) = instance else { return true }
        var matched = 0
        for (i, item) in items.enumerated() where descend(.index(i), schema, item, report: false) {
            matched += 1
            if annotates { local.items.insert(i) }
        }
        if stopped != nil { return false }
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

    private mutating func checkMaxItems(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxItems(let limit) = keyword.check else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count <= limit { return true }
        if report { fail("maxItems", "must have at most \(limit) items, has \(items.count)") }
        return false
    }

    private mutating func checkMinItems(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minItems(let limit) = keyword.check else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count >= limit { return true }
        if report { fail("minItems", "must have at least \(limit) items, has \(items.count)") }
        return false
    }

    private mutating func checkUniqueItems(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .uniqueItems = keyword.check else { return true }
        guard case .array(let items) = instance else { return true }
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

    private mutating func checkProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .properties(let schemas, let uniqueNames) = keyword.check else { return true }
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
    private mutating func checkPropertiesByMember(_ schemas: [(String, Int)], _ object: JSONObject, collect: Bool, into local: inout Annotations) -> Bool {
        let count = schemas.count
        guard count > 0 else { return true }
        var taken: UInt64 = 0
        var cursor = 0
        for member in object.members {
            var found = -1
            var j = cursor
            for _ in 0..<count {
                if schemas[j].0 == member.key {
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
            if !descend(.key(schemas[found].0), schemas[found].1, member.value, report: false) { return false }
            if collect { local.properties.insert(schemas[found].0) }
        }
        return true
    }

    private mutating func checkPatternProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .patternProperties(let patterns) = keyword.check else { return true }
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

    private mutating func checkAdditionalProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .additionalProperties(let schema, let names, let patterns) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        var cursor = 0
        members: for member in object.members where !Self.contains(names, member.key, cursor: &cursor) {
            for regex in patterns {
                if (try? regex.matches(member.key)) == true { continue members }
            }
            let ok: Bool
            if isFalse(schema) {
                ok = false
                if report { fail("additionalProperties", "property \"\(member.key)\" is not allowed") }
            } else {
                ok = descend(.key(member.key), schema, member.value, report: report)
            }
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        local.allProperties = true
        return valid
    }

    private mutating func checkRequired(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .required(let names) = keyword.check else { return true }
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

    private mutating func checkDependentRequired(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dependentRequired(let dependencies) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (name, required) in dependencies where object[name] != nil {
            for other in required where object[other] == nil {
                valid = false
                if !report { return false }
                fail(keyword.name, "property \"\(other)\" is required when \"\(name)\" is present")
            }
        }
        return valid
    }

    private mutating func checkDependentSchemas(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .dependentSchemas(let dependencies) = keyword.check else { return true }
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

    private mutating func checkPropertyNames(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .propertyNames(let schema) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for member in object.members where !descend(.key(member.key), schema, .string(member.key), report: false) {
            valid = false
            if !report || stopped != nil { return false }
            fail("propertyNames", "property name \"\(member.key)\" does not match propertyNames")
        }
        return valid
    }

    private mutating func checkMaxProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .maxProperties(let limit) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        if object.count <= limit { return true }
        if report { fail("maxProperties", "must have at most \(limit) properties, has \(object.count)") }
        return false
    }

    private mutating func checkMinProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .minProperties(let limit) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        if object.count >= limit { return true }
        if report { fail("minProperties", "must have at least \(limit) properties, has \(object.count)") }
        return false
    }

    private mutating func checkAllOf(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .allOf(let schemas) = keyword.check else { return true }
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

    private mutating func checkAnyOf(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .anyOf(let schemas) = keyword.check else { return true }
        var any = false
        for (i, schema) in schemas.enumerated() {
            pushKeyword(String(i))
            let ok = evaluate(schema, instance, report: false, collect: collect, into: &local)
            popKeyword()
            if ok {
                any = true
                if !collect { break }
            }
            if stopped != nil { return false }
        }
        if !any && report { fail("anyOf", "must match at least one schema of anyOf") }
        return any
    }

    private mutating func checkOneOf(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .oneOf(let schemas) = keyword.check else { return true }
        var matched: [Int] = []
        var annotations = Annotations()
        for (i, schema) in schemas.enumerated() {
            pushKeyword(String(i))
            var branch = Annotations()
            let ok = evaluate(schema, instance, report: false, collect: collect, into: &branch)
            popKeyword()
            if stopped != nil { return false }
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

    private mutating func checkNot(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .not(let schema) = keyword.check else { return true }
        var ignored = Annotations()
        let ok = evaluate(schema, instance, report: false, collect: false, into: &ignored)
        if stopped != nil { return false }
        if !ok { return true }
        if report { fail("not", "must not match the schema in not") }
        return false
    }

    private mutating func checkConditional(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .conditional(let condition, let thenSchema, let elseSchema) = keyword.check else { return true }
        let holds = evaluate(condition, instance, report: false, collect: collect, into: &local)
        if stopped != nil { return false }
        guard let branch = holds ? thenSchema : elseSchema else { return true }
        if trackPaths { keywordPath[keywordPath.count - 1] = holds ? "then" : "else" }
        return evaluate(branch, instance, report: report, collect: collect, into: &local)
    }

    private mutating func checkUnevaluatedItems(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .unevaluatedItems(let schema) = keyword.check else { return true }
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

    private mutating func checkUnevaluatedProperties(_ keyword: Keyword, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        guard case .unevaluatedProperties(let schema) = keyword.check else { return true }
        guard case .object(let object) = instance else { return true }
        var valid = true
        for member in object.members where !local.propertyEvaluated(member.key) {
            let ok: Bool
            if isFalse(schema) {
                ok = false
                if report { fail("unevaluatedProperties", "property \"\(member.key)\" is not allowed (unevaluatedProperties)") }
            } else {
                ok = descend(.key(member.key), schema, member.value, report: report)
            }
            if !ok {
                valid = false
                if !report { return false }
            }
        }
        local.allProperties = true
        return valid
    }

    // MARK: Helpers

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

    static func matches(_ instance: JSONValue, _ set: TypeSet) -> Bool {
        switch instance {
        case .null: return set.contains(.null)
        case .bool: return set.contains(.boolean)
        case .string: return set.contains(.string)
        case .array: return set.contains(.array)
        case .object: return set.contains(.object)
        case .number(let n):
            if set.contains(.number) { return true }
            return set.contains(.integer) && (n.isIntegral || ExactNumber(n).isInteger)
        }
    }

    static func typeName(_ instance: JSONValue) -> String {
        if case .number(let n) = instance { return ExactNumber(n).isInteger ? "integer" : "number" }
        return instance.kindName
    }

    /// A value in a message, cut short when long.
    static func short(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count <= 64 ? text : String(text.prefix(61)) + "..."
    }
}
