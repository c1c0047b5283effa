import JSONSupport

/// A place in one of the compiler's documents: the document's index and an escaped JSON pointer from its root.
struct Location: Hashable, Sendable {
    var doc: Int
    var pointer: String

    func appending(_ token: String) -> Location {
        Location(doc: doc, pointer: pointer + "/" + URIs.escapeToken(token))
    }
}

/// The lexical context of a subschema: its base URI, its resource and the draft it is read under.
struct Scope: Sendable {
    var base: String
    var resource: Int
    var draft: JSONSchemaDraft
    /// False under a custom meta-schema whose `$vocabulary` leaves out the validation vocabulary.
    var validationVocabulary = true
}

struct ResourceInfo {
    var base: String
    var root: Location
    var draft: JSONSchemaDraft
    var dynamicAnchors: [String: Location] = [:]
    var recursiveAnchor = false
}

/// Reads schema documents, finds their resources and anchors, and turns subschemas into `Node`s.
struct Compiler {
    let options: JSONSchemaOptions
    var limits: JSONSchemaLimits { options.limits }
    /// Documents: the root schema, then resources and meta-schemas as `$ref`s reach them.
    var docs: [JSONValue] = []
    var docNames: [String] = []
    /// Other documents by normalized absolute URI, not yet indexed.
    var external: [String: JSONValue] = [:]
    var resourceByURI: [String: Int] = [:]
    var resources: [ResourceInfo] = []
    /// "absolute-uri#anchor" → location.
    var anchors: [String: Location] = [:]
    var scopes: [Location: Scope] = [:]
    var nodeIndex: [Location: Int] = [:]
    var nodes: [Node] = []
    var filled: [Bool] = []
    var queue: [Int] = []
    var nodeLocations: [Location] = []
    var indexedCount = 0

    static func compile(
        root: JSONValue,
        resources: [String: JSONValue],
        options: JSONSchemaOptions
    ) throws(JSONSchemaError) -> Program {
        var c = Compiler(options: options)
        for (name, value) in resources {
            let uri = URIs.split(URIs.resolve(name, against: URIs.defaultBase.text)).base
            c.external[uri] = value
            if case .object(let o) = value {
                for key in ["$id", "id"] {
                    if let id = o[key]?.stringValue {
                        let idURI = URIs.split(URIs.resolve(id, against: uri)).base
                        if c.external[idURI] == nil { c.external[idURI] = value }
                    }
                }
            }
        }
        let draft = try c.draft(of: root, inherited: options.defaultDraft, pointer: "", docName: nil)
        let rootLocation = try c.addDocument(root, uri: URIs.defaultBase.text, draft: draft, name: nil)
        let rootNode = try c.node(at: rootLocation, depth: 0)
        try c.drain()
        var runtime: [ResourceRuntime] = []
        for r in c.resources {
            var anchors: [String: Int] = [:]
            for (name, loc) in r.dynamicAnchors { anchors[name] = c.nodeIndex[loc] }
            runtime.append(
                ResourceRuntime(
                    base: r.base,
                    dynamicAnchors: anchors,
                    recursiveAnchor: r.recursiveAnchor,
                    root: c.nodeIndex[r.root]
                )
            )
        }
        return Program(nodes: c.nodes, resources: runtime, root: rootNode, rootDraft: draft)
    }

    // MARK: Documents and resources

    func error(_ message: String, at location: Location) -> JSONSchemaError {
        JSONSchemaError(message: message, pointer: location.pointer, resource: docNames[location.doc].isEmpty ? nil : docNames[location.doc])
    }

    /// The draft a resource root declares with `$schema`, or `inherited`.
    func draft(of value: JSONValue, inherited: JSONSchemaDraft, pointer: String, docName: String?) throws(JSONSchemaError) -> JSONSchemaDraft {
        guard case .object(let o) = value, let declared = o["$schema"] else { return inherited }
        guard case .string(let uri) = declared else {
            throw JSONSchemaError(message: "$schema must be a string, is \(declaredKind(declared))", pointer: pointer + "/$schema", resource: docName)
        }
        if let d = JSONSchemaDraft(metaSchemaURI: uri) { return d }
        // A custom meta-schema among the resources: its own `$schema` says which draft it builds on.
        let key = URIs.split(URIs.resolve(uri, against: URIs.defaultBase.text)).base
        if let meta = external[key], case .object(let m) = meta, let metaDraft = m["$schema"]?.stringValue,
            let d = JSONSchemaDraft(metaSchemaURI: metaDraft)
        {
            return d
        }
        throw JSONSchemaError(message: "unknown $schema \(uri): not one of the drafts 4, 6, 7, 2019-09, 2020-12", pointer: pointer + "/$schema", resource: docName)
    }

    /// Whether a resource root's custom meta-schema (one among the resources, with `$vocabulary`) includes the
    /// validation vocabulary. The standard meta-schemas all do.
    func validationVocabulary(of value: JSONValue) -> Bool {
        guard case .object(let o) = value, let uri = o["$schema"]?.stringValue, JSONSchemaDraft(metaSchemaURI: uri) == nil
        else { return true }
        let key = URIs.split(URIs.resolve(uri, against: URIs.defaultBase.text)).base
        guard case .object(let meta)? = external[key], case .object(let vocabularies)? = meta["$vocabulary"] else { return true }
        return vocabularies.keys.contains { $0.hasSuffix("/vocab/validation") }
    }

    private func declaredKind(_ v: JSONValue) -> String { article(v.kindName) }

    mutating func addDocument(_ value: JSONValue, uri: String, draft: JSONSchemaDraft, name: String?) throws(JSONSchemaError) -> Location {
        docs.append(value)
        docNames.append(name ?? "")
        let location = Location(doc: docs.count - 1, pointer: "")
        let resource = newResource(base: uri, root: location, draft: draft)
        let scope = Scope(base: uri, resource: resource, draft: draft, validationVocabulary: validationVocabulary(of: value))
        try index(value, at: location, scope: scope, depth: 0, isDocumentRoot: true)
        return location
    }

    mutating func newResource(base: String, root: Location, draft: JSONSchemaDraft) -> Int {
        if let existing = resourceByURI[base] { return existing }
        resources.append(ResourceInfo(base: base, root: root, draft: draft))
        resourceByURI[base] = resources.count - 1
        return resources.count - 1
    }

    /// Records base URIs, resources and anchors of `value` and of every subschema below it.
    mutating func index(_ value: JSONValue, at location: Location, scope inherited: Scope, depth: Int, isDocumentRoot: Bool) throws(JSONSchemaError) {
        if depth > limits.maxSchemaDepth {
            throw error("schema nesting is deeper than the limit of \(limits.maxSchemaDepth)", at: location)
        }
        indexedCount += 1
        if indexedCount > limits.maxSubschemas {
            throw error("schema has more than the limit of \(limits.maxSubschemas) subschemas", at: location)
        }
        var scope = inherited
        guard case .object(let o) = value else {
            scopes[location] = scope
            return
        }
        let idKey = scope.draft.idKeyword
        let legacyRef = !scope.draft.isModern && o["$ref"] != nil
        if !legacyRef, let idValue = o[idKey] {
            guard case .string(let id) = idValue else {
                throw error("\(idKey) must be a string, is \(article(idValue.kindName))", at: location.appending(idKey))
            }
            let (base, fragment) = URIs.split(URIs.resolve(id, against: scope.base))
            if !id.hasPrefix("#") && base != scope.base {
                if isDocumentRoot {
                    resourceByURI[base] = scope.resource
                } else {
                    let d = try draft(of: value, inherited: scope.draft, pointer: location.pointer, docName: nil)
                    scope.draft = d
                    scope.validationVocabulary = validationVocabulary(of: value)
                    scope.resource = newResource(base: base, root: location, draft: d)
                }
                scope.base = base
            }
            if !fragment.isEmpty && !scope.draft.isModern {
                anchors[scope.base + "#" + fragment] = location
            }
        }
        if scope.draft.isModern {
            if let a = o["$anchor"] {
                guard case .string(let name) = a else {
                    throw error("$anchor must be a string, is \(article(a.kindName))", at: location.appending("$anchor"))
                }
                anchors[scope.base + "#" + name] = location
            }
            if scope.draft == .draft2020_12, let a = o["$dynamicAnchor"] {
                guard case .string(let name) = a else {
                    throw error("$dynamicAnchor must be a string, is \(article(a.kindName))", at: location.appending("$dynamicAnchor"))
                }
                anchors[scope.base + "#" + name] = location
                resources[scope.resource].dynamicAnchors[name] = location
            }
            if scope.draft == .draft2019_09, case .bool(true) = o["$recursiveAnchor"], resources[scope.resource].root == location {
                resources[scope.resource].recursiveAnchor = true
            }
        }
        scopes[location] = scope
        for (key, child) in subschemaLocations(o, draft: scope.draft) {
            let childLocation = key.reduce(location) { $0.appending($1) }
            try index(child, at: childLocation, scope: scope, depth: depth + 1, isDocumentRoot: false)
        }
    }

    /// The subschemas directly inside a schema object, with the pointer tokens that reach each.
    func subschemaLocations(_ o: JSONObject, draft: JSONSchemaDraft) -> [([String], JSONValue)] {
        var out: [([String], JSONValue)] = []
        var single = ["additionalProperties", "not"]
        var maps = ["properties", "patternProperties", "definitions"]
        var arrays = ["allOf", "anyOf", "oneOf"]
        if draft != .draft2020_12 { single.append("additionalItems") }
        if draft != .draft4 { single += ["contains", "propertyNames"] }
        if draft == .draft7 || draft.isModern { single += ["if", "then", "else"] }
        if draft.isModern {
            single += ["unevaluatedItems", "unevaluatedProperties", "contentSchema"]
            maps += ["$defs", "dependentSchemas"]
        } else {
            maps.append("dependencies")
        }
        if draft == .draft2020_12 {
            arrays.append("prefixItems")
            single.append("items")
        } else {
            if let items = o["items"] {
                if case .array = items { arrays.append("items") } else { single.append("items") }
            }
        }
        for m in o.members {
            if single.contains(m.key) {
                if isSchemaShaped(m.value) { out.append(([m.key], m.value)) }
            } else if maps.contains(m.key), case .object(let map) = m.value {
                for e in map.members where isSchemaShaped(e.value) { out.append(([m.key, e.key], e.value)) }
            } else if arrays.contains(m.key), case .array(let list) = m.value {
                for (i, e) in list.enumerated() where isSchemaShaped(e) { out.append(([m.key, String(i)], e)) }
            }
        }
        return out
    }

    private func isSchemaShaped(_ v: JSONValue) -> Bool {
        switch v {
        case .object, .bool: true
        default: false
        }
    }

    /// The value at an escaped JSON pointer inside a document.
    func value(at location: Location) -> JSONValue? {
        guard let tokens = URIs.pointerTokens(location.pointer) else { return nil }
        var current = docs[location.doc]
        for t in tokens {
            switch current {
            case .object(let o):
                guard let next = o[t] else { return nil }
                current = next
            case .array(let a):
                guard let i = Int(t), i >= 0, i < a.count, String(i) == t else { return nil }
                current = a[i]
            default: return nil
            }
        }
        return current
    }

    /// The scope of a location the indexer did not visit (a pointer into an unknown keyword): its nearest
    /// indexed ancestor's.
    func scope(at location: Location) -> Scope {
        if let s = scopes[location] { return s }
        var pointer = location.pointer
        while let slash = pointer.lastIndex(of: "/") {
            pointer = String(pointer[..<slash])
            if let s = scopes[Location(doc: location.doc, pointer: pointer)] { return s }
        }
        return scopes[Location(doc: location.doc, pointer: "")] ?? Scope(base: URIs.defaultBase.text, resource: 0, draft: options.defaultDraft)
    }

    // MARK: References

    /// The location a reference names, loading a resource or meta-schema document if needed.
    mutating func resolveReference(_ reference: String, scope: Scope, at location: Location) throws(JSONSchemaError) -> Location {
        let absolute = URIs.resolve(reference, against: scope.base)
        let (base, fragment) = URIs.split(absolute)
        var resource = resourceByURI[base]
        if resource == nil {
            if let doc = external[base] {
                let d = try draft(of: doc, inherited: scope.draft, pointer: "", docName: base)
                _ = try addDocument(doc, uri: base, draft: d, name: base)
            } else if let text = MetaSchemas.documents[base] {
                let doc: JSONValue
                do { doc = try JSONParser.parse(text) } catch {
                    throw self.error("the embedded meta-schema \(base) does not parse: \(error)", at: location)
                }
                let d = try draft(of: doc, inherited: scope.draft, pointer: "", docName: base)
                _ = try addDocument(doc, uri: base, draft: d, name: base)
            }
            resource = resourceByURI[base]
        }
        guard let resource else {
            throw error("$ref \(reference) names \(base), which is neither in this schema nor among its resources", at: location)
        }
        let root = resources[resource].root
        if fragment.isEmpty { return root }
        if fragment.hasPrefix("/") {
            guard URIs.pointerTokens(fragment) != nil else {
                throw error("$ref \(reference) has an invalid JSON pointer", at: location)
            }
            let target = Location(doc: root.doc, pointer: root.pointer + fragment)
            guard value(at: target) != nil else {
                throw error("$ref \(reference): nothing at \(fragment) in \(base)", at: location)
            }
            return target
        }
        if let target = anchors[base + "#" + fragment] { return target }
        throw error("$ref \(reference): no anchor \"\(fragment)\" in \(base)", at: location)
    }

    /// The node for a location, allocated now and compiled later (so reference cycles cost nothing).
    mutating func deferredNode(at location: Location) throws(JSONSchemaError) -> Int {
        if let index = nodeIndex[location] { return index }
        let index = try allocate(location)
        queue.append(index)
        return index
    }

    private mutating func allocate(_ location: Location) throws(JSONSchemaError) -> Int {
        if nodes.count >= limits.maxSubschemas {
            throw error("schema has more than the limit of \(limits.maxSubschemas) subschemas", at: location)
        }
        nodes.append(.placeholder)
        filled.append(false)
        nodeLocations.append(location)
        nodeIndex[location] = nodes.count - 1
        return nodes.count - 1
    }

    /// The node for a location, compiled now.
    mutating func node(at location: Location, depth: Int) throws(JSONSchemaError) -> Int {
        if let index = nodeIndex[location] { return index }
        let index = try allocate(location)
        try fill(index, depth: depth)
        return index
    }

    mutating func drain() throws(JSONSchemaError) {
        var usedResources = Set<Int>()
        while true {
            while let next = queue.popLast() {
                if !filled[next] { try fill(next, depth: 0) }
            }
            // Resources a dynamic reference may land in need their dynamic anchors and roots compiled.
            var more = false
            for n in nodes where !usedResources.contains(n.resource) {
                usedResources.insert(n.resource)
                let r = resources[n.resource]
                for loc in r.dynamicAnchors.values where nodeIndex[loc] == nil {
                    _ = try deferredNode(at: loc)
                    more = true
                }
                if r.recursiveAnchor, nodeIndex[r.root] == nil {
                    _ = try deferredNode(at: r.root)
                    more = true
                }
            }
            if !more && queue.isEmpty { return }
        }
    }

    private mutating func fill(_ index: Int, depth: Int) throws(JSONSchemaError) {
        filled[index] = true
        let location = nodeLocations[index]
        if depth > limits.maxSchemaDepth {
            throw error("schema nesting is deeper than the limit of \(limits.maxSchemaDepth)", at: location)
        }
        guard let value = value(at: location) else {
            throw error("no schema at this location", at: location)
        }
        let scope = scope(at: location)
        switch value {
        case .bool(let b):
            nodes[index] = Node(constant: b, keywords: [], resource: scope.resource, needsAnnotations: false)
        case .object(let o):
            var builder = KeywordBuilder(object: o, location: location, scope: scope, depth: depth)
            let keywords = try builder.build(&self)
            let needs = keywords.contains {
                if case .unevaluatedItems = $0.check { return true }
                if case .unevaluatedProperties = $0.check { return true }
                return false
            }
            nodes[index] = Node(constant: nil, keywords: keywords, resource: scope.resource, needsAnnotations: needs)
        default:
            throw error("a schema must be an object or a boolean, is \(describeKind(value))", at: location)
        }
    }
}

/// "an integer", "a number", "a string"… for messages.
func describeKind(_ v: JSONValue) -> String {
    if case .number(let n) = v { return ExactNumber(n).isInteger ? "an integer" : "a number" }
    return article(v.kindName)
}

func article(_ kind: String) -> String {
    switch kind {
    case "array", "object", "integer": "an \(kind)"
    default: "a \(kind)"
    }
}
