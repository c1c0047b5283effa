/// The state shared by the validating and decoding walks over binary input: the reader, the compiled
/// program as raw buffers (no ARC or bounds checks in the loop), the limits and the running value count.
///
/// It lives only inside the `withUnsafeBufferPointer` calls of `AvroDatumCodec`.
struct AvroBinaryWalker {
    var reader: AvroBinaryReader
    let ops: UnsafeBufferPointer<CodecOp>
    let children: UnsafeBufferPointer<Int>
    let childOps: UnsafeBufferPointer<CodecOp>
    let symbols: UnsafeBufferPointer<String>
    /// Tables consulted off the hot loop: block widths and the labels of error datum paths.
    /// Not retained: the walker lives only inside `with`, which keeps the program alive.
    unowned(unsafe) let program: CodecProgram
    let maxDepth: Int
    let maxCount: Int
    let maxLength: Int
    let maxValues: Int
    var values: Int = 0

    init(
        buffer: UnsafeRawBufferPointer,
        ops: UnsafeBufferPointer<CodecOp>,
        children: UnsafeBufferPointer<Int>,
        childOps: UnsafeBufferPointer<CodecOp>,
        symbols: UnsafeBufferPointer<String>,
        program: CodecProgram,
        limits: AvroLimits
    ) {
        self.reader = AvroBinaryReader(buffer)
        self.ops = ops
        self.children = children
        self.childOps = childOps
        self.symbols = symbols
        self.program = program
        self.maxDepth = min(max(limits.maxDepth, 0), AvroDatumCodec.depthCeiling)
        self.maxCount = max(limits.maxCollectionCount, 0)
        self.maxLength = max(limits.maxLength, 0)
        self.maxValues = max(limits.maxValues, 0)
    }

    /// Runs `body` with a walker over `buffer` for `program`, then rejects trailing bytes.
    @inline(__always)
    static func with<R>(
        _ buffer: UnsafeRawBufferPointer,
        program: CodecProgram,
        limits: AvroLimits,
        _ body: (inout AvroBinaryWalker) throws(AvroError) -> R
    ) throws(AvroError) -> R {
        var walker = AvroBinaryWalker(
            buffer: buffer,
            ops: program.opsBuffer,
            children: program.childrenBuffer,
            childOps: program.childOpsBuffer,
            symbols: program.symbolsBuffer,
            program: program,
            limits: limits
        )
        let result = try body(&walker)
        try walker.expectEnd()
        return withExtendedLifetime(program) { result }
    }

    /// Rejects bytes left after the datum.
    mutating func expectEnd() throws(AvroError) {
        if reader.offset != reader.buffer.count {
            throw AvroError(
                .invalidData,
                "\(reader.buffer.count - reader.offset) trailing bytes after the datum",
                offset: reader.offset,
                dataPath: ""
            )
        }
    }

    /// Enters one level of records, arrays, maps or unions.
    @inline(__always)
    func checkDepth(_ depth: Int) throws(AvroError) {
        if depth > maxDepth {
            throw AvroError(
                .limitExceeded,
                "datum is nested deeper than the limit of \(maxDepth)",
                offset: reader.offset
            )
        }
    }

    /// Counts `count` more values towards the datum's total.
    @inline(__always)
    mutating func addValues(_ count: Int) throws(AvroError) {
        values &+= count
        if values > maxValues {
            throw AvroError(
                .limitExceeded,
                "datum has more than the limit of \(maxValues) values",
                offset: reader.offset
            )
        }
    }

    /// Reads the header of one array or map block.
    ///
    /// Returns the number of items (0 ends the collection) and, for a block written with a negative count,
    /// the offset where the block's declared byte size says it ends (otherwise -1). `total` is the number
    /// of items already read from earlier blocks of the same collection; `itemWidth` the fewest bytes one
    /// item takes.
    @inline(__always)
    mutating func readBlockHeader(total: Int, itemWidth: Int) throws(AvroError) -> (count: Int, end: Int) {
        let start = reader.offset
        let raw = try reader.readLong()
        if raw == 0 { return (0, -1) }
        var count = raw
        var end = -1
        if raw < 0 {
            guard raw != .min else {
                throw AvroError(.limitExceeded, "block count \(raw) is out of range", offset: start)
            }
            count = -raw
            let sizeStart = reader.offset
            let size = try reader.readLong()
            guard size >= 0 else {
                throw AvroError(.invalidData, "negative block byte size \(size)", offset: sizeStart)
            }
            guard size <= Int64(reader.remaining) else {
                throw AvroError(
                    .truncatedData,
                    "block byte size \(size) is more than the \(reader.remaining) bytes left",
                    offset: sizeStart
                )
            }
            end = reader.offset + Int(truncatingIfNeeded: size)
        }
        guard count <= Int64(maxCount - total) else {
            throw AvroError(
                .limitExceeded,
                "collection has more than the limit of \(maxCount) items (block of \(count) after \(total))",
                offset: start
            )
        }
        if itemWidth > 0 && count > Int64(reader.remaining / itemWidth) {
            throw AvroError(
                .truncatedData,
                "block of \(count) items needs at least \(itemWidth) bytes each but only \(reader.remaining) are left",
                offset: start
            )
        }
        let n = Int(truncatingIfNeeded: count)
        values &+= n
        if values > maxValues {
            throw AvroError(
                .limitExceeded,
                "datum has more than the limit of \(maxValues) values",
                offset: start
            )
        }
        return (n, end)
    }

    /// Checks that a block with a declared byte size ended where it said it would.
    @inline(__always)
    func checkBlockEnd(_ end: Int) throws(AvroError) {
        if end >= 0 && reader.offset != end {
            throw AvroError(
                .invalidData,
                "block's items end at byte \(reader.offset) but its declared byte size ends it at byte \(end)",
                offset: reader.offset
            )
        }
    }

    /// A union branch index, checked against the branch count.
    @inline(__always)
    mutating func readBranch(count: Int) throws(AvroError) -> Int {
        let start = reader.offset
        let index = try reader.readLong()
        guard index >= 0, index < Int64(count) else {
            throw AvroError(
                .invalidData,
                "union branch index \(index) is out of range (the union has \(count) branches)",
                offset: start
            )
        }
        return Int(truncatingIfNeeded: index)
    }

    /// An enum symbol index, checked against the symbol count.
    @inline(__always)
    mutating func readEnumIndex(count: Int) throws(AvroError) -> Int {
        let start = reader.offset
        let index = try reader.readInt()
        guard index >= 0, Int(index) < count else {
            throw AvroError(
                .invalidData,
                "enum index \(index) is out of range (the enum has \(count) symbols)",
                offset: start
            )
        }
        return Int(index)
    }

    /// The size of a fixed value, checked against the limit and the remaining input.
    @inline(__always)
    func checkFixed(_ size: Int) throws(AvroError) {
        if size > maxLength {
            throw AvroError(
                .limitExceeded,
                "fixed size \(size) is over the limit of \(maxLength)",
                offset: reader.offset
            )
        }
        if size > reader.remaining {
            throw AvroError(
                .truncatedData,
                "fixed value needs \(size) bytes but only \(reader.remaining) are left",
                offset: reader.offset
            )
        }
    }

    /// The datum-path component of map key bytes `range` (already validated as UTF-8).
    func mapKeyComponent(_ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: reader.buffer[range])
        return AvroError.dataPathMapKey(String(decoding: raw, as: UTF8.self))
    }
}
