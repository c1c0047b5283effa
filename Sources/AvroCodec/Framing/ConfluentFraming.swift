/// The Confluent Schema Registry wire format: a zero magic byte, the schema id as 4 big-endian bytes,
/// then the Avro binary payload.
public enum ConfluentFraming {
    /// The first byte of every framed message.
    public static let magicByte: UInt8 = 0x00

    /// The number of bytes in front of the payload.
    public static let headerSize = 5

    /// `payload` with the magic byte and the big-endian `schemaID` in front.
    public static func frame(schemaID: UInt32, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count)
        out.append(magicByte)
        out.append(UInt8(truncatingIfNeeded: schemaID >> 24))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 16))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 8))
        out.append(UInt8(truncatingIfNeeded: schemaID))
        out.append(contentsOf: payload)
        return out
    }

    /// Splits a framed message into its schema id and payload (which may be empty).
    /// - Throws: `.truncatedData` when the header is incomplete, `.invalidData` when the magic byte is
    ///   wrong; both with the byte offset.
    public static func unframe(_ bytes: [UInt8]) throws(AvroError) -> (schemaID: UInt32, payload: ArraySlice<UInt8>) {
        let start = bytes.startIndex
        guard let first = bytes.first else {
            throw AvroError(.truncatedData, "empty message: expected the Confluent magic byte", offset: 0)
        }
        guard first == magicByte else {
            throw AvroError(
                .invalidData,
                "expected the Confluent magic byte 0x00, found 0x\(String(first, radix: 16, uppercase: true))",
                offset: 0
            )
        }
        guard bytes.count >= headerSize else {
            throw AvroError(
                .truncatedData,
                "message of \(bytes.count) bytes is shorter than the 5-byte Confluent header",
                offset: bytes.count
            )
        }
        var id: UInt32 = 0
        for i in 1..<headerSize {
            id = id << 8 | UInt32(bytes[start + i])
        }
        return (id, bytes[(start + headerSize)...])
    }
}
