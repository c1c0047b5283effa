import SwiftProtobuf

/// Where an element named by a compatibility finding's path (`Order.Line.n`, `Color`, `Shop.Pay`) is declared in
/// `.proto` text, for annotations that point at a line (as buf's do). An element that is not in the text (a
/// deleted field) is found as the nearest enclosing one that is.
public enum ProtoSourceLocator {
    /// The 1-based line and column of the element's name, or nil when the text does not parse or has none of it.
    public static func position(of elementPath: String, in text: String, limits: ProtoCompileLimits = .default)
        -> (line: Int, column: Int)?
    {
        guard
            let parsed = try? ProtoParser.parse(
                source: Array(text.utf8), fileName: "schema.proto", limits: limits, log: ProtoErrorLog(limit: 1))
        else { return nil }
        var names = elementPath.split(separator: ".").map(String.init)
        // Paths may carry the package in front.
        let package = parsed.descriptor.package.split(separator: ".").map(String.init)
        if !package.isEmpty, names.starts(with: package) { names.removeFirst(package.count) }
        let path = declarationPath(names, in: parsed.descriptor)
        var current = path
        while !current.isEmpty {
            if let position = parsed.position(current, .name) { return (position.line + 1, position.column + 1) }
            current.removeLast(2)
        }
        return nil
    }

    /// The `SourceCodeInfo`-style path of the longest prefix of `names` the file declares.
    private static func declarationPath(_ names: [String], in file: Google_Protobuf_FileDescriptorProto) -> [Int32] {
        guard let first = names.first else { return [] }
        if let index = file.messageType.firstIndex(where: { $0.name == first }) {
            return [4, Int32(index)] + declarationPath(Array(names.dropFirst()), in: file.messageType[index])
        }
        if let index = file.enumType.firstIndex(where: { $0.name == first }) {
            return [5, Int32(index)] + valuePath(Array(names.dropFirst()), in: file.enumType[index])
        }
        if let index = file.service.firstIndex(where: { $0.name == first }) {
            let service = file.service[index]
            guard let method = names.dropFirst().first, let m = service.method.firstIndex(where: { $0.name == method }) else {
                return [6, Int32(index)]
            }
            return [6, Int32(index), 2, Int32(m)]
        }
        return []
    }

    private static func declarationPath(_ names: [String], in message: Google_Protobuf_DescriptorProto) -> [Int32] {
        guard let first = names.first else { return [] }
        if let index = message.field.firstIndex(where: { $0.name == first }) { return [2, Int32(index)] }
        if let index = message.nestedType.firstIndex(where: { $0.name == first }) {
            return [3, Int32(index)] + declarationPath(Array(names.dropFirst()), in: message.nestedType[index])
        }
        if let index = message.enumType.firstIndex(where: { $0.name == first }) {
            return [4, Int32(index)] + valuePath(Array(names.dropFirst()), in: message.enumType[index])
        }
        if let index = message.oneofDecl.firstIndex(where: { $0.name == first }) { return [8, Int32(index)] }
        return []
    }

    private static func valuePath(_ names: [String], in enumeration: Google_Protobuf_EnumDescriptorProto) -> [Int32] {
        guard let first = names.first, let index = enumeration.value.firstIndex(where: { $0.name == first }) else { return [] }
        return [2, Int32(index)]
    }
}
