public import SwiftProtobuf

extension ProtoCompiler {
    /// Compiles a base64 serialized `FileDescriptorProto` (what Confluent's serializers register) as if it had
    /// been registered as `.proto` text: see `compile(descriptor:path:)`.
    public func compile(base64Descriptor: String, path: String) throws(ProtobufError) -> ProtoSchema {
        try compile(descriptor: ProtoSchema.decodeDescriptor(base64: base64Descriptor), path: path)
    }

    /// Accepts an already compiled descriptor only if its canonical text means the same schema.
    ///
    /// The registry keeps a descriptor as its canonical `.proto` text and compiles that text again whenever it
    /// reads it back, so a descriptor is checked by what it will be. First the checks the text path makes
    /// (`DescriptorValidation`: identifiers, numbers, ranges, map entries, nesting within `limits`, syntax); then
    /// its imports are compiled through `resolver` and its type references must resolve among them; then its
    /// canonical text is compiled as `path` with this compiler and must give the same descriptor
    /// (`DescriptorEquivalence`) and render to the same text again. Returns the schema compiled from that text,
    /// which is what later reads of the stored text produce. Every failure is `.invalidSchema`.
    public func compile(descriptor file: Google_Protobuf_FileDescriptorProto, path: String) throws(ProtobufError)
        -> ProtoSchema
    {
        let accepted: ProtoSchema
        do {
            try DescriptorValidation.check(file, limits: limits)
            let dependencies = try importedFiles(of: file)
            try DescriptorChecks.checkLinked(file, dependencies: dependencies)
            accepted = try ProtoSchema(file: file, dependencies: dependencies)
        } catch {
            throw Self.asInvalidSchema(error)
        }
        let text = accepted.canonicalText
        let compiled: ProtoSchema
        do {
            compiled = try compile(source: text, path: path)
        } catch {
            throw ProtobufError(
                .invalidSchema, "the descriptor's canonical text does not compile: \(error.description)",
                protoPath: file.name
            )
        }
        if let difference = DescriptorEquivalence.firstDifference(file, compiled.file) {
            throw ProtobufError(
                .invalidSchema, "the descriptor's canonical text means a different schema: \(difference)",
                protoPath: file.name
            )
        }
        guard compiled.canonicalText == text else {
            throw ProtobufError(
                .invalidSchema, "the descriptor's canonical text does not render the same after compiling",
                protoPath: file.name
            )
        }
        return compiled
    }

    /// The files `file` imports (`import option` ones included), compiled from their text through `resolver`, each
    /// before the files importing it.
    func importedFiles(of file: Google_Protobuf_FileDescriptorProto) throws(ProtobufError)
        -> [Google_Protobuf_FileDescriptorProto]
    {
        var files: [Google_Protobuf_FileDescriptorProto] = []
        var seen = Set<String>()
        for importPath in file.dependency + file.optionDependency {
            guard resolver.lookup(importPath) != nil else {
                throw ProtobufError(
                    .invalidSchema, "\(file.name) imports \"\(importPath)\", which is not among the references",
                    protoPath: file.name
                )
            }
            let imported = try compile(path: importPath)
            for dependency in imported.dependencies + [imported.file] where seen.insert(dependency.name).inserted {
                files.append(dependency)
            }
        }
        return files
    }

    /// Limits met while checking a descriptor are still a schema the registry refuses.
    static func asInvalidSchema(_ error: ProtobufError) -> ProtobufError {
        guard error.code != .invalidSchema else { return error }
        var converted = error
        converted.code = .invalidSchema
        return converted
    }
}
