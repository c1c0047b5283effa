import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// The public entry points: resolvers, `compile(path:)`, base64 descriptors, error formatting.
@Suite struct CompileAPITests {
    @Test func directoriesResolverReadsFoldersInOrder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pschema-\(UUID().uuidString)")
        let first = base.appendingPathComponent("first"), second = base.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: first.appendingPathComponent("pkg"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: second.appendingPathComponent("pkg"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try "syntax = \"proto3\"; package pkg; message FromFirst {}".write(
            to: first.appendingPathComponent("pkg/dep.proto"), atomically: true, encoding: .utf8)
        try "syntax = \"proto3\"; package pkg; message FromSecond {}".write(
            to: second.appendingPathComponent("pkg/dep.proto"), atomically: true, encoding: .utf8)
        try "syntax = \"proto3\"; package pkg; message Other {}".write(
            to: second.appendingPathComponent("pkg/other.proto"), atomically: true, encoding: .utf8)
        try "syntax = \"proto3\"; import \"pkg/dep.proto\"; import \"pkg/other.proto\"; message M { pkg.FromFirst a = 1; pkg.Other b = 2; }"
            .write(to: second.appendingPathComponent("main.proto"), atomically: true, encoding: .utf8)

        let compiler = ProtoCompiler(resolver: .directories([first.path, second.path]))
        let schema = try compiler.compile(path: "main.proto")
        #expect(schema.dependencies.map(\.name) == ["pkg/dep.proto", "pkg/other.proto"])
        #expect(schema.pool.message(named: "pkg.FromFirst") != nil)
        #expect(schema.file.messageType[0].field.map(\.typeName) == [".pkg.FromFirst", ".pkg.Other"])

        // Import paths may not leave the import folders.
        let escape = ProtoCompiler(resolver: .directories([second.path]))
        let error = #expect(throws: ProtobufError.self) {
            try escape.compile(source: "syntax = \"proto3\"; import \"../second/main.proto\";", path: "x.proto")
        }
        #expect(error?.description == "x.proto:1:20: Import \"../second/main.proto\" was not found or had errors.")
    }

    /// protoc stands in an empty file for a weak import it cannot find; a plain import must be found.
    @Test func aMissingWeakImportIsTolerated() throws {
        let text = "syntax = \"proto2\";\nimport weak \"gone/options.proto\";\nmessage M { optional int32 a = 1; }\n"
        let schema = try CompileFixtures.compile(text)
        #expect(schema.file.dependency == ["gone/options.proto"])
        #expect(schema.file.weakDependency == [0])
        #expect(schema.dependencies.isEmpty)
        #expect(schema.canonicalText.contains("import weak \"gone/options.proto\";\n"))
        #expect(try CompileFixtures.compile(schema.canonicalText).file == schema.file)

        let plain = CompileFixtures.compileError(text.replacingOccurrences(of: "import weak", with: "import"))
        #expect(plain?.description == "test.proto:2:1: Import \"gone/options.proto\" was not found or had errors.")
        // Its types are still unknown.
        let used = CompileFixtures.compileError(
            "syntax = \"proto2\";\nimport weak \"gone/options.proto\";\nmessage M { optional gone.T a = 1; }\n")
        #expect(used?.description.contains("\"gone.T\" is not defined.") == true)
    }

    @Test func compilePathThatDoesNotExist() {
        let error = #expect(throws: ProtobufError.self) {
            try ProtoCompiler(resolver: .sources([:])).compile(path: "nowhere.proto")
        }
        #expect(error?.description == "nowhere.proto:1:1: File not found.")
    }

    @Test func customLookupResolver() throws {
        let resolver = ProtoImportResolver { path in
            path == "dep.proto" ? "syntax = \"proto3\"; message Dep {}" : nil
        }
        let schema = try ProtoCompiler(resolver: resolver).compile(
            source: "syntax = \"proto3\"; import \"dep.proto\"; message M { Dep d = 1; }", path: "m.proto")
        #expect(schema.file.dependency == ["dep.proto"])
        #expect(schema.firstMessage?.fullName == "M")
    }

    @Test func errorsReadLikeACompiler() throws {
        let error = try #require(
            CompileFixtures.compileError("syntax = \"proto3\";\nmessage A {\n  Nope n = 1;\n}\n", path: "shop/a.proto"))
        #expect(error.description == "shop/a.proto:3:3: \"Nope\" is not defined.")
        #expect(error.code == .invalidSchema)
        #expect(error.location == .init(file: "shop/a.proto", line: 3, column: 3))
    }

    @Test func errorsInImportsNameTheImportedFile() throws {
        let error = try #require(
            CompileFixtures.compileError(
                "syntax = \"proto3\";\nimport \"dep.proto\";\n",
                imports: ["dep.proto": "syntax = \"proto3\";\n\nmessage D { int32 x = 0; }"]))
        // As protoc: the import's own errors first, then the importer's report of the import.
        #expect(error.allErrors.map(\.description) == [
            "dep.proto:3:23: Field numbers must be positive integers.",
            "dep.proto:3:23: Suggested field numbers for D: 1",
            "test.proto:2:1: Import \"dep.proto\" was not found or had errors.",
        ])
    }

    @Test func base64DescriptorRoundTrip() throws {
        let schema = try CompileFixtures.compile(
            "syntax = \"proto3\";\npackage shop;\nimport \"money.proto\";\nmessage Order { Money total = 1; }\n",
            path: "order.proto",
            imports: ["money.proto": "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 units = 1; }\n"])
        let base64 = (try schema.file.serializedBytes() as Data).base64EncodedString()
        let decoded = try ProtoSchema(base64Descriptor: base64, dependencies: schema.dependencies)
        #expect(decoded.file == schema.file)
        #expect(decoded.pool.message(named: ".shop.Money") != nil)

        let missing = #expect(throws: ProtobufError.self) {
            try ProtoSchema(base64Descriptor: base64, dependencies: [])
        }
        #expect(missing?.message.contains("money.proto") == true)
        #expect(throws: ProtobufError.self) { try ProtoSchema(base64Descriptor: "not base64!", dependencies: []) }
        #expect(throws: ProtobufError.self) {
            try ProtoSchema(base64Descriptor: Data([0xFF, 0xFF, 0xFF]).base64EncodedString(), dependencies: [])
        }
    }

    @Test func base64DescriptorWithUnresolvedTypeName() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "x.proto"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "M"
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "f"
        field.number = 1
        field.type = .message
        field.typeName = "Elsewhere"
        message.field = [field]
        file.messageType = [message]
        let base64 = (try file.serializedBytes() as Data).base64EncodedString()
        let error = #expect(throws: ProtobufError.self) { try ProtoSchema(base64Descriptor: base64, dependencies: []) }
        #expect(error?.message.contains("\"Elsewhere\"") == true)
    }

    @Test func wellKnownImportsFallBackToBuiltIns() {
        // Until the well-known catalogue is linked in, an unknown import is reported where it is written.
        let error = CompileFixtures.compileError("syntax = \"proto3\";\nimport \"google/protobuf/nothing.proto\";\n")
        #expect(error?.description == "test.proto:2:1: Import \"google/protobuf/nothing.proto\" was not found or had errors.")
    }
}
