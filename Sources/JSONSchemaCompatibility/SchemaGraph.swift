import JSONSupport

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

    func add(_ node: SchemaNode) -> NodeID {
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

    func location(_ scope: Scope) -> SchemaSite {
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
