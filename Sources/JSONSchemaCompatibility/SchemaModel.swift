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
    var propertyIndex: [String: NodeID] = [:]
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

    func property(_ name: String) -> NodeID? { propertyIndex[name] }

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

/// The schemas of one side of a comparison (a root document and its named references) loaded into nodes.
final class SchemaGraph {
    private(set) var nodes: [SchemaNode] = []
    private var byLocation: [String: NodeID] = [:]
    private var resolvedRefs: [NodeID: NodeID] = [:]
    let documents: [String: JSONValue]
    let dialect: Dialect
    let maxDepth: Int
    private var rootBase: String = ""

    init(root: JSONValue, references: [String: JSONValue], maxDepth: Int) {
        var documents = references
        documents[""] = root
        self.documents = documents
        self.maxDepth = maxDepth
        var dialect = Dialect.draft7
        if let uri = root.objectValue?["$schema"]?.stringValue {
            let trimmed = uri.hasSuffix("#") ? String(uri.dropLast()) : uri
            switch trimmed {
            case "http://json-schema.org/draft-04/schema", "https://json-schema.org/draft-04/schema",
                "http://json-schema.org/schema", "https://json-schema.org/schema":
                dialect = .draft4
            case "http://json-schema.org/draft/2019-09/schema", "https://json-schema.org/draft/2019-09/schema",
                "http://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema":
                dialect = .modern
            default:
                dialect = .draft7
            }
        }
        self.dialect = dialect
        if let id = root.objectValue?[idKeyword]?.stringValue {
            rootBase = URIReference.resolve(base: "", id).withoutFragment
        }
    }

    /// A copy of `other` in its current state (its nodes, locations and resolved references), which then grows on
    /// its own: loading a schema once and comparing copies of it gives what loading it afresh for each comparison
    /// gives.
    init(copying other: SchemaGraph) {
        nodes = other.nodes
        byLocation = other.byLocation
        resolvedRefs = other.resolvedRefs
        documents = other.documents
        dialect = other.dialect
        maxDepth = other.maxDepth
        rootBase = other.rootBase
    }

    var idKeyword: String { dialect == .draft4 ? "id" : "$id" }

    subscript(id: NodeID) -> SchemaNode { nodes[id] }

    /// Loads the root schema.
    func loadRoot() throws(JSONSchemaDiffError) -> NodeID {
        guard let root = documents[""] else {
            throw .invalidSchema(location: "#", reason: "no root schema")
        }
        switch root {
        case .object, .bool: break
        default:
            throw .invalidSchema(location: "#", reason: "expected an object or a boolean, found \(root.kindName)")
        }
        return try load(root, Scope(document: "", pointer: [], base: rootBase, resourceRoot: []), depth: 0)
    }

    /// The schema a reference node points to (loaded on first use).
    func target(of node: NodeID) throws(JSONSchemaDiffError) -> NodeID {
        if let known = resolvedRefs[node] { return known }
        let ref = nodes[node]
        guard let reference = ref.reference, let scope = ref.referenceScope else { return node }
        let (targetScope, value) = try ReferenceResolver(graph: self).resolve(reference, from: scope)
        let target = try load(value, targetScope, depth: 0)
        resolvedRefs[node] = target
        return target
    }

    /// Follows references until a non-reference schema (a chain of references to references is followed; a
    /// reference cycle with no schema in between is an error).
    func normalized(_ id: NodeID) throws(JSONSchemaDiffError) -> NodeID {
        var current = id
        var seen: Set<NodeID> = []
        while nodes[current].kind == .reference {
            if !seen.insert(current).inserted {
                throw .invalidSchema(
                    location: nodes[current].location, reason: "the $ref chain loops without reaching a schema")
            }
            current = try target(of: current)
        }
        return current
    }

    // MARK: Loading

    private func add(_ node: SchemaNode) -> NodeID {
        nodes.append(node)
        return nodes.count - 1
    }

    func load(_ value: JSONValue, _ scope: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        let key = scope.key
        if let known = byLocation[key] { return known }
        if depth > maxDepth { throw .tooDeep(limit: maxDepth) }
        let id = try build(value, scope, depth: depth)
        byLocation[key] = id
        return id
    }

    private func location(_ scope: Scope) -> SchemaSite {
        SchemaSite(document: scope.document, pointer: scope.pointer)
    }

    private func build(_ value: JSONValue, _ outer: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(outer)
        switch value {
        case .bool(let flag):
            return add(SchemaNode(kind: flag ? .trueSchema : .falseSchema, location: here))
        case .object(let object):
            var scope = outer
            if let id = object[idKeyword]?.stringValue, !id.hasPrefix("#") {
                scope.base = URIReference.resolve(base: scope.base, id).withoutFragment
                scope.resourceRoot = scope.pointer
            }
            return try buildObject(object, scope, depth: depth)
        default:
            throw .invalidSchema(location: here.description, reason: "a schema must be an object or a boolean, not \(value.kindName)")
        }
    }

    private static let combinedOrder = JavaHashOrder.order(["allOf", "anyOf", "oneOf"], capacity: 16)

    /// The keyword families as sets (this graph's dialect), built once.
    private lazy var objectKeywordSet = objectKeywords()
    private lazy var arrayKeywordSet = arrayKeywords()
    private static let numberKeywordSet = numberKeywords
    private static let stringKeywordSet = stringKeywords
    private static let conditionalKeywordSet = ["if", "then", "else"]

    private func objectKeywords() -> [String] {
        var keywords = ["properties", "required", "minProperties", "maxProperties", "dependencies",
            "patternProperties", "additionalProperties"]
        if dialect != .draft4 { keywords.append("propertyNames") }
        if dialect == .modern {
            keywords.append(contentsOf: ["unevaluatedProperties", "dependentRequired", "dependentSchemas"])
        }
        return keywords
    }

    private func arrayKeywords() -> [String] {
        var keywords = ["items", "additionalItems", "minItems", "maxItems", "uniqueItems"]
        if dialect != .draft4 { keywords.append("contains") }
        if dialect == .modern {
            keywords.append(contentsOf: ["prefixItems", "unevaluatedItems", "maxContains", "minContains"])
        }
        return keywords
    }

    private static let numberKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
    private static let stringKeywords = ["minLength", "maxLength", "pattern", "format"]

    private func buildObject(_ object: JSONObject, _ scope: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(scope)
        var remaining = KeywordSet(object.keys)
        var parts: [NodeID] = []

        if let ref = object["$ref"] {
            guard let text = ref.stringValue else {
                throw .invalidSchema(location: here.description, reason: "$ref must be a string")
            }
            var node = SchemaNode(kind: .reference, location: here)
            node.reference = text
            node.referenceScope = scope
            try applyCommon(&node, object, here)
            remaining.remove("$ref")
            let refNode = add(node)
            // Before 2019-09 the keywords beside $ref are ignored; from 2019-09 on they apply too.
            guard dialect == .modern else { return refNode }
            parts.append(refNode)
        }

        if remaining.contains("enum") {
            guard let values = object["enum"]?.arrayValue else {
                throw .invalidSchema(location: here.description, reason: "enum must be an array")
            }
            let node = SchemaNode(kind: .enumeration, location: here)
            node.enumValues = values
            parts.append(add(node))
            remaining.remove("enum")
        }

        let present = Self.combinedOrder.filter { remaining.contains($0) }
        for keyword in present {
            guard let list = object[keyword]?.arrayValue else {
                throw .invalidSchema(location: here.description, reason: "\(keyword) must be an array")
            }
            let node = SchemaNode(kind: .combined, location: here)
            node.criterion = Criterion(rawValue: keyword) ?? .allOf
            for (index, element) in list.enumerated() {
                node.subschemas.append(try load(element, scope.child(keyword, String(index)), depth: depth + 1))
                node.subschemaJSON.append(element)
            }
            parts.append(add(node))
            remaining.remove(keyword)
        }

        if remaining.contains("not"), let inner = object["not"] {
            let node = SchemaNode(kind: .not, location: here)
            node.mustNotMatch = try load(inner, scope.child("not"), depth: depth + 1)
            parts.append(add(node))
            remaining.remove("not")
        }

        if dialect != .draft4, remaining.contains("const"), let value = object["const"] {
            let node = SchemaNode(kind: .const, location: here)
            node.constValue = value
            parts.append(add(node))
            remaining.remove("const")
        }

        if remaining.contains("type"), let type = object["type"] {
            remaining.remove("type")
            switch type {
            case .string(let name):
                parts.append(try typed(name, object, scope, &remaining, depth: depth))
            case .array(let names):
                let node = SchemaNode(kind: .combined, location: here)
                node.criterion = .anyOf
                var consumed = remaining
                for name in names {
                    guard let name = name.stringValue else {
                        throw .invalidSchema(location: here.description, reason: "type names must be strings")
                    }
                    var local = remaining
                    node.subschemas.append(try typed(name, object, scope, &local, depth: depth))
                    node.subschemaJSON.append(.string(name))
                    consumed.formIntersection(local)
                }
                remaining = consumed
                parts.append(add(node))
            default:
                throw .invalidSchema(location: here.description, reason: "type must be a string or an array of strings")
            }
        }

        // Keywords of a family without a matching type make an untyped schema of that family.
        if !remaining.isDisjoint(with: arrayKeywordSet) {
            parts.append(try arraySchema(object, scope, &remaining, depth: depth))
        }
        if !remaining.isDisjoint(with: objectKeywordSet) {
            parts.append(try objectSchema(object, scope, &remaining, depth: depth))
        }
        if !remaining.isDisjoint(with: Self.numberKeywordSet) {
            let node = try numberSchema(object, here, &remaining)
            node.kind = .number
            parts.append(add(node))
        }
        if !remaining.isDisjoint(with: Self.stringKeywordSet) {
            parts.append(add(try stringSchema(object, here, &remaining)))
        }
        if dialect != .draft4, !remaining.isDisjoint(with: Self.conditionalKeywordSet) {
            let node = SchemaNode(kind: .conditional, location: here)
            for keyword in ["if", "then", "else"] {
                if let inner = object[keyword] {
                    node.subschemas.append(try load(inner, scope.child(keyword), depth: depth + 1))
                }
            }
            remaining.subtract(Self.conditionalKeywordSet)
            parts.append(add(node))
        }

        if parts.count == 1 {
            try applyCommon(&nodes[parts[0]], object, here)
            applyUnprocessed(&nodes[parts[0]], object, remaining)
            return parts[0]
        }
        var effective = SchemaNode(kind: parts.isEmpty ? .empty : .combined, location: here)
        if !parts.isEmpty {
            // Several keyword families in one object: a synthetic allOf of one schema per family.
            effective.criterion = .allOf
            effective.subschemas = parts
            effective.subschemaJSON = parts.map { .string("\u{0}synthetic\($0)") }
        }
        try applyCommon(&effective, object, here)
        applyUnprocessed(&effective, object, remaining)
        return add(effective)
    }

    private func applyCommon(_ node: inout SchemaNode, _ object: JSONObject, _ here: SchemaSite) throws(JSONSchemaDiffError) {
        node.id = try optionalString(object, idKeyword, here)
        node.title = try optionalString(object, "title", here)
        node.description = try optionalString(object, "description", here)
        node.defaultValue = object["default"]
    }

    private func applyUnprocessed(_ node: inout SchemaNode, _ object: JSONObject, _ remaining: KeywordSet) {
        if remaining.contains("connect.type") {
            node.connectType = object["connect.type"]?.stringValue
        }
        if node.kind == .array, dialect != .modern {
            if remaining.contains("maxContains") { node.maxContains = object["maxContains"]?.numberValue?.javaIntValue }
            if remaining.contains("minContains") { node.minContains = object["minContains"]?.numberValue?.javaIntValue }
        }
    }

    private func optionalString(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError)
        -> String?
    {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue else {
            throw .invalidSchema(location: here.description, reason: "\(key) must be a string")
        }
        return text
    }

    private func optionalInt(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError) -> Int? {
        guard let value = object[key] else { return nil }
        guard let number = value.numberValue, let int = number.javaIntValue else {
            throw .invalidSchema(location: here.description, reason: "\(key) must be an integer")
        }
        return int
    }

    private func optionalNumber(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError)
        -> JSONNumber?
    {
        guard let value = object[key] else { return nil }
        guard let number = value.numberValue else {
            throw .invalidSchema(location: here.description, reason: "\(key) must be a number")
        }
        return number
    }

    private func typed(
        _ name: String, _ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int
    ) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(scope)
        switch name {
        case "string":
            return add(try stringSchema(object, here, &remaining))
        case "integer":
            let node = try numberSchema(object, here, &remaining)
            node.requiresInteger = true
            return add(node)
        case "number":
            return add(try numberSchema(object, here, &remaining))
        case "boolean":
            return add(SchemaNode(kind: .boolean, location: here))
        case "null":
            return add(SchemaNode(kind: .null, location: here))
        case "array":
            return try arraySchema(object, scope, &remaining, depth: depth)
        case "object":
            return try objectSchema(object, scope, &remaining, depth: depth)
        default:
            throw .invalidSchema(location: here.description, reason: "unknown type: [\(name)]")
        }
    }

    private func stringSchema(_ object: JSONObject, _ here: SchemaSite, _ remaining: inout KeywordSet)
        throws(JSONSchemaDiffError) -> SchemaNode
    {
        let node = SchemaNode(kind: .string, location: here)
        node.maxLength = try optionalInt(object, "maxLength", here)
        node.minLength = try optionalInt(object, "minLength", here)
        node.pattern = try optionalString(object, "pattern", here)
        remaining.subtract(Self.stringKeywordSet)
        return node
    }

    private func numberSchema(_ object: JSONObject, _ here: SchemaSite, _ remaining: inout KeywordSet)
        throws(JSONSchemaDiffError) -> SchemaNode
    {
        let node = SchemaNode(kind: .number, location: here)
        node.maximum = try optionalNumber(object, "maximum", here)
        node.minimum = try optionalNumber(object, "minimum", here)
        node.multipleOf = try optionalNumber(object, "multipleOf", here)
        // Draft 4's boolean exclusiveMaximum/Minimum only qualify maximum/minimum (everit keeps no limit for
        // them); from draft 6 on they are limits of their own.
        if let value = object["exclusiveMaximum"], case .number(let limit) = value { node.exclusiveMaximum = limit }
        if let value = object["exclusiveMinimum"], case .number(let limit) = value { node.exclusiveMinimum = limit }
        remaining.subtract(Self.numberKeywordSet)
        return node
    }

    private func arraySchema(_ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int)
        throws(JSONSchemaDiffError) -> NodeID
    {
        let here = location(scope)
        let node = SchemaNode(kind: .array, location: here)
        node.maxItems = try optionalInt(object, "maxItems", here)
        node.minItems = try optionalInt(object, "minItems", here)
        node.uniqueItems = object["uniqueItems"]?.boolValue ?? false
        if dialect == .modern {
            if let prefix = object["prefixItems"] {
                guard let list = prefix.arrayValue else {
                    throw .invalidSchema(location: here.description, reason: "prefixItems must be an array")
                }
                var ids: [NodeID] = []
                for (index, element) in list.enumerated() {
                    ids.append(try load(element, scope.child("prefixItems", String(index)), depth: depth + 1))
                }
                node.itemSchemas = ids
            }
            if let items = object["items"] {
                switch items {
                case .bool(false): node.permitsAdditionalItems = false
                case .bool(true): break
                default:
                    let schema = try load(items, scope.child("items"), depth: depth + 1)
                    if node.itemSchemas == nil { node.allItems = schema } else { node.additionalItemsSchema = schema }
                }
            }
            if let inner = object["unevaluatedItems"] {
                node.unevaluatedItems = try load(inner, scope.child("unevaluatedItems"), depth: depth + 1)
            }
            if object["contains"] != nil {
                node.minContains = try optionalInt(object, "minContains", here) ?? 1
                node.maxContains = try optionalInt(object, "maxContains", here)
            }
        } else {
            if let items = object["items"] {
                if let list = items.arrayValue {
                    var ids: [NodeID] = []
                    for (index, element) in list.enumerated() {
                        ids.append(try load(element, scope.child("items", String(index)), depth: depth + 1))
                    }
                    node.itemSchemas = ids
                } else {
                    node.allItems = try load(items, scope.child("items"), depth: depth + 1)
                }
            }
            if let additional = object["additionalItems"] {
                switch additional {
                case .bool(let flag): node.permitsAdditionalItems = flag
                default:
                    node.additionalItemsSchema = try load(additional, scope.child("additionalItems"), depth: depth + 1)
                }
            }
        }
        remaining.subtract(arrayKeywordSet)
        return add(node)
    }

    private func objectSchema(_ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int)
        throws(JSONSchemaDiffError) -> NodeID
    {
        let here = location(scope)
        let node = SchemaNode(kind: .object, location: here)
        if let properties = object["properties"] {
            guard let members = properties.objectValue else {
                throw .invalidSchema(location: here.description, reason: "properties must be an object")
            }
            node.properties.reserveCapacity(members.count)
            node.propertyIndex.reserveCapacity(members.count)
            for member in members {
                let id = try load(member.value, scope.child("properties", member.key), depth: depth + 1)
                if node.propertyIndex.updateValue(id, forKey: member.key) != nil {
                    node.properties.removeAll { $0.name == member.key }
                }
                node.properties.append((member.key, id))
            }
            let spreads = node.properties.map { JavaHashOrder.spread($0.name) }
            let permutation = JavaHashOrder.orderIndices(spreads: spreads, capacity: 16)
            node.orderedProperties = permutation.map { (node.properties[$0].name, node.properties[$0].schema, spreads[$0]) }
        }
        if let patterns = object["patternProperties"] {
            guard let members = patterns.objectValue else {
                throw .invalidSchema(location: here.description, reason: "patternProperties must be an object")
            }
            for member in members {
                let id = try load(member.value, scope.child("patternProperties", member.key), depth: depth + 1)
                node.patternProperties.append((member.key, id))
            }
        }
        if let additional = object["additionalProperties"] {
            switch additional {
            case .bool(let flag): node.permitsAdditionalProperties = flag
            default:
                node.additionalPropertiesSchema = try load(
                    additional, scope.child("additionalProperties"), depth: depth + 1)
            }
        }
        if let required = object["required"] {
            guard let list = required.arrayValue else {
                throw .invalidSchema(location: here.description, reason: "required must be an array")
            }
            node.required = list.compactMap(\.stringValue)
        }
        node.maxProperties = try optionalInt(object, "maxProperties", here)
        node.minProperties = try optionalInt(object, "minProperties", here)
        var dependencyKeywords = ["dependencies"]
        if dialect == .modern {
            dependencyKeywords = ["dependentRequired", "dependentSchemas"]
            if let inner = object["unevaluatedProperties"] {
                node.unevaluatedProperties = try load(inner, scope.child("unevaluatedProperties"), depth: depth + 1)
            }
        }
        for keyword in dependencyKeywords {
            guard let dependencies = object[keyword] else { continue }
            guard let members = dependencies.objectValue else {
                throw .invalidSchema(location: here.description, reason: "\(keyword) must be an object")
            }
            for member in members {
                if let list = member.value.arrayValue {
                    node.propertyDependencies.append((member.key, list.compactMap(\.stringValue)))
                } else {
                    let id = try load(member.value, scope.child(keyword, member.key), depth: depth + 1)
                    node.schemaDependencies.append((member.key, id))
                }
            }
        }
        remaining.subtract(objectKeywordSet)
        return add(node)
    }
}

extension JSONNumber {
    /// The value as Java's `Number.intValue()` would see it for the limits everit reads as integers.
    var javaIntValue: Int? {
        if let exact = int64Value { return Int(exact) }
        let double = doubleValue
        guard double.isFinite, double.rounded() == double, abs(double) < 9.0e18 else { return nil }
        return Int(double)
    }
}
