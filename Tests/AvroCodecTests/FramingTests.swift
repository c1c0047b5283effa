import AvroCodec
import Testing

@Suite struct FramingTests {
    // MARK: Confluent

    @Test func confluentFrameLayout() {
        #expect(ConfluentFraming.magicByte == 0x00)
        let framed = ConfluentFraming.frame(schemaID: 0x0102_0304, payload: [0xAA, 0xBB])
        #expect(framed == [0x00, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB])
        #expect(ConfluentFraming.frame(schemaID: .max, payload: []) == [0x00, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test func confluentUnframeRoundTrip() throws {
        let (id, payload) = try ConfluentFraming.unframe([0x00, 0x00, 0x00, 0x01, 0x2C, 0x06, 0x66, 0x6F, 0x6F])
        #expect(id == 300)
        #expect(Array(payload) == [0x06, 0x66, 0x6F, 0x6F])
        let empty = try ConfluentFraming.unframe([0x00, 0x00, 0x00, 0x00, 0x07])
        #expect(empty.schemaID == 7)
        #expect(empty.payload.isEmpty)
    }

    @Test func confluentUnframeWithCodec() throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: #""string""#))
        let framed = ConfluentFraming.frame(schemaID: 42, payload: try codec.encode(.string("foo")))
        let (id, payload) = try ConfluentFraming.unframe(framed)
        #expect(id == 42)
        #expect(try codec.decode(Array(payload)) == .string("foo"))
    }

    @Test func confluentRejectsBadHeaders() {
        func error(_ bytes: [UInt8]) -> AvroError? {
            do {
                _ = try ConfluentFraming.unframe(bytes)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([])?.code == .truncatedData)
        #expect(error([])?.offset == 0)
        #expect(error([0x00, 0x00, 0x01])?.code == .truncatedData)
        #expect(error([0x00, 0x00, 0x01])?.offset == 3)
        #expect(error([0x01, 0x00, 0x00, 0x00, 0x01])?.code == .invalidData)
        #expect(error([0x01, 0x00, 0x00, 0x00, 0x01])?.offset == 0)
        // A single-object message is not a Confluent one.
        #expect(error([0xC3, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])?.code == .invalidData)
    }

    // MARK: Single-object encoding

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
        // The fingerprint bytes are the little-endian form of the schema's Rabin fingerprint, which
        // `fingerprint(.rabin)` gives most significant byte first.
        #expect(Array(message[2..<10]) == schema.fingerprint(.rabin).reversed())
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
