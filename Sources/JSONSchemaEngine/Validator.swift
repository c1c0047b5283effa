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
    /// Why a limit stopped the run, if one did; every evaluation then fails at once.
    var stopReason: JSONSchemaViolation?
    /// Whether `stopReason` is set: one byte every evaluation tests, where the optional needs a witness call.
    var isStopped = false

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
        if let stopReason { errors.append(stopReason) }
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
        if !isStopped {
            isStopped = true
            stopReason = JSONSchemaViolation(instancePath: instancePointer, keywordPath: keywordPointer, keyword: keyword, message: message)
        }
    }

    // MARK: Evaluation

    /// Evaluates subschema `index` against `instance`. With `report`, every failure is recorded; without, the first
    /// failure returns. With `collect`, a valid evaluation merges its annotations into `out`.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, report: Bool, collect: Bool, into out: inout Annotations) -> Bool {
        if isStopped { return false }
        let node = program.subschemas[index]
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
        // By index into the program's one keyword array: nothing is copied out but the payload a check reads.
        for k in node.keywords {
            if trackPaths { keywordPath.append(program.keywords[k].name) }
            let ok = apply(k, instance, report: report, collect: needAnnotations, into: &local)
            popKeyword()
            if !ok {
                valid = false
                if !report || isStopped { return false }
            }
        }
        if collect && valid { out.merge(local) }
        return valid
    }

    /// Follows reference keyword `k` to subschema `target`, within the limit on references and without looping.
    mutating func follow(_ target: Int, _ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into out: inout Annotations) -> Bool {
        refsFollowed += 1
        if refsFollowed > limits.maxRefsFollowed {
            stop(program.keywords[k].name, "validation stopped: more than the limit of \(limits.maxRefsFollowed) references followed")
            return false
        }
        for frame in refStack.reversed() {
            if frame.instanceDepth != instanceDepth { break }
            if frame.target == target {
                let keyword = program.keywords[k].name
                stop(keyword, "validation stopped: \(keyword) loops back to a schema already being applied to this same value")
                return false
            }
        }
        refStack.append((target, instanceDepth))
        defer { refStack.removeLast() }
        return evaluate(target, instance, report: report, collect: collect, into: &out)
    }

    mutating func descend(_ token: @autoclosure () -> PathToken, _ index: Int, _ value: JSONValue, report: Bool) -> Bool {
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

    func isFalse(_ index: Int) -> Bool { program.subschemas[index].constant == false }

    mutating func apply(_ k: Int, _ instance: JSONValue, report: Bool, collect: Bool, into local: inout Annotations) -> Bool {
        // Each keyword has its own function so that this frame, on the recursion path, stays small.
        switch program.keywords[k].check {
        case .ref: return checkRef(k, instance, report: report, collect: collect, into: &local)
        case .recursiveRef: return checkRecursiveRef(k, instance, report: report, collect: collect, into: &local)
        case .dynamicRef: return checkDynamicRef(k, instance, report: report, collect: collect, into: &local)
        case .types: return checkTypes(k, instance, report: report, collect: collect, into: &local)
        case .enumeration: return checkEnumeration(k, instance, report: report, collect: collect, into: &local)
        case .constant: return checkConstant(k, instance, report: report, collect: collect, into: &local)
        case .multipleOf: return checkMultipleOf(k, instance, report: report, collect: collect, into: &local)
        case .maximum: return checkMaximum(k, instance, report: report, collect: collect, into: &local)
        case .minimum: return checkMinimum(k, instance, report: report, collect: collect, into: &local)
        case .maxLength: return checkMaxLength(k, instance, report: report, collect: collect, into: &local)
        case .minLength: return checkMinLength(k, instance, report: report, collect: collect, into: &local)
        case .pattern: return checkPattern(k, instance, report: report, collect: collect, into: &local)
        case .format: return checkFormat(k, instance, report: report, collect: collect, into: &local)
        case .prefixItems: return checkPrefixItems(k, instance, report: report, collect: collect, into: &local)
        case .itemsFrom: return checkItemsFrom(k, instance, report: report, collect: collect, into: &local)
        case .contains: return checkContains(k, instance, report: report, collect: collect, into: &local)
        case .maxItems: return checkMaxItems(k, instance, report: report, collect: collect, into: &local)
        case .minItems: return checkMinItems(k, instance, report: report, collect: collect, into: &local)
        case .uniqueItems: return checkUniqueItems(k, instance, report: report, collect: collect, into: &local)
        case .properties: return checkProperties(k, instance, report: report, collect: collect, into: &local)
        case .patternProperties: return checkPatternProperties(k, instance, report: report, collect: collect, into: &local)
        case .additionalProperties: return checkAdditionalProperties(k, instance, report: report, collect: collect, into: &local)
        case .required: return checkRequired(k, instance, report: report, collect: collect, into: &local)
        case .dependentRequired: return checkDependentRequired(k, instance, report: report, collect: collect, into: &local)
        case .dependentSchemas: return checkDependentSchemas(k, instance, report: report, collect: collect, into: &local)
        case .propertyNames: return checkPropertyNames(k, instance, report: report, collect: collect, into: &local)
        case .maxProperties: return checkMaxProperties(k, instance, report: report, collect: collect, into: &local)
        case .minProperties: return checkMinProperties(k, instance, report: report, collect: collect, into: &local)
        case .allOf: return checkAllOf(k, instance, report: report, collect: collect, into: &local)
        case .anyOf: return checkAnyOf(k, instance, report: report, collect: collect, into: &local)
        case .oneOf: return checkOneOf(k, instance, report: report, collect: collect, into: &local)
        case .not: return checkNot(k, instance, report: report, collect: collect, into: &local)
        case .conditional: return checkConditional(k, instance, report: report, collect: collect, into: &local)
        case .unevaluatedItems: return checkUnevaluatedItems(k, instance, report: report, collect: collect, into: &local)
        case .unevaluatedProperties: return checkUnevaluatedProperties(k, instance, report: report, collect: collect, into: &local)
        }
    }

    // MARK: Helpers

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
