import Foundation
import ProtobufSchema
import SwiftProtobuf
import Testing

/// The built-in import sources. The fixture script checks that protoc compiles each one to exactly
/// the descriptor of protoc's bundled file (googleapis' for google/type), file options aside.
@Suite struct WellKnownTypesTests {
    static let upstream: [Google_Protobuf_FileDescriptorProto] =
        (try? RenderFixtures.descriptorSet("wellknown/upstream.pb").file) ?? []

    struct Expected: Decodable {
        let package: String
        let messages: [String]
        let enums: [String]
        let services: [String]
    }

    static func expectedTypes() throws -> [String: Expected] {
        let data = try Data(contentsOf: RenderFixtures.directory.appendingPathComponent("wellknown/expected_types.json"))
        return try JSONDecoder().decode([String: Expected].self, from: data)
    }

    @Test func importPathsListEveryBuiltInFile() {
        let protobuf = ["any", "api", "descriptor", "duration", "empty", "field_mask", "source_context", "struct",
                        "timestamp", "type", "wrappers"].map { "google/protobuf/\($0).proto" }
        let googleType = ["calendar_period", "color", "date", "datetime", "dayofweek", "decimal", "expr", "fraction",
                          "interval", "latlng", "localized_text", "money", "month", "phone_number", "postal_address",
                          "quaternion", "timeofday"].map { "google/type/\($0).proto" }
        let confluent = ["confluent/meta.proto", "confluent/type/decimal.proto"]
        #expect(ProtoWellKnownTypes.importPaths == (protobuf + googleType + confluent).sorted())
        #expect(ProtoWellKnownTypes.importPaths.count == 30)
    }

    @Test func upstreamReferenceCoversEveryGoogleFile() {
        #expect(Self.upstream.map(\.name).sorted()
            == ProtoWellKnownTypes.importPaths.filter { $0.hasPrefix("google/") })
    }

    /// Each source is exactly what the renderer prints for protoc's descriptor of the upstream file.
    @Test(arguments: upstream.map(\.name))
    func sourceIsTheRenderingOfTheReferenceDescriptor(path: String) throws {
        let file = try #require(Self.upstream.first { $0.name == path })
        let source = ProtoWellKnownTypes.source(forImport: file.name)
        #expect(source == ProtoRenderer.render(file, dependencies: Self.upstream))
    }

    @Test func sourcesDeclareTheExpectedPackagesAndTypes() throws {
        let expected = try Self.expectedTypes()
        #expect(expected.count == 28)
        for (path, types) in expected {
            let source = try #require(ProtoWellKnownTypes.source(forImport: path))
            #expect(source.contains("\npackage \(types.package);\n"), "\(path)")
            for name in types.messages { #expect(source.contains("\nmessage \(name) {"), "\(path): \(name)") }
            for name in types.enums { #expect(source.contains("\nenum \(name) {"), "\(path): \(name)") }
            for name in types.services { #expect(source.contains("\nservice \(name) {"), "\(path): \(name)") }
        }
    }

    @Test func expectedTypesNameTheWellKnownMessages() throws {
        let expected = try Self.expectedTypes()
        #expect(expected["google/protobuf/timestamp.proto"]?.messages == ["Timestamp"])
        #expect(expected["google/protobuf/struct.proto"]?.messages == ["Struct", "Value", "ListValue"])
        #expect(expected["google/protobuf/struct.proto"]?.enums == ["NullValue"])
        #expect(expected["google/protobuf/wrappers.proto"]?.messages == [
            "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value", "BoolValue",
            "StringValue", "BytesValue",
        ])
        #expect(expected["google/type/money.proto"]?.package == "google.type")
        #expect(expected["google/type/dayofweek.proto"]?.enums == ["DayOfWeek"])
    }

    @Test func descriptorProtoHasTheOptionMessagesAndFieldNumbers() throws {
        let source = try #require(ProtoWellKnownTypes.source(forImport: "google/protobuf/descriptor.proto"))
        #expect(source.hasPrefix("syntax = \"proto2\";\n\npackage google.protobuf;\n"))
        for name in ["FileOptions", "MessageOptions", "FieldOptions", "OneofOptions", "EnumOptions", "EnumValueOptions",
                     "ServiceOptions", "MethodOptions", "ExtensionRangeOptions", "FeatureSet", "UninterpretedOption"] {
            #expect(source.contains("\nmessage \(name) {"), "\(name)")
        }
        #expect(source.contains("  optional bool deprecated = 3 [default = false];"))
        #expect(source.contains("  optional string java_package = 1;"))
        #expect(source.contains("  optional bool map_entry = 7;"))
        #expect(source.contains("  optional FeatureSet features = 50;"))
        #expect(source.contains("  repeated UninterpretedOption uninterpreted_option = 999;"))
        #expect(source.contains("  extensions 1000 to max;"))
    }

    @Test func wellKnownSourcesUseTheirPackages() throws {
        let timestamp = try #require(ProtoWellKnownTypes.source(forImport: "google/protobuf/timestamp.proto"))
        #expect(timestamp == """
            syntax = "proto3";

            package google.protobuf;

            message Timestamp {
              int64 seconds = 1;
              int32 nanos = 2;
            }

            """)
        let decimal = try #require(ProtoWellKnownTypes.source(forImport: "confluent/type/decimal.proto"))
        #expect(decimal.contains("message Decimal {\n  bytes value = 1;\n  uint32 precision = 2;\n  int32 scale = 3;\n}"))
        let meta = try #require(ProtoWellKnownTypes.source(forImport: "confluent/meta.proto"))
        #expect(meta.contains("extend google.protobuf.FieldOptions {\n  Meta field_meta = 1088;\n}"))
    }

    @Test(arguments: ["google/protobuf/unknown.proto", "", "google/type/", "timestamp.proto", "/google/protobuf/any.proto"])
    func unknownPathsHaveNoSource(path: String) {
        #expect(ProtoWellKnownTypes.source(forImport: path) == nil)
    }
}
