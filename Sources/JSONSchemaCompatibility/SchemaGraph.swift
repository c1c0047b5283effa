import JSONSupport

/// A location in a `SchemaGraph`'s location tree.
typealias LocationID = Int

/// A location as its document and JSON pointer tokens: equal for one place however it was reached.
struct LocationKey: Hashable {
    var document: String
    var pointer: [String]
}

/// Every location a graph loaded a schema from or a reference pointed to, as a tree: each location is one JSON
/// pointer token below its parent, and a document's root has no parent (-1) and the document's name as its token.
/// Loading a subschema adds one location, with no string built or hashed; a pointer is spelled out only for an
/// error or a reference.
struct LocationTree {
    private var parents: [LocationID] = []
    private var tokens: [String] = []

    /// A new location `token` below `parent` (-1 for a document's root, named by `token`).
    mutating func add(_ token: String, below parent: LocationID) -> LocationID {
        parents.append(parent)
        tokens.append(token)
        return parents.count - 1
    }

    /// The document and JSON pointer tokens of a location.
    func key(of location: LocationID) -> LocationKey {
        var pointer: [String] = []
        var current = location
        while parents[current] >= 0 {
            pointer.append(tokens[current])
            current = parents[current]
        }
        return LocationKey(document: tokens[current], pointer: pointer.reversed())
    }
}

/// The schemas of one side of a comparison (a root document and its named references) loaded into nodes.
final class SchemaGraph {
    private(set) var nodes: [SchemaNode] = []
    /// Where each node was loaded, by node index: kept beside the nodes, so one node can stand for equal plain
    /// leaves loaded at several places (`plainLeaf`).
    private var sites: [SchemaSite] = []
    /// The node of each primitive type without title or description, made once per graph.
    private var plainLeaves: [SchemaNode?] = Array(repeating: nil, count: PrimitiveType.allCases.count)
    private var locations = LocationTree()
    /// The schema loaded at each place, once a place can be loaded twice: a followed reference may point anywhere,
    /// and a `type` array loads one object's keywords once per type. Until then (most schemas) no place repeats,
    /// and `loadedAt` only lists what was loaded where, to fill this index when it is needed.
    private var byLocation: [LocationKey: NodeID]?
    private var loadedAt: [(location: LocationID, node: NodeID)] = []
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
        sites = other.sites
        plainLeaves = other.plainLeaves
        locations = other.locations
        byLocation = other.byLocation
        loadedAt = other.loadedAt
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
        let location = documentRoot("")
        return try load(root, Scope(document: "", location: location, base: rootBase, resourceRoot: location), depth: 0)
    }

    /// The schema a reference node points to (loaded on first use).
    func target(of node: NodeID) throws(JSONSchemaDiffError) -> NodeID {
        if let known = resolvedRefs[node] { return known }
        let ref = nodes[node]
        guard let reference = ref.reference, let scope = ref.referenceScope else { return node }
        let (targetScope, value) = try ReferenceResolver(graph: self).resolve(reference, from: scope)
        indexLocations()
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
                    location: describe(sites[current]), reason: "the $ref chain loops without reaching a schema")
            }
            current = try target(of: current)
        }
        return current
    }

    // MARK: Loading

    /// Adds a node loaded at `site`.
    func add(_ node: SchemaNode, at site: SchemaSite) -> NodeID {
        nodes.append(node)
        sites.append(site)
        return nodes.count - 1
    }

    /// Where the node `id` was loaded (`describe` spells it out for errors).
    func site(of id: NodeID) -> SchemaSite { sites[id] }

    /// The node of a leaf of this type without title or description, one per graph.
    func plainLeaf(_ type: PrimitiveType) -> SchemaNode {
        if let known = plainLeaves[type.rawValue] { return known }
        let node = type.node()
        plainLeaves[type.rawValue] = node
        return node
    }

    /// The schema at `scope`'s location, loaded from `value` unless that place was loaded before.
    func load(_ value: JSONValue, _ scope: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        if let byLocation, let known = byLocation[key(of: scope.location)] { return known }
        if depth > maxDepth { throw .tooDeep(limit: maxDepth) }
        let id = try build(value, scope, depth: depth)
        if byLocation != nil {
            byLocation?[key(of: scope.location)] = id
        } else {
            loadedAt.append((scope.location, id))
        }
        return id
    }

    /// From now on, looks each place up before loading it (see `byLocation`).
    func indexLocations() {
        guard byLocation == nil else { return }
        var index: [LocationKey: NodeID] = [:]
        index.reserveCapacity(loadedAt.count)
        for entry in loadedAt { index[key(of: entry.location)] = entry.node }
        byLocation = index
        loadedAt = []
    }

    func location(_ scope: Scope) -> SchemaSite {
        SchemaSite(location: scope.location)
    }

    // MARK: Locations

    /// A new root location for the document `name`.
    func documentRoot(_ name: String) -> LocationID { locations.add(name, below: -1) }

    /// The scope one token below `scope`.
    func child(_ scope: Scope, _ token: String) -> Scope {
        var copy = scope
        copy.location = locations.add(token, below: scope.location)
        return copy
    }

    /// The scope two tokens below `scope` (a keyword and a name or an index).
    func child(_ scope: Scope, _ first: String, _ second: String) -> Scope {
        child(child(scope, first), second)
    }

    /// The location of `pointer` in the document `name`.
    func location(document name: String, pointer: [String]) -> LocationID {
        var location = documentRoot(name)
        for token in pointer { location = locations.add(token, below: location) }
        return location
    }

    /// The document and JSON pointer tokens of a location.
    func key(of location: LocationID) -> LocationKey { locations.key(of: location) }

    /// The JSON pointer tokens of a location, from its document's root.
    func pointer(of location: LocationID) -> [String] { key(of: location).pointer }

    /// A site as errors report it: `name#/json/pointer` (the root document has no name).
    func describe(_ site: SchemaSite) -> String {
        let key = key(of: site.location)
        return key.document + "#" + JSONPointer(key.pointer).description
    }

    private func build(_ value: JSONValue, _ outer: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(outer)
        switch value {
        case .bool(let flag):
            return add(SchemaNode(kind: flag ? .trueSchema : .falseSchema), at: here)
        case .object(let object):
            if let leaf = primitiveLeaf(object) { return add(leaf, at: here) }
            var scope = outer
            if let id = object[idKeyword]?.stringValue, !id.hasPrefix("#") {
                scope.base = URIReference.resolve(base: scope.base, id).withoutFragment
                scope.resourceRoot = scope.location
            }
            return try buildObject(object, scope, depth: depth)
        default:
            throw .invalidSchema(location: describe(here), reason: "a schema must be an object or a boolean, not \(value.kindName)")
        }
    }

    static let combinedOrder = JavaHashOrder.order(["allOf", "anyOf", "oneOf"], capacity: 16)

    /// The keyword families as sets (this graph's dialect), built once.
    lazy var objectKeywordSet = objectKeywords()
    lazy var arrayKeywordSet = arrayKeywords()
    static let numberKeywordSet = numberKeywords
    static let stringKeywordSet = stringKeywords
    static let conditionalKeywordSet = ["if", "then", "else"]

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

    static let numberKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
    static let stringKeywords = ["minLength", "maxLength", "pattern", "format"]
}
