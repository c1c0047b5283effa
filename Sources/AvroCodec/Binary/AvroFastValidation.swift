/// The success path of validation: a walk over `FastValidationProgram` that keeps no datum path and
/// builds no error. It answers only "valid or not"; when it says no, `AvroDatumCodec.validate` runs the
/// full validator, which makes the same decision and reports the error (code, message, offset, path).
///
/// Every check here is the full validator's check on the same bytes, with two differences that cannot
/// change the decision: depth and value counts of inlined records are checked when their outermost record
/// starts (the full validator meets the same bounds later on the same input, as records always follow),
/// and nothing says why a check failed.
struct AvroFastValidator {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    let ops: UnsafeBufferPointer<FastOp>
    let branches: UnsafeBufferPointer<Int32>
    let maxDepth: Int
    let maxCount: Int
    let maxLength: Int
    let maxValues: Int
    var values = 0

    init(buffer: UnsafeRawBufferPointer, program: CodecProgram, limits: AvroLimits) {
        self.buffer = buffer
        self.ops = program.fastOpsBuffer
        self.branches = program.fastBranchesBuffer
        self.maxDepth = min(max(limits.maxDepth, 0), AvroDatumCodec.depthCeiling)
        self.maxCount = max(limits.maxCollectionCount, 0)
        self.maxLength = max(limits.maxLength, 0)
        self.maxValues = max(limits.maxValues, 0)
    }

    /// Whether `buffer` holds exactly one valid datum.
    static func accepts(_ buffer: UnsafeRawBufferPointer, program: CodecProgram, limits: AvroLimits) -> Bool {
        withExtendedLifetime(program) {
            var walker = AvroFastValidator(buffer: buffer, program: program, limits: limits)
            return walker.run(program.fastRoot, depth: 0) && walker.offset == buffer.count
        }
    }

    /// A varint of at most `maxBytes` bytes whose last byte is at most `lastMax` (the full reader's
    /// overflow rule); only its validity is wanted.
    @inline(__always)
    mutating func skipVarint(maxBytes: Int, lastMax: UInt8) -> Bool {
        var i = offset
        let n = buffer.count
        if i < n && buffer[i] < 0x80 {
            offset = i &+ 1
            return true
        }
        var k = 1
        while true {
            guard i < n else { return false }
            let b = buffer[i]
            i &+= 1
            if k == maxBytes {
                guard b <= lastMax else { return false }
                break
            }
            if b < 0x80 { break }
            k &+= 1
        }
        offset = i
        return true
    }

    /// A zig-zag long, or nil where the full reader throws.
    @inline(__always)
    mutating func readLong() -> Int64? {
        let n = buffer.count
        var i = offset
        guard i < n else { return nil }
        let first = buffer[i]
        if first < 0x80 {
            offset = i &+ 1
            return Int64(first >> 1) ^ (0 &- Int64(first & 1))
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < n else { return nil }
            let b = buffer[i]
            i &+= 1
            if shift == 63 && b > 1 { return nil }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift &+= 7
        }
        offset = i
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A zig-zag int, or nil where the full reader throws.
    @inline(__always)
    mutating func readInt() -> Int32? {
        let n = buffer.count
        var i = offset
        guard i < n else { return nil }
        let first = buffer[i]
        if first < 0x80 {
            offset = i &+ 1
            return Int32(first >> 1) ^ (0 &- Int32(first & 1))
        }
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard i < n else { return nil }
            let b = buffer[i]
            i &+= 1
            if shift == 28 && b > 0x0F { return nil }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift &+= 7
        }
        offset = i
        return Int32(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A bytes or string length within the limit and the remaining input.
    @inline(__always)
    mutating func readLength() -> Int? {
        guard let length = readLong() else { return nil }
        guard UInt64(bitPattern: length) <= UInt64(min(maxLength, buffer.count &- offset)) else { return nil }
        return Int(truncatingIfNeeded: length)
    }

    @inline(__always)
    mutating func skipString() -> Bool {
        guard let length = readLength() else { return false }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset &+ length)])
        guard AvroBinaryReader.isASCII(bytes) || AvroBinaryReader.isValidUTF8(bytes) else { return false }
        offset &+= length
        return true
    }

    /// One value of a leaf instruction (anything but `end`, `enter` and the composites).
    @inline(__always)
    mutating func leaf(_ op: FastOp) -> Bool {
        switch op.tag {
        case .boolean:
            guard offset < buffer.count, buffer[offset] <= 1 else { return false }
            offset &+= 1
        case .int:
            return skipVarint(maxBytes: 5, lastMax: 0x0F)
        case .long:
            return skipVarint(maxBytes: 10, lastMax: 1)
        case .float:
            guard buffer.count &- offset >= 4 else { return false }
            offset &+= 4
        case .double:
            guard buffer.count &- offset >= 8 else { return false }
            offset &+= 8
        case .bytes:
            guard let length = readLength() else { return false }
            offset &+= length
        case .string:
            return skipString()
        case .enumeration:
            guard let index = readInt(), index >= 0, index < op.a else { return false }
        case .fixed:
            let size = Int(op.a)
            guard size <= maxLength, size <= buffer.count &- offset else { return false }
            offset &+= size
        default:
            return false
        }
        return true
    }

    /// A block header: the item count (0 ends the collection) and the declared end (or -1), as the full
    /// walker's `readBlockHeader` checks it.
    @inline(__always)
    mutating func blockHeader(total: Int, itemWidth: Int) -> (count: Int, end: Int)? {
        guard let raw = readLong() else { return nil }
        if raw == 0 { return (0, -1) }
        var count = raw
        var end = -1
        if raw < 0 {
            guard raw != .min else { return nil }
            count = -raw
            guard let size = readLong(), size >= 0, size <= Int64(buffer.count &- offset) else { return nil }
            end = offset &+ Int(truncatingIfNeeded: size)
        }
        let remaining = buffer.count &- offset
        guard count <= Int64(maxCount &- total) else { return nil }
        if itemWidth > 0 && count > Int64(remaining / itemWidth) { return nil }
        let n = Int(truncatingIfNeeded: count)
        values &+= n
        guard values <= maxValues else { return nil }
        return (n, end)
    }

    /// Runs one value's segment starting at `start`; `depth` is the depth its parent was validated at.
    mutating func run(_ start: Int, depth: Int) -> Bool {
        var pc = start
        while true {
            let op = ops[pc]
            pc &+= 1
            switch op.tag {
            case .end:
                return true
            case .enter:
                guard depth &+ Int(op.a) <= maxDepth else { return false }
                values &+= Int(op.b)
                guard values <= maxValues else { return false }
            case .array, .map:
                let inner = depth &+ Int(op.level) &+ 1
                guard inner <= maxDepth, collection(op, depth: inner) else { return false }
            case .union:
                let inner = depth &+ Int(op.level) &+ 1
                guard inner <= maxDepth, let index = readLong(), index >= 0, index < Int64(op.b) else {
                    return false
                }
                let segment = Int(branches[Int(op.a) &+ Int(truncatingIfNeeded: index)])
                guard value(segment, depth: inner) else { return false }
            case .call:
                guard run(Int(op.a), depth: depth &+ Int(op.level)) else { return false }
            default:
                guard leaf(op) else { return false }
            }
        }
    }

    /// One value of `segment`, with a leaf or empty segment handled without a call.
    @inline(__always)
    mutating func value(_ segment: Int, depth: Int) -> Bool {
        let first = ops[segment]
        if first.tag == .end { return true }
        if first.tag.rawValue >= FastTag.boolean.rawValue && first.tag.rawValue <= FastTag.fixed.rawValue
            && ops[segment &+ 1].tag == .end
        {
            return leaf(first)
        }
        return run(segment, depth: depth)
    }

    /// The blocks of an array or map whose own depth is `depth`.
    mutating func collection(_ op: FastOp, depth: Int) -> Bool {
        let segment = Int(op.a)
        let isMap = op.tag == .map
        let first = ops[segment]
        let isLeaf =
            first.tag.rawValue >= FastTag.boolean.rawValue && first.tag.rawValue <= FastTag.fixed.rawValue
            && ops[segment &+ 1].tag == .end
        let isEmpty = first.tag == .end
        var total = 0
        while true {
            guard let (count, end) = blockHeader(total: total, itemWidth: Int(op.b)) else { return false }
            if count == 0 { return true }
            total &+= count
            var left = count
            if !isMap && isLeaf && first.tag == .string {
                while left > 0 {
                    guard skipString() else { return false }
                    left &-= 1
                }
            } else {
                while left > 0 {
                    if isMap { guard skipString() else { return false } }
                    if isLeaf {
                        guard leaf(first) else { return false }
                    } else if !isEmpty {
                        guard run(segment, depth: depth) else { return false }
                    }
                    left &-= 1
                }
            }
            guard end < 0 || offset == end else { return false }
        }
    }
}
