import JSONSupport

extension AvroSchema {
    /// A form for registry identity: two schemas that mean the same to every reader and writer get the same
    /// text, whatever their whitespace, key order or namespace spelling.
    ///
    /// Unlike the Parsing Canonical Form it keeps everything a reader depends on or a person wrote on purpose:
    /// logical types, defaults, aliases, field order, docs and custom properties. Names are written in full,
    /// attributes in a fixed order, custom properties sorted by key, and each named type is defined at its
    /// first occurrence and referred to by full name after. A type in the null namespace defined inside a
    /// namespaced one gets `"namespace": ""` so that parsing the form again gives the same names.
    ///
    /// Parsing the normalized form gives a schema with the same normalized form.
    public var normalizedForm: String {
        normalizedJSON.serialized()
    }

    /// The normalized form as a JSON value.
    public var normalizedJSON: JSONValue {
        var written = Set<NodeID>()
        return normalizedJSON(root, namespace: nil, written: &written)
    }

    /// `namespace` is the namespace a name written here would be read in.
    private func normalizedJSON(_ id: NodeID, namespace: String?, written: inout Set<NodeID>) -> JSONValue {
        let node = self[id]
        if let name = node.name, !written.insert(id).inserted {
            return .string(name.fullName)
        }
        var object = JSONObject()
        switch node.kind {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            if node.properties.isEmpty { return .string(node.typeName) }
            object["type"] = .string(node.typeName)
        case .union(let branches):
            return .array(branches.map { normalizedJSON($0, namespace: namespace, written: &written) })
        case .array(let items):
            object["type"] = .string("array")
            object["items"] = normalizedJSON(items, namespace: namespace, written: &written)
        case .map(let values):
            object["type"] = .string("map")
            object["values"] = normalizedJSON(values, namespace: namespace, written: &written)
        case .record(let record):
            Self.writeNameAttributes(
                &object, type: node.typeName, name: record.name, enclosing: namespace, aliases: record.aliases, doc: record.doc)
            var fields: [JSONValue] = []
            for field in record.fields {
                var f = JSONObject()
                f["name"] = .string(field.name)
                f["type"] = normalizedJSON(field.type, namespace: record.name.namespace, written: &written)
                if let doc = field.doc { f["doc"] = .string(doc) }
                if let value = field.defaultValue { f["default"] = value.sortedKeysDeep }
                if field.order != .ascending { f["order"] = .string(field.order.rawValue) }
                if !field.aliases.isEmpty { f["aliases"] = .array(field.aliases.sorted().map(JSONValue.string)) }
                for member in field.properties.sortedMembers { f[member.key] = member.value.sortedKeysDeep }
                fields.append(.object(f))
            }
            object["fields"] = .array(fields)
        case .enumeration(let e):
            Self.writeNameAttributes(&object, type: "enum", name: e.name, enclosing: namespace, aliases: e.aliases, doc: e.doc)
            object["symbols"] = .array(e.symbols.map(JSONValue.string))
            if let symbol = e.defaultSymbol { object["default"] = .string(symbol) }
        case .fixed(let fixed):
            Self.writeNameAttributes(
                &object, type: "fixed", name: fixed.name, enclosing: namespace, aliases: fixed.aliases, doc: fixed.doc)
            object["size"] = .integer(fixed.size)
        }
        for member in node.properties.sortedMembers { object[member.key] = member.value.sortedKeysDeep }
        return .object(object)
    }

    private static func writeNameAttributes(
        _ object: inout JSONObject,
        type: String,
        name: AvroName,
        enclosing: String?,
        aliases: [AvroName],
        doc: String?
    ) {
        object["type"] = .string(type)
        object["name"] = .string(name.fullName)
        if name.namespace == nil, enclosing != nil { object["namespace"] = .string("") }
        if let doc { object["doc"] = .string(doc) }
        if !aliases.isEmpty {
            // An alias in the null namespace of a namespaced type is written ".Name" (as Java reads it), since a
            // bare name would be read in the type's namespace.
            let written = aliases.map { $0.namespace == nil && name.namespace != nil ? "." + $0.name : $0.fullName }
            object["aliases"] = .array(written.sorted().map(JSONValue.string))
        }
    }
}

extension JSONValue {
    /// The same value with every object's members sorted by key, at every depth.
    var sortedKeysDeep: JSONValue {
        switch self {
        case .object(let object):
            .object(JSONObject(object.sortedMembers.map { JSONMember($0.key, $0.value.sortedKeysDeep) }))
        case .array(let elements):
            .array(elements.map(\.sortedKeysDeep))
        default:
            self
        }
    }
}
