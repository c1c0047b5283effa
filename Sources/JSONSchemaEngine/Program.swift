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
    case maximum(NumberLimit, exclusive: Bool)
    case minimum(NumberLimit, exclusive: Bool)
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
    /// `uniqueNames`: no two names are equal, so a member matches at most one entry.
    case properties([(String, Int)], uniqueNames: Bool)
    case patternProperties([(PatternMatcher, Int)])
    /// `names`: the sibling `properties` names (compared with `==`, as a set of them would).
    case additionalProperties(Int, names: [String], patterns: [PatternMatcher])
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

/// A `minimum`/`maximum` bound: exact, with its rounded double and, when integral and small, its `Int`,
/// so that most instance numbers compare without building an `ExactNumber`.
struct NumberLimit: Sendable, CustomStringConvertible {
    let exact: ExactNumber
    /// The correctly rounded double of `exact` (rounding is monotonic, so a strict order between doubles is
    /// the order between the exact values); NaN when unavailable, which disables the shortcut.
    let double: Double
    let int: Int?

    init(_ exact: ExactNumber) {
        self.exact = exact
        self.double = Double(exact.description) ?? .nan
        self.int = exact.intValue
    }

    var description: String { exact.description }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// The order of the JSON number literal `text` relative to this limit: -1, 0 or 1.
    func compare(_ number: JSONNumber) -> Int {
        if let int, let x = plainInteger(number.text) {
            return x < int ? -1 : (x == int ? 0 : 1)
        }
        if !double.isNaN, number.text.utf8.allSatisfy(Self.isNumberByte), let d = Double(number.text) {
            if d < double { return -1 }
            if d > double { return 1 }
        }
        let x = ExactNumber(number)
        return x < exact ? -1 : (x == exact ? 0 : 1)
    }
}

/// The value of a literal that is an optional minus and at most 18 digits (no fraction, no exponent).
func plainInteger(_ text: String) -> Int? {
    var negative = false
    var value = 0
    var digits = 0
    var first = true
    for b in text.utf8 {
        if first {
            first = false
            if b == UInt8(ascii: "-") {
                negative = true
                continue
            }
        }
        guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
        digits += 1
        if digits > 18 { return nil }
        value = value * 10 + Int(b - UInt8(ascii: "0"))
    }
    guard digits > 0 else { return nil }
    return negative ? -value : value
}
