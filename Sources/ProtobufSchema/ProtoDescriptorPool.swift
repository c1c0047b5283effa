public import SwiftProtobuf

/// The syntax a `.proto` file declares.
public enum ProtoSyntax: Sendable, Hashable {
    case proto2
    case proto3
    /// `edition = "2023"` and later; the payload is the edition as written (`"2023"`).
    case editions(String)

    /// Reads `syntax` and `edition` from a descriptor as protoc writes them (an empty syntax is proto2).
    public init(_ file: Google_Protobuf_FileDescriptorProto) {
        switch file.syntax {
        case "proto3": self = .proto3
        case "editions": self = .editions(Self.editionName(file.edition))
        default: self = .proto2
        }
    }

    private static func editionName(_ edition: Google_Protobuf_Edition) -> String {
        switch edition {
        case .edition2023: "2023"
        case .edition2024: "2024"
        default: "\(edition.rawValue)"
        }
    }
}

/// A message type found in a pool: its descriptor, full name and the file that declares it.
public struct ProtoMessageType: Sendable {
    /// Full name without a leading dot, e.g. `shop.Order.Item`.
    public let fullName: String
    public let descriptor: Google_Protobuf_DescriptorProto
    /// Index of the declaring file in `ProtoDescriptorPool.files`.
    public let fileIndex: Int
    /// Confluent's message indexes: the path of this message among its file's top-level and nested messages.
    public let indexes: [Int]
}

/// An enum type found in a pool.
public struct ProtoEnumType: Sendable {
    /// Full name without a leading dot.
    public let fullName: String
    public let descriptor: Google_Protobuf_EnumDescriptorProto
    public let fileIndex: Int
}

/// A set of linked files (a schema and everything it imports) indexed by type name.
///
/// Descriptors are as protoc produces them: type references are fully qualified with a leading dot.
/// Lookups accept names with or without the leading dot.
public struct ProtoDescriptorPool: Sendable {
    public let files: [Google_Protobuf_FileDescriptorProto]
    public let messages: [String: ProtoMessageType]
    public let enums: [String: ProtoEnumType]

    /// Indexes `files`. A type defined twice is an `.invalidSchema` error.
    public init(files: [Google_Protobuf_FileDescriptorProto]) throws(ProtobufError) {
        self.files = files
        var messages: [String: ProtoMessageType] = [:]
        var enums: [String: ProtoEnumType] = [:]
        func prefix(_ scope: String, _ name: String) -> String { scope.isEmpty ? name : "\(scope).\(name)" }
        func addEnum(_ e: Google_Protobuf_EnumDescriptorProto, scope: String, file: Int) throws(ProtobufError) {
            let name = prefix(scope, e.name)
            if messages[name] != nil || enums[name] != nil {
                throw ProtobufError(.invalidSchema, "\"\(name)\" is defined more than once", protoPath: name)
            }
            enums[name] = ProtoEnumType(fullName: name, descriptor: e, fileIndex: file)
        }
        func addMessage(
            _ m: Google_Protobuf_DescriptorProto,
            scope: String,
            file: Int,
            indexes: [Int]
        ) throws(ProtobufError) {
            let name = prefix(scope, m.name)
            if messages[name] != nil || enums[name] != nil {
                throw ProtobufError(.invalidSchema, "\"\(name)\" is defined more than once", protoPath: name)
            }
            messages[name] = ProtoMessageType(fullName: name, descriptor: m, fileIndex: file, indexes: indexes)
            for (i, nested) in m.nestedType.enumerated() {
                try addMessage(nested, scope: name, file: file, indexes: indexes + [i])
            }
            for e in m.enumType {
                try addEnum(e, scope: name, file: file)
            }
        }
        for (fileIndex, file) in files.enumerated() {
            for (i, m) in file.messageType.enumerated() {
                try addMessage(m, scope: file.package, file: fileIndex, indexes: [i])
            }
            for e in file.enumType {
                try addEnum(e, scope: file.package, file: fileIndex)
            }
        }
        self.messages = messages
        self.enums = enums
    }

    private static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    /// The message called `name` (`pkg.Msg`, `.pkg.Msg` or `pkg.Outer.Inner`).
    public func message(named name: String) -> ProtoMessageType? {
        messages[Self.strip(name)]
    }

    /// The enum called `name`.
    public func enumType(named name: String) -> ProtoEnumType? {
        enums[Self.strip(name)]
    }

    /// The syntax of the file that declares `message`.
    public func syntax(of message: ProtoMessageType) -> ProtoSyntax {
        ProtoSyntax(files[message.fileIndex])
    }

    /// The message at Confluent message indexes `indexes` in file `fileIndex` (`[0]` is the first
    /// top-level message, `[1, 0]` the first message nested in the second).
    public func message(atIndexes indexes: [Int], inFile fileIndex: Int) -> ProtoMessageType? {
        guard files.indices.contains(fileIndex), let first = indexes.first,
            files[fileIndex].messageType.indices.contains(first)
        else { return nil }
        var descriptor = files[fileIndex].messageType[first]
        var name = files[fileIndex].package.isEmpty ? descriptor.name : "\(files[fileIndex].package).\(descriptor.name)"
        for index in indexes.dropFirst() {
            guard descriptor.nestedType.indices.contains(index) else { return nil }
            descriptor = descriptor.nestedType[index]
            name += "." + descriptor.name
        }
        return messages[name]
    }
}
