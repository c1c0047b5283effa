/// UTF-8 checks for string fields, with an ASCII fast path (whole words at a time).
enum ProtoUTF8 {
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var acc: UInt64 = 0
        if n >= 8 {
            var i = 0
            while i &+ 8 <= n {
                acc |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            acc |= bytes.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            // Two overlapping 4-byte words cover 4 to 7 bytes.
            acc = UInt64(bytes.loadUnaligned(as: UInt32.self) | bytes.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
        } else {
            for b in bytes { acc |= UInt64(b) }
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF (what protobuf's
    /// `utf8_range` accepts).
    @inline(__always)
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        isASCII(bytes) || isValidSlow(bytes)
    }

    /// The check after the ASCII test failed: ASCII skipped eight bytes at a time, two-byte sequences
    /// (the commonest outside ASCII) tested inline, longer ones against their second-byte ranges.
    @inline(never)
    static func isValidSlow(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i < n {
            while n &- i >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                let high = word & 0x8080_8080_8080_8080
                if high != 0 {
                    i &+= high.trailingZeroBitCount >> 3
                    break
                }
                i &+= 8
            }
            guard i < n else { return true }
            let b0 = p[i]
            if b0 < 0x80 {
                i &+= 1
                continue
            }
            if b0 &- 0xC2 <= 0xDF - 0xC2 {
                guard n &- i >= 2, p[i &+ 1] & 0xC0 == 0x80 else { return false }
                i &+= 2
                continue
            }
            let length: Int
            let lower: UInt8
            let upper: UInt8
            switch b0 {
            case 0xE0: (length, lower, upper) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, lower, upper) = (3, 0x80, 0xBF)
            case 0xED: (length, lower, upper) = (3, 0x80, 0x9F)
            case 0xF0: (length, lower, upper) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, lower, upper) = (4, 0x80, 0xBF)
            case 0xF4: (length, lower, upper) = (4, 0x80, 0x8F)
            default: return false
            }
            guard n &- i >= length, p[i &+ 1] >= lower, p[i &+ 1] <= upper else { return false }
            var k = 2
            while k < length {
                guard p[i &+ k] & 0xC0 == 0x80 else { return false }
                k &+= 1
            }
            i &+= length
        }
        return true
    }
}
