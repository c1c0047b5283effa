/// Confluent's Protobuf wire format: after the magic byte and the 4-byte schema id come the message
/// indexes, the path of the payload's message type among the schema file's messages, then the payload.
///
/// The indexes are written as a zig-zag varint count followed by zig-zag varint indexes; the common case
/// `[0]` (the first top-level message) is written as the single byte `0x00`.
public enum ConfluentMessageIndexes {
    /// The bytes that stand for `indexes`.
    public static func encode(_ indexes: [Int]) -> [UInt8] {
        if indexes == [0] { return [0] }
        var out: [UInt8] = []
        writeZigZag(Int64(indexes.count), into: &out)
        for index in indexes { writeZigZag(Int64(index), into: &out) }
        return out
    }

    /// Reads message indexes at the start of `bytes`; returns them and how many bytes they took.
    /// - Throws: `.invalidData` or `.truncatedData` with the byte offset.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ProtobufError) -> (indexes: [Int], length: Int) {
        // At most 65 varints of at most 10 bytes each belong to the indexes.
        let head = Array(bytes.prefix(10 * 65))
        var offset = 0
        let count = try readZigZag(head, &offset)
        if count == 0 { return ([0], offset) }
        guard count > 0, count <= 64 else {
            throw ProtobufError(.invalidData, "message index count \(count) is out of range (1 to 64)", offset: 0)
        }
        var indexes: [Int] = []
        for _ in 0..<count {
            let start = offset
            let index = try readZigZag(head, &offset)
            guard index >= 0, index <= Int64(Int32.max) else {
                throw ProtobufError(.invalidData, "message index \(index) is negative or too large", offset: start)
            }
            indexes.append(Int(index))
        }
        return (indexes, offset)
    }

    private static func writeZigZag(_ value: Int64, into out: inout [UInt8]) {
        var n = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    private static func readZigZag(_ bytes: [UInt8], _ offset: inout Int) throws(ProtobufError) -> Int64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else {
                throw ProtobufError(.truncatedData, "input ended inside the message indexes", offset: start)
            }
            let b = bytes[offset]
            offset += 1
            if shift == 63 && b > 1 {
                throw ProtobufError(.invalidData, "message index varint is longer than 64 bits", offset: start)
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }
}
