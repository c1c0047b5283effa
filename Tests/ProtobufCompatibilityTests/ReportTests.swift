import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf
import Testing

/// Paths and messages of findings, and descriptors no compiler would produce.
@Suite struct ReportTests {
    @Test func confluentPathsAndLocations() throws {
        let removed = try Fixtures.backward("oneof_member_removed", .confluent)
        #expect(removed.map(\.path) == ["TestMessage.other_id"])
        #expect(removed.first?.message.hasSuffix("(Confluent location #/TestMessage/new_oneof/3)") == true)

        let package = try Fixtures.backward("package_changed", .confluent)
        #expect(package.map(\.path) == [""])
        #expect(package.first?.message == "The package changed from 'foo' to 'bar'. (Confluent location #/)")

        let imported = try Fixtures.backward("import_changed_incompatibly", .confluent)
        #expect(imported.map(\.kind) == ["FIELD_SCALAR_KIND_CHANGED", "FIELD_NAMED_TYPE_CHANGED"])
        #expect(imported.map(\.path) == ["GoogleHome.deviceID", "TestMessage.test_string"])
        #expect(imported.first?.message.contains("#/GoogleHome/1") == true)

        let moved = try Fixtures.backward("two_fields_into_new_oneof", .confluent)
        #expect(moved.map(\.path) == ["TestMessage.new_oneof"])
    }

    @Test func bufPathsAndMessages() throws {
        let removed = try Fixtures.backward("field_removed", .wire)
        #expect(removed.map(\.path) == ["TestMessage.test_string2"])
        #expect(
            removed.first?.message
                == "Field 2 'test_string2' of message 'TestMessage' was deleted without reserving the number 2.")

        let nested = try Fixtures.backward("nested_message_field_changed", .file)
        #expect(nested.map(\.path) == ["Order.Item.qty"])
        #expect(nested.first?.message == "Field 1 'qty' of message 'Order.Item' changed type from int32 to string.")

        let rpc = try Fixtures.backward("rpc_deleted_and_request_changed", .file)
        #expect(rpc.map(\.path).sorted() == ["S.A", "S.B"])

        let file = try Fixtures.backward("go_package_changed", .file)
        #expect(file.map(\.path) == ["main.proto"])
    }

    /// A dropped import is not a deleted file of the schema: only what the schema itself lost is reported.
    @Test func removingAnImportIsNotFileNoDelete() throws {
        func compile(_ text: String, imports: [String: String] = [:]) throws -> ProtoSchema {
            try ProtoCompiler(resolver: .sources(imports)).compile(source: text, path: "main.proto")
        }
        let common = "syntax = \"proto3\"; package common; message Money { int64 units = 1; }"
        let old = try compile(
            """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            import "common/money.proto";
            message Order { string id = 1; google.protobuf.Timestamp at = 2; common.Money total = 3; }
            """, imports: ["common/money.proto": common])
        let new = try compile(
            """
            syntax = "proto3";
            message Order { string id = 1; reserved 2, 3; reserved "at", "total"; }
            """)
        for rules in [ProtoRuleSet.wire, .wireJSON] {
            let found = try ProtobufCompatibility(rules: rules).incompatibilities(reader: new, writer: old)
            #expect(found.isEmpty, "\(rules): \(found.map(\.kind))")
        }
        // FILE still sees the fields go (reserved or not), and nothing about files.
        let found = try ProtobufCompatibility(rules: .file).incompatibilities(reader: new, writer: old)
        #expect(found.map(\.kind) == ["FIELD_NO_DELETE", "FIELD_NO_DELETE"])
        #expect(found.map(\.path).sorted() == ["Order.at", "Order.total"])
    }

    /// RULES.md: under Confluent's rules a group is a message-typed field and its body a nested message, so
    /// changes inside groups are found (Confluent's text model would see none of them).
    @Test func confluentRulesLookInsideGroups() throws {
        func compile(_ body: String) throws -> ProtoSchema {
            try ProtoCompiler(resolver: .sources([:])).compile(
                source: "syntax = \"proto2\";\nmessage Order {\n\(body)\n}", path: "main.proto")
        }
        let old = try compile(
            """
            optional string id = 1;
            repeated group Item = 2 { required int32 qty = 1; optional string sku = 2; optional int32 price = 3; }
            required group Payment = 3 { optional string card = 1; }
            """)
        let changedInside = try compile(
            """
            optional string id = 1;
            repeated group Item = 2 { optional string sku = 2; optional string price = 3; }
            required group Payment = 3 { optional string card = 1; }
            """)
        let rules = ProtobufCompatibility(rules: .confluent)
        let inside = try rules.incompatibilities(reader: changedInside, writer: old)
        #expect(inside.map(\.kind) == ["REQUIRED_FIELD_REMOVED", "FIELD_SCALAR_KIND_CHANGED"])
        #expect(inside.map(\.path) == ["Order.Item.qty", "Order.Item.price"])
        #expect(inside.first?.message.hasSuffix("(Confluent location #/Order/Item/1)") == true)

        let groupRemoved = try compile(
            """
            optional string id = 1;
            repeated group Item = 2 { required int32 qty = 1; optional string sku = 2; optional int32 price = 3; }
            """)
        let removed = try rules.incompatibilities(reader: groupRemoved, writer: old)
        #expect(removed.map(\.kind) == ["REQUIRED_FIELD_REMOVED", "MESSAGE_REMOVED"])
        #expect(removed.map(\.path) == ["Order.payment", "Order.Payment"])
        // An unchanged group is no finding.
        #expect(try rules.incompatibilities(reader: old, writer: old).isEmpty)
    }

    @Test func forwardUsesTheSameRulesInTheOtherDirection() throws {
        let (old, new) = try Fixtures.pair("required_field_added")
        let rules = ProtobufCompatibility()
        // Reading new data with the old schema: the old schema never had the required field, so no problem.
        #expect(try rules.incompatibilities(reader: old, writer: new).map(\.kind) == ["REQUIRED_FIELD_REMOVED"])
        #expect(try rules.incompatibilities(reader: new, writer: old).map(\.kind) == ["REQUIRED_FIELD_ADDED"])
    }

    /// Descriptors with out-of-range oneof indexes, inverted and extreme ranges, unknown type names and a map
    /// entry whose value is the entry itself give answers, never a crash.
    @Test func malformedDescriptorsDoNotCrash() throws {
        func schema(_ tweak: (inout Google_Protobuf_DescriptorProto) -> Void) throws -> ProtoSchema {
            var message = Google_Protobuf_DescriptorProto()
            message.name = "M"
            var field = Google_Protobuf_FieldDescriptorProto()
            field.name = "f"
            field.number = 1
            field.label = .optional
            field.type = .message
            field.typeName = ".Missing"
            field.oneofIndex = 7
            message.field = [field]
            var entry = Google_Protobuf_DescriptorProto()
            entry.name = "EEntry"
            entry.options.mapEntry = true
            var key = Google_Protobuf_FieldDescriptorProto()
            key.name = "key"
            key.number = 1
            key.type = .string
            var value = Google_Protobuf_FieldDescriptorProto()
            value.name = "value"
            value.number = 2
            value.type = .message
            value.typeName = ".M.EEntry"
            entry.field = [key, value]
            message.nestedType = [entry]
            var range = Google_Protobuf_DescriptorProto.ReservedRange()
            range.start = Int32.max
            range.end = Int32.min
            message.reservedRange = [range]
            var ext = Google_Protobuf_DescriptorProto.ExtensionRange()
            ext.start = Int32.min
            ext.end = Int32.max
            message.extensionRange = [ext]
            tweak(&message)
            var file = Google_Protobuf_FileDescriptorProto()
            file.name = "m.proto"
            file.syntax = "editions"
            file.edition = .edition2023
            file.messageType = [message]
            var e = Google_Protobuf_EnumDescriptorProto()
            e.name = "E"
            var r = Google_Protobuf_EnumDescriptorProto.EnumReservedRange()
            r.start = Int32.max
            r.end = Int32.min
            e.reservedRange = [r]
            file.enumType = [e]
            return try ProtoSchema(file: file, dependencies: [])
        }
        let a = try schema { _ in }
        let b = try schema { message in
            message.field[0].type = .message
            message.field[0].label = .repeated
            message.field[0].typeName = ".M.EEntry"
            message.reservedRange = []
            message.extensionRange = []
            message.oneofDecl = []
        }
        for rules in ProtoRuleSet.allCases {
            let forward = try ProtobufCompatibility(rules: rules).incompatibilities(reader: a, writer: b)
            let backward = try ProtobufCompatibility(rules: rules).incompatibilities(reader: b, writer: a)
            #expect(forward.allSatisfy { !$0.kind.isEmpty })
            #expect(backward.allSatisfy { !$0.kind.isEmpty })
        }
        let fileRules = try ProtobufCompatibility(rules: .file).incompatibilities(reader: b, writer: a).map(\.kind)
        // The inverted reserved range holds no numbers, so dropping it loses nothing; the huge extension range does.
        #expect(fileRules == ["FIELD_SAME_TYPE", "FIELD_SAME_CARDINALITY", "EXTENSION_MESSAGE_NO_DELETE"])
    }
}
