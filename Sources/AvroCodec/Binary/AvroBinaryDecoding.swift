/// The decoding walk: the same checks as validation, building an `AvroValue`.
extension AvroBinaryWalker {
    @inline(__always)
    mutating func decodeValue(_ id: Int, depth: Int) throws(AvroError) -> AvroValue {
        let op = ops[id]
        switch op.tag {
        case .null:
            return .null
        case .boolean:
            return .boolean(try reader.readBoolean())
        case .int:
            return .int(try reader.readInt())
        case .long:
            return .long(try reader.readLong())
        case .float:
            return .float(try reader.readFloat())
        case .double:
            return .double(try reader.readDouble())
        case .bytes:
            let length = try reader.readLength(limit: maxLength)
            return .bytes(try reader.readBytes(length))
        case .string:
            // One UTF-8 validation: the standard library's, while building the String.
            return .string(try reader.readString(limit: maxLength))
        case .enumeration:
            let index = try readEnumIndex(count: op.a)
            return .enumeration(index: index, symbol: symbols[op.b &+ index])
        case .fixed:
            try checkFixed(op.a)
            return .fixed(try reader.readBytes(op.a))
        case .record, .union, .array, .map:
            return try decodeComposite(op, depth: depth &+ 1)
        }
    }

    @inline(never)
    mutating func decodeComposite(_ op: CodecOp, depth: Int) throws(AvroError) -> AvroValue {
        try checkDepth(depth)
        switch op.tag {
        case .record:
            try addValues(op.b)
            var fields: [AvroValue] = []
            fields.reserveCapacity(op.b)
            var k = op.a
            let end = op.a &+ op.b
            while k < end {
                do {
                    fields.append(try decodeValue(children[k], depth: depth))
                } catch {
                    throw error.prefixingDataPath(program.childLabels[k])
                }
                k &+= 1
            }
            return .record(fields)
        case .union:
            let branch = try readBranch(count: op.b)
            let k = op.a &+ branch
            do {
                return .union(branch: branch, value: try decodeValue(children[k], depth: depth))
            } catch {
                throw error.prefixingDataPath(program.childLabels[k])
            }
        case .array:
            var items: [AvroValue] = []
            var index = 0
            while true {
                let (count, end) = try readBlockHeader(total: index, itemWidth: program.minWidths[op.a])
                if count == 0 { break }
                // Never reserve more than the input could fill: zero-byte items grow the array as they come.
                items.reserveCapacity(index &+ min(count, reader.remaining))
                let stop = index &+ count
                while index < stop {
                    do {
                        items.append(try decodeValue(op.a, depth: depth))
                    } catch {
                        throw error.prefixingDataPath("[\(index)]")
                    }
                    index &+= 1
                }
                try checkBlockEnd(end)
            }
            return .array(items)
        case .map:
            var entries: [AvroMapEntry] = []
            var index = 0
            while true {
                let (count, end) = try readBlockHeader(total: index, itemWidth: 1 &+ program.minWidths[op.a])
                if count == 0 { break }
                entries.reserveCapacity(index &+ min(count, reader.remaining))
                let stop = index &+ count
                while index < stop {
                    let key: String
                    do {
                        key = try reader.readString(limit: maxLength)
                    } catch {
                        throw error.prefixingDataPath("[\(index)]<key>")
                    }
                    do {
                        entries.append(AvroMapEntry(key, try decodeValue(op.a, depth: depth)))
                    } catch {
                        throw error.prefixingDataPath(AvroError.dataPathMapKey(key))
                    }
                    index &+= 1
                }
                try checkBlockEnd(end)
            }
            return .map(AvroMapEntry.lastValuePerKey(entries))
        default:
            // Primitives never reach here; `decodeValue` handles them.
            return .null
        }
    }
}
