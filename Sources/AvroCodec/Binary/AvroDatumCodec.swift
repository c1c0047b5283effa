/// Reads, checks and writes Avro binary datums of one schema.
///
/// The schema is compiled once into a flat program; build one codec per schema and reuse it for every
/// message. Validation allocates nothing on success. All three operations enforce `limits` and report
/// failures as `AvroError` with the byte offset (for binary input) and the datum path, e.g.
/// `.order.items[3].price`: record fields are `.name`, array items `[i]`, map values `["key"]`, and a
/// union branch `<type>` (the branch's full name for named types, its type name otherwise).
public struct AvroDatumCodec: Sendable {
    /// The schema the codec was compiled from.
    public let schema: AvroSchema
    /// The bounds applied to every datum.
    public let limits: AvroLimits

    let program: CodecProgram

    /// Nesting is additionally capped here, whatever `limits.maxDepth` says, so that the recursive walks
    /// cannot exhaust a thread's stack (unoptimized builds use several KB of stack per level when encoding).
    static let depthCeiling = 512

    /// Compiles `schema`; the nesting depth is capped at 512 even if `limits.maxDepth` is larger.
    public init(schema: AvroSchema, limits: AvroLimits = .default) {
        self.schema = schema
        self.limits = limits
        self.program = CodecProgram(schema: schema)
    }

    /// Checks that `bytes` hold exactly one datum of the schema (trailing bytes are an error).
    /// - Throws: `.truncatedData`, `.invalidData` or `.limitExceeded`, with `offset` and `dataPath`.
    public func validate(_ bytes: [UInt8]) throws(AvroError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(AvroError) in
            try validate(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Checks that `buffer` holds exactly one datum of the schema (trailing bytes are an error).
    /// - Throws: `.truncatedData`, `.invalidData` or `.limitExceeded`, with `offset` and `dataPath`.
    public func validate(_ buffer: UnsafeRawBufferPointer) throws(AvroError) {
        // The fast walk decides valid datums; anything it refuses is walked again for the error.
        if AvroFastValidator.accepts(buffer, program: program, limits: limits) { return }
        try validateFully(buffer)
    }

    /// The full validating walk, which keeps datum paths and reports the first error.
    func validateFully(_ buffer: UnsafeRawBufferPointer) throws(AvroError) {
        let root = program.root
        do {
            try AvroBinaryWalker.with(buffer, program: program, limits: limits) { (walker) throws(AvroError) in
                try walker.validateValue(root, depth: 0)
            }
        } catch {
            throw error.withRootDataPath()
        }
    }

    /// Decodes the one datum that `bytes` hold (trailing bytes are an error).
    /// - Throws: `.truncatedData`, `.invalidData` or `.limitExceeded`, with `offset` and `dataPath`.
    public func decode(_ bytes: [UInt8]) throws(AvroError) -> AvroValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(AvroError) -> AvroValue in
            try decode(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Decodes the one datum that `buffer` holds (trailing bytes are an error).
    /// - Throws: `.truncatedData`, `.invalidData` or `.limitExceeded`, with `offset` and `dataPath`.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws(AvroError) -> AvroValue {
        let root = program.root
        do {
            return try AvroBinaryWalker.with(buffer, program: program, limits: limits) {
                (walker) throws(AvroError) -> AvroValue in
                try walker.decodeValue(root, depth: 0)
            }
        } catch {
            throw error.withRootDataPath()
        }
    }

    /// Encodes `value`, checking it against the schema while writing (wrong shape, enum index or symbol,
    /// fixed size, union branch index, record field count, nesting depth).
    /// - Throws: `.invalidValue` or `.limitExceeded` with the datum path.
    public func encode(_ value: AvroValue) throws(AvroError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        try encode(value, into: &bytes)
        return bytes
    }

    /// Appends the encoding of `value` to `bytes`; on error `bytes` is left as it was.
    /// - Throws: `.invalidValue` or `.limitExceeded` with the datum path.
    public func encode(_ value: AvroValue, into bytes: inout [UInt8]) throws(AvroError) {
        try AvroBinaryEncoder.encode(value, program: program, limits: limits, into: &bytes)
    }
}

extension AvroError {
    /// Errors at the top level have the empty (root) datum path rather than none.
    func withRootDataPath() -> AvroError {
        if dataPath != nil { return self }
        var copy = self
        copy.dataPath = ""
        return copy
    }
}
