import JSONSupport

/// Index of a schema node in a `SchemaGraph`. Two references to the same location are the same node, which is
/// what the comparison memoises on.
typealias NodeID = Int

enum NodeKind: Sendable {
    case empty, trueSchema, falseSchema, string, number, boolean, null, array, object, combined, not, const,
        enumeration, reference, conditional
}

enum Criterion: String, Sendable {
    case allOf, anyOf, oneOf
}

/// One schema in the model Confluent's comparison sees (everit's classes): a typed schema holding the keywords of
/// its family, a combination, a reference, or one of the trivial schemas.
final class SchemaNode {
    var kind: NodeKind
    var id: String?
    var title: String?
    var description: String?
    var defaultValue: JSONValue?
    var connectType: String?

    var maxLength: Int?
    var minLength: Int?
    var pattern: String?

    var maximum: JSONNumber?
    var minimum: JSONNumber?
    var exclusiveMaximum: JSONNumber?
    var exclusiveMinimum: JSONNumber?
    var multipleOf: JSONNumber?
    var requiresInteger = false

    var properties: [(name: String, schema: NodeID)] = []
    /// `properties` by name, for lookups.
    var propertyIndex = PropertyIndex()
    /// `properties` in the order of a `java.util.HashMap` holding them (computed once at load), with the Java hash
    /// of each name spread as `HashMap` spreads it.
    var orderedProperties: [(name: String, schema: NodeID, spread: UInt32)] = []
    var required: [String] = [] {
        didSet { requiredSet = Set(required) }
    }
    /// `required` as a set, for lookups.
    private(set) var requiredSet: Set<String> = []
    var patternProperties: [(pattern: String, schema: NodeID)] = []
    var permitsAdditionalProperties = true
    var additionalPropertiesSchema: NodeID?
    var unevaluatedProperties: NodeID?
    var propertyDependencies: [(name: String, requires: [String])] = []
    var schemaDependencies: [(name: String, schema: NodeID)] = []
    var maxProperties: Int?
    var minProperties: Int?

    var allItems: NodeID?
    var itemSchemas: [NodeID]?
    var permitsAdditionalItems = true
    var additionalItemsSchema: NodeID?
    var unevaluatedItems: NodeID?
    var maxItems: Int?
    var minItems: Int?
    var uniqueItems = false
    var maxContains: Int?
    var minContains: Int?

    var criterion: Criterion = .allOf
    var subschemas: [NodeID] = []
    /// The JSON each subschema was loaded from, to collapse duplicates as Confluent does.
    var subschemaJSON: [JSONValue] = []

    var mustNotMatch: NodeID?
    var constValue: JSONValue?
    var enumValues: [JSONValue] = []

    var reference: String?
    var referenceScope: Scope?

    init(kind: NodeKind) {
        self.kind = kind
    }

    var isEmptyLike: Bool { kind == .empty || kind == .trueSchema }

    /// The schema of the property `name`, given the name's spread Java hash (`JavaHashOrder.spread`).
    func property(_ name: String, spread: UInt32) -> NodeID? { propertyIndex.schema(name, spread: spread) }

    func isRequired(_ name: String) -> Bool {
        required.count <= 8 ? required.contains(name) : requiredSet.contains(name)
    }
}

/// A `type` of one primitive value, for the schemas `SchemaGraph.primitiveLeaf` loads.
enum PrimitiveType: Int, CaseIterable {
    case string, number, integer, boolean, null

    /// A new node of this type with no other keyword, as `typed` builds it.
    func node() -> SchemaNode {
        switch self {
        case .string: return SchemaNode(kind: .string)
        case .number: return SchemaNode(kind: .number)
        case .integer:
            let node = SchemaNode(kind: .number)
            node.requiresInteger = true
            return node
        case .boolean: return SchemaNode(kind: .boolean)
        case .null: return SchemaNode(kind: .null)
        }
    }
}

/// The keywords of a schema object not yet taken by a keyword family. A schema object has few keywords and the
/// families are checked by a handful of names, so the set is the object's own members with a bit for each one
/// taken: loading a schema neither hashes nor copies its keywords. Objects of more than 64 members (rare) keep
/// the keywords left as a list instead.
struct KeywordSet {
    private let members: [JSONMember]
    /// Bit `i` set: the keyword of member `i` is taken.
    private var taken: UInt64 = 0
    /// The keywords left, for an object of more than 64 members.
    private var overflow: [String]?

    init(_ object: JSONObject) {
        members = object.members
        if members.count > 64 { overflow = object.keys }
    }

    private func isLeft(_ index: Int) -> Bool { taken & (1 << UInt64(index)) == 0 }

    func contains(_ key: String) -> Bool {
        if let overflow { return overflow.contains(key) }
        for index in members.indices where isLeft(index) && members[index].key == key { return true }
        return false
    }

    mutating func remove(_ key: String) {
        if overflow != nil {
            overflow?.removeAll { $0 == key }
            return
        }
        for index in members.indices where members[index].key == key { taken |= 1 << UInt64(index) }
    }

    mutating func subtract(_ others: [String]) {
        if overflow != nil {
            overflow?.removeAll { others.contains($0) }
            return
        }
        for index in members.indices where isLeft(index) && others.contains(members[index].key) {
            taken |= 1 << UInt64(index)
        }
    }

    func isDisjoint(with others: [String]) -> Bool {
        if let overflow { return !overflow.contains { others.contains($0) } }
        for index in members.indices where isLeft(index) && others.contains(members[index].key) { return false }
        return true
    }

    /// Keeps the keywords also left in `other`, a set of the same object.
    mutating func formIntersection(_ other: KeywordSet) {
        guard let keys = overflow, let otherKeys = other.overflow else {
            taken |= other.taken
            return
        }
        if otherKeys.count > 16 {
            let lookup = Set(otherKeys)
            overflow = keys.filter { lookup.contains($0) }
        } else {
            overflow = keys.filter { otherKeys.contains($0) }
        }
    }
}

/// A place in one of a graph's documents, as a location of `SchemaGraph`'s location tree: spelled out
/// (`name#/json/pointer`) by `SchemaGraph.describe` only when an error reports it.
struct SchemaSite {
    var location: LocationID
}

/// Where a subschema sits: its location (its document, the root "" or a reference by its name, and the JSON
/// pointer from that document's root), the base URI in force, and the location of the innermost resource (`$id`)
/// containing it.
struct Scope {
    var document: String
    var location: LocationID
    var base: String
    var resourceRoot: LocationID
}

enum Dialect {
    case draft4, draft7, modern
}
