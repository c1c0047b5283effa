/// The validate-only walk: checks every byte against the program and builds nothing.
///
/// Datum paths are added while an error unwinds, so the success path does no allocation.
extension AvroBinaryWalker {
    /// Validates one value of node `id`; primitives are handled here, inline in the caller's loop.
    @inline(__always)
    mutating func validateValue(_ id: Int, depth: Int) throws(AvroError) {
        try validateOp(ops[id], depth: depth)
    }

    /// Validates one value described by `op`.
    @inline(__always)
    mutating func validateOp(_ op: CodecOp, depth: Int) throws(AvroError) {
        switch op.tag {
        case .null:
            return
        case .boolean:
            _ = try reader.readBoolean()
        case .int:
            _ = try reader.readInt()
        case .long:
            _ = try reader.readLong()
        case .float:
            _ = try reader.readFloat()
        case .double:
            _ = try reader.readDouble()
        case .bytes:
            let length = try reader.readLength(limit: maxLength)
            reader.offset += length
        case .string:
            try reader.skipString(limit: maxLength)
        case .enumeration:
            _ = try readEnumIndex(count: op.a)
        case .fixed:
            try checkFixed(op.a)
            reader.offset += op.a
        case .record, .union, .array, .map:
            try validateComposite(op, depth: depth &+ 1)
        }
    }

    @inline(never)
    mutating func validateComposite(_ op: CodecOp, depth: Int) throws(AvroError) {
        try checkDepth(depth)
        switch op.tag {
        case .record:
            try addValues(op.b)
            var k = op.a
            let end = op.a &+ op.b
            do {
                while k < end {
                    try validateOp(childOps[k], depth: depth)
                    k &+= 1
                }
            } catch {
                throw error.prefixingDataPath(program.childLabels[k])
            }
        case .union:
            let branch = try readBranch(count: op.b)
            let k = op.a &+ branch
            do {
                try validateOp(childOps[k], depth: depth)
            } catch {
                throw error.prefixingDataPath(program.childLabels[k])
            }
        case .array:
            let items = ops[op.a]
            var index = 0
            while true {
                let (count, end) = try readBlockHeader(total: index, itemWidth: program.minWidths[op.a])
                if count == 0 { break }
                let stop = index &+ count
                do {
                    while index < stop {
                        try validateOp(items, depth: depth)
                        index &+= 1
                    }
                } catch {
                    throw error.prefixingDataPath("[\(index)]")
                }
                try checkBlockEnd(end)
            }
        case .map:
            let values = ops[op.a]
            var index = 0
            while true {
                let (count, end) = try readBlockHeader(total: index, itemWidth: 1 &+ program.minWidths[op.a])
                if count == 0 { break }
                let stop = index &+ count
                while index < stop {
                    let key: Range<Int>
                    do {
                        key = try reader.skipString(limit: maxLength)
                    } catch {
                        throw error.prefixingDataPath("[\(index)]<key>")
                    }
                    do {
                        try validateOp(values, depth: depth)
                    } catch {
                        throw error.prefixingDataPath(mapKeyComponent(key))
                    }
                    index &+= 1
                }
                try checkBlockEnd(end)
            }
        default:
            // Primitives never reach here; `validateValue` handles them.
            return
        }
    }
}
