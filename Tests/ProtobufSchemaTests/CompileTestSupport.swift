import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// Fixture locations and helpers shared by the compiler tests.
enum CompileFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/compile")

    static func read(_ relative: String) -> String? {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(relative)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Imports come from `valid/`, then the test stand-ins for well-known files; `descriptor.proto` is the
    /// compiler's own option-type declarations.
    static let resolver = ProtoImportResolver { path in
        if path == "google/protobuf/descriptor.proto" { return BuiltInOptionTypes.source }
        return read("valid/" + path) ?? read("stubs/" + path)
    }

    static var mainFiles: [String] {
        (read("tools/main_files.txt") ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    static func expectedSet(for main: String) throws -> Google_Protobuf_FileDescriptorSet {
        let name = main.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".proto", with: ".pb")
        let data = try Data(contentsOf: root.appendingPathComponent("expected/" + name))
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
    }

    /// Compiles `source` as `path` with in-memory imports and returns the error, if any.
    static func compileError(
        _ source: String, path: String = "test.proto", imports: [String: String] = [:]
    ) -> ProtobufError? {
        var files = imports
        files["google/protobuf/descriptor.proto"] = BuiltInOptionTypes.source
        let compiler = ProtoCompiler(resolver: .sources(files))
        do {
            _ = try compiler.compile(source: source, path: path)
            return nil
        } catch {
            return error
        }
    }

    static func compile(_ source: String, path: String = "test.proto", imports: [String: String] = [:])
        throws -> ProtoSchema
    {
        var files = imports
        files["google/protobuf/descriptor.proto"] = BuiltInOptionTypes.source
        return try ProtoCompiler(resolver: .sources(files)).compile(source: source, path: path)
    }
}
