import Foundation
import SwiftProtobuf

/// Built-in `.proto` sources for the imports every registry resolves without references: the
/// protobuf well-known types (`google/protobuf/*.proto`), the common Google API types
/// (`google/type/*.proto`) and Confluent's `confluent/meta.proto` and `confluent/type/decimal.proto`.
///
/// The texts are our own minimal renderings: packages, messages, fields, numbers, enums, services
/// and the options that change descriptors (`descriptor.proto`'s defaults, packing, feature
/// definitions); language options such as `java_package` and `go_package` are left out.
public enum ProtoWellKnownTypes {
    /// The source for `import "<path>"`, or nil when `path` is not built in.
    public static func source(forImport path: String) -> String? {
        sources[path]
    }

    /// Every built-in import path, sorted.
    public static var importPaths: [String] {
        sources.keys.sorted()
    }

    private static let sources: [String: String] = {
        var all: [String: String] = [:]
        for table in [protobufSources, descriptorSources, googleTypeSources, confluentSources] {
            // The literals omit the final newline; the texts end with one, as rendered files do.
            for (path, text) in table { all[path] = text + "\n" }
        }
        return all
    }()

    /// `google/protobuf/descriptor.proto` as a descriptor (compiled by protoc from
    /// `descriptorProtoSource`), used to decode option messages when rendering. Nil only if the
    /// embedded bytes were damaged.
    static let descriptorProtoDescriptor: Google_Protobuf_FileDescriptorProto? = {
        guard let data = Data(base64Encoded: descriptorProtoDescriptorBase64) else { return nil }
        return try? Google_Protobuf_FileDescriptorProto(serializedBytes: data)
    }()
}
