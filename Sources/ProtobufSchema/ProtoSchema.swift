public import SwiftProtobuf

/// A linked Protobuf schema: one main file and every file it imports, directly or not, as descriptors.
///
/// The registry, the compatibility checker and the codec all work on this. It comes from the `.proto`
/// compiler (`ProtoCompiler`), or from descriptors made elsewhere (a `FileDescriptorSet` from protoc, or
/// the base64 `FileDescriptorProto` that Confluent's serializers register).
public struct ProtoSchema: Sendable {
    /// The schema's own file.
    public let file: Google_Protobuf_FileDescriptorProto
    /// The files `file` imports, directly or transitively, each before the files that import it.
    public let dependencies: [Google_Protobuf_FileDescriptorProto]
    /// Every type of `file` and `dependencies`, by full name.
    public let pool: ProtoDescriptorPool

    /// Builds a schema from descriptors that are already linked (type names fully qualified).
    public init(
        file: Google_Protobuf_FileDescriptorProto,
        dependencies: [Google_Protobuf_FileDescriptorProto]
    ) throws(ProtobufError) {
        self.file = file
        self.dependencies = dependencies
        self.pool = try ProtoDescriptorPool(files: dependencies + [file])
    }

    /// Builds a schema from a `FileDescriptorSet` (as `protoc --include_imports --descriptor_set_out`
    /// writes it), whose main file is `mainFile` (default: the last file, which is where protoc puts it).
    public init(descriptorSet: Google_Protobuf_FileDescriptorSet, mainFile: String? = nil) throws(ProtobufError) {
        let files = descriptorSet.file
        let index: Int?
        if let mainFile {
            index = files.firstIndex { $0.name == mainFile }
        } else {
            index = files.indices.last
        }
        guard let index else {
            throw ProtobufError(.invalidSchema, "the descriptor set has no file \(mainFile ?? "")")
        }
        var dependencies = files
        let file = dependencies.remove(at: index)
        try self.init(file: file, dependencies: dependencies)
    }

    /// The index of `file` in `pool.files`.
    public var mainFileIndex: Int { pool.files.count - 1 }

    /// The syntax of the main file.
    public var syntax: ProtoSyntax { ProtoSyntax(file) }

    /// The first message declared at the top level of the main file (what Confluent serializers use
    /// when no message is named), if there is one.
    public var firstMessage: ProtoMessageType? {
        pool.message(atIndexes: [0], inFile: mainFileIndex)
    }
}
