import JSONSupport

/// JSON types as a bit set, for `type`.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    static func named(_ name: String) -> TypeSet? {
        switch name {
        case "null": .null
        case "boolean": .boolean
        case "object": .object
        case "array": .array
        case "number": .number
        case "string": .string
        case "integer": .integer
        default: nil
        }
    }

    var names: [String] {
        var out: [String] = []
        for (t, n) in [
            (TypeSet.null, "null"), (.boolean, "boolean"), (.object, "object"), (.array, "array"), (.number, "number"),
            (.string, "string"), (.integer, "integer"),
        ] where contains(t) { out.append(n) }
        return out
    }
}

/// One compiled keyword: what to check, and the schema-path tokens that name it.
struct Keyword: Sendable {
    /// The keyword's name as written in the schema (the last keyword-path token).
    var name: String
    var check: Check
}

enum Check: Sendable {
    case ref(Int)
    /// 2019-09 `$recursiveRef`: the statically resolved target (a resource root).
    case recursiveRef(Int)
    /// 2020-12 `$dynamicRef` whose static target carries `$dynamicAnchor` `anchor`.
    case dynamicRef(Int, anchor: String)
    case types(TypeSet)
    case enumeration([JSONValue])
    case constant(JSONValue)
    case multipleOf(ExactNumber)
    case maximum(ExactNumber, exclusive: Bool)
    case minimum(ExactNumber, exclusive: Bool)
    case maxLength(Int)
    case minLength(Int)
    case pattern(PatternMatcher)
    case format(String)
    /// Tuple `items` (drafts ≤ 2019-09) or `prefixItems`: schema i for item i.
    case prefixItems([Int])
    /// `items` as one schema, `additionalItems` after a tuple, or 2020-12 `items` after `prefixItems`.
    case itemsFrom(Int, schema: Int)
    case contains(Int, min: Int, max: Int?, annotates: Bool)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case properties([(String, Int)])
    case patternProperties([(PatternMatcher, Int)])
    case additionalProperties(Int, names: Set<String>, patterns: [PatternMatcher])
    case required([String])
    case dependentRequired([(String, [String])])
    case dependentSchemas([(String, Int)])
    case propertyNames(Int)
    case maxProperties(Int)
    case minProperties(Int)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case unevaluatedItems(Int)
    case unevaluatedProperties(Int)
}

struct Node: Sendable {
    /// For boolean schemas: their value; nil for object schemas.
    var constant: Bool?
    var keywords: [Keyword]
    /// The schema resource this subschema belongs to (an index into `Program.resources`).
    var resource: Int
    /// True when a keyword here needs the annotations of this node's in-place applicators.
    var needsAnnotations: Bool

    static let placeholder = Node(constant: true, keywords: [], resource: 0, needsAnnotations: false)
}

struct ResourceRuntime: Sendable {
    var base: String
    /// `$dynamicAnchor` name → node (2020-12).
    var dynamicAnchors: [String: Int]
    /// `$recursiveAnchor: true` at the resource root (2019-09), and that root's node.
    var recursiveAnchor: Bool
    var root: Int?
}

/// Everything validation needs, computed once.
struct Program: Sendable {
    var nodes: [Node]
    var resources: [ResourceRuntime]
    var root: Int
    var rootDraft: JSONSchemaDraft
}
