import ECMARegex

/// Object schemas: required, properties (open, closed and partially open content models), dependencies,
/// additionalProperties, unevaluatedProperties and the property-count limits.
extension DiffEngine {
    func isOpenObject(_ n: SchemaNode, _ side: SideNode) -> Bool {
        guard n.permitsAdditionalProperties, n.additionalPropertiesSchema == nil, n.patternProperties.isEmpty else {
            return false
        }
        guard let uneval = n.unevaluatedProperties else { return true }
        return graph(side)[uneval].isEmptyLike
    }

    mutating func regex(_ pattern: String, _ location: @autoclosure () -> String) throws(JSONSchemaDiffError)
        -> ECMARegex
    {
        if let known = regexes[pattern] { return known }
        do {
            let compiled = try ECMARegex(pattern)
            regexes[pattern] = compiled
            return compiled
        } catch {
            throw .invalidSchema(location: location(), reason: "patternProperties has an invalid regex '\(pattern)'")
        }
    }

    mutating func partialSchema(_ n: SchemaNode, _ side: SideNode, property: String) throws(JSONSchemaDiffError)
        -> SideNode?
    {
        let sideGraph = graph(side)
        for entry in n.patternProperties {
            let compiled = try regex(entry.pattern, sideGraph.describe(sideGraph.site(of: side.id)))
            let matched: Bool
            do {
                matched = try compiled.matches(property)
            } catch {
                throw .invalidSchema(location: sideGraph.describe(sideGraph.site(of: side.id)), reason: "patternProperties '\(entry.pattern)' cannot be matched: \(error.message)")
            }
            if matched { return child(side, entry.schema) }
        }
        if let schema = n.additionalPropertiesSchema { return child(side, schema) }
        if n.permitsAdditionalProperties, let uneval = n.unevaluatedProperties {
            let kind = graph(side)[uneval].kind
            if kind != .falseSchema && kind != .empty && kind != .trueSchema { return child(side, uneval) }
        }
        return nil
    }

    func hasDefault(_ side: SideNode, _ id: NodeID) -> Bool { graph(side)[id].defaultValue != nil }

    mutating func compareObject(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        // The original's properties in its Java order with the update's schema for each, then the update's
        // properties the original lacks (each name looked up once).
        let common = on.orderedProperties.map { (entry: $0, update: un.property($0.name, spread: $0.spread)) }
        let added = un.orderedProperties.filter { on.property($0.name, spread: $0.spread) == nil }
        // required
        ctx.path.append("required")
        for item in common {
            guard let schema = item.update else { continue }
            let name = item.entry.name
            let wasRequired = on.isRequired(name)
            let isRequired = un.isRequired(name)
            if wasRequired && !isRequired {
                ctx.add(name, "REQUIRED_ATTRIBUTE_REMOVED")
            } else if !wasRequired && isRequired {
                ctx.add(name, hasDefault(u, schema) ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED")
            }
        }
        ctx.path.removeLast()

        // properties: `new HashSet<>(original names)` then `addAll(update names)`.
        ctx.path.append("properties")
        let spreads = common.map(\.entry.spread) + added.map(\.spread)
        let order = JavaHashOrder.orderIndices(spreads: spreads, capacity: JavaHashOrder.unionCapacity(common.count))
        for index in order {
            let name: String
            let originalSchema: NodeID?
            let updateSchema: NodeID?
            if index < common.count {
                name = common[index].entry.name
                originalSchema = common[index].entry.schema
                updateSchema = common[index].update
            } else {
                name = added[index - common.count].name
                originalSchema = nil
                updateSchema = added[index - common.count].schema
            }
            ctx.path.append(name)
            defer { ctx.path.removeLast() }
            if let originalSchema, updateSchema == nil {
                if isOpenObject(un, u) {
                    ctx.add("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL")
                } else if let covering = try partialSchema(un, u, property: name) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, child(o, originalSchema), covering)
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else if graph(o)[originalSchema].kind == .falseSchema {
                    ctx.add("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                } else {
                    ctx.add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                }
            } else if let updateSchema, originalSchema == nil {
                let required = un.isRequired(name)
                if isOpenObject(on, o) {
                    if graph(u)[updateSchema].isEmptyLike {
                        ctx.add("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL")
                    } else if required {
                        ctx.add(hasDefault(u, updateSchema)
                            ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                            : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
                    } else {
                        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
                    }
                } else {
                    if let covering = try partialSchema(on, o, property: name) {
                        var sub = DiffContext(path: ctx.path)
                        try compare(&sub, covering, child(u, updateSchema))
                        ctx.diffs += sub.diffs
                        ctx.add(isCompatible(sub)
                            ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                            : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                    }
                    if required {
                        ctx.add(hasDefault(u, updateSchema)
                            ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
                            : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")
                    } else {
                        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")
                    }
                }
            } else {
                try compare(&ctx, child(o, originalSchema), child(u, updateSchema))
            }
        }
        ctx.path.removeLast()

        // dependencies
        ctx.path.append("dependencies")
        let dependencyNames = JavaHashOrder.unionOrder(
            JavaHashOrder.mapOrder(on.propertyDependencies.map(\.name)),
            JavaHashOrder.mapOrder(un.propertyDependencies.map(\.name)))
        for name in dependencyNames {
            let before = on.propertyDependencies.first { $0.name == name }.map { Set($0.requires) }
            let after = un.propertyDependencies.first { $0.name == name }.map { Set($0.requires) }
            if after == nil {
                ctx.add(name, "DEPENDENCY_ARRAY_REMOVED")
            } else if before == nil {
                ctx.add(name, "DEPENDENCY_ARRAY_ADDED")
            } else if let before, let after, before != after {
                if after.isSuperset(of: before) {
                    ctx.add(name, "DEPENDENCY_ARRAY_EXTENDED")
                } else if before.isSuperset(of: after) {
                    ctx.add(name, "DEPENDENCY_ARRAY_NARROWED")
                } else {
                    ctx.add(name, "DEPENDENCY_ARRAY_CHANGED")
                }
            }
        }
        let schemaDependencyNames = JavaHashOrder.unionOrder(
            JavaHashOrder.mapOrder(on.schemaDependencies.map(\.name)),
            JavaHashOrder.mapOrder(un.schemaDependencies.map(\.name)))
        for name in schemaDependencyNames {
            let before = on.schemaDependencies.first { $0.name == name }?.schema
            let after = un.schemaDependencies.first { $0.name == name }?.schema
            if after == nil {
                ctx.add(name, "DEPENDENCY_SCHEMA_REMOVED")
            } else if before == nil {
                ctx.add(name, "DEPENDENCY_SCHEMA_ADDED")
            } else {
                ctx.path.append(name)
                try compare(&ctx, child(o, before), child(u, after))
                ctx.path.removeLast()
            }
        }
        ctx.path.removeLast()

        // additionalProperties
        ctx.path.append("additionalProperties")
        if on.permitsAdditionalProperties != un.permitsAdditionalProperties {
            ctx.add(un.permitsAdditionalProperties ? "ADDITIONAL_PROPERTIES_ADDED" : "ADDITIONAL_PROPERTIES_REMOVED")
        } else if on.additionalPropertiesSchema == nil && un.additionalPropertiesSchema != nil {
            ctx.add("ADDITIONAL_PROPERTIES_NARROWED")
        } else if un.additionalPropertiesSchema == nil && on.additionalPropertiesSchema != nil {
            ctx.add("ADDITIONAL_PROPERTIES_EXTENDED")
        } else {
            try compare(&ctx, child(o, on.additionalPropertiesSchema), child(u, un.additionalPropertiesSchema))
        }
        ctx.path.removeLast()

        try compareUnevaluated(&ctx, "unevaluatedProperties", "UNEVALUATED_PROPERTIES",
            child(o, on.unevaluatedProperties), child(u, un.unevaluatedProperties))

        compareLimit(&ctx, "maxProperties", on.maxProperties, un.maxProperties, "MAX_PROPERTIES")
        compareLimit(&ctx, "minProperties", on.minProperties, un.minProperties, "MIN_PROPERTIES")
    }

    mutating func compareUnevaluated(
        _ ctx: inout DiffContext, _ keyword: String, _ prefix: String, _ a: SideNode?, _ b: SideNode?
    ) throws(JSONSchemaDiffError) {
        if a == nil && b == nil { return }
        ctx.path.append(keyword)
        defer { ctx.path.removeLast() }
        let aKind = a.map { node($0).kind }
        let bKind = b.map { node($0).kind }
        let aEmpty = aKind == .empty || aKind == .trueSchema
        let bEmpty = bKind == .empty || bKind == .trueSchema
        if a == nil {
            ctx.add(prefix + (bKind == .falseSchema ? "_REMOVED" : "_NARROWED"))
        } else if b == nil {
            ctx.add(prefix + (aKind == .falseSchema ? "_ADDED" : "_EXTENDED"))
        } else if aKind == .falseSchema && bKind != .falseSchema {
            ctx.add(prefix + "_ADDED")
        } else if aKind != .falseSchema && bKind == .falseSchema {
            ctx.add(prefix + "_REMOVED")
        } else if aEmpty && !bEmpty {
            ctx.add(prefix + "_NARROWED")
        } else if !aEmpty && bEmpty {
            ctx.add(prefix + "_EXTENDED")
        } else {
            try compare(&ctx, a, b)
        }
    }
}
