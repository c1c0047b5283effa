import JSONSupport

/// Reads Avro binary data written with one schema (the writer's) as values of another (the reader's), following
/// the specification's "Schema Resolution" rules.
///
/// The rules, as compiled once in `init`:
/// - Promotions: int → long, float, double; long → float, double; float → double; string ↔ bytes (bytes read as
///   a string must be valid UTF-8).
/// - Records match by unqualified name or when a reader alias is the writer's full name (Java does not check
///   record names; the specification does, and so do we). Reader fields are matched to writer fields by name,
///   then by the reader field's aliases. Writer fields the reader lacks are read and checked, then dropped.
///   Reader fields the writer lacks take their default, converted with `AvroSchema.value(fromDefault:type:)`;
///   one without a default makes the pair unresolvable.
/// - Enums and fixed match by name like records; fixed sizes must be equal. Enum symbols are resolved by name;
///   a writer symbol the reader lacks becomes the reader's enum default, or, without one, a decode-time
///   `.unresolvable` error naming the symbol (only data that uses the symbol fails, as in Java).
/// - Two `decimal`s must have equal precision and scale (the specification's rule; Java ignores logical types).
/// - A writer union reads its selected branch against the reader; a branch the reader cannot read fails at
///   decode time, when data selects it, as the specification says. Only when no branch is readable does `init`
///   fail. A non-union writer read into a reader union takes the first branch of the same type (for named types,
///   the same full name), else the first named branch matching by unqualified name or alias, else the first
///   branch reachable by promotion.
/// - Arrays and maps resolve their items and values; recursive schemas compile to cycles.
public struct AvroResolvingDecoder: Sendable {
    /// The schema the data was written with.
    public let writer: AvroSchema
    /// The schema the decoded values are shaped by.
    public let reader: AvroSchema
    let limits: AvroLimits
    let plan: AvroResolutionPlan

    /// Compiles the resolution of `writer` into `reader`.
    ///
    /// - Throws: `.unresolvable` with a message and a JSON pointer into the reader schema when the reader cannot
    ///   read what the writer writes.
    public init(writer: AvroSchema, reader: AvroSchema, limits: AvroLimits = .default) throws(AvroError) {
        self.writer = writer
        self.reader = reader
        self.limits = limits
        var compiler = AvroResolutionCompiler(writer: writer, reader: reader)
        self.plan = try compiler.compileRoot()
    }

    /// Decodes one datum written with `writer`; the result is shaped by `reader`. Trailing bytes are an error.
    ///
    /// - Throws: `.truncatedData`, `.invalidData`, `.limitExceeded`, or `.unresolvable` (a writer union branch or
    ///   enum symbol the reader cannot take), each with the byte offset and the datum path.
    public func decode(_ bytes: [UInt8]) throws(AvroError) -> AvroValue {
        let result: Result<AvroValue, AvroError> = bytes.withUnsafeBytes { buffer in
            var execution = AvroResolvingExecution(plan: plan, limits: limits, reader: AvroBinaryReader(buffer))
            do throws(AvroError) {
                let value = try execution.read(plan.root, depth: 0)
                guard execution.reader.isAtEnd else {
                    return .failure(
                        AvroError(
                            .invalidData,
                            "\(execution.reader.remaining) bytes are left after the datum",
                            offset: execution.reader.offset,
                            dataPath: ""
                        )
                    )
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Runs a plan over one buffer.
struct AvroResolvingExecution {
    let plan: AvroResolutionPlan
    let limits: AvroLimits
    var reader: AvroBinaryReader
    private var values = 0

    init(plan: AvroResolutionPlan, limits: AvroLimits, reader: AvroBinaryReader) {
        self.plan = plan
        self.limits = limits
        self.reader = reader
    }

    private func failure(_ code: AvroError.Code, _ message: String, at offset: Int? = nil) -> AvroError {
        AvroError(code, message, offset: offset ?? reader.offset, dataPath: "")
    }

    private mutating func enter(_ depth: Int) throws(AvroError) {
        if depth > limits.maxDepth {
            throw failure(.limitExceeded, "datum nests more than \(limits.maxDepth) levels")
        }
        values += 1
        if values > limits.maxValues {
            throw failure(.limitExceeded, "datum has more than \(limits.maxValues) values")
        }
    }

    /// Reads one value following step `index`.
    mutating func read(_ index: Int, depth: Int) throws(AvroError) -> AvroValue {
        try enter(depth)
        switch plan.steps[index] {
        case .pending:
            throw failure(.unresolvable, "internal error: incomplete resolution plan")
        case .fail(let error):
            var located = error
            located.offset = reader.offset
            located.dataPath = ""
            throw located
        case .null: return .null
        case .boolean: return .boolean(try reader.readBoolean())
        case .int: return .int(try reader.readInt())
        case .long: return .long(try reader.readLong())
        case .float: return .float(try reader.readFloat())
        case .double: return .double(try reader.readDouble())
        case .bytes: return .bytes(try readBytes())
        case .string: return .string(try reader.readString(limit: limits.maxLength))
        case .promote(let promotion):
            switch promotion {
            case .intToLong: return .long(Int64(try reader.readInt()))
            case .intToFloat: return .float(Float(try reader.readInt()))
            case .intToDouble: return .double(Double(try reader.readInt()))
            case .longToFloat: return .float(Float(try reader.readLong()))
            case .longToDouble: return .double(Double(try reader.readLong()))
            case .floatToDouble: return .double(Double(try reader.readFloat()))
            case .stringToBytes: return .bytes(try readBytes())
            case .bytesToString: return .string(try reader.readString(limit: limits.maxLength))
            }
        case .fixed(let size):
            if size > limits.maxLength {
                throw failure(.limitExceeded, "fixed of \(size) bytes is over the limit of \(limits.maxLength)")
            }
            return .fixed(try reader.readBytes(size))
        case .enumeration(let writerName, let readerName, let targets):
            let start = reader.offset
            let writerIndex = try reader.readInt()
            guard writerIndex >= 0, Int(writerIndex) < targets.count else {
                throw failure(.invalidData, "enum index \(writerIndex) is out of range for \(writerName)", at: start)
            }
            switch targets[Int(writerIndex)] {
            case .symbol(let index, let symbol):
                return .enumeration(index: index, symbol: symbol)
            case .unknown(let symbol):
                throw failure(
                    .unresolvable,
                    "writer symbol \"\(symbol)\" of \(writerName) is not in reader enum \(readerName), which has no default",
                    at: start
                )
            }
        case .array(let items):
            var elements: [AvroValue] = []
            try readBlocks(collection: "array") { (this: inout Self, i: Int) throws(AvroError) in
                do throws(AvroError) {
                    elements.append(try this.read(items, depth: depth + 1))
                } catch {
                    throw error.prefixingDataPath("[\(i)]")
                }
            }
            return .array(elements)
        case .map(let valuesStep):
            var entries: [AvroMapEntry] = []
            try readBlocks(collection: "map") { (this: inout Self, _: Int) throws(AvroError) in
                let key = try this.reader.readString(limit: this.limits.maxLength)
                do throws(AvroError) {
                    entries.append(AvroMapEntry(key, try this.read(valuesStep, depth: depth + 1)))
                } catch {
                    throw error.prefixingDataPath(AvroError.dataPathMapKey(key))
                }
            }
            return .map(AvroMapEntry.lastValuePerKey(entries))
        case .record(let record):
            var fields = record.template
            for action in record.fields {
                do {
                    if let readerIndex = action.readerIndex {
                        fields[readerIndex] = try read(action.step, depth: depth + 1)
                    } else {
                        try skip(action.step, depth: depth + 1)
                    }
                } catch {
                    throw error.prefixingDataPath("." + action.name)
                }
            }
            return .record(fields)
        case .writerUnion(let branches):
            let start = reader.offset
            let branch = try reader.readLong()
            guard branch >= 0, branch < Int64(branches.count) else {
                throw failure(.invalidData, "union branch \(branch) is out of range (\(branches.count) branches)", at: start)
            }
            return try read(branches[Int(branch)], depth: depth + 1)
        case .readerUnion(let branch, let step):
            return .union(branch: branch, value: try read(step, depth: depth))
        }
    }

    /// Reads and checks a value the reader does not keep (identity steps of writer-only fields).
    mutating func skip(_ index: Int, depth: Int) throws(AvroError) {
        try enter(depth)
        switch plan.steps[index] {
        case .null: return
        case .boolean: _ = try reader.readBoolean()
        case .int: _ = try reader.readInt()
        case .long: _ = try reader.readLong()
        case .float: try reader.skip(4)
        case .double: try reader.skip(8)
        case .bytes: try reader.skip(try reader.readLength(limit: limits.maxLength))
        case .string: try reader.skipString(limit: limits.maxLength)
        case .fixed(let size): try reader.skip(size)
        case .array(let items):
            try readBlocks(collection: "array") { (this: inout Self, i: Int) throws(AvroError) in
                do throws(AvroError) { try this.skip(items, depth: depth + 1) } catch { throw error.prefixingDataPath("[\(i)]") }
            }
        case .map(let valuesStep):
            try readBlocks(collection: "map") { (this: inout Self, _: Int) throws(AvroError) in
                let key = try this.reader.readString(limit: this.limits.maxLength)
                do throws(AvroError) {
                    try this.skip(valuesStep, depth: depth + 1)
                } catch {
                    throw error.prefixingDataPath(AvroError.dataPathMapKey(key))
                }
            }
        case .record(let record):
            for action in record.fields {
                do { try skip(action.step, depth: depth + 1) } catch { throw error.prefixingDataPath("." + action.name) }
            }
        case .readerUnion(_, let step):
            try skip(step, depth: depth)
        default:
            // Enums and unions check their index ranges; reading them costs no allocation worth avoiding.
            _ = try read(index, depth: depth)
        }
    }

    private mutating func readBytes() throws(AvroError) -> [UInt8] {
        let length = try reader.readLength(limit: limits.maxLength)
        return try reader.readBytes(length)
    }

    /// Reads the blocks of an array or map, calling `element` for each item with its index.
    private mutating func readBlocks(
        collection: String,
        _ element: (inout Self, Int) throws(AvroError) -> Void
    ) throws(AvroError) {
        var total = 0
        while true {
            let start = reader.offset
            var count = try reader.readLong()
            if count == 0 { return }
            if count < 0 {
                guard count != Int64.min else {
                    throw failure(.invalidData, "\(collection) block count \(count) is invalid", at: start)
                }
                count = -count
                let sizeStart = reader.offset
                let size = try reader.readLong()
                if size < 0 { throw failure(.invalidData, "\(collection) block size \(size) is negative", at: sizeStart) }
            }
            // Every map entry takes at least its key's length byte.
            if collection == "map" && count > Int64(reader.remaining) {
                throw failure(
                    .truncatedData,
                    "map block of \(count) entries is more than the \(reader.remaining) bytes left can hold",
                    at: start
                )
            }
            guard count <= Int64(limits.maxCollectionCount - total) else {
                throw failure(
                    .limitExceeded,
                    "\(collection) has more than \(limits.maxCollectionCount) items",
                    at: start
                )
            }
            for _ in 0..<Int(count) {
                try element(&self, total)
                total += 1
            }
        }
    }
}
