import JSONSupport
public import ProtobufSchema

/// A message held in memory: what `ProtoMessageCodec.decode` parses from binary (protobuf's merge rules
/// applied: last value wins for singular fields, repeated values concatenate, sub-messages merge, a oneof
/// keeps its last member) and what `ProtoMessageCodec.encode(_:)` serializes again, like a message object
/// of a protobuf runtime that was built from a descriptor instead of generated code.
///
/// Unknown fields (undeclared numbers, mismatched wire types, closed-enum values that are not declared)
/// are not kept, as in the JSON form. A message belongs to the codec that made it (or one compiled from
/// the same codec value); another codec refuses it.
///
/// In memory a message is one block: a list of 8-byte words holding the values in field-number order
/// (`ProtoNode`), then the string and bytes values back to back in the same order, so that reading it
/// retains nothing and walks memory forwards. A map is held as its entries sorted by key without duplicates (a
/// later entry for a key replaces an earlier one), each with its key and value.
public struct ProtoMessage: @unchecked Sendable {
    /// One reference, so that copying a message retains once.
    let storage: ProtoMessageStorage

    var type: Int { storage.type }
    var program: ProtoCodecProgram { storage.program }

    /// The full name of the message type, without a leading dot.
    public var messageName: String { storage.program.messages[storage.type].fullName }

    /// The value words (for tests).
    var words: [UInt64] { storage.withParts { nodes, _ in nodes.map(\.word) } }

    /// The size of the in-memory form in bytes (value words and string bytes).
    public var storageBytes: Int { storage.nodeCount * MemoryLayout<ProtoNode>.stride + storage.arenaCount }
}

/// What a `ProtoMessageStorage` holds besides its words.
struct ProtoMessageHeader {
    let type: Int
    let program: ProtoCodecProgram
    let nodeCount: Int
    let arenaCount: Int
}

/// The words and bytes of a `ProtoMessage` in one allocation with its header (the nodes, then the
/// arena), so that a message is contiguous in memory.
///
/// Nothing changes after `make`, which is why `ProtoMessage` may be `@unchecked Sendable`
/// (`ManagedBuffer` itself is not `Sendable`).
final class ProtoMessageStorage: ManagedBuffer<ProtoMessageHeader, UInt64> {
    static func make(type: Int, program: ProtoCodecProgram, nodes: [ProtoNode], arena: [UInt8]) -> ProtoMessageStorage {
        let words = nodes.count + (arena.count + 7) / 8
        let header = ProtoMessageHeader(type: type, program: program, nodeCount: nodes.count, arenaCount: arena.count)
        let buffer = Self.create(minimumCapacity: max(words, 1)) { _ in header }
        let storage = unsafeDowncast(buffer, to: ProtoMessageStorage.self)
        storage.withUnsafeMutablePointerToElements { elements in
            let raw = UnsafeMutableRawPointer(elements)
            let nodeBase = raw.bindMemory(to: ProtoNode.self, capacity: nodes.count)
            nodes.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { nodeBase.initialize(from: from, count: source.count) }
            }
            let arenaRaw = raw + nodes.count * MemoryLayout<ProtoNode>.stride
            let arenaBase = arenaRaw.bindMemory(to: UInt8.self, capacity: arena.count)
            arena.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { arenaBase.initialize(from: from, count: source.count) }
            }
        }
        return storage
    }

    var type: Int { header.type }
    var program: ProtoCodecProgram { header.program }
    var nodeCount: Int { header.nodeCount }
    var arenaCount: Int { header.arenaCount }

    /// The words and the arena (valid while the storage is alive).
    func withParts<R>(_ body: (UnsafeBufferPointer<ProtoNode>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeMutablePointers { header, elements in
            let nodeCount = header.pointee.nodeCount
            let arenaCount = header.pointee.arenaCount
            let raw = UnsafeRawPointer(elements)
            let nodes = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: ProtoNode.self), count: nodeCount)
            let arena = UnsafeBufferPointer(
                start: (raw + nodeCount * MemoryLayout<ProtoNode>.stride).assumingMemoryBound(to: UInt8.self),
                count: arenaCount)
            return body(nodes, arena)
        }
    }
}

/// One word of a `ProtoMessage`: a value's header (its field, its kind and a 32-bit `aux`), or the
/// 64-bit value that follows a `.scalar64` header.
struct ProtoNode: Sendable {
    enum Kind: UInt64, Sendable {
        /// A number, bool or enum value that fits in 32 bits: `aux`, zero-extended.
        case scalar32
        /// A negative number whose 64-bit pattern is `aux` sign-extended.
        case negative32
        /// A number whose 64 bits are the next word (floating point as its bit pattern).
        case scalar64
        /// A string or bytes value of `aux` bytes, the next ones in the arena.
        case bytes
        /// A sub-message or map entry: its fields are the next `aux` words.
        case message
        /// A packed repeated field: its elements are the next `aux` words.
        case packed
    }

    var word: UInt64

    /// Indexes of fields must be below this (far more fields than a schema can have).
    static let fieldLimit: Int = 1 << 29

    init(word: UInt64) {
        self.word = word
    }

    init(field: Int32, kind: Kind, aux: UInt32) {
        word = UInt64(UInt32(truncatingIfNeeded: field) & 0x1FFF_FFFF) | kind.rawValue << 29 | UInt64(aux) << 32
    }

    var field: Int { Int(truncatingIfNeeded: word & 0x1FFF_FFFF) }
    var kind: UInt64 { (word >> 29) & 7 }
    var aux: UInt32 { UInt32(truncatingIfNeeded: word >> 32) }
}

extension ProtoMessageCodec {
    /// Parses `bytes` into a message; fails where `validate` fails, with the same error.
    public func decode(_ bytes: [UInt8]) throws(ProtobufError) -> ProtoMessage {
        try validate(bytes)
        let tree = try Self.decodeTree(program: program, message: root, bytes: bytes, limits: limits, depth: 0)
        var flattener = ProtoFlattener(program: program)
        try flattener.message(tree)
        return ProtoMessage(
            storage: ProtoMessageStorage.make(type: root, program: program, nodes: flattener.nodes, arena: flattener.arena))
    }

    /// Serializes `message` as protobuf's deterministic mode does, and as `encode(json:)` writes the
    /// same message: fields in field-number order, fields without presence left out when they hold the
    /// default, repeated scalars packed where the field is packed, map entries sorted by key with both
    /// key and value written (a later duplicate key replaces an earlier one).
    ///
    /// The bytes differ from `encode(json: json(message))` only where the JSON mapping normalizes what
    /// the message keeps as parsed, as protobuf runtimes keep it: NaN payloads, a `NullValue` number
    /// other than 0, a `Value` without a kind, wrappers and `Any` written out with zero or empty values
    /// or with their contents in another order.
    public func encode(_ message: ProtoMessage) throws(ProtobufError) -> [UInt8] {
        guard message.program === program, message.type == root else {
            throw ProtobufError(
                .invalidValue, "a message of \(message.messageName) from another codec cannot be encoded as \(messageName)")
        }
        let limit = limits.maxMessageBytes
        return try withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 8) {
            (buffer) throws(ProtobufError) -> [UInt8] in
            var writer = ProtoTreeWriter(program: program, buffer: buffer)
            defer { writer.release() }
            message.storage.withParts { nodes, arena in
                // Touch every cache line of the message first: independent loads that the processor
                // overlaps, where the walk below would otherwise wait for one line after another.
                ProtoTreeWriter.touch(UnsafeRawPointer(nodes.baseAddress), nodes.count * MemoryLayout<ProtoNode>.stride + arena.count)
                var cursor = 0
                writer.nodes(nodes, arena, from: 0, to: nodes.count, cursor: &cursor)
            }
            if writer.count > limit {
                throw ProtobufError(
                    .limitExceeded, "encoded message of \(writer.count) bytes is over the limit of \(limit)")
            }
            return writer.bytes()
        }
    }

    /// The message of a proto3 JSON document (what `encode(json:)` accepts, with the same errors).
    public func message(json: JSONValue) throws(ProtobufError) -> ProtoMessage {
        try decode(try encode(json: json))
    }

    /// The proto3 canonical JSON of `message`, as `decodeToJSON` prints its serialization.
    public func json(_ message: ProtoMessage) throws(ProtobufError) -> JSONValue {
        try decodeToJSON(try encode(message))
    }
}

extension ProtoMessage {
    /// The value of the top-level singular scalar field `number` as its 64-bit pattern (integers
    /// sign-extended, bools 0 or 1, enums by number, floating point as its bits), or nil when the message
    /// holds no such value. A linear look over the top-level values, for checks and benchmarks (accord-bench
    /// folds a field of every parsed message into a checksum that the C++ peer computes too).
    public func scalarBits(fieldNumber: Int) -> UInt64? {
        let fields = storage.program.writeFields
        return storage.withParts { nodes, _ -> UInt64? in
            var i = 0
            while i < nodes.count {
                let node = nodes[i]
                let matches = Int(fields[node.field].number) == fieldNumber
                switch node.kind {
                case ProtoNode.Kind.scalar32.rawValue:
                    if matches { return UInt64(node.aux) }
                    i += 1
                case ProtoNode.Kind.negative32.rawValue:
                    if matches { return UInt64(bitPattern: Int64(Int32(bitPattern: node.aux))) }
                    i += 1
                case ProtoNode.Kind.scalar64.rawValue:
                    if matches && i + 1 < nodes.count { return nodes[i + 1].word }
                    i += 2
                case ProtoNode.Kind.bytes.rawValue:
                    i += 1
                default:
                    // A sub-message, map entry or packed field: skip the values inside it.
                    i += 1 + Int(node.aux)
                }
            }
            return nil
        }
    }
}
