import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// A base64 `FileDescriptorProto` is accepted only when its canonical text, the form the registry stores,
/// compiles back to the same descriptor: names text cannot spell, numbers text cannot write, hand-made map
/// entries and over-deep nesting are refused with `.invalidSchema` naming the element.
@Suite struct DescriptorValidationTests {
    static let money = "syntax = \"proto3\";\npackage shop;\nmessage Money { string currency = 1; int64 units = 2; }\n"
    static let resolver = ProtoImportResolver.sources(["money.proto": money])
    static let compiler = ProtoCompiler(resolver: resolver)

    /// Schemas written as text: every construct the registry's users send, compiled, serialized and offered back.
    static let validSources: [String] = [
        """
        syntax = "proto3";
        package shop.v1;
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/any.proto";
        import "money.proto";
        message Order {
          string id = 1;
          map<string, google.protobuf.Timestamp> events = 2;
          map<int64, Line> lines = 3;
          oneof payment { string card = 4; Money cash = 5; google.protobuf.Any other = 6; }
          optional int32 priority = 7;
          repeated Status history = 8 [packed = false];
          message Line { string sku = 1; uint32 quantity = 2; Money price = 3; }
          enum Status { STATUS_UNSPECIFIED = 0; OPEN = 1; CLOSED = 2; }
          reserved 20 to 30, 100;
          reserved "old";
        }
        enum Kind { option allow_alias = true; KIND_UNSPECIFIED = 0; A = 1; ALSO_A = 1; }
        service Orders {
          rpc Get(Order) returns (Order);
          rpc Watch(stream Order.Line) returns (stream google.protobuf.Timestamp);
        }
        """,
        """
        syntax = "proto2";
        package legacy;
        message Record {
          required string key = 1;
          optional bytes blob = 2 [default = "a\\"b\\001"];
          optional double ratio = 3 [default = 1e+06];
          optional Color color = 4 [default = GREEN];
          optional string note = 5 [default = "say \\"hi\\"\\n"];
          optional group Extra = 6 { optional int32 depth = 1; }
          extensions 100 to 199;
          enum Color { RED = 1; GREEN = 2; }
        }
        extend Record { optional int64 stamp = 100; }
        """,
        """
        edition = "2023";
        package ed;
        option features.field_presence = IMPLICIT;
        message Item {
          string name = 1 [features.field_presence = EXPLICIT];
          repeated int32 ids = 2;
          map<bool, Item> children = 3;
        }
        """,
        """
        syntax = "proto3";
        message A { message B { message C { map<string, C> cs = 1; } B b = 1; } A.B.C c = 1; }
        """,
    ]

    static func base64(_ file: Google_Protobuf_FileDescriptorProto) throws -> String {
        (try file.serializedBytes() as Data).base64EncodedString()
    }

    /// The descriptor of `source` as the text compiler produces it.
    static func descriptor(_ source: String, path: String = "order.proto") throws -> Google_Protobuf_FileDescriptorProto {
        try compiler.compile(source: source, path: path).file
    }

    /// What the registry's base64 path says about `file`: the error, or nil when it is accepted.
    static func refusal(_ file: Google_Protobuf_FileDescriptorProto) throws -> ProtobufError? {
        let text = try base64(file)
        do {
            _ = try compiler.compile(base64Descriptor: text, path: "default")
            return nil
        } catch {
            return error
        }
    }

    /// A small valid schema to break.
    static func order() throws -> Google_Protobuf_FileDescriptorProto {
        try descriptor(
            """
            syntax = "proto3";
            package shop;
            message Order {
              string id = 1;
              map<string, int32> counts = 2;
              oneof choice { string a = 3; int32 b = 4; }
              Kind kind = 5;
            }
            enum Kind { KIND_UNSPECIFIED = 0; BIG = 1; }
            service Orders { rpc Get(Order) returns (Order); }
            """)
    }

    static func expectRefused(
        _ file: Google_Protobuf_FileDescriptorProto, mentioning text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = try #require(try refusal(file), sourceLocation: sourceLocation)
        #expect(error.code == .invalidSchema, sourceLocation: sourceLocation)
        #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
    }

    // MARK: Names

    @Test func injectedMessageNameIsRefused() throws {
        var file = try Self.order()
        file.messageType[0].name = "Evil {}\nmessage Real"
        try Self.expectRefused(file, mentioning: "message name \"Evil {}\\nmessage Real\" is not an identifier")
        // The direct initializer applies the same checks.
        let error = #expect(throws: ProtobufError.self) {
            try ProtoSchema(base64Descriptor: try Self.base64(file), dependencies: [])
        }
        #expect(error?.message.contains("is not an identifier") == true)
    }

    @Test(arguments: ["message", "field", "enum", "enum value", "service", "method", "oneof", "reserved"])
    func braceNamesAreRefusedEverywhere(kind: String) throws {
        var file = try Self.order()
        let bad = "Bad; }}} {{{"
        switch kind {
        case "message": file.messageType[0].name = bad
        case "field": file.messageType[0].field[0].name = bad
        case "enum": file.enumType[0].name = bad
        case "enum value": file.enumType[0].value[1].name = bad
        case "service": file.service[0].name = bad
        case "method": file.service[0].method[0].name = bad
        case "oneof": file.messageType[0].oneofDecl[0].name = bad
        default: file.messageType[0].reservedName = [bad]
        }
        try Self.expectRefused(file, mentioning: "\(kind) name \"Bad; }}} {{{\" is not an identifier")
    }

    @Test(arguments: ["shop..v1", "shop v1", ".shop", "shop;", ""])
    func badPackagesAreRefused(package: String) throws {
        var file = try Self.order()
        file.package = package
        try Self.expectRefused(file, mentioning: "is not a dotted identifier")
    }

    @Test(arguments: ["", "..shop.Order", "shop.Order }", ".shop.Ord er", ".shop.Order."])
    func badTypeNamesAreRefused(typeName: String) throws {
        var file = try Self.order()
        file.messageType[0].field[4].typeName = typeName
        try Self.expectRefused(file, mentioning: "is not a type name")
        var method = try Self.order()
        method.service[0].method[0].outputType = typeName
        try Self.expectRefused(method, mentioning: "output type")
    }

    @Test func bytesDefaultCannotCloseItsQuotes() throws {
        var file = try Self.descriptor("syntax = \"proto2\";\nmessage R { optional bytes b = 1 [default = \"x\"]; }\n")
        file.messageType[0].field[0].defaultValue = "x\"]; } message Evil { optional int32 y = 2 [default = \""
        try Self.expectRefused(file, mentioning: "not a bytes literal")
        file.messageType[0].field[0].defaultValue = "1 ] ; //"
        file.messageType[0].field[0].type = .int32
        try Self.expectRefused(file, mentioning: "not a int32 literal")
    }

    // MARK: Numbers, ranges, duplicates

    @Test(arguments: [Int32(0), -1, 19000, 19999, 536_870_912, Int32.max])
    func badFieldNumbersAreRefused(number: Int32) throws {
        var file = try Self.order()
        file.messageType[0].field[0].number = number
        try Self.expectRefused(file, mentioning: "has number \(number)")
    }

    @Test(arguments: [Int32(18999), 20000, 536_870_911])
    func edgeFieldNumbersAreAccepted(number: Int32) throws {
        var file = try Self.order()
        file.messageType[0].field[0].number = number
        #expect(try Self.refusal(file) == nil)
    }

    @Test func duplicateNumbersAndNamesAreRefused() throws {
        var numbers = try Self.order()
        numbers.messageType[0].field[1].number = 1
        try Self.expectRefused(numbers, mentioning: "uses number 1, already used by id")
        var names = try Self.order()
        names.messageType[0].field[1].name = "id"
        try Self.expectRefused(names, mentioning: "\"id\" is already defined in \"shop.Order\"")
        var values = try Self.order()
        values.enumType[0].value[1].name = "KIND_UNSPECIFIED"
        try Self.expectRefused(values, mentioning: "\"KIND_UNSPECIFIED\" is already defined")
    }

    @Test func badRangesAreRefused() throws {
        var file = try Self.order()
        file.messageType[0].reservedRange = [.with { $0.start = 10; $0.end = 5 }]
        try Self.expectRefused(file, mentioning: "reserved range 10 to 4")
        file.messageType[0].reservedRange = [.with { $0.start = 1; $0.end = 2 }]
        try Self.expectRefused(file, mentioning: "field id uses reserved number 1")
        file.messageType[0].reservedRange = [.with { $0.start = 10; $0.end = 20 }, .with { $0.start = 15; $0.end = 30 }]
        try Self.expectRefused(file, mentioning: "overlaps")
    }

    // MARK: Map entries and nesting

    @Test(arguments: ["key number", "key type", "entry name", "not repeated", "top level", "extra field"])
    func misshapenMapEntriesAreRefused(shape: String) throws {
        var file = try Self.order()
        #expect(file.messageType[0].nestedType[0].name == "CountsEntry")
        switch shape {
        case "key number": file.messageType[0].nestedType[0].field[0].number = 3
        case "key type": file.messageType[0].nestedType[0].field[0].type = .double
        case "entry name":
            file.messageType[0].nestedType[0].name = "Counts"
            file.messageType[0].field[1].typeName = ".shop.Order.Counts"
        case "not repeated": file.messageType[0].field[1].label = .optional
        case "top level":
            var entry = Google_Protobuf_DescriptorProto()
            entry.name = "LooseEntry"
            entry.options.mapEntry = true
            file.messageType.append(entry)
        default: file.messageType[0].nestedType[0].field.append(.with { $0.name = "x"; $0.number = 3; $0.type = .int32 })
        }
        try Self.expectRefused(file, mentioning: "map entry")
    }

    static func nested(depth: Int) -> Google_Protobuf_FileDescriptorProto {
        var message = Google_Protobuf_DescriptorProto()
        message.name = "M"
        for _ in 1..<depth {
            var outer = Google_Protobuf_DescriptorProto()
            outer.name = "M"
            outer.nestedType = [message]
            message = outer
        }
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "deep.proto"
        file.syntax = "proto3"
        file.messageType = [message]
        return file
    }

    @Test func nestingIsBoundedLikeText() throws {
        let deepest = ProtoCompileLimits.default.maxDepth - 1
        let accepted = try Self.compiler.compile(base64Descriptor: try Self.base64(Self.nested(depth: deepest)), path: "default")
        #expect(accepted.canonicalText.components(separatedBy: "message M").count == deepest + 1)
        try Self.expectRefused(Self.nested(depth: deepest + 1), mentioning: "nested deeper than \(deepest) levels")
        try Self.expectRefused(Self.nested(depth: 90), mentioning: "nested deeper than")
    }

    // MARK: Syntax and imports

    @Test func unsupportedSyntaxAndEditionsAreRefused() throws {
        var file = try Self.order()
        file.syntax = "proto4"
        try Self.expectRefused(file, mentioning: "unrecognized syntax \"proto4\"")
        file.syntax = "editions"
        file.edition = .edition2026
        try Self.expectRefused(file, mentioning: "only editions 2023 and 2024 are")
    }

    @Test func importsMustBeReferencesOrBuiltIn() throws {
        var file = try Self.order()
        file.dependency = ["nowhere.proto"]
        try Self.expectRefused(file, mentioning: "\"nowhere.proto\", which is not among the references")
        file.dependency = ["../etc/passwd"]
        try Self.expectRefused(file, mentioning: "is not a relative path")
    }

    // MARK: Accepted descriptors

    @Test(arguments: validSources.indices)
    func validDescriptorsRoundTrip(index: Int) throws {
        let original = try Self.compiler.compile(source: Self.validSources[index], path: "order.proto")
        let accepted = try Self.compiler.compile(base64Descriptor: try Self.base64(original.file), path: "default")
        var expected = original.file
        expected.name = "default"
        #expect(accepted.file == expected)
        #expect(accepted.canonicalText == original.canonicalText)
        let reread = try Self.compiler.compile(source: accepted.canonicalText, path: "default")
        #expect(reread.file == accepted.file)
        #expect(DescriptorEquivalence.firstDifference(original.file, reread.file) == nil)
    }

    /// protoc's own descriptors (the render corpus), with imports read from the corpus texts.
    @Test(arguments: RenderFixtures.corpus)
    func protocDescriptorsRoundTrip(name: String) throws {
        let (file, _) = try RenderFixtures.corpusFile(name)
        let corpus = RenderFixtures.directory.appendingPathComponent("corpus")
        let compiler = ProtoCompiler(resolver: .directories([corpus.path]))
        let text = try Self.base64(file)
        if name == "editions" {
            // It imports google/protobuf/cpp_features.proto, which is not built in: refused as the text would be.
            let error = #expect(throws: ProtobufError.self) { try compiler.compile(base64Descriptor: text, path: file.name) }
            #expect(error?.message.contains("\"google/protobuf/cpp_features.proto\", which is not among") == true)
            return
        }
        let accepted = try compiler.compile(base64Descriptor: text, path: file.name)
        #expect(DescriptorEquivalence.firstDifference(file, accepted.file) == nil)
        #expect(accepted.canonicalText == (try RenderFixtures.golden(name)))
    }

    @Test func equivalenceNamesTheFirstDifference() throws {
        let file = try Self.order()
        var other = file
        other.messageType[0].field[2].number = 9
        #expect(DescriptorEquivalence.firstDifference(file, other) == "field shop.Order.a reads back with a different number")
        other = file
        other.messageType.append(.with { $0.name = "Real" })
        #expect(DescriptorEquivalence.firstDifference(file, other) == "shop has 1 messages, but its text declares 2")
        #expect(DescriptorEquivalence.firstDifference(file, file) == nil)
    }
}
