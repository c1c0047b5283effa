import JSONSupport

/// Whole-graph checks and logical-type interpretation, split from the parser for size.
extension AvroSchemaParser {
    // MARK: - Logical types

    /// Interprets `logicalType` as Java's `LogicalTypes.fromSchemaIgnoreInvalid` does: an unknown or invalid
    /// logical type is ignored and the node stays its underlying type.
    static func logicalType(of node: AvroNode, fixedSize: Int?) -> AvroLogicalType? {
        guard case .string(let name)? = node.properties["logicalType"] else { return nil }
        switch (name, node.kind) {
        case ("decimal", .bytes), ("decimal", .fixed):
            guard case .number(let p)? = node.properties["precision"], let precision = p.int64Value, precision > 0,
                precision <= Int64(Int32.max)
            else { return nil }
            var scale: Int64 = 0
            if let scaleValue = node.properties["scale"] {
                guard case .number(let s) = scaleValue, let parsed = s.int64Value else { return nil }
                scale = parsed
            }
            guard scale >= 0, scale <= precision else { return nil }
            if let fixedSize {
                let maxPrecision = Int64((Double(8 * fixedSize - 1) * 0.3010299956639812).rounded(.down))
                guard precision <= maxPrecision else { return nil }
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        case ("big-decimal", .bytes): return .bigDecimal
        case ("uuid", .string): return .uuid
        case ("uuid", .fixed) where fixedSize == 16: return .uuid
        case ("date", .int): return .date
        case ("time-millis", .int): return .timeMillis
        case ("time-micros", .long): return .timeMicros
        case ("timestamp-millis", .long): return .timestampMillis
        case ("timestamp-micros", .long): return .timestampMicros
        case ("timestamp-nanos", .long): return .timestampNanos
        case ("local-timestamp-millis", .long): return .localTimestampMillis
        case ("local-timestamp-micros", .long): return .localTimestampMicros
        case ("local-timestamp-nanos", .long): return .localTimestampNanos
        case ("duration", .fixed) where fixedSize == 12: return .duration
        default: return nil
        }
    }

    // MARK: - Graph checks

    /// The canonical and normalized forms write each named type in full at its first occurrence in depth-first
    /// order, recursively. Forward references can make that expansion much deeper than the document itself, so
    /// bound it here (iteratively, visiting nodes in the same order) rather than overflow the stack later.
    static func checkExpansionDepth(_ schema: AvroSchema, limit: Int) throws(AvroError) {
        var expanded = Set<AvroSchema.NodeID>()
        var stack: [(id: AvroSchema.NodeID, depth: Int)] = [(schema.root, 1)]
        while let (id, depth) = stack.popLast() {
            let node = schema[id]
            if node.name != nil, !expanded.insert(id).inserted { continue }
            if depth > limit {
                throw AvroError(
                    .limitExceeded,
                    "types nest more than \(limit) deep once named types are expanded where first used",
                    pointer: node.pointer
                )
            }
            var children: [AvroSchema.NodeID] = []
            switch node.kind {
            case .array(let items): children = [items]
            case .map(let values): children = [values]
            case .union(let branches): children = branches
            case .record(let record): children = record.fields.map(\.type)
            default: break
            }
            for child in children.reversed() { stack.append((child, depth + 1)) }
        }
    }

    static func checkUnion(_ id: AvroSchema.NodeID, in schema: AvroSchema) throws(AvroError) {
        guard case .union(let branches) = schema[id].kind else { return }
        var seen = Set<String>()
        for (i, branch) in branches.enumerated() {
            let node = schema[branch]
            if case .union = node.kind {
                throw .schema("a union may not immediately contain another union", at: schema[id].pointer.appending(i))
            }
            if !seen.insert(node.unionKey).inserted {
                throw .schema("the union contains \"\(node.unionKey)\" more than once", at: schema[id].pointer.appending(i))
            }
        }
    }
}
