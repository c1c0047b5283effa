/// The success path of validation: a walk that answers only "valid or not", keeping no path and
/// building no error. It handles the common shapes (messages without required fields, field numbers
/// below 64, no groups); anything else, and anything it refuses, makes it answer "don't know", and
/// `ProtoMessageCodec.validate` then runs `ProtoValidator`, which stays the authority and reports the
/// exact error. Every check it makes is the full validator's check on the same bytes.
///
/// The table has 512 entries per message, indexed by the raw tag (field number < 64, any wire type):
/// the low 8 bits are a `ProtoFastAction`, the rest the child message index for sub-messages. Declared
/// fields met with another wire type, and undeclared fields, get the action that skips an unknown
/// value of that wire type, exactly as the full validator does.
enum ProtoFastAction {
    /// Don't know: groups, end-group tags, wire types 6 and 7, sub-messages the walk cannot take.
    static let bail: UInt32 = 0
    static let varint: UInt32 = 1
    static let fixed64: UInt32 = 2
    static let fixed32: UInt32 = 3
    static let bytes: UInt32 = 4
    static let utf8: UInt32 = 5
    static let message: UInt32 = 6
    static let packedVarint: UInt32 = 7
    static let packedFixed64: UInt32 = 8
    static let packedFixed32: UInt32 = 9

    static let tagsPerMessage = 512

    /// The table for `plans`, and which messages the walk may start in; nil when the pool is too large.
    static func build(_ plans: [ProtoMessagePlan]) -> (table: UnsafeMutablePointer<UInt32>, ok: UnsafeMutablePointer<Bool>)? {
        guard plans.count < 1 << 20 else { return nil }
        let ok = UnsafeMutablePointer<Bool>.allocate(capacity: max(plans.count, 1))
        for (mi, plan) in plans.enumerated() { (ok + mi).initialize(to: plan.requiredCount == 0) }
        let count = max(plans.count, 1) * tagsPerMessage
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        table.initialize(repeating: bail, count: count)
        for (mi, plan) in plans.enumerated() {
            let base = table + mi * tagsPerMessage
            // Unknown fields of wire types 0, 1, 2, 5 for every number; declared fields override below.
            for number in 1..<64 {
                base[number << 3 | 0] = varint
                base[number << 3 | 1] = fixed64
                base[number << 3 | 2] = bytes
                base[number << 3 | 5] = fixed32
            }
            for field in plan.fields where field.number < 64 {
                let n = Int(field.number)
                let action: UInt32
                switch field.type {
                case .double, .fixed64, .sfixed64: action = fixed64
                case .float, .fixed32, .sfixed32: action = fixed32
                case .string: action = field.verifyUTF8 ? utf8 : bytes
                case .bytes: action = bytes
                case .message:
                    if field.isDelimited || field.message < 0 || field.message >= plans.count || !ok[field.message] {
                        action = bail
                    } else {
                        action = message | UInt32(field.message) << 8
                    }
                default: action = varint
                }
                base[n << 3 | Int(field.wireType)] = action
                if field.isRepeated && field.type.isPackable && field.wireType != 2 {
                    switch field.wireType {
                    case 0: base[n << 3 | 2] = packedVarint
                    case 1: base[n << 3 | 2] = packedFixed64
                    default: base[n << 3 | 2] = packedFixed32
                    }
                }
            }
        }
        return (table, ok)
    }
}

/// The walk over `ProtoFastAction` tables (see there).
struct ProtoFastValidator {
    let p: UnsafePointer<UInt8>
    let table: UnsafePointer<UInt32>
    let maxDepth: Int

    /// Whether the `count` bytes at `p` are certainly a valid payload of message `root`; false means
    /// "don't know".
    static func accepts(program: ProtoCodecProgram, root: Int, p: UnsafePointer<UInt8>, count: Int, maxDepth: Int) -> Bool {
        guard let table = program.fastTable, let ok = program.fastOK, ok[root] else { return false }
        return withExtendedLifetime(program) {
            let walker = ProtoFastValidator(p: p, table: table, maxDepth: maxDepth)
            return walker.walk(message: root, pos: 0, end: count, depth: 0) == count
        }
    }

    /// Skips a varint of at most 10 bytes ending before `end`; -1 if there is none.
    @inline(__always)
    func skipVarint(_ pos: Int, _ end: Int) -> Int {
        if pos < end && p[pos] < 0x80 { return pos &+ 1 }
        if end &- pos >= 8 {
            // The first byte without a continuation bit among the next eight ends the varint.
            let word = UInt64(littleEndian: UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self))
            let stops = ~word & 0x8080_8080_8080_8080
            if stops != 0 { return pos &+ (stops.trailingZeroBitCount >> 3) &+ 1 }
        }
        let limit = min(end, pos &+ 10)
        var i = pos
        while i < limit {
            if p[i] < 0x80 { return i &+ 1 }
            i &+= 1
        }
        return -1
    }

    /// Whether `p[pos..<e]` is a packed block of varints of at most 10 bytes each: the last byte ends a
    /// varint and no run of continuation bytes is 10 long. Reads eight bytes at a time.
    @inline(__always)
    func packedVarintsEnd(_ pos: Int, _ e: Int) -> Bool {
        guard pos < e else { return true }
        guard p[e &- 1] < 0x80 else { return false }
        // Continuation bytes since the last byte that ended a varint.
        var run = 0
        var i = pos
        while e &- i >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let stops = ~word & 0x8080_8080_8080_8080
            if stops == 0 {
                run &+= 8
                if run >= 10 { return false }
            } else {
                if run &+ (stops.trailingZeroBitCount >> 3) >= 10 { return false }
                run = stops.leadingZeroBitCount >> 3
            }
            i &+= 8
        }
        while i < e {
            if p[i] < 0x80 {
                run = 0
            } else {
                run &+= 1
                if run >= 10 { return false }
            }
            i &+= 1
        }
        return true
    }

    /// The end of the length-delimited value whose prefix starts at `pos`, or -1.
    @inline(__always)
    func lengthEnd(_ pos: inout Int, _ end: Int) -> Int {
        var i = pos
        guard i < end else { return -1 }
        var raw = UInt64(p[i])
        i &+= 1
        if raw >= 0x80 {
            raw &= 0x7F
            var shift: UInt64 = 7
            while true {
                guard i < end, shift < 70 else { return -1 }
                let b = p[i]
                i &+= 1
                raw |= UInt64(b & 0x7F) &<< shift
                if b < 0x80 { break }
                shift &+= 7
            }
        }
        guard raw <= UInt64(end &- i) else { return -1 }
        pos = i
        return i &+ Int(truncatingIfNeeded: raw)
    }

    /// Walks message `mi` from `pos` to `end`; returns `end`, or -1 for "don't know".
    func walk(message mi: Int, pos start: Int, end: Int, depth: Int) -> Int {
        let slots = table + mi &* ProtoFastAction.tagsPerMessage
        var pos = start
        while pos < end {
            var tag = Int(p[pos])
            if tag < 0x80 {
                pos &+= 1
            } else {
                guard end &- pos >= 2 else { return -1 }
                let b1 = Int(p[pos &+ 1])
                guard b1 < 0x80 else { return -1 }
                tag = (tag & 0x7F) | b1 << 7
                guard tag < ProtoFastAction.tagsPerMessage else { return -1 }
                pos &+= 2
            }
            // Tags 0 to 7 (field number 0) are `bail` slots, so one-byte tags need no check.
            let entry = slots[tag]
            // The commonest actions are tested before the jump table (fewer mispredicted jumps).
            if entry == ProtoFastAction.varint {
                pos = skipVarint(pos, end)
                if pos < 0 { return -1 }
                continue
            }
            if entry == ProtoFastAction.utf8 {
                let e = lengthEnd(&pos, end)
                if e < 0 { return -1 }
                guard ProtoUTF8.isValid(UnsafeRawBufferPointer(start: p + pos, count: e &- pos)) else { return -1 }
                pos = e
                continue
            }
            if entry & 0xFF == ProtoFastAction.message {
                let e = lengthEnd(&pos, end)
                guard e >= 0, depth < maxDepth,
                    walk(message: Int(entry >> 8), pos: pos, end: e, depth: depth &+ 1) == e
                else { return -1 }
                pos = e
                continue
            }
            // Literal cases (the other `ProtoFastAction` values) so that this is one jump table.
            switch UInt8(truncatingIfNeeded: entry) {
            case 2:  // fixed64
                guard end &- pos >= 8 else { return -1 }
                pos &+= 8
            case 3:  // fixed32
                guard end &- pos >= 4 else { return -1 }
                pos &+= 4
            case 4:  // bytes
                let e = lengthEnd(&pos, end)
                if e < 0 { return -1 }
                pos = e
            case 7:  // packedVarint
                let e = lengthEnd(&pos, end)
                if e < 0 { return -1 }
                guard packedVarintsEnd(pos, e) else { return -1 }
                pos = e
            case 8:  // packedFixed64
                let e = lengthEnd(&pos, end)
                guard e >= 0, (e &- pos) & 7 == 0 else { return -1 }
                pos = e
            case 9:  // packedFixed32
                let e = lengthEnd(&pos, end)
                guard e >= 0, (e &- pos) & 3 == 0 else { return -1 }
                pos = e
            default:
                return -1
            }
        }
        return pos
    }
}
