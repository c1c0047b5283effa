import Foundation
import SwiftProtobuf

/// Loads the render fixtures (descriptor sets made by protoc, golden texts) next to this file.
enum RenderFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/render")

    /// The corpus files that have a committed descriptor set.
    static let corpus = ["editions", "options_def", "ordering", "proto2_all", "proto3_all", "scoping"]

    /// When set, golden texts are rewritten from the renderer before they are compared.
    static let writeGolden = ProcessInfo.processInfo.environment["ACCORD_WRITE_GOLDEN"] != nil

    static func descriptorSet(_ path: String) throws -> Google_Protobuf_FileDescriptorSet {
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
    }

    /// The corpus file `name` and the files it imports, as protoc compiled them.
    static func corpusFile(_ name: String) throws -> (
        file: Google_Protobuf_FileDescriptorProto, dependencies: [Google_Protobuf_FileDescriptorProto]
    ) {
        let set = try descriptorSet("descriptors/\(name).pb")
        let dependencies = set.file.filter { $0.name != "\(name).proto" }
        guard let file = set.file.first(where: { $0.name == "\(name).proto" }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return (file, dependencies)
    }

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("golden/\(name).proto"), encoding: .utf8)
    }

    static func writeGolden(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent("golden/\(name).proto"), atomically: true, encoding: .utf8)
    }
}
