import ProtobufSchema

/// Bounds-checked primitives of the Protobuf wire format over a borrowed byte pointer.
///
/// Positions are absolute offsets from `base`; every read is checked against the `end` the caller
/// passes (the end of the enclosing length-delimited value), so a value can never run past its
/// container. Errors carry the offset where the bad value starts.
enum ProtoWire {
    /// A varint of at most 10 bytes. Bits beyond 64 in a tenth byte are dropped, as protobuf does.
    @inline(__always)
    static func varint(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt64 {
        if pos < end {
            let b = p[pos]
            if b < 0x80 {
                pos &+= 1
                return UInt64(b)
            }
            if end &- pos >= 2 {
                let b1 = p[pos &+ 1]
                if b1 < 0x80 {
                    pos &+= 2
                    return UInt64(b & 0x7F) | UInt64(b1) &<< 7
                }
            }
        }
        return try varintSlow(p, &pos, end)
    }

    @inline(never)
    static func varintSlow(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt64 {
        let start = pos
        var i = pos
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < end else {
                throw ProtobufError(.truncatedData, "input ends in the middle of a varint", offset: start)
            }
            let b = p[i]
            i &+= 1
            result |= UInt64(b & 0x7F) &<< shift
            if b < 0x80 { break }
            shift &+= 7
            if shift >= 70 {
                throw ProtobufError(.invalidData, "varint is longer than 10 bytes", offset: start)
            }
        }
        pos = i
        return result
    }

    /// A field tag: a varint of at most 5 bytes whose value fits 32 bits, with a field number of at
    /// least 1 (as upb reads tags: a longer encoding is malformed even when its value is small).
    /// Returns the raw tag.
    @inline(__always)
    static func tag(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt32 {
        if pos < end {
            let b = p[pos]
            if b >= 8 && b < 0x80 {
                pos &+= 1
                return UInt32(b)
            }
        }
        return try tagSlow(p, &pos, end)
    }

    @inline(never)
    static func tagSlow(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt32 {
        let start = pos
        var i = pos
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < end else {
                throw ProtobufError(.truncatedData, "input ends in the middle of a field tag", offset: start)
            }
            let b = p[i]
            i &+= 1
            result |= UInt64(b & 0x7F) &<< shift
            if b < 0x80 { break }
            shift &+= 7
            if shift >= 35 {
                throw ProtobufError(.invalidData, "field tag is longer than 5 bytes", offset: start)
            }
        }
        guard result <= UInt64(UInt32.max) else {
            throw ProtobufError(.invalidData, "field tag \(result) does not fit 32 bits", offset: start)
        }
        guard result >= 8 else {
            throw ProtobufError(.invalidData, "field number 0 is not allowed", offset: start)
        }
        pos = i
        return UInt32(truncatingIfNeeded: result)
    }

    /// A length prefix, checked against the bytes left before `end`.
    @inline(__always)
    static func length(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> Int {
        let start = pos
        let raw = try varint(p, &pos, end)
        guard raw <= UInt64(end &- pos) else {
            throw lengthError(raw, left: end &- pos, offset: start)
        }
        return Int(truncatingIfNeeded: raw)
    }

    @inline(never)
    static func lengthError(_ raw: UInt64, left: Int, offset: Int) -> ProtobufError {
        ProtobufError(.truncatedData, "length \(raw) is more than the \(left) bytes left", offset: offset)
    }

    @inline(never)
    static func truncated(_ what: StaticString, offset: Int) -> ProtobufError {
        ProtobufError(.truncatedData, "input ends in the middle of a \(what)", offset: offset)
    }

    @inline(__always)
    static func skip(_ count: Int, _ pos: inout Int, _ end: Int, what: StaticString) throws(ProtobufError) {
        guard end &- pos >= count else {
            throw truncated(what, offset: pos)
        }
        pos &+= count
    }

    @inline(__always)
    static func fixed32(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt32 {
        guard end &- pos >= 4 else {
            throw truncated("fixed32", offset: pos)
        }
        let v = UnsafeRawPointer(p + pos).loadUnaligned(as: UInt32.self)
        pos &+= 4
        return UInt32(littleEndian: v)
    }

    @inline(__always)
    static func fixed64(_ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int) throws(ProtobufError) -> UInt64 {
        guard end &- pos >= 8 else {
            throw truncated("fixed64", offset: pos)
        }
        let v = UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self)
        pos &+= 8
        return UInt64(littleEndian: v)
    }

    /// Checks a packed block of `count` bytes at `pos` holding values of wire type `wireType`.
    @inline(__always)
    static func checkPacked(
        _ p: UnsafePointer<UInt8>, _ pos: Int, _ count: Int, wireType: UInt8
    ) throws(ProtobufError) {
        switch wireType {
        case 0:
            var i = pos
            let end = pos &+ count
            while i < end {
                if p[i] < 0x80 {
                    i &+= 1
                } else {
                    _ = try varintSlow(p, &i, end)
                }
            }
        case 1:
            if count & 7 != 0 {
                throw ProtobufError(.invalidData, "packed fixed64 block of \(count) bytes", offset: pos)
            }
        default:
            if count & 3 != 0 {
                throw ProtobufError(.invalidData, "packed fixed32 block of \(count) bytes", offset: pos)
            }
        }
    }

    /// Skips one value of an unknown field; a group is skipped to its matching end tag.
    static func skipUnknown(
        _ p: UnsafePointer<UInt8>, _ pos: inout Int, _ end: Int, tag: UInt32, depth: Int, maxDepth: Int
    ) throws(ProtobufError) {
        switch tag & 7 {
        case 0: _ = try varint(p, &pos, end)
        case 1: try skip(8, &pos, end, what: "fixed64")
        case 2:
            let n = try length(p, &pos, end)
            pos &+= n
        case 5: try skip(4, &pos, end, what: "fixed32")
        case 3:
            guard depth < maxDepth else {
                throw ProtobufError(.limitExceeded, "nesting is deeper than \(maxDepth)", offset: pos)
            }
            let number = tag >> 3
            while true {
                guard pos < end else {
                    throw ProtobufError(.truncatedData, "group \(number) has no end tag", offset: pos)
                }
                let inner = try self.tag(p, &pos, end)
                if inner & 7 == 4 {
                    guard inner >> 3 == number else {
                        throw ProtobufError(
                            .invalidData, "end tag of group \(inner >> 3) closes group \(number)", offset: pos)
                    }
                    return
                }
                try skipUnknown(p, &pos, end, tag: inner, depth: depth + 1, maxDepth: maxDepth)
            }
        case 4:
            throw ProtobufError(.invalidData, "end-group tag \(tag >> 3) without a start", offset: pos)
        default:
            throw ProtobufError(.invalidData, "wire type \(tag & 7) does not exist", offset: pos)
        }
    }
}

extension ProtobufError {
    /// The same error with `component` put in front of its proto path (used while unwinding).
    @inline(never)
    func prefixingPath(_ component: String) -> ProtobufError {
        var copy = self
        copy.protoPath = component + (protoPath ?? "")
        return copy
    }
}
