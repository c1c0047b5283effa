import ProtobufSchema
import SwiftProtobuf
import Testing

/// ProtoRenderer on small hand-built descriptors: exact texts for each rule, and hostile input.
@Suite struct RenderUnitTests {
    typealias Field = Google_Protobuf_FieldDescriptorProto

    static func field(
        _ name: String,
        _ number: Int32,
        _ type: Field.TypeEnum,
        label: Field.Label = .optional,
        typeName: String? = nil,
        configure: (inout Field) -> Void = { _ in }
    ) -> Field {
        var field = Field()
        field.name = name
        field.number = number
        field.type = type
        field.label = label
        if let typeName { field.typeName = typeName }
        configure(&field)
        return field
    }

    static func file(
        _ name: String = "t.proto",
        syntax: String = "proto3",
        package: String? = "shop",
        messages: [Google_Protobuf_DescriptorProto]
    ) -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = name
        if !syntax.isEmpty { file.syntax = syntax }
        if let package { file.package = package }
        file.messageType = messages
        return file
    }

    static func message(_ name: String, _ fields: [Field]) -> Google_Protobuf_DescriptorProto {
        var message = Google_Protobuf_DescriptorProto()
        message.name = name
        message.field = fields
        return message
    }

    @Test func emptyFileIsJustTheSyntax() {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "empty.proto"
        #expect(ProtoRenderer.render(file) == "syntax = \"proto2\";\n")
    }

    @Test func jsonNamePrintsOnlyWhenItDiffersFromTheDefault() {
        let fields = [
            Self.field("order_id", 1, .string) { $0.jsonName = "orderId" },
            Self.field("total_2x_value", 2, .int64) { $0.jsonName = "total2xValue" },
            Self.field("note", 3, .string) { $0.jsonName = "NOTE" },
            Self.field("plain", 4, .bool),
        ]
        let text = ProtoRenderer.render(Self.file(messages: [Self.message("Order", fields)]))
        #expect(text == """
            syntax = "proto3";

            package shop;

            message Order {
              string order_id = 1;
              int64 total_2x_value = 2;
              string note = 3 [json_name = "NOTE"];
              bool plain = 4;
            }

            """)
    }

    @Test func stringAndBytesDefaultsAreEscaped() {
        let fields = [
            Self.field("s", 1, .string) { $0.defaultValue = "a\u{0}b\u{7F}ü\"\\\n" },
            Self.field("b", 2, .bytes) { $0.defaultValue = "\\000\\377x" },
            Self.field("d", 3, .double) { $0.defaultValue = "-inf" },
            Self.field("f", 4, .float) { $0.defaultValue = "nan" },
        ]
        let text = ProtoRenderer.render(Self.file(syntax: "", package: nil, messages: [Self.message("D", fields)]))
        #expect(text == """
            syntax = "proto2";

            message D {
              optional string s = 1 [default = "a\\000b\\177ü\\"\\\\\\n"];
              optional bytes b = 2 [default = "\\000\\377x"];
              optional double d = 3 [default = -inf];
              optional float f = 4 [default = nan];
            }

            """)
    }

    @Test func proto3OptionalOneofAndMapPrintAsWritten() {
        var entry = Self.message("TagsEntry", [
            Self.field("key", 1, .string),
            Self.field("value", 2, .message, typeName: ".shop.Item"),
        ])
        entry.options.mapEntry = true
        var order = Self.message("Order", [
            Self.field("tags", 1, .message, label: .repeated, typeName: ".shop.Order.TagsEntry"),
            Self.field("note", 2, .string) {
                $0.proto3Optional = true
                $0.oneofIndex = 1
            },
            Self.field("card", 3, .string) { $0.oneofIndex = 0 },
            Self.field("cash", 4, .int64) { $0.oneofIndex = 0 },
        ])
        order.nestedType = [entry]
        var pay = Google_Protobuf_OneofDescriptorProto()
        pay.name = "pay"
        var synthetic = Google_Protobuf_OneofDescriptorProto()
        synthetic.name = "_note"
        order.oneofDecl = [pay, synthetic]
        let text = ProtoRenderer.render(Self.file(messages: [order, Self.message("Item", [])]))
        #expect(text == """
            syntax = "proto3";

            package shop;

            message Order {
              map<string, Item> tags = 1;
              optional string note = 2;

              oneof pay {
                string card = 3;
                int64 cash = 4;
              }
            }

            message Item {}

            """)
    }

    @Test func editionsVisibilityAndReservedIdentifiers() {
        var message = Self.message("Thing", [Self.field("id", 1, .int32)])
        message.visibility = .visibilityExport
        message.reservedName = ["old"]
        var file = Self.file(syntax: "editions", messages: [message])
        file.edition = .edition2024
        #expect(ProtoRenderer.render(file) == """
            edition = "2024";

            package shop;

            export message Thing {
              reserved old;

              int32 id = 1;
            }

            """)
    }

    @Test func typeNamesNeedingALeadingDot() {
        // `Outer.shop` shadows the package for names written inside Outer.
        var outer = Self.message("Outer", [Self.field("t", 1, .message, typeName: ".shop.Target")])
        outer.nestedType = [Self.message("shop", []), Self.message("Target", [])]
        let text = ProtoRenderer.render(Self.file(messages: [outer, Self.message("Target", [])]))
        #expect(text.contains("  .shop.Target t = 1;\n"))
    }

    @Test func unresolvableCustomOptionsAreLeftOutAndStandardOnesKept() throws {
        // deprecated = true (field 3), then an extension 50000 = 7 that no visible file defines.
        let options = try Google_Protobuf_FieldOptions(serializedBytes: [0x18, 0x01, 0x80, 0xB5, 0x18, 0x07] as [UInt8])
        let field = Self.field("x", 1, .int32) { $0.options = options }
        let text = ProtoRenderer.render(Self.file(messages: [Self.message("M", [field])]))
        #expect(text.contains("  int32 x = 1 [deprecated = true];\n"))
    }

    /// A custom message option defined in a dependency, with hostile payloads.
    static func optionsFixture(payload: [UInt8]) throws -> String {
        var rule = Self.message("Rule", [
            Self.field("name", 1, .string, label: .optional),
            Self.field("child", 2, .message, typeName: ".opts.Rule"),
        ])
        rule.name = "Rule"
        var definitions = Self.file("opts.proto", syntax: "proto2", package: "opts", messages: [rule])
        definitions.dependency = ["google/protobuf/descriptor.proto"]
        definitions.extension = [Self.field("rule", 50010, .message, typeName: ".opts.Rule") {
            $0.extendee = ".google.protobuf.MessageOptions"
        }]
        // Field 50010, length-delimited.
        let bytes: [UInt8] = [0xD2, 0xB5, 0x18] + varint(payload.count) + payload
        var message = Self.message("M", [])
        message.options = try Google_Protobuf_MessageOptions(serializedBytes: bytes)
        var file = Self.file(messages: [message])
        file.dependency = ["opts.proto"]
        return ProtoRenderer.render(file, dependencies: [definitions])
    }

    static func varint(_ value: Int) -> [UInt8] {
        var out: [UInt8] = []
        var rest = UInt64(value)
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
        return out
    }

    @Test func aggregateCustomOption() throws {
        // { name: "a" child { name: "b" } }
        let text = try Self.optionsFixture(payload: [0x0A, 0x01, 0x61, 0x12, 0x03, 0x0A, 0x01, 0x62])
        #expect(text.contains("  option (opts.rule) = { name: \"a\" child { name: \"b\" } };\n"))
    }

    @Test func malformedOptionBytesDoNotCrash() throws {
        // A length prefix that runs past the end, inside the option's message value.
        let text = try Self.optionsFixture(payload: [0x0A, 0x7F, 0x61])
        #expect(text.contains("message M {\n  option (opts.rule) = {};\n}"))
    }

    @Test func deeplyNestedOptionValuesAreBounded() throws {
        var payload: [UInt8] = [0x0A, 0x01, 0x7A]
        for _ in 0..<200 { payload = [0x12] + Self.varint(payload.count) + payload }
        let text = try Self.optionsFixture(payload: payload)
        #expect(text.contains("option (opts.rule) = { child { child {"))
        #expect(!text.contains("name: \"z\""))
    }

    @Test func goldenTextsKeepKeyConstructs() throws {
        let proto2 = try RenderFixtures.golden("proto2_all")
        #expect(proto2.contains("  optional float f_inf = 4 [default = inf];\n"))
        #expect(proto2.contains("  optional group Result = 1 {\n    required string url = 2;\n"))
        #expect(proto2.contains("  extensions 100 to 199 [(opts.range_owner) = \"team-a\"];\n"))
        #expect(proto2.contains("  rpc Watch(Defaults) returns (stream WithGroups) {\n"))
        let scoping = try RenderFixtures.golden("scoping")
        #expect(scoping.contains("  .x.y.Target top_target = 2;\n"))
        #expect(scoping.contains("  Bar.Baz baz = 3;\n"))
        let editions = try RenderFixtures.golden("editions")
        #expect(editions.contains("option features.(pb.cpp).legacy_closed_enum = false;\n"))
        #expect(editions.contains("  Child child = 6 [features.message_encoding = DELIMITED];\n"))
    }
}
