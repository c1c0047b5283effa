import AvroCodec
import Testing

/// Avro's single-object encoding (the Confluent framing lives in WireFormat).
@Suite struct SingleObjectEncodingTests {
    @Test func singleObjectLayoutIsLittleEndian() {
        #expect(AvroSingleObjectEncoding.marker == [0xC3, 0x01])
        let message = AvroSingleObjectEncoding.encode(payload: [0x02], fingerprint: 0x0102_0304_0506_0708)
        #expect(message == [0xC3, 0x01, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x02])
    }

    @Test func singleObjectRoundTripWithSchemaFingerprint() throws {
        let schema = try AvroSchema(
            parsing: #"{"type":"record","name":"P","fields":[{"name":"x","type":"long"}]}"#
        )
        let codec = AvroDatumCodec(schema: schema)
        let fingerprint = schema.rabinFingerprint
        let message = AvroSingleObjectEncoding.encode(
            payload: try codec.encode(.record([.long(-64)])),
            fingerprint: fingerprint
        )
        #expect(message.count == 11)
        #expect(message.last == 0x7F)
        // The header holds the schema's Rabin fingerprint little-endian, which is also the byte order
        // `fingerprint(.rabin)` gives.
        #expect(Array(message[2..<10]) == schema.fingerprint(.rabin))
        let (decodedFingerprint, payload) = try AvroSingleObjectEncoding.decode(message)
        #expect(decodedFingerprint == fingerprint)
        #expect(try codec.decode(Array(payload)) == .record([.long(-64)]))
    }

    @Test func singleObjectRejectsBadHeaders() {
        func error(_ bytes: [UInt8]) -> AvroError? {
            do {
                _ = try AvroSingleObjectEncoding.decode(bytes)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([])?.code == .truncatedData)
        #expect(error([0xC3])?.code == .truncatedData)
        #expect(error([0xC3, 0x01, 0x00])?.code == .truncatedData)
        #expect(error([0xC3, 0x01, 0x00])?.offset == 3)
        #expect(error([0xC3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0])?.code == .invalidData)
        #expect(error([0xC3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0])?.offset == 1)
        #expect(error([0x00, 0x00, 0x00, 0x00, 0x01])?.code == .invalidData)
        #expect(error([0x00, 0x00, 0x00, 0x00, 0x01])?.offset == 0)
        let empty = try? AvroSingleObjectEncoding.decode([0xC3, 0x01, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(empty?.fingerprint == 1)
        #expect(empty?.payload.isEmpty == true)
    }
}
