/// Reads the primitive encodings of the Avro binary format from a borrowed buffer, checking every bound.
///
/// Use it inside `withUnsafeBytes`; it never outlives the buffer. Errors carry the byte offset; callers
/// add the datum path.
package struct AvroBinaryReader {
    package let buffer: UnsafeRawBufferPointer
    package var offset: Int

    package init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    package var remaining: Int { buffer.count - offset }
    package var isAtEnd: Bool { offset >= buffer.count }

    @inline(__always)
    package mutating func readByte() throws(AvroError) -> UInt8 {
        guard offset < buffer.count else {
            throw AvroError(.truncatedData, "input ended in the middle of a value", offset: offset)
        }
        let b = buffer[offset]
        offset += 1
        return b
    }

    /// A zig-zag varint of at most 10 bytes whose value fits 64 bits.
    @inline(__always)
    package mutating func readLong() throws(AvroError) -> Int64 {
        // One-byte varints (values -64...63: most lengths, counts, indexes and small numbers).
        if offset < buffer.count {
            let b = buffer[offset]
            if b < 0x80 {
                offset &+= 1
                return Int64(b >> 1) ^ (0 &- Int64(b & 1))
            }
        }
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < buffer.count else {
                throw AvroError(.truncatedData, "input ended in the middle of a varint", offset: start)
            }
            let b = buffer[offset]
            offset += 1
            if shift == 63 && b > 1 {
                throw AvroError(.invalidData, "varint is longer than 64 bits", offset: start)
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A zig-zag varint that must fit 32 bits (at most 5 bytes).
    @inline(__always)
    package mutating func readInt() throws(AvroError) -> Int32 {
        if offset < buffer.count {
            let b = buffer[offset]
            if b < 0x80 {
                offset &+= 1
                return Int32(b >> 1) ^ (0 &- Int32(b & 1))
            }
        }
        let start = offset
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard offset < buffer.count else {
                throw AvroError(.truncatedData, "input ended in the middle of a varint", offset: start)
            }
            let b = buffer[offset]
            offset += 1
            if shift == 28 && b > 0x0F {
                throw AvroError(.invalidData, "int varint is longer than 32 bits", offset: start)
            }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int32(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    @inline(__always)
    package mutating func readBoolean() throws(AvroError) -> Bool {
        let start = offset
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let b: throw AvroError(.invalidData, "boolean byte must be 0 or 1, found \(b)", offset: start)
        }
    }

    @inline(__always)
    package mutating func readFloat() throws(AvroError) -> Float {
        guard remaining >= 4 else {
            throw AvroError(.truncatedData, "input ended in the middle of a float", offset: offset)
        }
        let bits = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return Float(bitPattern: UInt32(littleEndian: bits))
    }

    @inline(__always)
    package mutating func readDouble() throws(AvroError) -> Double {
        guard remaining >= 8 else {
            throw AvroError(.truncatedData, "input ended in the middle of a double", offset: offset)
        }
        let bits = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// A length prefix for bytes or string, checked against the remaining input and `limit`.
    @inline(__always)
    package mutating func readLength(limit: Int) throws(AvroError) -> Int {
        let start = offset
        let length = try readLong()
        // One unsigned comparison on the common path; the slow path says which bound was broken.
        if UInt64(bitPattern: length) <= UInt64(min(limit, remaining)) { return Int(length) }
        if length < 0 { throw AvroError(.invalidData, "negative length \(length)", offset: start) }
        if length > Int64(limit) {
            throw AvroError(.limitExceeded, "length \(length) is over the limit of \(limit)", offset: start)
        }
        if length > Int64(remaining) {
            throw AvroError(
                .truncatedData,
                "length \(length) is more than the \(remaining) bytes left",
                offset: start
            )
        }
        return Int(length)
    }

    /// Skips `count` bytes that the caller knows are available or reports truncation.
    package mutating func skip(_ count: Int) throws(AvroError) {
        guard count >= 0, count <= remaining else {
            throw AvroError(.truncatedData, "needs \(count) bytes but only \(remaining) are left", offset: offset)
        }
        offset += count
    }

    package mutating func readBytes(_ count: Int) throws(AvroError) -> [UInt8] {
        let start = offset
        try skip(count)
        return Array(UnsafeRawBufferPointer(rebasing: buffer[start..<start + count]))
    }

    /// A length-prefixed UTF-8 string, validated.
    ///
    /// The bytes are validated once, by the standard library while it builds the String: it replaces
    /// ill-formed sequences with U+FFFD and keeps well-formed input byte for byte, so the input was valid
    /// exactly when the String's UTF-8 equals it.
    @inline(__always)
    package mutating func readString(limit: Int) throws(AvroError) -> String {
        let start = offset
        let length = try readLength(limit: limit)
        let raw = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length])
        let string = raw.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        let unchanged =
            string.utf8.withContiguousStorageIfAvailable { utf8 in
                Self.bytesEqual(UnsafeRawBufferPointer(utf8), raw)
            } ?? Self.isValidUTF8(raw)
        guard unchanged else {
            throw AvroError(.invalidData, "string is not valid UTF-8", offset: start)
        }
        offset += length
        return string
    }

    /// Byte equality, eight bytes at a time.
    @inline(__always)
    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = a.count
        guard n == b.count else { return false }
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Checks a length-prefixed string's UTF-8 without building it; returns where its bytes are.
    @inline(__always)
    @discardableResult
    package mutating func skipString(limit: Int) throws(AvroError) -> Range<Int> {
        let start = offset
        let length = try readLength(limit: limit)
        let bytesStart = offset
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[bytesStart..<bytesStart + length])
        guard Self.isASCII(bytes) || Self.isValidUTF8(bytes) else {
            throw AvroError(.invalidData, "string is not valid UTF-8", offset: start)
        }
        offset += length
        return bytesStart..<offset
    }

    /// Whether every byte is below 0x80: whole words OR-ed together, the tail as one overlapping word.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var acc: UInt64 = 0
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                acc |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            acc |= bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            acc = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                | UInt64(bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else {
            for b in bytes { acc |= UInt64(b) }
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// A UTF-8 check with an ASCII fast path; rejects overlongs, surrogates and code points above U+10FFFF.
    package static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if isASCII(bytes) { return true }
        var i = 0
        let n = bytes.count
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let lower: UInt8
            let upper: UInt8
            switch b0 {
            case 0xC2...0xDF: (length, lower, upper) = (2, 0x80, 0xBF)
            case 0xE0: (length, lower, upper) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, lower, upper) = (3, 0x80, 0xBF)
            case 0xED: (length, lower, upper) = (3, 0x80, 0x9F)
            case 0xF0: (length, lower, upper) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, lower, upper) = (4, 0x80, 0xBF)
            case 0xF4: (length, lower, upper) = (4, 0x80, 0x8F)
            default: return false
            }
            guard i + length <= n, bytes[i + 1] >= lower, bytes[i + 1] <= upper else { return false }
            var k = 2
            while k < length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return false }
                k += 1
            }
            i += length
        }
        return true
    }
}
