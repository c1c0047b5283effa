import ProtobufSchema

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
