import JSONSupport
public import ProtobufSchema

/// A codec for one message type of a schema, compiled once: validates binary payloads, decodes them to
/// proto3 canonical JSON and encodes them from it, without generated code.
///
/// Errors say where: `offset` is the byte offset in the payload, `protoPath` the field path from the
/// root message using the `.proto` field names (`.items[2].price`; repeated elements and map entries
/// by their position on the wire, e.g. `.labels[0].value`; unknown fields as `.#number`), and
/// `jsonPointer` the position in JSON input.
///
/// What is accepted follows protobuf's own parsers (checked against the Python runtime, upb):
/// - a field whose wire type does not match its declaration is an unknown field, not an error;
///   repeated numeric fields accept packed and unpacked occurrences alike;
/// - unknown fields are skipped but must be well-formed (groups matched, lengths in bounds);
/// - closed-enum values that are not declared are kept as unknown fields (left out of JSON);
/// - strings are checked as UTF-8 in proto3 and where editions' `utf8_validation` is `VERIFY`;
///   proto2 strings are not checked (JSON output then fails for strings that are not UTF-8);
/// - required fields (proto2, editions `LEGACY_REQUIRED`) must be present once occurrences of a
///   sub-message are merged, which is what protobuf's `IsInitialized` checks after parsing;
/// - nesting of messages and groups is limited to `limits.maxDepth` below the root.
public struct ProtoMessageCodec: Sendable {
    let program: ProtoCodecProgram
    let root: Int
    let limits: ProtoCodecLimits

    /// Compiles the codec for message `messageName` (full name, with or without leading dot) of `schema`.
    public init(schema: ProtoSchema, messageName: String, limits: ProtoCodecLimits = .default) throws(ProtobufError) {
        let program = try ProtoCodecProgram(pool: schema.pool)
        let name = messageName.hasPrefix(".") ? String(messageName.dropFirst()) : messageName
        guard let root = program.messageIndex[name] else {
            throw ProtobufError(.unknownType, "message \"\(name)\" is not in the schema")
        }
        self.program = program
        self.root = root
        var limits = limits
        limits.maxDepth = max(0, min(limits.maxDepth, Self.depthCeiling))
        self.limits = limits
    }

    /// Deeper limits are lowered to this so that recursion stays far from the end of a thread's stack
    /// (debug builds overflowed a test thread at about 1,000 levels).
    static let depthCeiling = 500

    /// The full name of the message type, without a leading dot.
    public var messageName: String { program.messages[root].fullName }

    /// Checks that `bytes` is a well-formed payload of the message type.
    public func validate(_ bytes: [UInt8]) throws(ProtobufError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ProtobufError) in try validate(UnsafeRawBufferPointer(buffer)) }
    }

    /// Checks that `buffer` is a well-formed payload of the message type, allocating nothing unless it
    /// fails (or a sub-message needs its required fields checked after merging).
    public func validate(_ buffer: UnsafeRawBufferPointer) throws(ProtobufError) {
        try checkSize(buffer.count)
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            try validateEmpty()
            return
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        if ProtoFastValidator.accepts(program: program, root: root, p: p, count: buffer.count, maxDepth: limits.maxDepth) {
            return
        }
        var walker = ProtoValidator(program: program, base: p, maxDepth: limits.maxDepth)
        var pos = 0
        try walker.walk(message: root, pos: &pos, end: buffer.count, depth: 0, group: 0, isRoot: true)
        if walker.needsMergedCheck {
            let decoder = ProtoMessageDecoder(program: program, p: p, limits: limits)
            let tree = try decoder.decode(message: root, start: 0, end: buffer.count, depth: 0)
            try decoder.checkRequired(tree)
        }
    }

    /// Whether the fast walk alone accepts `bytes` (false means "don't know"); for tests.
    func fastAccepts(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0, buffer.count <= limits.maxMessageBytes else { return false }
            return ProtoFastValidator.accepts(
                program: program, root: root, p: base, count: buffer.count, maxDepth: limits.maxDepth)
        }
    }

    /// `validate` without the fast walk: the full validator's own decision; for tests.
    func validateFully(_ bytes: [UInt8]) throws(ProtobufError) {
        try checkSize(bytes.count)
        try bytes.withUnsafeBufferPointer { (buffer) throws(ProtobufError) in
            guard let p = buffer.baseAddress, buffer.count > 0 else {
                try validateEmpty()
                return
            }
            var walker = ProtoValidator(program: program, base: p, maxDepth: limits.maxDepth)
            var pos = 0
            try walker.walk(message: root, pos: &pos, end: buffer.count, depth: 0, group: 0, isRoot: true)
            if walker.needsMergedCheck {
                let decoder = ProtoMessageDecoder(program: program, p: p, limits: limits)
                let tree = try decoder.decode(message: root, start: 0, end: buffer.count, depth: 0)
                try decoder.checkRequired(tree)
            }
        }
    }

    private func validateEmpty() throws(ProtobufError) {
        let plan = program.messages[root]
        if let missing = plan.fields.first(where: { $0.isRequired }) {
            throw ProtobufError(
                .invalidData, "required field \(missing.protoName) of \(plan.fullName) is missing",
                protoPath: "", offset: 0)
        }
    }

    private func checkSize(_ count: Int) throws(ProtobufError) {
        if count > limits.maxMessageBytes {
            throw ProtobufError(
                .limitExceeded, "payload of \(count) bytes is over the limit of \(limits.maxMessageBytes)",
                offset: 0)
        }
    }

    /// Decodes `bytes` to proto3 canonical JSON (lowerCamel `json_name` keys, int64/uint64/fixed64 as
    /// strings, bytes base64, enums by name, default-valued fields omitted as protobuf's JSON printer
    /// does by default, well-known types mapped). Fails where `validate` fails, and also when a value
    /// has no JSON form (a string that is not UTF-8, a Timestamp out of range, an `Any` whose type is
    /// not in the schema).
    public func decodeToJSON(_ bytes: [UInt8]) throws(ProtobufError) -> JSONValue {
        try checkSize(bytes.count)
        // Most payloads print straight from the bytes; the general path below handles the rest.
        if let direct = directJSON(bytes) { return direct }
        return try generalJSON(bytes)
    }

    /// The JSON of `bytes` printed without building a message tree, or nil when the payload needs the
    /// general path (merges, groups, well-known types, required fields, anything invalid).
    func directJSON(_ bytes: [UInt8]) -> JSONValue? {
        if program.hasRequiredFields { return nil }
        return bytes.withUnsafeBufferPointer { (buffer) -> JSONValue? in
            let p = buffer.baseAddress ?? ProtoMessageCodec.emptyBase
            return ProtoDirectPrinter(program: program, p: p, limits: limits)
                .message(root, start: 0, end: buffer.count, depth: 0)
        }
    }

    /// The JSON of `bytes` through a merged message tree (any payload; errors say where).
    func generalJSON(_ bytes: [UInt8]) throws(ProtobufError) -> JSONValue {
        try checkSize(bytes.count)
        let tree = try Self.decodeTree(program: program, message: root, bytes: bytes, limits: limits, depth: 0)
        return try ProtoJSONPrinter(program: program, limits: limits).message(tree, depth: 0)
    }

    /// Parses, merges and checks required fields of a payload of message `mi`, nested `depth` deep.
    static func decodeTree(
        program: ProtoCodecProgram, message mi: Int, bytes: [UInt8], limits: ProtoCodecLimits, depth: Int
    ) throws(ProtobufError) -> ProtoDynamicMessage {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ProtobufError) -> ProtoDynamicMessage in
            let p = buffer.baseAddress ?? ProtoMessageCodec.emptyBase
            let decoder = ProtoMessageDecoder(program: program, p: p, limits: limits)
            let tree = try decoder.decode(message: mi, start: 0, end: buffer.count, depth: depth)
            // The walk copies every map's entries: only worth it when some message has a required field.
            if program.hasRequiredFields { try decoder.checkRequired(tree) }
            return tree
        }
    }

    /// A valid address for empty input (never read: every read is bounds-checked first).
    nonisolated(unsafe) static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// Encodes from proto3 JSON, accepting `json_name` and original field names, enum names or numbers,
    /// int64 as string or number, "NaN"/"Infinity", null for defaults; fields written in field-number
    /// order as protobuf does (map entries sorted by key, as protobuf's deterministic mode does).
    /// Fails, as protobuf's serializers do, when a required field is missing (the error's `protoPath`
    /// names it).
    public func encode(json: JSONValue) throws(ProtobufError) -> [UInt8] {
        var encoder = ProtoJSONEncoder(program: program, limits: limits)
        try encoder.encodeRoot(json, message: root)
        if program.hasRequiredFields {
            // Like protobuf's serializers, refuse to write a message that lacks required fields.
            do {
                try validate(encoder.out)
            } catch {
                throw ProtobufError(error.code == .limitExceeded ? .limitExceeded : .invalidValue, error.message,
                    protoPath: error.protoPath, jsonPointer: "")
            }
        }
        return encoder.out
    }
}
