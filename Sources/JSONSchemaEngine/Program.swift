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

/// A subschema as the compiler builds it.
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

/// A subschema as the validator reads it: its keywords are a range of `Program.keywords`, so reading one copies
/// no array and retains nothing.
struct Subschema: Sendable {
    /// For boolean schemas: their value; nil for object schemas.
    var constant: Bool?
    /// Its keywords, in evaluation order: indices into `Program.keywords`.
    var keywords: Range<Int>
    /// The schema resource this subschema belongs to (an index into `Program.resources`).
    var resource: Int
    /// True when a keyword here needs the annotations of this node's in-place applicators.
    var needsAnnotations: Bool
}

struct ResourceRuntime: Sendable {
    var base: String
    /// `$dynamicAnchor` name → node (2020-12).
    var dynamicAnchors: [String: Int]
    /// `$recursiveAnchor: true` at the resource root (2019-09), and that root's node.
    var recursiveAnchor: Bool
    var root: Int?
}

/// Everything validation needs, computed once. A final class with every keyword in one array: a validator
/// borrows it, and reads a keyword in place, instead of copying node and keyword arrays on every evaluation.
final class Program: Sendable {
    let subschemas: [Subschema]
    let keywords: [Keyword]
    let resources: [ResourceRuntime]
    let root: Int
    let rootDraft: JSONSchemaDraft

    init(nodes: [Node], resources: [ResourceRuntime], root: Int, rootDraft: JSONSchemaDraft) {
        var subschemas: [Subschema] = []
        subschemas.reserveCapacity(nodes.count)
        var keywords: [Keyword] = []
        keywords.reserveCapacity(nodes.reduce(0) { $0 + $1.keywords.count })
        for node in nodes {
            let start = keywords.count
            keywords.append(contentsOf: node.keywords)
            subschemas.append(
                Subschema(
                    constant: node.constant, keywords: start..<keywords.count, resource: node.resource,
                    needsAnnotations: node.needsAnnotations))
        }
        self.subschemas = subschemas
        self.keywords = keywords
        self.resources = resources
        self.root = root
        self.rootDraft = rootDraft
    }
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
        if let int, let x = plainDecimal(number.text) {
            // The value is ±(integer + f) with 0 ≤ f < 1, and f > 0 exactly when `fraction`.
            let whole = x.negative ? -x.integer : x.integer
            if !x.fraction { return whole < int ? -1 : (whole == int ? 0 : 1) }
            // Strictly between two integers: above `int` when the integer toward zero's far side is at least it.
            if x.negative { return whole <= int ? -1 : 1 }
            return whole >= int ? 1 : -1
        }
        if !double.isNaN, number.text.utf8.allSatisfy(Self.isNumberByte), let d = Double(number.text) {
            if d < double { return -1 }
            if d > double { return 1 }
        }
        let x = ExactNumber(number)
        return x < exact ? -1 : (x == exact ? 0 : 1)
    }
}

extension NumberLimit {
    /// `compare(_:)` for the JSON number literal `utf8` (checked by a JSON reader), building its text only when
    /// it is not a plain decimal that an integral limit decides.
    func compare(utf8: UnsafeBufferPointer<UInt8>) -> Int {
        if let int, let x = plainDecimal(utf8: utf8) {
            let whole = x.negative ? -x.integer : x.integer
            if !x.fraction { return whole < int ? -1 : (whole == int ? 0 : 1) }
            if x.negative { return whole <= int ? -1 : 1 }
            return whole >= int ? 1 : -1
        }
        return compare(JSONNumber(validatedText: String(decoding: utf8, as: UTF8.self)))
    }
}

/// A literal that is an optional minus, at most 18 integer digits and optionally a fraction (no exponent): its
/// integer part, its sign, and whether the fraction has a nonzero digit.
func plainDecimal(_ text: String) -> (integer: Int, negative: Bool, fraction: Bool)? {
    // Over the UTF-8 buffer in place: walking a small string's `utf8` view decodes it byte by byte.
    var text = text
    return text.withUTF8 { plainDecimal(utf8: $0) }
}

func plainDecimal(utf8 text: UnsafeBufferPointer<UInt8>) -> (integer: Int, negative: Bool, fraction: Bool)? {
    var negative = false
    var value = 0
    var digits = 0
    var inFraction = false
    var fraction = false
    var first = true
    for b in text {
        if first {
            first = false
            if b == UInt8(ascii: "-") {
                negative = true
                continue
            }
        }
        if b == UInt8(ascii: ".") && !inFraction && digits > 0 {
            inFraction = true
            continue
        }
        guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
        if inFraction {
            if b != UInt8(ascii: "0") { fraction = true }
            continue
        }
        digits += 1
        if digits > 18 { return nil }
        value = value * 10 + Int(b - UInt8(ascii: "0"))
    }
    guard digits > 0 else { return nil }
    return (value, negative, fraction)
}
