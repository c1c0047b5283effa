/// Base-128 varints and zig-zag encoding, as Protobuf and Confluent's message indexes write them. These are
/// the cold-path helpers; the codecs keep their own hot loops.
public enum Varint {
    /// Appends `value` as an unsigned base-128 varint (1 to 10 bytes).
    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        var n = value
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    /// Reads an unsigned varint at `offset` in `bytes`, advancing `offset`. At most 10 bytes; the tenth may only
    /// carry the 64th bit.
    public static func read(_ bytes: [UInt8], at offset: inout Int, what: String = "varint") throws(WireFormatError)
        -> UInt64
    {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else {
                throw WireFormatError(.truncated, "the input ended inside a \(what)", offset: start)
            }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 {
                throw WireFormatError(.invalid, "a \(what) is longer than 64 bits", offset: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Zig-zag: small magnitudes of either sign become small unsigned numbers (0, -1, 1, -2 → 0, 1, 2, 3).
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// The inverse of `zigZag`.
    public static func unZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
