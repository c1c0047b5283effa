import Foundation
import JSONSupport
import SchemaCompatibility
import SchemaProviders
import Testing

@Suite struct SchemaProvidersTests {
    let providers = SchemaProviders.standard
    let userV1 = #"{"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}"#
    let userV2 = #"{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":7}]}"#
    let order = "syntax = \"proto3\";\npackage shop;\nmessage Order { string id = 1; }\nmessage Line { int32 n = 1; }\n"

    @Test func providersAreFoundByTypeAndByExtension() {
        #expect(providers.provider(for: .avro)?.type == .avro)
        #expect(providers.provider(for: SchemaType(name: "protobuf"))?.type == .protobuf)
        #expect(providers.provider(for: SchemaType(name: "json"))?.type == .json)
        #expect(providers.provider(for: SchemaType(name: "XML")) == nil)
        #expect(providers.provider(forFile: "schemas/Order.AVSC")?.type == .avro)
        #expect(providers.provider(forFile: "payment.proto")?.type == .protobuf)
        #expect(providers.provider(forFile: "order.json") == nil)
        #expect(providers.provider(forFile: "v2.Schema.JSON")?.type == .json)
        #expect(providers.provider(forFile: "event.jsonschema")?.type == .json)
        #expect(providers.types == [.avro, .protobuf, .json])
    }

    /// `--message` takes any message the schema's imports hold too (as `protoc --decode`); only the schema's own
    /// messages can be named by message indexes in framed data.
    @Test func protobufCodecsForImportedAndWellKnownMessages() throws {
        let money = "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; }\n"
        let text = """
            syntax = "proto3";
            package shop;
            import "common/money.proto";
            import "google/protobuf/timestamp.proto";
            message Order { common.Money total = 1; google.protobuf.Timestamp at = 2; }
            """
        let schema = try providers.parse(
            text, type: .protobuf, imports: .sources([SchemaSource(name: "common/money.proto", type: .protobuf, text: money)]))

        let moneyCodec = try schema.messageCodec(MessageCodecOptions(messageName: "common.Money"))
        #expect(moneyCodec.typeName == "common.Money")
        let bytes = try moneyCodec.encode(.object(JSONObject(["units": .string("42")])))
        #expect(bytes == [0x08, 0x2a])
        #expect(try moneyCodec.decode(bytes) == .object(JSONObject(["units": .string("42")])))
        #expect(moneyCodec.messageIndexes == [])
        #expect(throws: PayloadError(
            code: "unframeableType",
            message: "common.Money is not declared in the schema itself, so message indexes cannot name it in framed data; frame a message of the schema, or write it unframed"))
        {
            try moneyCodec.frameIndexes()
        }
        // Framed data names a message of the schema, never the imported one.
        #expect(throws: PayloadError(code: "invalidData", message: "message indexes [0] name shop.Order, not common.Money")) {
            try moneyCodec.codec(forMessageIndexes: [0])
        }

        // A well-known type, with its JSON mapping, and a leading dot allowed as in protoc.
        let timestamp = try schema.messageCodec(MessageCodecOptions(messageName: ".google.protobuf.Timestamp"))
        let time = try timestamp.encode(.string("1970-01-01T00:00:01Z"))
        #expect(time == [0x08, 0x01])
        #expect(try timestamp.decode(time) == .string("1970-01-01T00:00:01Z"))

        // The schema's own messages keep their indexes.
        #expect(try schema.messageCodec(MessageCodecOptions(messageName: "shop.Order")).frameIndexes() == [0])
        #expect(throws: SchemaProviderError("the schema has no message shop.Nope, nor do its imports")) {
            try schema.messageCodec(MessageCodecOptions(messageName: "shop.Nope"))
        }
    }

    @Test func anUnknownTypeIsAnErrorNamingTheKnownOnes() {
        #expect(throws: SchemaProviderError("unknown schema type XML (known: AVRO, PROTOBUF, JSON)")) {
            try providers.parse("<x/>", type: SchemaType(name: "xml"))
        }
    }

    @Test func avroTextsAreCompactedNormalizedAndEquivalent() throws {
        let parsed = try providers.parse("{ \"type\" : \"string\" }", type: .avro)
        #expect(parsed.compactText == #"{"type":"string"}"#)
        #expect(parsed.canonicalText == #""string""#)
        let reordered = try providers.parse(#"{"fields":[{"type":"string","name":"name"}],"name":"User","type":"record"}"#, type: .avro)
        #expect(reordered.equivalenceKey == (try providers.parse(userV1, type: .avro)).equivalenceKey)
        #expect(reordered.rendered(as: "serialized") == nil)
    }

    @Test func protobufTextIsCanonicalAndRendersAsADescriptor() throws {
        let parsed = try providers.parse(order, type: .protobuf)
        #expect(parsed.compactText.contains("message Order {"))
        #expect(parsed.equivalenceKey == nil)
        let serialized = try #require(parsed.rendered(as: "serialized"))
        #expect(serialized.includesReferences == false)
        let again = try providers.parse(serialized.text, type: .protobuf)
        #expect(again.compactText == parsed.compactText)
    }

    @Test func referencesOfAnotherTypeAreRefused() {
        #expect(throws: SchemaProviderError("reference 'a.proto' is a PROTOBUF schema")) {
            try providers.parse(
                #""x.Y""#, type: .avro, imports: .sources([SchemaSource(name: "a.proto", type: .protobuf, text: order)]))
        }
    }

    @Test func compatibilityIsTheFormatsVerdictWithVersionsInPlace() throws {
        let v1 = try providers.parse(userV1, type: .avro)
        let v2 = try providers.parse(userV2, type: .avro)
        let noDefault = try providers.parse(userV2.replacingOccurrences(of: #","default":7"#, with: ""), type: .avro)
        #expect(try providers.check(v2, against: [v1], level: .backward).isCompatible)
        let broken = try providers.check(noDefault, against: [v1, v2], level: .backwardTransitive)
        #expect(broken.incompatibilities.map(\.version) == [1])
        // Non-transitive levels judge the latest only; positions still count from the oldest.
        let latestOnly = try providers.check(noDefault, against: [v2, v1], level: .backward)
        #expect(latestOnly.incompatibilities.map(\.version) == [2])
    }

    @Test func aChangeOfTypeIsOneFinding() throws {
        let avro = try providers.parse(userV1, type: .avro)
        let proto = try providers.parse(order, type: .protobuf)
        let result = try providers.check(proto, against: [avro], level: .backward)
        #expect(result.incompatibilities.map(\.kind) == ["SCHEMA_TYPE_CHANGED"])
        #expect(result.incompatibilities.first?.version == 1)
        #expect(try providers.check(proto, against: [avro], level: .none).isCompatible)
    }

    @Test func avroCodecsRoundTripAndResolveOldData() throws {
        let v1 = try providers.parse(userV1, type: .avro)
        let v2 = try providers.parse(userV2, type: .avro)
        let codec = try v1.messageCodec(.default)
        #expect(codec.messageIndexes == nil)
        #expect(codec.typeName == "User")
        let bytes = try codec.encode(try JSONParser.parse(#"{"name":"ada"}"#))
        #expect(bytes == [6, 0x61, 0x64, 0x61])
        #expect(try codec.decode(bytes).serialized() == #"{"name":"ada"}"#)
        let reader = try v2.messageCodec(readingDataOf: v1, .default)
        #expect(try reader.decode(bytes).serialized() == #"{"name":"ada","age":7}"#)
        let error = try #require(throws: PayloadError.self) { try codec.encode(try JSONParser.parse(#"{"name":3}"#)) }
        #expect(error.pointer == "/name")
        #expect(throws: PayloadError.self) { try codec.validate([6, 0x61]) }
    }

    /// A `.proto` schema with several errors is refused with all of them, one a line, first first, as protoc
    /// prints them (the registry's 42201 message carries this text).
    @Test func protobufErrorsAreListedOneALine() throws {
        let text = "syntax = \"proto3\";\nmessage A {\n  Nope n = 1;\n  int32 x = 0;\n}\n"
        let error = #expect(throws: SchemaProviderError.self) { try providers.parse(text, type: .protobuf) }
        #expect(error?.message.split(separator: "\n") == [
            "default:4:13: Field numbers must be positive integers.",
            "default:3:3: \"Nope\" is not defined.",
            "default:4:13: Suggested field numbers for A: 2",
        ])
        let single = #expect(throws: SchemaProviderError.self) {
            try providers.parse("syntax = \"proto3\";\nmessage A { Nope n = 1; }\n", type: .protobuf)
        }
        #expect(single?.message == "default:2:13: \"Nope\" is not defined.")
    }

    @Test func protobufEdition2024SchemasAreAccepted() throws {
        let text = "edition = \"2024\";\npackage shop;\nexport message Order {\n  local message Line { int32 n = 1; }\n  Line line = 1;\n}\n"
        let parsed = try providers.parse(text, type: .protobuf)
        #expect(parsed.canonicalText.hasPrefix("edition = \"2024\";"))
        #expect(parsed.canonicalText.contains("export message Order {"))
    }

    @Test func protobufCodecsPickMessagesByIndexes() throws {
        let parsed = try providers.parse(order, type: .protobuf)
        let first = try parsed.messageCodec(.default)
        #expect(first.typeName == "shop.Order")
        #expect(first.messageIndexes == [0])
        let line = try first.codec(forMessageIndexes: [1])
        #expect(line.typeName == "shop.Line")
        let bytes = try line.encode(try JSONParser.parse(#"{"n":5}"#))
        #expect(bytes == [0x08, 0x05])
        #expect(try line.decode(bytes).serialized() == #"{"n":5}"#)
        let pinned = try parsed.messageCodec(MessageCodecOptions(messageName: "shop.Order"))
        #expect(throws: PayloadError.self) { try pinned.codec(forMessageIndexes: [1]) }
        #expect(throws: PayloadError.self) { try first.codec(forMessageIndexes: [7]) }
        #expect(throws: SchemaProviderError.self) { try parsed.messageCodec(MessageCodecOptions(messageName: "shop.Nope")) }
    }
}
