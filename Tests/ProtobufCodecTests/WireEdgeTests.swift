import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Wire-level corners where upb (Python's runtime) is the reference: how long a tag may be, and map
/// entries that carry unknown fields. Expected JSON checked with Python protobuf 7.36.2 (upb)
/// `json_format.MessageToJson` on the same bytes.
@Suite struct WireEdgeTests {
    static func maps() throws -> ProtoMessageCodec {
        try CodecFixtures.codec("codec_proto3", "codec.p3.Maps")
    }

    @Test(arguments: [
        // A 6-byte encoding of tag 8 (field 1, varint), after an empty map entry.
        ([0x0A, 0x00, 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01] as [UInt8], "longer than 5 bytes"),
        // A 5-byte tag whose value needs 33 bits.
        ([0x0A, 0x00, 0xF8, 0xFF, 0xFF, 0xFF, 0x1F, 0x00], "does not fit 32 bits"),
    ])
    func overlongTagsAreRejected(_ bytes: [UInt8], _ why: String) throws {
        let codec = try Self.maps()
        let error = try #require(throws: ProtobufError.self) { try codec.validate(bytes) }
        #expect(error.code == .invalidData)
        #expect(error.offset == 2)
        #expect(error.message.contains(why))
        let decodeError = try #require(throws: ProtobufError.self) { try codec.decodeToJSON(bytes) }
        #expect(decodeError.offset == 2)
    }

    @Test func fiveByteTagIsAccepted() throws {
        // Tag 8 in 5 bytes: field 1 (a map) as a varint, so an unknown field.
        let bytes: [UInt8] = [0x88, 0x80, 0x80, 0x80, 0x00, 0x01]
        let codec = try Self.maps()
        try codec.validate(bytes)
        #expect(try codec.decodeToJSON(bytes) == .object(JSONObject()))
    }

    @Test(arguments: [
        // string_int entries {"a": 5, field 3: 1} and {"b": 2}: the first is dropped.
        ("0a070a0161100518010a050a01621002", #"{"stringInt":{"b":2}}"#),
        // Key written as fixed32 (wrong wire type), then the value: the entry is dropped.
        ("0a070d000000001005", "{}"),
        // Value written as fixed64 (wrong wire type): the entry is dropped.
        ("0a0c0a016111000000000000000012050801120141", #"{"intString":{"1":"A"}}"#),
        // An unknown field inside the value message does not drop the entry.
        ("1a0608011202780a", #"{"boolNested":{"true":{}}}"#),
    ])
    func mapEntryWithUnknownFieldsIsLeftOut(_ hex: String, _ json: String) throws {
        let codec = try Self.maps()
        let bytes = CodecFixtures.bytes(hex: hex)
        try codec.validate(bytes)
        let decoded = try codec.decodeToJSON(bytes)
        #expect(decoded == (try JSONParser.parse(json)), "\(decoded.serialized())")
    }
}
