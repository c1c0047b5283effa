/// Confluent's Protobuf message indexes: the path of the payload's message type among the schema file's
/// messages (`[0]` is the first top-level message, `[1, 0]` the first message nested in the second), written
/// after the schema id as a zig-zag varint count then zig-zag varint indexes; `[0]` is the single byte `0x00`.
public enum MessageIndexes {
    /// The most indexes a path may have (Protobuf nesting is bounded far below this).
    public static let maxCount = 64

    /// The bytes that stand for `indexes`.
    public static func encode(_ indexes: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        append(indexes, to: &out)
        return out
    }

    /// Appends the bytes that stand for `indexes`.
    public static func append(_ indexes: [Int], to out: inout [UInt8]) {
        if indexes == [0] || indexes.isEmpty {
            out.append(0)
            return
        }
        Varint.append(Varint.zigZag(Int64(indexes.count)), to: &out)
        for index in indexes { Varint.append(Varint.zigZag(Int64(index)), to: &out) }
    }

    /// Reads message indexes at `offset` in `bytes`, advancing `offset`.
    /// - Throws: `WireFormatError` with the byte offset: a count outside 0…64, a negative or too large index,
    ///   an over-long varint, or bytes that end too soon.
    public static func decode(_ bytes: [UInt8], at offset: inout Int) throws(WireFormatError) -> [Int] {
        let countStart = offset
        let count = Varint.unZigZag(try Varint.read(bytes, at: &offset, what: "message index count"))
        if count == 0 { return [0] }
        guard count > 0, count <= Int64(maxCount) else {
            throw WireFormatError(.invalid, "message index count \(count) is out of range (1 to \(maxCount))", offset: countStart)
        }
        var indexes: [Int] = []
        indexes.reserveCapacity(Int(count))
        for _ in 0..<count {
            let start = offset
            let index = Varint.unZigZag(try Varint.read(bytes, at: &offset, what: "message index"))
            guard index >= 0, index <= Int64(Int32.max) else {
                throw WireFormatError(.invalid, "message index \(index) is negative or too large", offset: start)
            }
            indexes.append(Int(index))
        }
        return indexes
    }
}
