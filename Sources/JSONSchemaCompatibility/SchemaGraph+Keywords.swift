import JSONSupport

/// Loading one schema object: the keyword families it holds, each as a node (several make a synthetic allOf).
extension SchemaGraph {
    func buildObject(_ object: JSONObject, _ scope: Scope, depth: Int) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(scope)
        var remaining = KeywordSet(object)
        var parts: [NodeID] = []

        if let ref = object["$ref"] {
            guard let text = ref.stringValue else {
                throw .invalidSchema(location: describe(here), reason: "$ref must be a string")
            }
            let node = SchemaNode(kind: .reference)
            node.reference = text
            node.referenceScope = scope
            try applyCommon(node, object, here)
            remaining.remove("$ref")
            let refNode = add(node, at: here)
            // Before 2019-09 the keywords beside $ref are ignored; from 2019-09 on they apply too.
            guard dialect == .modern else { return refNode }
            parts.append(refNode)
        }

        if remaining.contains("enum") {
            guard let values = object["enum"]?.arrayValue else {
                throw .invalidSchema(location: describe(here), reason: "enum must be an array")
            }
            let node = SchemaNode(kind: .enumeration)
            node.enumValues = values
            parts.append(add(node, at: here))
            remaining.remove("enum")
        }

        let present = Self.combinedOrder.filter { remaining.contains($0) }
        for keyword in present {
            guard let list = object[keyword]?.arrayValue else {
                throw .invalidSchema(location: describe(here), reason: "\(keyword) must be an array")
            }
            let node = SchemaNode(kind: .combined)
            node.criterion = Criterion(rawValue: keyword) ?? .allOf
            for (index, element) in list.enumerated() {
                node.subschemas.append(try load(element, child(scope, keyword, String(index)), depth: depth + 1))
                node.subschemaJSON.append(element)
            }
            parts.append(add(node, at: here))
            remaining.remove(keyword)
        }

        if remaining.contains("not"), let inner = object["not"] {
            let node = SchemaNode(kind: .not)
            node.mustNotMatch = try load(inner, child(scope, "not"), depth: depth + 1)
            parts.append(add(node, at: here))
            remaining.remove("not")
        }

        if dialect != .draft4, remaining.contains("const"), let value = object["const"] {
            let node = SchemaNode(kind: .const)
            node.constValue = value
            parts.append(add(node, at: here))
            remaining.remove("const")
        }

        if remaining.contains("type"), let type = object["type"] {
            remaining.remove("type")
            switch type {
            case .string(let name):
                parts.append(try typed(name, object, scope, &remaining, depth: depth))
            case .array(let names):
                // One object's keywords are loaded once for each type named: with two names the same location
                // can be loaded twice, and must give the same schema.
                if names.count > 1 { indexLocations() }
                let node = SchemaNode(kind: .combined)
                node.criterion = .anyOf
                var consumed = remaining
                for name in names {
                    guard let name = name.stringValue else {
                        throw .invalidSchema(location: describe(here), reason: "type names must be strings")
                    }
                    var local = remaining
                    node.subschemas.append(try typed(name, object, scope, &local, depth: depth))
                    node.subschemaJSON.append(.string(name))
                    consumed.formIntersection(local)
                }
                remaining = consumed
                parts.append(add(node, at: here))
            default:
                throw .invalidSchema(location: describe(here), reason: "type must be a string or an array of strings")
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
            parts.append(add(node, at: here))
        }
        if !remaining.isDisjoint(with: Self.stringKeywordSet) {
            parts.append(add(try stringSchema(object, here, &remaining), at: here))
        }
        if dialect != .draft4, !remaining.isDisjoint(with: Self.conditionalKeywordSet) {
            let node = SchemaNode(kind: .conditional)
            for keyword in ["if", "then", "else"] {
                if let inner = object[keyword] {
                    node.subschemas.append(try load(inner, child(scope, keyword), depth: depth + 1))
                }
            }
            remaining.subtract(Self.conditionalKeywordSet)
            parts.append(add(node, at: here))
        }

        if parts.count == 1 {
            try applyCommon(nodes[parts[0]], object, here)
            applyUnprocessed(nodes[parts[0]], object, remaining)
            return parts[0]
        }
        let effective = SchemaNode(kind: parts.isEmpty ? .empty : .combined)
        if !parts.isEmpty {
            // Several keyword families in one object: a synthetic allOf of one schema per family.
            effective.criterion = .allOf
            effective.subschemas = parts
            effective.subschemaJSON = parts.map { .string("\u{0}synthetic\($0)") }
        }
        try applyCommon(effective, object, here)
        applyUnprocessed(effective, object, remaining)
        return add(effective, at: here)
    }

    /// A schema object of one primitive `type` and at most a string `title` and `description`, by far the commonest
    /// subschema, as `buildObject` loads it but without its keyword bookkeeping; `nil` for any other object. One
    /// node stands for every such object of one type without title and description (`plainLeaf`): a node is not
    /// changed once loaded, its site is kept by index beside it, and the comparison tells schemas apart by node
    /// index, not by node object.
    func primitiveLeaf(_ object: JSONObject) -> SchemaNode? {
        guard object.count <= 3 else { return nil }
        var typeName: String?
        var title: String?
        var description: String?
        for member in object.members {
            guard case .string(let text) = member.value else { return nil }
            switch member.key {
            case "type" where typeName == nil: typeName = text
            case "title" where title == nil: title = text
            case "description" where description == nil: description = text
            default: return nil
            }
        }
        let type: PrimitiveType
        switch typeName {
        case "string": type = .string
        case "number": type = .number
        case "integer": type = .integer
        case "boolean": type = .boolean
        case "null": type = .null
        default: return nil
        }
        if title == nil && description == nil { return plainLeaf(type) }
        let node = type.node()
        node.title = title
        node.description = description
        return node
    }

    func applyCommon(_ node: SchemaNode, _ object: JSONObject, _ here: SchemaSite) throws(JSONSchemaDiffError) {
        node.id = try optionalString(object, idKeyword, here)
        node.title = try optionalString(object, "title", here)
        node.description = try optionalString(object, "description", here)
        node.defaultValue = object["default"]
    }

    func applyUnprocessed(_ node: SchemaNode, _ object: JSONObject, _ remaining: KeywordSet) {
        if remaining.contains("connect.type") {
            node.connectType = object["connect.type"]?.stringValue
        }
        if node.kind == .array, dialect != .modern {
            if remaining.contains("maxContains") { node.maxContains = object["maxContains"]?.numberValue?.javaIntValue }
            if remaining.contains("minContains") { node.minContains = object["minContains"]?.numberValue?.javaIntValue }
        }
    }

    func optionalString(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError)
        -> String?
    {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue else {
            throw .invalidSchema(location: describe(here), reason: "\(key) must be a string")
        }
        return text
    }

    func optionalInt(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError) -> Int? {
        guard let value = object[key] else { return nil }
        guard let number = value.numberValue, let int = number.javaIntValue else {
            throw .invalidSchema(location: describe(here), reason: "\(key) must be an integer")
        }
        return int
    }

    func optionalNumber(_ object: JSONObject, _ key: String, _ here: SchemaSite) throws(JSONSchemaDiffError)
        -> JSONNumber?
    {
        guard let value = object[key] else { return nil }
        guard let number = value.numberValue else {
            throw .invalidSchema(location: describe(here), reason: "\(key) must be a number")
        }
        return number
    }

    /// Properties as loaded, with a name given twice kept once: its last occurrence, at that place.
    static func lastOfEachName(_ loaded: [(name: String, schema: NodeID)]) -> [(name: String, schema: NodeID)] {
        var kept: [(name: String, schema: NodeID)] = []
        var names: Set<String> = []
        for entry in loaded {
            if !names.insert(entry.name).inserted { kept.removeAll { $0.name == entry.name } }
            kept.append(entry)
        }
        return kept
    }

    func typed(
        _ name: String, _ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int
    ) throws(JSONSchemaDiffError) -> NodeID {
        let here = location(scope)
        switch name {
        case "string":
            return add(try stringSchema(object, here, &remaining), at: here)
        case "integer":
            let node = try numberSchema(object, here, &remaining)
            node.requiresInteger = true
            return add(node, at: here)
        case "number":
            return add(try numberSchema(object, here, &remaining), at: here)
        case "boolean":
            return add(SchemaNode(kind: .boolean), at: here)
        case "null":
            return add(SchemaNode(kind: .null), at: here)
        case "array":
            return try arraySchema(object, scope, &remaining, depth: depth)
        case "object":
            return try objectSchema(object, scope, &remaining, depth: depth)
        default:
            throw .invalidSchema(location: describe(here), reason: "unknown type: [\(name)]")
        }
    }

    func stringSchema(_ object: JSONObject, _ here: SchemaSite, _ remaining: inout KeywordSet)
        throws(JSONSchemaDiffError) -> SchemaNode
    {
        let node = SchemaNode(kind: .string)
        node.maxLength = try optionalInt(object, "maxLength", here)
        node.minLength = try optionalInt(object, "minLength", here)
        node.pattern = try optionalString(object, "pattern", here)
        remaining.subtract(Self.stringKeywordSet)
        return node
    }

    func numberSchema(_ object: JSONObject, _ here: SchemaSite, _ remaining: inout KeywordSet)
        throws(JSONSchemaDiffError) -> SchemaNode
    {
        let node = SchemaNode(kind: .number)
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

    func arraySchema(_ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int)
        throws(JSONSchemaDiffError) -> NodeID
    {
        let here = location(scope)
        let node = SchemaNode(kind: .array)
        node.maxItems = try optionalInt(object, "maxItems", here)
        node.minItems = try optionalInt(object, "minItems", here)
        node.uniqueItems = object["uniqueItems"]?.boolValue ?? false
        if dialect == .modern {
            if let prefix = object["prefixItems"] {
                guard let list = prefix.arrayValue else {
                    throw .invalidSchema(location: describe(here), reason: "prefixItems must be an array")
                }
                var ids: [NodeID] = []
                for (index, element) in list.enumerated() {
                    ids.append(try load(element, child(scope, "prefixItems", String(index)), depth: depth + 1))
                }
                node.itemSchemas = ids
            }
            if let items = object["items"] {
                switch items {
                case .bool(false): node.permitsAdditionalItems = false
                case .bool(true): break
                default:
                    let schema = try load(items, child(scope, "items"), depth: depth + 1)
                    if node.itemSchemas == nil { node.allItems = schema } else { node.additionalItemsSchema = schema }
                }
            }
            if let inner = object["unevaluatedItems"] {
                node.unevaluatedItems = try load(inner, child(scope, "unevaluatedItems"), depth: depth + 1)
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
                        ids.append(try load(element, child(scope, "items", String(index)), depth: depth + 1))
                    }
                    node.itemSchemas = ids
                } else {
                    node.allItems = try load(items, child(scope, "items"), depth: depth + 1)
                }
            }
            if let additional = object["additionalItems"] {
                switch additional {
                case .bool(let flag): node.permitsAdditionalItems = flag
                default:
                    node.additionalItemsSchema = try load(additional, child(scope, "additionalItems"), depth: depth + 1)
                }
            }
        }
        remaining.subtract(arrayKeywordSet)
        return add(node, at: here)
    }

    func objectSchema(_ object: JSONObject, _ scope: Scope, _ remaining: inout KeywordSet, depth: Int)
        throws(JSONSchemaDiffError) -> NodeID
    {
        let here = location(scope)
        let node = SchemaNode(kind: .object)
        if let properties = object["properties"] {
            guard let members = properties.objectValue else {
                throw .invalidSchema(location: describe(here), reason: "properties must be an object")
            }
            var loaded: [(name: String, schema: NodeID)] = []
            loaded.reserveCapacity(members.count)
            let propertiesScope = child(scope, "properties")
            for member in members {
                loaded.append((member.key, try load(member.value, child(propertiesScope, member.key), depth: depth + 1)))
            }
            var spreads = loaded.map { JavaHashOrder.spread($0.name) }
            if let index = PropertyIndex(distinct: loaded.map(\.name), spreads: spreads, schemas: loaded.map(\.schema)) {
                node.properties = loaded
                node.propertyIndex = index
            } else {
                node.properties = Self.lastOfEachName(loaded)
                spreads = node.properties.map { JavaHashOrder.spread($0.name) }
                node.propertyIndex = PropertyIndex(distinct: node.properties.map(\.name), spreads: spreads,
                    schemas: node.properties.map(\.schema)) ?? PropertyIndex()
            }
            let permutation = JavaHashOrder.orderIndices(spreads: spreads, capacity: 16)
            node.orderedProperties = permutation.map { (node.properties[$0].name, node.properties[$0].schema, spreads[$0]) }
        }
        if let patterns = object["patternProperties"] {
            guard let members = patterns.objectValue else {
                throw .invalidSchema(location: describe(here), reason: "patternProperties must be an object")
            }
            for member in members {
                let id = try load(member.value, child(scope, "patternProperties", member.key), depth: depth + 1)
                node.patternProperties.append((member.key, id))
            }
        }
        if let additional = object["additionalProperties"] {
            switch additional {
            case .bool(let flag): node.permitsAdditionalProperties = flag
            default:
                node.additionalPropertiesSchema = try load(
                    additional, child(scope, "additionalProperties"), depth: depth + 1)
            }
        }
        if let required = object["required"] {
            guard let list = required.arrayValue else {
                throw .invalidSchema(location: describe(here), reason: "required must be an array")
            }
            node.required = list.compactMap(\.stringValue)
        }
        node.maxProperties = try optionalInt(object, "maxProperties", here)
        node.minProperties = try optionalInt(object, "minProperties", here)
        var dependencyKeywords = ["dependencies"]
        if dialect == .modern {
            dependencyKeywords = ["dependentRequired", "dependentSchemas"]
            if let inner = object["unevaluatedProperties"] {
                node.unevaluatedProperties = try load(inner, child(scope, "unevaluatedProperties"), depth: depth + 1)
            }
        }
        for keyword in dependencyKeywords {
            guard let dependencies = object[keyword] else { continue }
            guard let members = dependencies.objectValue else {
                throw .invalidSchema(location: describe(here), reason: "\(keyword) must be an object")
            }
            for member in members {
                if let list = member.value.arrayValue {
                    node.propertyDependencies.append((member.key, list.compactMap(\.stringValue)))
                } else {
                    let id = try load(member.value, child(scope, keyword, member.key), depth: depth + 1)
                    node.schemaDependencies.append((member.key, id))
                }
            }
        }
        remaining.subtract(objectKeywordSet)
        return add(node, at: here)
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
