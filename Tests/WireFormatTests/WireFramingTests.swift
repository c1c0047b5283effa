import Testing
import WireFormat

/// Confluent's wire format: the V0 (schema id) and GUID framings, as Confluent's serializers write them.
@Suite struct WireFramingTests {
    // A guid and its 16 bytes in framing order, as confluent-kafka's Python client writes them
    // (`uuid.UUID(guid).bytes`).
    static let guidText = "b63393ba-7935-4b6c-6b94-aa39e28e4d5a"
    static let guidBytes: [UInt8] = [
        0xB6, 0x33, 0x93, 0xBA, 0x79, 0x35, 0x4B, 0x6C, 0x6B, 0x94, 0xAA, 0x39, 0xE2, 0x8E, 0x4D, 0x5A,
    ]

    @Test func v0Layout() throws {
        #expect(WireFraming.frame(.id(0x0102_0304), payload: [0xAA, 0xBB]) == [0x00, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB])
        #expect(WireFraming.frame(.id(.max), payload: []) == [0x00, 0xFF, 0xFF, 0xFF, 0xFF])
        let frame = try WireFraming.read([0x00, 0x00, 0x00, 0x01, 0x2C, 0x06, 0x66, 0x6F, 0x6F])
        #expect(frame.schema == .id(300))
        #expect(frame.payloadOffset == 5)
        #expect(frame.messageIndexes == nil)
        #expect(try WireFraming.read([0x00, 0x00, 0x00, 0x00, 0x07]).payloadOffset == 5)
    }

    @Test func guidLayout() throws {
        let guid = try #require(SchemaGUID(Self.guidText))
        #expect(guid.bytes == Self.guidBytes)
        #expect(guid.description == Self.guidText)
        #expect(SchemaGUID(Self.guidText.uppercased()) == guid)
        let framed = WireFraming.frame(.guid(guid), payload: [0x02])
        #expect(framed == [0x01] + Self.guidBytes + [0x02])
        let frame = try WireFraming.read(framed)
        #expect(frame.schema == .guid(guid))
        #expect(frame.payloadOffset == 17)
    }

    @Test(arguments: ["", "b63393ba79354b6c6b94aa39e28e4d5a", "b63393ba-7935-4b6c-6b94-aa39e28e4d5g", "b63393ba-7935-4b6c-6b94_aa39e28e4d5a"])
    func malformedGuidText(text: String) {
        #expect(SchemaGUID(text) == nil)
        #expect(SchemaGUID(bytes: [1, 2, 3]) == nil)
    }

    @Test func protobufFramesCarryMessageIndexes() throws {
        let v0 = WireFraming.frame(.id(7), messageIndexes: [0], payload: [0x08, 0x01])
        #expect(v0 == [0x00, 0, 0, 0, 7, 0x00, 0x08, 0x01])
        let nested = WireFraming.frame(.id(7), messageIndexes: [1, 0], payload: [])
        #expect(nested == [0x00, 0, 0, 0, 7, 0x04, 0x02, 0x00])
        let read = try WireFraming.read(nested, messageIndexes: true)
        #expect(read.messageIndexes == [1, 0])
        #expect(read.payloadOffset == nested.count)
        let guid = try #require(SchemaGUID(Self.guidText))
        let byGUID = try WireFraming.read(WireFraming.frame(.guid(guid), messageIndexes: [2], payload: [9]), messageIndexes: true)
        #expect(byGUID.schema == .guid(guid))
        #expect(byGUID.messageIndexes == [2])
        #expect(byGUID.payloadOffset == 19)
    }

    @Test func badHeadersAreTypedErrorsWithOffsets() {
        func error(_ bytes: [UInt8], indexes: Bool = false) -> WireFormatError? {
            do {
                _ = try WireFraming.read(bytes, messageIndexes: indexes)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([]) == WireFormatError(.truncated, "empty message: expected a Confluent magic byte (0x00 or 0x01)", offset: 0))
        #expect(error([0x00, 0x00, 0x01])?.kind == .truncated)
        #expect(error([0x00, 0x00, 0x01])?.offset == 3)
        #expect(error([0x01] + [UInt8](repeating: 0, count: 10))?.kind == .truncated)
        #expect(error([0x01] + [UInt8](repeating: 0, count: 10))?.offset == 11)
        #expect(error([0x02, 0x00, 0x00, 0x00, 0x01])?.kind == .invalid)
        #expect(error([0x02, 0x00, 0x00, 0x00, 0x01])?.message.contains("0x02") == true)
        // Avro's single-object marker is not a Confluent frame.
        #expect(error([0xC3, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])?.offset == 0)
        // Indexes cut short after a complete header.
        #expect(error([0x00, 0, 0, 0, 1, 0x04, 0x00], indexes: true)?.offset == 7)
    }
}
