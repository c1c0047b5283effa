/// Avro single-object encoding: the marker `C3 01`, the writer schema's CRC-64-AVRO (Rabin) fingerprint
/// as 8 little-endian bytes, then the Avro binary payload.
public enum AvroSingleObjectEncoding {
    /// The two bytes every single-object message starts with.
    public static let marker: [UInt8] = [0xC3, 0x01]

    /// The number of bytes in front of the payload.
    public static let headerSize = 10

    /// `payload` with the marker and the little-endian `fingerprint` (see `AvroSchema.rabinFingerprint`)
    /// in front.
    public static func encode(payload: [UInt8], fingerprint: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count)
        out.append(contentsOf: marker)
        for i in 0..<8 {
            out.append(UInt8(truncatingIfNeeded: fingerprint >> (UInt64(i) * 8)))
        }
        out.append(contentsOf: payload)
        return out
    }

    /// Splits a single-object message into the writer schema's fingerprint and the payload (which may
    /// be empty).
    /// - Throws: `.invalidData` when the marker is wrong, `.truncatedData` when the header is incomplete;
    ///   both with the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(AvroError) -> (fingerprint: UInt64, payload: ArraySlice<UInt8>) {
        let start = bytes.startIndex
        for i in 0..<marker.count {
            guard i < bytes.count else {
                throw AvroError(
                    .truncatedData,
                    "message of \(bytes.count) bytes ends inside the single-object marker C3 01",
                    offset: bytes.count
                )
            }
            guard bytes[start + i] == marker[i] else {
                throw AvroError(
                    .invalidData,
                    "expected the single-object marker C3 01, found 0x\(String(bytes[start + i], radix: 16, uppercase: true)) at byte \(i)",
                    offset: i
                )
            }
        }
        guard bytes.count >= headerSize else {
            throw AvroError(
                .truncatedData,
                "message of \(bytes.count) bytes is shorter than the 10-byte single-object header",
                offset: bytes.count
            )
        }
        var fingerprint: UInt64 = 0
        for i in 0..<8 {
            fingerprint |= UInt64(bytes[start + marker.count + i]) << (UInt64(i) * 8)
        }
        return (fingerprint, bytes[(start + headerSize)...])
    }
}
