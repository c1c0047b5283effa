/// Array schemas: items (one schema or a tuple), additionalItems, unevaluatedItems and the item limits.
extension DiffEngine {
    func isOpenArray(_ n: SchemaNode, _ side: SideNode) -> Bool {
        guard n.permitsAdditionalItems, n.additionalItemsSchema == nil else { return false }
        guard let uneval = n.unevaluatedItems else { return true }
        return graph(side)[uneval].isEmptyLike
    }

    func partialItems(_ n: SchemaNode, _ side: SideNode) -> SideNode? {
        if let schema = n.additionalItemsSchema { return child(side, schema) }
        if n.permitsAdditionalItems, let uneval = n.unevaluatedItems {
            let kind = graph(side)[uneval].kind
            if kind != .falseSchema && kind != .empty && kind != .trueSchema { return child(side, uneval) }
        }
        return nil
    }

    mutating func compareArray(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        ctx.path.append("items")
        try compare(&ctx, child(o, on.allItems), child(u, un.allItems))
        ctx.path.removeLast()

        let originals = on.itemSchemas ?? []
        let updates = un.itemSchemas ?? []
        for index in 0..<max(originals.count, updates.count) {
            ctx.path.append("items/\(index)")
            defer { ctx.path.removeLast() }
            if index < originals.count && index < updates.count {
                try compare(&ctx, child(o, originals[index]), child(u, updates[index]))
            } else if index < originals.count {
                if isOpenArray(un, u) {
                    ctx.add("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL")
                } else if let covering = partialItems(un, u) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, child(o, originals[index]), covering)
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else if graph(o)[originals[index]].kind == .falseSchema {
                    ctx.add("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                } else {
                    ctx.add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                }
            } else {
                if isOpenArray(on, o) {
                    ctx.add(graph(u)[updates[index]].isEmptyLike
                        ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL")
                } else if let covering = partialItems(on, o) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, covering, child(u, updates[index]))
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else {
                    ctx.add("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL")
                }
            }
        }

        ctx.path.append("additionalItems")
        if on.permitsAdditionalItems != un.permitsAdditionalItems {
            ctx.add(on.permitsAdditionalItems ? "ADDITIONAL_ITEMS_REMOVED" : "ADDITIONAL_ITEMS_ADDED")
        } else if on.additionalItemsSchema == nil && un.additionalItemsSchema != nil {
            ctx.add("ADDITIONAL_ITEMS_NARROWED")
        } else if un.additionalItemsSchema == nil && on.additionalItemsSchema != nil {
            ctx.add("ADDITIONAL_ITEMS_EXTENDED")
        } else {
            try compare(&ctx, child(o, on.additionalItemsSchema), child(u, un.additionalItemsSchema))
        }
        ctx.path.removeLast()

        try compareUnevaluated(&ctx, "unevaluatedItems", "UNEVALUATED_ITEMS",
            child(o, on.unevaluatedItems), child(u, un.unevaluatedItems))

        compareLimit(&ctx, "maxItems", on.maxItems, un.maxItems, "MAX_ITEMS")
        compareLimit(&ctx, "minItems", on.minItems, un.minItems, "MIN_ITEMS")
        if on.uniqueItems != un.uniqueItems {
            ctx.add("uniqueItems", on.uniqueItems ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED")
        }
        compareLimit(&ctx, "maxContains", on.maxContains, un.maxContains, "MAX_CONTAINS")
        compareLimit(&ctx, "minContains", on.minContains, un.minContains, "MIN_CONTAINS")
    }
}
