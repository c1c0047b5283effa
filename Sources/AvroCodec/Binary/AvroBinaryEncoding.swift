/// The encoding walk: writes an `AvroValue` in the binary format, checking its shape against the program.
struct AvroBinaryEncoder: ~Copyable {
    var writer: AvroByteSink
    let ops: UnsafeBufferPointer<CodecOp>
    let children: UnsafeBufferPointer<Int>
    let symbols: UnsafeBufferPointer<String>
    /// Consulted only when building an error's datum path.
    let program: CodecProgram
    let maxDepth: Int

    /// Runs the encoder over `program`, appending to `bytes`.
    static func encode(
        _ value: AvroValue,
        program: CodecProgram,
        limits: AvroLimits,
        into bytes: inout [UInt8]
    ) throws(AvroError) {
        try program.ops.withUnsafeBufferPointer { (ops) throws(AvroError) in
            try program.children.withUnsafeBufferPointer { (children) throws(AvroError) in
                try program.symbols.withUnsafeBufferPointer { (symbols) throws(AvroError) in
                    var encoder = AvroBinaryEncoder(
                        writer: AvroByteSink(capacity: program.encodeCapacityHint),
                        ops: ops,
                        children: children,
                        symbols: symbols,
                        program: program,
                        maxDepth: min(max(limits.maxDepth, 0), AvroDatumCodec.depthCeiling)
                    )
                    do throws(AvroError) {
                        try encoder.encodeValue(value, program.root, depth: 0)
                    } catch {
                        throw error.withRootDataPath()
                    }
                    // Only a complete encoding reaches the caller's bytes.
                    bytes.append(contentsOf: encoder.writer.written)
                }
            }
        }
    }

    @inline(__always)
    mutating func encodeValue(_ value: AvroValue, _ id: Int, depth: Int) throws(AvroError) {
        let op = ops[id]
        switch op.tag {
        case .null:
            guard case .null = value else { throw mismatch(value, op) }
        case .boolean:
            guard case .boolean(let v) = value else { throw mismatch(value, op) }
            writer.writeByte(v ? 1 : 0)
        case .int:
            guard case .int(let v) = value else { throw mismatch(value, op) }
            writer.writeInt(v)
        case .long:
            guard case .long(let v) = value else { throw mismatch(value, op) }
            writer.writeLong(v)
        case .float:
            guard case .float(let v) = value else { throw mismatch(value, op) }
            writer.writeFloat(v)
        case .double:
            guard case .double(let v) = value else { throw mismatch(value, op) }
            writer.writeDouble(v)
        case .bytes:
            guard case .bytes(let v) = value else { throw mismatch(value, op) }
            writer.writeBytes(v)
        case .string:
            guard case .string(let v) = value else { throw mismatch(value, op) }
            writer.writeString(v)
        case .enumeration:
            guard case .enumeration(let index, let symbol) = value else { throw mismatch(value, op) }
            guard index >= 0, index < op.a else {
                throw AvroError(
                    .invalidValue,
                    "enum index \(index) is out of range (the enum has \(op.a) symbols)"
                )
            }
            guard symbols[op.b &+ index] == symbol else {
                throw AvroError(
                    .invalidValue,
                    "enum index \(index) is symbol '\(symbols[op.b &+ index])', not '\(symbol)'"
                )
            }
            writer.writeInt(Int32(truncatingIfNeeded: index))
        case .fixed:
            guard case .fixed(let v) = value else { throw mismatch(value, op) }
            guard v.count == op.a else {
                throw AvroError(.invalidValue, "fixed value has \(v.count) bytes, the schema says \(op.a)")
            }
            writer.writeRaw(v)
        case .record, .union, .array, .map:
            try encodeComposite(value, op, depth: depth &+ 1)
        }
    }

    @inline(never)
    mutating func encodeComposite(_ value: AvroValue, _ op: CodecOp, depth: Int) throws(AvroError) {
        if depth > maxDepth {
            throw AvroError(.limitExceeded, "value is nested deeper than the limit of \(maxDepth)")
        }
        switch op.tag {
        case .record:
            guard case .record(let fields) = value else { throw mismatch(value, op) }
            guard fields.count == op.b else {
                throw AvroError(.invalidValue, "record value has \(fields.count) fields, the schema has \(op.b)")
            }
            // Elements are borrowed through the buffer, not copied out of the array (no retain/release).
            try fields.withUnsafeBufferPointer { (fields) throws(AvroError) in
                for i in 0..<op.b {
                    let k = op.a &+ i
                    do throws(AvroError) {
                        try encodeValue(fields[i], children[k], depth: depth)
                    } catch {
                        throw error.prefixingDataPath(program.childLabels[k])
                    }
                }
            }
        case .union:
            guard case .union(let branch, let inner) = value else { throw mismatch(value, op) }
            guard branch >= 0, branch < op.b else {
                throw AvroError(
                    .invalidValue,
                    "union branch \(branch) is out of range (the union has \(op.b) branches)"
                )
            }
            let k = op.a &+ branch
            writer.writeLong(Int64(branch))
            do {
                try encodeValue(inner, children[k], depth: depth)
            } catch {
                throw error.prefixingDataPath(program.childLabels[k])
            }
        case .array:
            guard case .array(let items) = value else { throw mismatch(value, op) }
            if !items.isEmpty {
                writer.writeLong(Int64(items.count))
                try items.withUnsafeBufferPointer { (items) throws(AvroError) in
                    for i in items.indices {
                        do throws(AvroError) {
                            try encodeValue(items[i], op.a, depth: depth)
                        } catch {
                            throw error.prefixingDataPath("[\(i)]")
                        }
                    }
                }
            }
            writer.writeLong(0)
        case .map:
            guard case .map(let entries) = value else { throw mismatch(value, op) }
            if !entries.isEmpty {
                writer.writeLong(Int64(entries.count))
                try entries.withUnsafeBufferPointer { (entries) throws(AvroError) in
                    for i in entries.indices {
                        writer.writeString(entries[i].key)
                        do throws(AvroError) {
                            try encodeValue(entries[i].value, op.a, depth: depth)
                        } catch {
                            throw error.prefixingDataPath(AvroError.dataPathMapKey(entries[i].key))
                        }
                    }
                }
            }
            writer.writeLong(0)
        default:
            return
        }
    }

    @inline(never)
    func mismatch(_ value: AvroValue, _ op: CodecOp) -> AvroError {
        AvroError(.invalidValue, "expected \(op.tag.typeName), found \(value.binaryCaseName)")
    }
}

extension CodecOp.Tag {
    fileprivate var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .record: "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        }
    }
}

extension AvroValue {
    /// The case name, for error messages.
    fileprivate var binaryCaseName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .record: "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        case .union: "union"
        }
    }
}
