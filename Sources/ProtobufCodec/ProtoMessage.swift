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

/// One field as the message writer sees it: no references, so reading it retains nothing.
struct ProtoWriteField: Sendable {
    enum Shape: UInt8, Sendable {
        case singular, repeated, packed, map
    }

    let number: UInt32
    let type: ProtoFieldType
    let shape: Shape
    /// Singular fields without presence: left out when they hold the default.
    let omitDefault: Bool
    /// Messages written as groups.
    let isDelimited: Bool
    /// The wire type of one unpacked value.
    let wireType: UInt8
    /// The message type of message fields and map entries, else -1.
    let message: Int32
    /// For maps: the entry's key and value field indexes within the entry message, else -1.
    let mapKey: Int32
    let mapValue: Int32
    /// Tags as written (`ProtoTreeWriter.tag`): bytes in the low 40 bits, length in the top byte. One
    /// value (its wire type; a group's start tag), a length-delimited block (sub-message, packed field),
    /// a group's end tag.
    let valueTag: UInt64
    let blockTag: UInt64
    let endTag: UInt64

    static func packedTag(_ number: UInt32, _ wireType: UInt8) -> UInt64 {
        var v = UInt64(number) << 3 | UInt64(wireType)
        var bytes: UInt64 = 0
        var length: UInt64 = 0
        while v >= 0x80 && length < 4 {
            bytes |= (v & 0x7F | 0x80) << (8 * length)
            v >>= 7
            length += 1
        }
        bytes |= (v & 0x7F) << (8 * length)
        return bytes | (length + 1) << 56
    }

    /// `inMapEntry`: a map entry's key and value, which are written even when they hold the default.
    init(_ field: ProtoFieldPlan, inMapEntry: Bool, plans: [ProtoMessagePlan]) {
        number = field.number
        type = field.type
        shape = field.isMap ? .map : field.isPacked ? .packed : field.isRepeated ? .repeated : .singular
        omitDefault = !field.isRepeated && !field.hasPresence && !inMapEntry
        isDelimited = field.isDelimited
        wireType = field.type.wireType
        valueTag = Self.packedTag(field.number, field.isDelimited ? 3 : field.type.wireType)
        blockTag = Self.packedTag(field.number, 2)
        endTag = Self.packedTag(field.number, 4)
        message = Int32(truncatingIfNeeded: field.message)
        if field.isMap, plans.indices.contains(field.message) {
            let entry = plans[field.message]
            mapKey = Int32(truncatingIfNeeded: entry.fieldIndex(number: 1) ?? -1)
            mapValue = Int32(truncatingIfNeeded: entry.fieldIndex(number: 2) ?? -1)
        } else {
            mapKey = -1
            mapValue = -1
        }
    }
}

/// Serializes `ProtoMessage` nodes into a raw buffer: the caller's (a stack buffer) until it is full,
/// then a heap buffer that grows (freed by `release`). Each node reserves room for its largest form
/// first, so the single writes check nothing. Sub-message lengths are reserved as one byte and widened
/// in place when the content is 128 bytes or longer.
struct ProtoTreeWriter {
    let fields: UnsafePointer<ProtoWriteField>
    var out: UnsafeMutablePointer<UInt8>
    var count = 0
    var capacity: Int
    var ownsBuffer = false

    /// The most one scalar node writes: a tag of up to 5 bytes and a varint of up to 10.
    static let scalarRoom = 16
    /// The most a node writes besides its content: tag, length or end tag, each up to 5 bytes (the
    /// length may be widened by 4 more bytes after the content).
    static let headerRoom = 16

    init(program: ProtoCodecProgram, buffer: UnsafeMutableRawBufferPointer) {
        fields = UnsafePointer(program.writeFields)
        if let base = buffer.baseAddress, buffer.count >= 64 {
            out = base.assumingMemoryBound(to: UInt8.self)
            capacity = buffer.count
        } else {
            out = .allocate(capacity: 512)
            capacity = 512
            ownsBuffer = true
        }
    }

    func release() {
        if ownsBuffer { out.deallocate() }
    }

    func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress, count > 0 { base.update(from: out, count: count) }
            initialized = count
        }
    }

    // MARK: Bytes

    /// Loads one byte of every 64 in `byteCount` bytes at `base` (see `ProtoMessageCodec.encode(_:)`).
    @inline(__always)
    static func touch(_ base: UnsafeRawPointer?, _ byteCount: Int) {
        guard let base else { return }
        var sum: UInt8 = 0
        var offset = 0
        while offset < byteCount {
            sum &+= base.load(fromByteOffset: offset, as: UInt8.self)
            offset &+= 64
        }
        keep(sum)
    }

    /// Keeps the optimizer from dropping the loads of `touch`.
    @inline(never) @_optimize(none)
    static func keep(_ value: UInt8) {}

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    @inline(never)
    mutating func grow(_ n: Int) {
        let wanted = max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: wanted)
        bigger.update(from: out, count: count)
        if ownsBuffer { out.deallocate() }
        out = bigger
        capacity = wanted
        ownsBuffer = true
    }

    /// Writes a varint (room reserved by the caller).
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        if value < 0x80 {
            out[count] = UInt8(truncatingIfNeeded: value)
            count &+= 1
            return
        }
        var v = value
        while v >= 0x80 {
            out[count] = UInt8(truncatingIfNeeded: v) | 0x80
            count &+= 1
            v >>= 7
        }
        out[count] = UInt8(truncatingIfNeeded: v)
        count &+= 1
    }

    /// Writes a precomputed tag (`ProtoWriteField.tags`): up to 5 bytes, with its length in the top byte.
    @inline(__always)
    mutating func tag(_ packed: UInt64) {
        UnsafeMutableRawPointer(out + count).storeBytes(of: (packed & 0xFF_FFFF_FFFF).littleEndian, as: UInt64.self)
        count &+= Int(truncatingIfNeeded: packed >> 56)
    }

    @inline(__always)
    mutating func fixed32(_ value: UInt32) {
        UnsafeMutableRawPointer(out + count).storeBytes(of: value.littleEndian, as: UInt32.self)
        count &+= 4
    }

    @inline(__always)
    mutating func fixed64(_ value: UInt64) {
        UnsafeMutableRawPointer(out + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count &+= 8
    }

    /// Reserves one byte for a length prefix; returns where the content starts.
    @inline(__always)
    mutating func beginLength() -> Int {
        count &+= 1
        return count
    }

    /// Fills in the prefix reserved by `beginLength`, moving the content up when it needs more bytes.
    @inline(__always)
    mutating func endLength(_ start: Int) {
        let length = count &- start
        if length < 0x80 {
            out[start &- 1] = UInt8(truncatingIfNeeded: length)
            return
        }
        widenLength(start, length)
    }

    @inline(never)
    mutating func widenLength(_ start: Int, _ length: Int) {
        var extra = 0
        var v = UInt64(length) >> 7
        while v > 0 {
            extra &+= 1
            v >>= 7
        }
        reserve(extra &+ Self.headerRoom)
        UnsafeMutableRawPointer(out + (start &+ extra)).copyMemory(from: out + start, byteCount: length)
        count &+= extra
        v = UInt64(length)
        var i = start &- 1
        while v >= 0x80 {
            out[i] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            i &+= 1
        }
        out[i] = UInt8(truncatingIfNeeded: v)
    }

    // MARK: Nodes

    /// Copies `n` bytes from `source` (room reserved); short copies as overlapping words.
    @inline(__always)
    mutating func copy(_ source: UnsafePointer<UInt8>, _ n: Int) {
        let target = UnsafeMutableRawPointer(out + count)
        let from = UnsafeRawPointer(source)
        if n >= 8 && n <= 16 {
            target.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: from.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self), toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            target.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: from.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self), toByteOffset: n &- 4, as: UInt32.self)
        } else if n < 4 {
            var i = 0
            while i < n {
                out[count &+ i] = source[i]
                i &+= 1
            }
        } else {
            target.copyMemory(from: from, byteCount: n)
        }
        count &+= n
    }

    /// The value of the scalar whose header is `node` (its word `i` on); moves `i` past it.
    @inline(__always)
    static func scalarBits(_ node: ProtoNode, _ nodes: UnsafeBufferPointer<ProtoNode>, _ i: inout Int) -> UInt64 {
        switch node.kind {
        case ProtoNode.Kind.scalar32.rawValue:
            return UInt64(node.aux)
        case ProtoNode.Kind.negative32.rawValue:
            return UInt64(bitPattern: Int64(Int32(bitPattern: node.aux)))
        default:
            guard i < nodes.count else { return 0 }
            let bits = nodes[i].word
            i &+= 1
            return bits
        }
    }

    /// Writes words `start..<end` (the fields of one message) with their tags; `cursor` is the offset
    /// in `arena` of the next string or bytes value.
    mutating func nodes(
        _ nodes: UnsafeBufferPointer<ProtoNode>, _ arena: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
        cursor: inout Int
    ) {
        var i = start
        while i < end {
            let node = nodes[i]
            let f = fields[node.field]
            i &+= 1
            switch node.kind {
            case ProtoNode.Kind.bytes.rawValue:
                let length = Int(node.aux)
                let offset = cursor
                cursor &+= length
                if f.omitDefault && length == 0 { continue }
                reserve(length &+ Self.headerRoom)
                tag(f.valueTag)
                varint(UInt64(length))
                if let base = arena.baseAddress, length > 0, offset >= 0, offset <= arena.count &- length {
                    copy(base + offset, length)
                }
            case ProtoNode.Kind.message.rawValue:
                let last = min(end, i &+ Int(node.aux))
                reserve(Self.headerRoom)
                if f.isDelimited {
                    tag(f.valueTag)
                    self.nodes(nodes, arena, from: i, to: last, cursor: &cursor)
                    reserve(Self.headerRoom)
                    tag(f.endTag)
                } else {
                    tag(f.blockTag)
                    let begin = beginLength()
                    self.nodes(nodes, arena, from: i, to: last, cursor: &cursor)
                    endLength(begin)
                }
                i = last
            case ProtoNode.Kind.packed.rawValue:
                let last = min(end, i &+ Int(node.aux))
                reserve(Self.headerRoom)
                tag(f.blockTag)
                let begin = beginLength()
                while i < last {
                    let element = nodes[i]
                    i &+= 1
                    let bits = Self.scalarBits(element, nodes, &i)
                    reserve(Self.scalarRoom)
                    scalar(bits, f.type)
                }
                endLength(begin)
            default:
                let bits = Self.scalarBits(node, nodes, &i)
                if f.omitDefault && bits == 0 { continue }
                reserve(Self.scalarRoom)
                tag(f.valueTag)
                scalar(bits, f.type)
            }
        }
    }

    /// One number without its tag, from its bits as `ProtoFlattener` stores them (room reserved).
    @inline(__always)
    mutating func scalar(_ bits: UInt64, _ type: ProtoFieldType) {
        switch type {
        case .sint32:
            let y = Int32(truncatingIfNeeded: bits)
            varint(UInt64(UInt32(bitPattern: (y << 1) ^ (y >> 31))))
        case .sint64:
            let x = Int64(bitPattern: bits)
            varint(UInt64(bitPattern: (x << 1) ^ (x >> 63)))
        case .fixed32, .sfixed32, .float: fixed32(UInt32(truncatingIfNeeded: bits))
        case .fixed64, .sfixed64, .double: fixed64(bits)
        default: varint(bits)
        }
    }
}

/// Turns a merged `ProtoDynamicMessage` tree into `ProtoMessage` nodes: values in field-number order,
/// map entries sorted by key without duplicates and with absent keys and values as defaults.
struct ProtoFlattener {
    let program: ProtoCodecProgram
    let fields: UnsafePointer<ProtoWriteField>
    let messages: UnsafePointer<ProtoWalkMessage>
    var nodes: [ProtoNode] = []
    var arena: [UInt8] = []

    init(program: ProtoCodecProgram) {
        self.program = program
        fields = UnsafePointer(program.writeFields)
        messages = UnsafePointer(program.walkMessages)
    }

    /// The fields of `m`.
    mutating func message(_ m: ProtoDynamicMessage) throws(ProtobufError) {
        let layout = messages[m.type]
        let n = min(m.slots.count, Int(layout.count))
        for fi in 0..<n {
            guard let values = m.slots[fi] else { continue }
            let global = Int(layout.first) &+ fi
            guard global < ProtoNode.fieldLimit else {
                throw ProtobufError(.limitExceeded, "the schema has too many fields for an in-memory message")
            }
            let index = Int32(truncatingIfNeeded: global)
            let f = fields[global]
            switch f.shape {
            case .singular:
                if let v = values.last { try value(v, index) }
            case .repeated:
                for v in values { try value(v, index) }
            case .packed:
                if values.isEmpty { continue }
                let header = nodes.count
                nodes.append(ProtoNode(field: index, kind: .packed, aux: 0))
                for v in values { try value(v, index) }
                try close(header)
            case .map:
                try map(values, index, f)
            }
        }
    }

    /// Sets the node count of the sub-message or packed field whose node is at `header`.
    mutating func close(_ header: Int) throws(ProtobufError) {
        let inside = nodes.count &- header &- 1
        guard inside <= Int(UInt32.max) else {
            throw ProtobufError(.limitExceeded, "a sub-message holds too many values for an in-memory message")
        }
        nodes[header].word = nodes[header].word & 0xFFFF_FFFF | UInt64(inside) << 32
    }

    /// One value as a node (a sub-message followed by its own nodes).
    mutating func value(_ v: ProtoValue, _ field: Int32) throws(ProtobufError) {
        switch v {
        case .int(let x): scalar(UInt64(bitPattern: x), field)
        case .uint(let x): scalar(x, field)
        case .bool(let b): scalar(b ? 1 : 0, field)
        case .enumValue(let x): scalar(UInt64(bitPattern: Int64(x)), field)
        case .float(let x): scalar(UInt64(x.bitPattern), field)
        case .double(let x): scalar(x.bitPattern, field)
        case .string(let b), .bytes(let b):
            guard b.count <= Int(UInt32.max) else {
                throw ProtobufError(.limitExceeded, "a value of \(b.count) bytes is too long for an in-memory message")
            }
            nodes.append(ProtoNode(field: field, kind: .bytes, aux: UInt32(truncatingIfNeeded: b.count)))
            arena.append(contentsOf: b)
        case .message(let m):
            let header = nodes.count
            nodes.append(ProtoNode(field: field, kind: .message, aux: 0))
            try message(m)
            try close(header)
        }
    }

    mutating func scalar(_ bits: UInt64, _ field: Int32) {
        if bits <= UInt64(UInt32.max) {
            nodes.append(ProtoNode(field: field, kind: .scalar32, aux: UInt32(truncatingIfNeeded: bits)))
        } else if Int64(bitPattern: bits) < 0 && Int64(bitPattern: bits) >= Int64(Int32.min) {
            nodes.append(ProtoNode(field: field, kind: .negative32, aux: UInt32(truncatingIfNeeded: bits)))
        } else {
            nodes.append(ProtoNode(field: field, kind: .scalar64, aux: 0))
            nodes.append(ProtoNode(word: bits))
        }
    }

    /// A field's default value (an absent map key or value).
    mutating func defaultValue(_ field: Int32) throws(ProtobufError) {
        let f = fields[Int(field)]
        switch f.type {
        case .message:
            try value(.message(ProtoDynamicMessage(type: Int(f.message), fieldCount: 0, offset: 0)), field)
        case .string, .bytes:
            nodes.append(ProtoNode(field: field, kind: .bytes, aux: 0))
        default:
            scalar(0, field)
        }
    }

    // MARK: Maps

    /// A map entry's key (nil when the entry has none: the key type's default).
    private static func key(_ entry: ProtoValue, _ f: ProtoWriteField) -> ProtoValue? {
        guard case .message(let m) = entry, f.mapKey >= 0, Int(f.mapKey) < m.slots.count else { return nil }
        return m.slots[Int(f.mapKey)]?.last
    }

    /// Protobuf's deterministic key order (absent keys are the default: 0, false or empty).
    static func keyPrecedes(_ a: ProtoValue?, _ b: ProtoValue?) -> Bool {
        switch a ?? b {
        case .int?: return signed(a) < signed(b)
        case .uint?: return unsigned(a) < unsigned(b)
        case .bool?: return !flag(a) && flag(b)
        default: return text(a).lexicographicallyPrecedes(text(b))
        }
    }

    private static func signed(_ v: ProtoValue?) -> Int64 {
        if case .int(let x)? = v { return x }
        return 0
    }

    private static func unsigned(_ v: ProtoValue?) -> UInt64 {
        if case .uint(let x)? = v { return x }
        return 0
    }

    private static func flag(_ v: ProtoValue?) -> Bool {
        if case .bool(let x)? = v { return x }
        return false
    }

    private static func text(_ v: ProtoValue?) -> [UInt8] {
        if case .string(let b)? = v { return b }
        return []
    }

    /// The entries sorted by key, the last of equal keys kept; each as an entry node, its key and its value.
    mutating func map(_ entries: [ProtoValue], _ field: Int32, _ f: ProtoWriteField) throws(ProtobufError) {
        let keys = entries.map { Self.key($0, f) }
        // Sorted by key, then by position, so that the last of equal keys comes last among them.
        let order = entries.indices.sorted { x, y in
            if Self.keyPrecedes(keys[x], keys[y]) { return true }
            if Self.keyPrecedes(keys[y], keys[x]) { return false }
            return x < y
        }
        guard f.message >= 0 else { return }
        let layout = messages[Int(f.message)]
        for (k, current) in order.enumerated() {
            if k &+ 1 < order.count && !Self.keyPrecedes(keys[current], keys[order[k &+ 1]]) { continue }
            guard case .message(let m) = entries[current] else { continue }
            let header = nodes.count
            nodes.append(ProtoNode(field: field, kind: .message, aux: 0))
            for local in [f.mapKey, f.mapValue] where local >= 0 && local < layout.count {
                let index = layout.first &+ local
                if Int(local) < m.slots.count, let v = m.slots[Int(local)]?.last {
                    try value(v, index)
                } else {
                    try defaultValue(index)
                }
            }
            try close(header)
        }
    }
}
