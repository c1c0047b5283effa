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
    var site: SchemaSite
    /// Where the schema is, as reported in errors (`name#/json/pointer`).
    var location: String { site.description }
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

    init(kind: NodeKind, location: SchemaSite) {
        self.kind = kind
        self.site = location
    }

    var isEmptyLike: Bool { kind == .empty || kind == .trueSchema }

    /// The schema of the property `name`, given the name's spread Java hash (`JavaHashOrder.spread`).
    func property(_ name: String, spread: UInt32) -> NodeID? { propertyIndex.schema(name, spread: spread) }

    func isRequired(_ name: String) -> Bool {
        required.count <= 8 ? required.contains(name) : requiredSet.contains(name)
    }
}

/// The keywords of a schema object not yet taken by a keyword family: a set kept as a list, since a schema object
/// has few keywords and the families are checked by a handful of names (no hashing for each schema loaded).
struct KeywordSet {
    private var keys: [String]

    init(_ keys: [String]) { self.keys = keys }

    func contains(_ key: String) -> Bool { keys.contains(key) }

    mutating func remove(_ key: String) { keys.removeAll { $0 == key } }

    mutating func subtract(_ others: [String]) {
        if keys.isEmpty { return }
        keys.removeAll { others.contains($0) }
    }

    func isDisjoint(with others: [String]) -> Bool { !keys.contains { others.contains($0) } }

    mutating func formIntersection(_ other: KeywordSet) {
        if other.keys.count > 16 {
            let lookup = Set(other.keys)
            keys.removeAll { !lookup.contains($0) }
        } else {
            keys.removeAll { !other.keys.contains($0) }
        }
    }
}

/// A schema's document and JSON pointer, spelled out (`name#/json/pointer`) only when an error reports it.
struct SchemaSite: CustomStringConvertible {
    var document: String
    var pointer: [String]

    var description: String {
        let prefix = document.isEmpty ? "" : document
        return prefix + "#" + JSONPointer(pointer).description
    }
}

/// Where a subschema sits: its document (the root is "", references by their names), the JSON pointer tokens from
/// that document's root, the base URI in force, and the pointer of the innermost resource (`$id`) containing it.
struct Scope: Hashable, Sendable {
    var document: String
    var pointer: [String]
    var base: String
    var resourceRoot: [String]

    var key: String { document + "\u{1}" + pointer.joined(separator: "\u{2}") }

    func child(_ tokens: String...) -> Scope {
        var copy = self
        copy.pointer.append(contentsOf: tokens)
        return copy
    }
}

enum Dialect {
    case draft4, draft7, modern
}
