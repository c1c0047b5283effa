import SwiftProtobuf

/// A 0-based position in `.proto` text (protoc's convention; errors print them 1-based).
struct SourcePos: Sendable, Hashable {
    var line: Int
    var column: Int
}

/// What part of an element a position refers to (protoc's `ErrorLocation`).
enum LocKind: Sendable, Hashable {
    case name, number, type, extendee, defaultValue, inputType, outputType, other, jsonName, label
}

/// An element of a file addressed like `SourceCodeInfo` paths (`[4, 0, 2, 1]` is field 1 of message 0).
typealias ElementPath = [Int32]

struct LocKey: Sendable, Hashable {
    var path: ElementPath
    var kind: LocKind
}

/// One `option name = value` as written, before interpretation (protoc's `UninterpretedOption`).
struct ParsedOption: Sendable {
    struct NamePart: Sendable {
        var name: String
        var isExtension: Bool
    }

    enum Value: Sendable {
        case identifier(String)
        case positiveInt(UInt64)
        case negativeInt(Int64)
        case double(Double)
        case string([UInt8])
        /// The tokens between the braces of `{ ... }` (text format).
        case aggregate([ProtoToken])
    }

    var name: [NamePart]
    var value: Value
    var namePos: SourcePos
    var valuePos: SourcePos

    /// `a.(b.c).d` as written.
    var displayName: String {
        name.map { $0.isExtension ? "(\($0.name))" : $0.name }.joined(separator: ".")
    }

    var isSimple: Bool { name.count == 1 && !name[0].isExtension }
}

/// The parser's result: a descriptor as protoc's parser leaves it (type names as written, no options
/// interpreted), the options of each element, and where things are in the text.
struct ParsedFile: Sendable {
    var descriptor: Google_Protobuf_FileDescriptorProto
    var options: [ElementPath: [ParsedOption]] = [:]
    var locations: [LocKey: SourcePos] = [:]
    /// Import positions by dependency index.
    var importPositions: [SourcePos] = []
    /// `import option` positions by option dependency index.
    var optionImportPositions: [SourcePos] = []
    /// Where the `syntax` or `edition` statement starts.
    var syntaxPosition = SourcePos(line: 0, column: 0)
    var edition: ProtoEditionKind = .proto2
    /// Paths of the entry messages the parser made for map fields.
    var mapEntryPaths: Set<ElementPath> = []

    func position(_ path: ElementPath, _ kind: LocKind) -> SourcePos? {
        locations[LocKey(path: path, kind: kind)]
    }
}

/// The syntax or edition of a file, ordered as protoc orders editions.
enum ProtoEditionKind: Int, Sendable, Comparable {
    case proto2 = 998
    case proto3 = 999
    case edition2023 = 1000
    case edition2024 = 1001

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    var isEditions: Bool { self >= .edition2023 }
}

/// Descriptor field numbers used in element paths.
enum PathTag {
    static let fileMessage: Int32 = 4
    static let fileEnum: Int32 = 5
    static let fileService: Int32 = 6
    static let fileExtension: Int32 = 7
    static let fileOptions: Int32 = 8
    static let messageField: Int32 = 2
    static let messageNested: Int32 = 3
    static let messageEnum: Int32 = 4
    static let messageExtensionRange: Int32 = 5
    static let messageExtension: Int32 = 6
    static let messageOptions: Int32 = 7
    static let messageOneof: Int32 = 8
    static let messageReservedRange: Int32 = 9
    static let messageReservedName: Int32 = 10
    static let enumValue: Int32 = 2
    static let enumReservedRange: Int32 = 4
    static let serviceMethod: Int32 = 2
}
