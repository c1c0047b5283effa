import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Extensions in the JSON mapping: a set extension prints under its `[full.name]` key, and encoding reads that
/// key back, as protobuf's JSON printers and parsers do.
@Suite struct ExtensionJSONTests {
    static let schemaText = """
        syntax = "proto2";
        package ext;
        message Base {
          optional int32 id = 1;
          extensions 100 to 200;
        }
        extend Base {
          optional string note = 100;
          repeated int32 codes = 101;
        }
        message Holder {
          extend Base { optional Holder holder = 150; }
          optional string name = 1;
        }
        """

    static func codec(_ message: String = "ext.Base") throws -> ProtoMessageCodec {
        let schema = try ProtoCompiler(resolver: .sources([:])).compile(source: schemaText, path: "ext.proto")
        return try ProtoMessageCodec(schema: schema, messageName: message)
    }

    /// id 1, note "hi" (field 100), codes 1 and 2 (101, unpacked), holder { name: "x" } (150).
    static let bytes: [UInt8] = [
        0x08, 0x01, 0xA2, 0x06, 0x02, 0x68, 0x69, 0xA8, 0x06, 0x01, 0xA8, 0x06, 0x02, 0xB2, 0x09, 0x03, 0x0A, 0x01, 0x78,
    ]

    static let json: JSONValue = .object(
        JSONObject([
            "id": .integer(1),
            "[ext.note]": .string("hi"),
            "[ext.codes]": .array([.integer(1), .integer(2)]),
            "[ext.Holder.holder]": .object(JSONObject(["name": .string("x")])),
        ]))

    @Test func setExtensionsPrintUnderTheirFullNames() throws {
        let codec = try Self.codec()
        let decoded = try codec.decodeToJSON(Self.bytes)
        #expect(decoded == Self.json)
        guard case .object(let object) = decoded else { return }
        #expect(object.keys == ["id", "[ext.note]", "[ext.codes]", "[ext.Holder.holder]"])
    }

    @Test func encodingReadsExtensionKeys() throws {
        let codec = try Self.codec()
        #expect(try codec.encode(json: Self.json) == Self.bytes)
        #expect(try codec.encode(json: .object(JSONObject(["[ext.note]": .string("hi")]))) == [0xA2, 0x06, 0x02, 0x68, 0x69])
    }

    @Test func extensionsAreCheckedLikeFields() throws {
        let codec = try Self.codec()
        // A note of the wrong JSON type, and a key naming no extension of Base.
        #expect(throws: ProtobufError.self) { try codec.encode(json: .object(JSONObject(["[ext.note]": .integer(3)]))) }
        #expect(throws: ProtobufError.self) { try codec.encode(json: .object(JSONObject(["[ext.nope]": .integer(3)]))) }
        // A truncated extension value is an error at its offset.
        let error = #expect(throws: ProtobufError.self) { try codec.validate([0xA2, 0x06, 0x05, 0x68]) }
        #expect(error?.offset != nil)
        // Holder itself is not extended: its fields are only its own.
        let holder = try Self.codec("ext.Holder")
        #expect(try holder.decodeToJSON([0x0A, 0x01, 0x78]) == .object(JSONObject(["name": .string("x")])))
    }
}
