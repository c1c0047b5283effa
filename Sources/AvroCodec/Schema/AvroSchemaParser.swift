import JSONSupport

/// Turns schema JSON into an `AvroSchema` graph, following the Avro 1.12 specification and, where the
/// specification is silent, Apache Avro Java (which Confluent Schema Registry runs).
struct AvroSchemaParser {
    private let options: AvroParseOptions
    private var nodes: [AvroNode] = []
    private var names: [String: AvroSchema.NodeID] = [:]
    /// Nodes that stand for a name not yet defined when it was referenced (forward references).
    private var placeholders: [AvroSchema.NodeID: (written: String, candidates: [String], pointer: JSONPointer)] = [:]
    /// Unions whose branches are checked once every reference is resolved.
    private var unions: [AvroSchema.NodeID] = []
    /// The JSON and enclosing namespace each named type was defined with, to recognise identical redefinitions.
    private var definitions: [String: (object: JSONObject, namespace: String?)] = [:]

    static let primitiveNames: Set<String> = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    /// Attributes with meaning in the grammar; everything else is kept as a custom property.
    private static let reservedSchemaKeys: Set<String> = [
        "type", "name", "namespace", "doc", "aliases", "fields", "symbols", "items", "values", "size",
    ]
    private static let reservedFieldKeys: Set<String> = ["name", "type", "default", "doc", "order", "aliases"]

    init(options: AvroParseOptions) {
        self.options = options
    }

    mutating func parseDocument(_ json: JSONValue, references: [JSONValue] = []) throws(AvroError) -> AvroSchema {
        for (i, reference) in references.enumerated() {
            do {
                _ = try parseType(json: reference, namespace: nil, pointer: .root)
            } catch {
                // The pointer is into the reference document; say which one.
                var wrapped = error
                wrapped.message = "in reference \(i): \(error.message)"
                throw wrapped
            }
        }
        let root = try parseType(json: json, namespace: nil, pointer: .root)
        return try finish(root: root)
    }

    // MARK: - Types

    private mutating func add(_ node: AvroNode) throws(AvroError) -> AvroSchema.NodeID {
        if nodes.count >= options.maxNodes {
            throw AvroError(
                .limitExceeded,
                "schema has more than \(options.maxNodes) types",
                pointer: node.pointer
            )
        }
        nodes.append(node)
        return nodes.count - 1
    }

    private mutating func parseType(json: JSONValue, namespace: String?, pointer: JSONPointer)
        throws(AvroError) -> AvroSchema.NodeID
    {
        switch json {
        case .string(let name):
            return try reference(to: name, namespace: namespace, pointer: pointer)
        case .array(let branches):
            return try parseUnion(branches, namespace: namespace, pointer: pointer)
        case .object(let object):
            return try parseObject(object, namespace: namespace, pointer: pointer)
        default:
            throw .schema("a type must be a name, an object or a union array, not \(Self.withArticle(json))", at: pointer)
        }
    }

    private static func primitiveKind(_ name: String) -> AvroNode.Kind? {
        switch name {
        case "null": .null
        case "boolean": .boolean
        case "int": .int
        case "long": .long
        case "float": .float
        case "double": .double
        case "bytes": .bytes
        case "string": .string
        default: nil
        }
    }

    /// A type written as a string: a primitive, or a reference to a named type.
    private mutating func reference(to name: String, namespace: String?, pointer: JSONPointer)
        throws(AvroError) -> AvroSchema.NodeID
    {
        if let kind = Self.primitiveKind(name) {
            return try add(AvroNode(kind: kind, properties: JSONObject(), pointer: pointer))
        }
        let candidates = Self.referenceCandidates(name, namespace: namespace)
        for candidate in candidates {
            if let id = names[candidate] { return id }
        }
        if name.isEmpty || name.hasPrefix(".") || name.hasSuffix(".") {
            throw .schema("\"\(name)\" is not a valid type name", at: pointer)
        }
        // Not defined yet: it may be defined later in the document (a forward reference).
        let id = try add(AvroNode(kind: .null, properties: JSONObject(), pointer: pointer))
        placeholders[id] = (name, candidates, pointer)
        return id
    }

    private static func unknownTypeMessage(_ written: String, candidates: [String]) -> String {
        if candidates == [written] { return "unknown type \"\(written)\"" }
        return "unknown type \"\(written)\": neither " + candidates.map { "\"\($0)\"" }.joined(separator: " nor ") + " is defined"
    }

    /// A short name resolves in the enclosing namespace first, then in the null namespace (as Java does).
    private static func referenceCandidates(_ name: String, namespace: String?) -> [String] {
        if name.contains(".") { return [name] }
        if let namespace { return ["\(namespace).\(name)", name] }
        return [name]
    }

    private mutating func parseUnion(_ branches: [JSONValue], namespace: String?, pointer: JSONPointer)
        throws(AvroError) -> AvroSchema.NodeID
    {
        var ids: [AvroSchema.NodeID] = []
        for (i, branch) in branches.enumerated() {
            if case .array = branch {
                throw .schema("a union may not immediately contain another union", at: pointer.appending(i))
            }
            ids.append(try parseType(json: branch, namespace: namespace, pointer: pointer.appending(i)))
        }
        let id = try add(AvroNode(kind: .union(branches: ids), properties: JSONObject(), pointer: pointer))
        unions.append(id)
        return id
    }

    private mutating func parseObject(_ object: JSONObject, namespace: String?, pointer: JSONPointer)
        throws(AvroError) -> AvroSchema.NodeID
    {
        guard let typeValue = object["type"] else {
            throw .schema("a type object needs a \"type\" attribute", at: pointer)
        }
        guard case .string(let type) = typeValue else {
            throw .schema("\"type\" must be a string naming the type, not \(Self.withArticle(typeValue))", at: pointer.appending("type"))
        }
        let properties = Self.customProperties(object, reserved: Self.reservedSchemaKeys.union(type == "enum" ? ["default"] : []))
        switch type {
        case "record", "error":
            return try parseRecord(object, isError: type == "error", namespace: namespace, pointer: pointer, properties: properties)
        case "enum":
            return try parseEnum(object, namespace: namespace, pointer: pointer, properties: properties)
        case "fixed":
            return try parseFixed(object, namespace: namespace, pointer: pointer, properties: properties)
        case "array":
            guard let items = object["items"] else {
                throw .schema("an array type needs an \"items\" attribute", at: pointer)
            }
            let itemsID = try parseType(json: items, namespace: namespace, pointer: pointer.appending("items"))
            return try add(AvroNode(kind: .array(items: itemsID), properties: properties, pointer: pointer))
        case "map":
            guard let values = object["values"] else {
                throw .schema("a map type needs a \"values\" attribute", at: pointer)
            }
            let valuesID = try parseType(json: values, namespace: namespace, pointer: pointer.appending("values"))
            return try add(AvroNode(kind: .map(values: valuesID), properties: properties, pointer: pointer))
        default:
            if let kind = Self.primitiveKind(type) {
                var node = AvroNode(kind: kind, properties: properties, pointer: pointer)
                node.logicalType = Self.logicalType(of: node, fixedSize: nil)
                return try add(node)
            }
            // Java accepts {"type": "SomeNamedType"} as a reference to a type already defined.
            for candidate in Self.referenceCandidates(type, namespace: namespace) {
                if let id = names[candidate] { return id }
            }
            throw .schema(
                Self.unknownTypeMessage(type, candidates: Self.referenceCandidates(type, namespace: namespace)),
                at: pointer.appending("type")
            )
        }
    }

    private static func customProperties(_ object: JSONObject, reserved: Set<String>) -> JSONObject {
        JSONObject(object.members.filter { !reserved.contains($0.key) })
    }

    // MARK: - Named types

    /// Reads `name`, `namespace` and `aliases` and works out the full name as the specification says.
    private func parseName(_ object: JSONObject, enclosing namespace: String?, pointer: JSONPointer, what: String)
        throws(AvroError) -> (name: AvroName, aliases: [AvroName], doc: String?)
    {
        guard let nameValue = object["name"] else {
            throw .schema("a \(what) needs a \"name\"", at: pointer)
        }
        guard case .string(let written) = nameValue else {
            throw .schema("\"name\" must be a string", at: pointer.appending("name"))
        }
        var effectiveNamespace = namespace
        if let nsValue = object["namespace"] {
            switch nsValue {
            case .string(let ns): effectiveNamespace = ns.isEmpty ? nil : ns
            // Java reads a JSON null namespace as absent, so the enclosing namespace still applies.
            case .null: break
            default: throw .schema("\"namespace\" must be a string", at: pointer.appending("namespace"))
            }
        }
        let name: AvroName =
            written.contains(".") ? AvroName(fullName: written) : AvroName(name: written, namespace: effectiveNamespace)
        try Self.validateName(name.name, at: pointer.appending("name"), what: "name")
        if let ns = name.namespace {
            try Self.validateNamespace(ns, at: pointer.appending(written.contains(".") ? "name" : "namespace"))
        }
        if Self.primitiveNames.contains(name.fullName) {
            throw .schema(
                "\"\(name.fullName)\" is a primitive type and cannot be the name of a \(what)",
                at: pointer.appending("name")
            )
        }
        var aliases: [AvroName] = []
        if let aliasValue = object["aliases"] {
            guard case .array(let list) = aliasValue else {
                throw .schema("\"aliases\" must be an array of strings", at: pointer.appending("aliases"))
            }
            for (i, alias) in list.enumerated() {
                guard case .string(let text) = alias else {
                    throw .schema("an alias must be a string", at: pointer.appending("aliases").appending(i))
                }
                let aliasName =
                    text.contains(".") ? AvroName(fullName: text) : AvroName(name: text, namespace: name.namespace)
                try Self.validateName(aliasName.name, at: pointer.appending("aliases").appending(i), what: "alias")
                if let ns = aliasName.namespace {
                    try Self.validateNamespace(ns, at: pointer.appending("aliases").appending(i))
                }
                aliases.append(aliasName)
            }
        }
        return (name, aliases, try Self.doc(object, pointer: pointer))
    }

    private static func doc(_ object: JSONObject, pointer: JSONPointer) throws(AvroError) -> String? {
        switch object["doc"] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .schema("\"doc\" must be a string, not \(Self.withArticle(other))", at: pointer.appending("doc"))
        }
    }

    /// Java (1.12 `ParseContext.put`) accepts a second definition of a name when it equals the first. We accept
    /// one written identically in the same enclosing namespace, and reuse the first definition's node; any other
    /// second definition is an error, as the specification says.
    private func identicalDefinition(of name: AvroName, object: JSONObject, namespace: String?) -> AvroSchema.NodeID? {
        guard let id = names[name.fullName], let first = definitions[name.fullName],
            first.object == object, first.namespace == namespace
        else { return nil }
        return id
    }

    private mutating func define(
        _ name: AvroName,
        id: AvroSchema.NodeID,
        object: JSONObject,
        namespace: String?,
        pointer: JSONPointer
    ) throws(AvroError) {
        if names[name.fullName] != nil {
            throw .schema("the name \"\(name.fullName)\" is already defined", at: pointer.appending("name"))
        }
        names[name.fullName] = id
        definitions[name.fullName] = (object, namespace)
    }

    private mutating func parseRecord(
        _ object: JSONObject,
        isError: Bool,
        namespace: String?,
        pointer: JSONPointer,
        properties: JSONObject
    ) throws(AvroError) -> AvroSchema.NodeID {
        let (name, aliases, doc) = try parseName(object, enclosing: namespace, pointer: pointer, what: "record")
        if let id = identicalDefinition(of: name, object: object, namespace: namespace) { return id }
        guard let fieldsValue = object["fields"] else {
            throw .schema("record \"\(name.fullName)\" needs a \"fields\" array", at: pointer)
        }
        guard case .array(let fieldList) = fieldsValue else {
            throw .schema("\"fields\" must be an array", at: pointer.appending("fields"))
        }
        // Define the name before the fields so that fields can refer to the record itself.
        let record = AvroRecord(name: name, aliases: aliases, doc: doc, fields: [], isError: isError)
        let id = try add(AvroNode(kind: .record(record), properties: properties, pointer: pointer))
        try define(name, id: id, object: object, namespace: namespace, pointer: pointer)

        var fields: [AvroField] = []
        var seen = Set<String>()
        for (i, fieldValue) in fieldList.enumerated() {
            let fieldPointer = pointer.appending("fields").appending(i)
            let field = try parseField(fieldValue, namespace: name.namespace, pointer: fieldPointer)
            if !seen.insert(field.name).inserted {
                throw .schema("record \"\(name.fullName)\" has two fields named \"\(field.name)\"", at: fieldPointer.appending("name"))
            }
            fields.append(field)
        }
        if case .record(var r) = nodes[id].kind {
            r.fields = fields
            nodes[id].kind = .record(r)
        }
        return id
    }

    private mutating func parseField(_ json: JSONValue, namespace: String?, pointer: JSONPointer)
        throws(AvroError) -> AvroField
    {
        guard case .object(let object) = json else {
            throw .schema("a field must be an object, not \(Self.withArticle(json))", at: pointer)
        }
        guard let nameValue = object["name"] else {
            throw .schema("a field needs a \"name\"", at: pointer)
        }
        guard case .string(let name) = nameValue else {
            throw .schema("a field name must be a string, not \(Self.withArticle(nameValue))", at: pointer.appending("name"))
        }
        try Self.validateName(name, at: pointer.appending("name"), what: "field name")
        guard let typeValue = object["type"] else {
            throw .schema("field \"\(name)\" needs a \"type\"", at: pointer)
        }
        let type = try parseType(json: typeValue, namespace: namespace, pointer: pointer.appending("type"))
        var order = AvroFieldOrder.ascending
        if let orderValue = object["order"] {
            // Java upper-cases the value before matching, so "DESCENDING" is accepted too.
            guard case .string(let text) = orderValue, let parsed = AvroFieldOrder(rawValue: Self.asciiLowercased(text)) else {
                throw .schema("\"order\" must be \"ascending\", \"descending\" or \"ignore\"", at: pointer.appending("order"))
            }
            order = parsed
        }
        var aliases: [String] = []
        if let aliasValue = object["aliases"] {
            guard case .array(let list) = aliasValue else {
                throw .schema("\"aliases\" must be an array of strings", at: pointer.appending("aliases"))
            }
            for (i, alias) in list.enumerated() {
                guard case .string(let text) = alias else {
                    throw .schema("an alias must be a string", at: pointer.appending("aliases").appending(i))
                }
                aliases.append(text)
            }
        }
        return AvroField(
            name: name,
            type: type,
            defaultValue: object["default"],
            order: order,
            aliases: aliases,
            doc: try Self.doc(object, pointer: pointer),
            properties: Self.customProperties(object, reserved: Self.reservedFieldKeys),
            pointer: pointer
        )
    }

    private mutating func parseEnum(_ object: JSONObject, namespace: String?, pointer: JSONPointer, properties: JSONObject)
        throws(AvroError) -> AvroSchema.NodeID
    {
        let (name, aliases, doc) = try parseName(object, enclosing: namespace, pointer: pointer, what: "enum")
        if let id = identicalDefinition(of: name, object: object, namespace: namespace) { return id }
        guard let symbolsValue = object["symbols"] else {
            throw .schema("enum \"\(name.fullName)\" needs a \"symbols\" array", at: pointer)
        }
        guard case .array(let list) = symbolsValue else {
            throw .schema("\"symbols\" must be an array of strings, not \(Self.withArticle(symbolsValue))", at: pointer.appending("symbols"))
        }
        var symbols: [String] = []
        var seen = Set<String>()
        for (i, value) in list.enumerated() {
            let at = pointer.appending("symbols").appending(i)
            guard case .string(let symbol) = value else { throw .schema("an enum symbol must be a string", at: at) }
            try Self.validateName(symbol, at: at, what: "enum symbol")
            if !seen.insert(symbol).inserted {
                throw .schema("enum \"\(name.fullName)\" lists the symbol \"\(symbol)\" twice", at: at)
            }
            symbols.append(symbol)
        }
        var defaultSymbol: String?
        // Java reads a JSON null enum default as no default.
        if let defaultValue = object["default"], !defaultValue.isNull {
            guard case .string(let symbol) = defaultValue, seen.contains(symbol) else {
                throw .schema(
                    "the enum default \(defaultValue.serialized()) is not one of the symbols of \"\(name.fullName)\"",
                    at: pointer.appending("default")
                )
            }
            defaultSymbol = symbol
        }
        let node = AvroNode(
            kind: .enumeration(AvroEnum(name: name, aliases: aliases, doc: doc, symbols: symbols, defaultSymbol: defaultSymbol)),
            properties: properties,
            pointer: pointer
        )
        let id = try add(node)
        try define(name, id: id, object: object, namespace: namespace, pointer: pointer)
        return id
    }

    private mutating func parseFixed(_ object: JSONObject, namespace: String?, pointer: JSONPointer, properties: JSONObject)
        throws(AvroError) -> AvroSchema.NodeID
    {
        let (name, aliases, doc) = try parseName(object, enclosing: namespace, pointer: pointer, what: "fixed")
        if let id = identicalDefinition(of: name, object: object, namespace: namespace) { return id }
        guard let sizeValue = object["size"] else {
            throw .schema("fixed \"\(name.fullName)\" needs a \"size\"", at: pointer)
        }
        guard case .number(let sizeNumber) = sizeValue, let size = sizeNumber.int64Value,
            size >= 0, size <= Int64(Int32.max)
        else {
            throw .schema(
                "the size of fixed \"\(name.fullName)\" must be an integer from 0 to 2147483647, not \(sizeValue.serialized())",
                at: pointer.appending("size")
            )
        }
        var node = AvroNode(
            kind: .fixed(AvroFixed(name: name, aliases: aliases, doc: doc, size: Int(size))),
            properties: properties,
            pointer: pointer
        )
        node.logicalType = Self.logicalType(of: node, fixedSize: Int(size))
        let id = try add(node)
        try define(name, id: id, object: object, namespace: namespace, pointer: pointer)
        return id
    }

    // MARK: - Names

    /// "a string", "an object"… for messages.
    private static func withArticle(_ value: JSONValue) -> String {
        switch value {
        case .array, .object: "an \(value.kindName)"
        default: "a \(value.kindName)"
        }
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Java's default validator: a letter or `_`, then letters, digits or `_` (Unicode letters and digits).
    static func isValidName(_ name: String) -> Bool {
        var scalars = name.unicodeScalars.makeIterator()
        guard let first = scalars.next(), first == "_" || isLetter(first) else { return false }
        while let c = scalars.next() {
            guard c == "_" || isLetter(c) || c.properties.generalCategory == .decimalNumber else { return false }
        }
        return true
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func validateName(_ name: String, at pointer: JSONPointer, what: String) throws(AvroError) {
        guard isValidName(name) else {
            throw .schema(
                "\"\(name)\" is not a valid \(what): it must start with a letter or '_' and contain only letters, digits and '_'",
                at: pointer
            )
        }
    }

    private static func validateNamespace(_ namespace: String, at pointer: JSONPointer) throws(AvroError) {
        for part in namespace.split(separator: ".", omittingEmptySubsequences: false) where !isValidName(String(part)) {
            throw .schema("\"\(namespace)\" is not a valid namespace: each dotted part must be a valid name", at: pointer)
        }
    }

    // MARK: - Resolution

    /// Resolves forward references, drops their placeholder nodes, then checks unions and defaults,
    /// which need the whole graph.
    private mutating func finish(root: AvroSchema.NodeID) throws(AvroError) -> AvroSchema {
        var target: [AvroSchema.NodeID: AvroSchema.NodeID] = [:]
        let names = self.names
        for (id, placeholder) in placeholders.sorted(by: { $0.key < $1.key }) {
            guard let resolved = placeholder.candidates.lazy.compactMap({ names[$0] }).first else {
                throw .schema(Self.unknownTypeMessage(placeholder.written, candidates: placeholder.candidates), at: placeholder.pointer)
            }
            target[id] = resolved
        }
        var newIndex = [AvroSchema.NodeID](repeating: -1, count: nodes.count)
        var kept: [AvroNode] = []
        kept.reserveCapacity(nodes.count - placeholders.count)
        for (id, node) in nodes.enumerated() where placeholders[id] == nil {
            newIndex[id] = kept.count
            kept.append(node)
        }
        func map(_ id: AvroSchema.NodeID) -> AvroSchema.NodeID { newIndex[target[id] ?? id] }
        if !placeholders.isEmpty {
            for i in kept.indices {
                switch kept[i].kind {
                case .array(let items): kept[i].kind = .array(items: map(items))
                case .map(let values): kept[i].kind = .map(values: map(values))
                case .union(let branches): kept[i].kind = .union(branches: branches.map(map))
                case .record(var record):
                    for f in record.fields.indices { record.fields[f].type = map(record.fields[f].type) }
                    kept[i].kind = .record(record)
                default: break
                }
            }
        }
        let schema = AvroSchema(nodes: kept, root: map(root), namedTypes: names.mapValues { newIndex[$0] })
        for union in unions {
            try Self.checkUnion(newIndex[union], in: schema)
        }
        try Self.checkExpansionDepth(schema, limit: options.jsonLimits.maxDepth)
        if options.validateDefaults {
            try AvroDefaultValidator(schema: schema).validateAllDefaults()
        }
        return schema
    }
}
