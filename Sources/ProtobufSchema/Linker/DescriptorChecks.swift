import SwiftProtobuf

/// Checks on descriptors that arrive already compiled (Confluent's base64 `FileDescriptorProto`).
enum DescriptorChecks {
    /// Every import must be among `dependencies`, and every type reference must name a type they or the file
    /// define.
    static func checkLinked(_ file: FileProto, dependencies: [FileProto]) throws(ProtobufError) {
        let names = Set(dependencies.map(\.name))
        // A weak import may be missing, as in `.proto` text (protoc's placeholder file).
        let weak = Set(file.weakDependency.compactMap { file.dependency.indices.contains(Int($0)) ? file.dependency[Int($0)] : nil })
        for dependency in file.dependency where !names.contains(dependency) && !weak.contains(dependency) {
            throw ProtobufError(
                .invalidSchema, "\(file.name) imports \"\(dependency)\", which is not among the references",
                protoPath: file.name
            )
        }
        var types = Set<String>()
        func collect(_ message: DescriptorProto, scope: String) {
            let name = scope.isEmpty ? message.name : scope + "." + message.name
            types.insert("." + name)
            for nested in message.nestedType { collect(nested, scope: name) }
            for e in message.enumType { types.insert("." + name + "." + e.name) }
        }
        for f in dependencies + [file] {
            for message in f.messageType { collect(message, scope: f.package) }
            for e in f.enumType { types.insert("." + (f.package.isEmpty ? e.name : f.package + "." + e.name)) }
        }
        func check(_ fields: [FieldProto], in owner: String) throws(ProtobufError) {
            for field in fields where field.hasTypeName && !types.contains(field.typeName) {
                throw ProtobufError(
                    .invalidSchema,
                    "field \"\(field.name)\" refers to \"\(field.typeName)\", which is not defined "
                        + "(type names in a compiled descriptor must be fully qualified)",
                    protoPath: owner
                )
            }
        }
        func visit(_ message: DescriptorProto, scope: String) throws(ProtobufError) {
            let name = scope.isEmpty ? message.name : scope + "." + message.name
            try check(message.field, in: name)
            try check(message.extension, in: name)
            for nested in message.nestedType { try visit(nested, scope: name) }
        }
        for message in file.messageType { try visit(message, scope: file.package) }
        try check(file.extension, in: file.package)
    }
}
