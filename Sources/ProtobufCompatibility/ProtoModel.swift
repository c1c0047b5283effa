import ProtobufSchema
import SwiftProtobuf

typealias FieldProto = Google_Protobuf_FieldDescriptorProto
typealias MessageProto = Google_Protobuf_DescriptorProto
typealias EnumProto = Google_Protobuf_EnumDescriptorProto
typealias FileProto = Google_Protobuf_FileDescriptorProto
typealias FeatureSet = Google_Protobuf_FeatureSet

/// A message of a schema with where it sits: its file, its enclosing message and its package-relative name.
struct MessageNode {
    let fullName: String
    /// The name relative to the declaring file's package, e.g. `Order.Item`.
    let localName: String
    let descriptor: MessageProto
    let fileIndex: Int
    /// Full name of the enclosing message, if nested.
    let parent: String?
    /// Name relative to the file (the same as `localName`); kept apart for the file-level rules.
    var nestedName: String { localName }
    var isMapEntry: Bool { descriptor.options.mapEntry }
}

/// An enum of a schema with where it sits.
struct EnumNode {
    let fullName: String
    let localName: String
    let descriptor: EnumProto
    let fileIndex: Int
    let parent: String?
}

/// An extension field with where it is declared.
struct ExtensionNode {
    let fullName: String
    let localName: String
    let field: FieldProto
    let fileIndex: Int
    let parent: String?
}

/// The messages, enums and extensions of a linked schema in declaration order (files in pool order, then
/// depth first), with lookups by full name. Nesting deeper than `maxDepth` is not indexed further.
struct ProtoModel {
    static let maxDepth = 100

    let schema: ProtoSchema
    private(set) var messages: [MessageNode] = []
    private(set) var enums: [EnumNode] = []
    private(set) var extensions: [ExtensionNode] = []
    private(set) var messageIndex: [String: Int] = [:]
    private(set) var enumIndex: [String: Int] = [:]
    /// The schema's size for the work budget: files, messages, fields, oneofs, reserved and extension ranges,
    /// reserved names, enums, enum values, extensions, services and methods.
    private(set) var nodeCount = 0

    init(_ schema: ProtoSchema) {
        self.schema = schema
        for (fileIndex, file) in schema.pool.files.enumerated() {
            nodeCount += 1 + file.service.count + file.service.reduce(0) { $0 + $1.method.count }
            for field in file.extension {
                addExtension(field, scope: file.package, local: "", fileIndex: fileIndex, parent: nil)
            }
            for message in file.messageType {
                addMessage(message, scope: file.package, local: "", fileIndex: fileIndex, parent: nil, depth: 0)
            }
            for e in file.enumType {
                addEnum(e, scope: file.package, local: "", fileIndex: fileIndex, parent: nil)
            }
        }
    }

    static func join(_ scope: String, _ name: String) -> String { scope.isEmpty ? name : "\(scope).\(name)" }

    private mutating func addMessage(
        _ m: MessageProto, scope: String, local: String, fileIndex: Int, parent: String?, depth: Int
    ) {
        let fullName = Self.join(scope, m.name)
        let localName = Self.join(local, m.name)
        nodeCount += 1 + m.field.count + m.oneofDecl.count + m.reservedRange.count + m.reservedName.count
            + m.extensionRange.count
        if messageIndex[fullName] == nil {
            messageIndex[fullName] = messages.count
            messages.append(
                MessageNode(
                    fullName: fullName, localName: localName, descriptor: m, fileIndex: fileIndex, parent: parent))
        }
        guard depth < Self.maxDepth else { return }
        for field in m.extension {
            addExtension(field, scope: fullName, local: localName, fileIndex: fileIndex, parent: fullName)
        }
        for nested in m.nestedType {
            addMessage(nested, scope: fullName, local: localName, fileIndex: fileIndex, parent: fullName, depth: depth + 1)
        }
        for e in m.enumType {
            addEnum(e, scope: fullName, local: localName, fileIndex: fileIndex, parent: fullName)
        }
    }

    private mutating func addEnum(_ e: EnumProto, scope: String, local: String, fileIndex: Int, parent: String?) {
        let fullName = Self.join(scope, e.name)
        nodeCount += 1 + e.value.count + e.reservedRange.count + e.reservedName.count
        guard enumIndex[fullName] == nil else { return }
        enumIndex[fullName] = enums.count
        enums.append(
            EnumNode(
                fullName: fullName, localName: Self.join(local, e.name), descriptor: e, fileIndex: fileIndex,
                parent: parent))
    }

    private mutating func addExtension(
        _ field: FieldProto, scope: String, local: String, fileIndex: Int, parent: String?
    ) {
        nodeCount += 1
        extensions.append(
            ExtensionNode(
                fullName: Self.join(scope, field.name), localName: Self.join(local, field.name), field: field,
                fileIndex: fileIndex, parent: parent))
    }

    static func strip(_ name: String) -> String { name.hasPrefix(".") ? String(name.dropFirst()) : name }

    func message(_ name: String) -> MessageNode? {
        messageIndex[Self.strip(name)].map { messages[$0] }
    }

    func enumNode(_ name: String) -> EnumNode? {
        enumIndex[Self.strip(name)].map { enums[$0] }
    }

    var files: [FileProto] { schema.pool.files }
    var mainFileIndex: Int { schema.mainFileIndex }

    func file(_ index: Int) -> FileProto { schema.pool.files[index] }

    func syntax(_ fileIndex: Int) -> ProtoSyntax { ProtoSyntax(file(fileIndex)) }

    /// The local name of a full name declared in file `fileIndex`: the package prefix removed.
    func localName(of fullName: String, fileIndex: Int) -> String {
        let package = file(fileIndex).package
        guard !package.isEmpty, fullName.hasPrefix(package + ".") else { return fullName }
        return String(fullName.dropFirst(package.count + 1))
    }
}

extension FieldProto {
    /// True for a member of a real (not synthetic) oneof.
    var isInRealOneof: Bool { hasOneofIndex && !proto3Optional }

    /// The stored JSON name, or protoc's default when none is stored.
    var effectiveJSONName: String {
        hasJsonName ? jsonName : ProtoNames.defaultJSONName(name)
    }

    var isScalarType: Bool {
        switch type {
        case .message, .group, .enum: false
        default: true
        }
    }
}

extension FieldProto.TypeEnum {
    /// The type as written in a `.proto` file.
    var protoName: String {
        switch self {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .group: "group"
        case .message: "message"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .enum: "enum"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        }
    }
}
