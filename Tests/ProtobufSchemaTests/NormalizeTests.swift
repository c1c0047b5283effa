import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// `ProtoSchema.normalizedText`: texts of one schema written in different orders normalize to the same text,
/// which compiles back to itself, and message indexes survive.
@Suite struct NormalizeTests {
    static let imports = [
        "a/money.proto": "syntax = \"proto3\"; package a; message Money { int64 units = 1; }",
        "b/place.proto": "syntax = \"proto3\"; package b; message Place { string name = 1; }",
    ]

    static func normalized(_ text: String, imports: [String: String] = imports) throws -> String {
        try CompileFixtures.compile(text, path: "order.proto", imports: imports).normalizedText
    }

    static let written = """
        syntax = "proto3";
        package shop;
        import "google/protobuf/descriptor.proto";
        import "b/place.proto";
        import public "a/money.proto";
        extend google.protobuf.MessageOptions { string tag = 50001; int32 rank = 50000; }
        message Order {
          option deprecated = true;
          option (tag) = "t";
          reserved "zeta", "alpha";
          reserved 20 to 25, 9;
          map<string, int32> counts = 7;
          message Inner { int32 x = 1; }
          oneof choice { string note = 6; int32 code = 3; }
          optional b.Place place = 5;
          map<string, a.Money> prices = 2;
          string id = 1;
          Inner inner = 4;
          enum State { UNKNOWN = 0; SHIPPED = 2; NEW = 1; }
        }
        """

    static let reordered = """
        syntax = "proto3";
        package shop;
        import public "a/money.proto";
        import "google/protobuf/descriptor.proto";
        import "b/place.proto";
        extend google.protobuf.MessageOptions { int32 rank = 50000; string tag = 50001; }
        message Order {
          option (tag) = "t";
          option deprecated = true;
          reserved 9, 20 to 25;
          reserved "alpha", "zeta";
          string id = 1;
          map<string, a.Money> prices = 2;
          oneof choice { int32 code = 3; string note = 6; }
          Inner inner = 4;
          message Inner { int32 x = 1; }
          optional b.Place place = 5;
          map<string, int32> counts = 7;
          enum State { UNKNOWN = 0; NEW = 1; SHIPPED = 2; }
        }
        """

    /// Inner stays between the two map entries it was declared between (its message index is [0, 1] either way).
    @Test func declarationOrderDoesNotChangeTheNormalizedText() throws {
        let expected = """
            syntax = "proto3";

            package shop;

            import public "a/money.proto";
            import "b/place.proto";
            import "google/protobuf/descriptor.proto";

            message Order {
              option deprecated = true;
              option (tag) = "t";
              reserved 9, 20 to 25;
              reserved "alpha", "zeta";

              string id = 1;
              map<string, a.Money> prices = 2;

              oneof choice {
                int32 code = 3;
                string note = 6;
              }

              Inner inner = 4;
              optional b.Place place = 5;

              message Inner {
                int32 x = 1;
              }

              map<string, int32> counts = 7;

              enum State {
                UNKNOWN = 0;
                NEW = 1;
                SHIPPED = 2;
              }
            }

            extend google.protobuf.MessageOptions {
              int32 rank = 50000;
              string tag = 50001;
            }

            """
        let first = try Self.normalized(Self.written)
        #expect(first == expected)
        #expect(try Self.normalized(Self.reordered) == first)
    }

    @Test func normalizedTextCompilesBackToItselfAndKeepsMessageIndexes() throws {
        let normalized = try Self.normalized(Self.written)
        let again = try CompileFixtures.compile(normalized, path: "order.proto", imports: Self.imports)
        #expect(again.canonicalText == normalized)
        #expect(again.normalizedText == normalized)
        // Inner keeps index [0, 1] (between the two map entries), however the fields moved.
        let original = try CompileFixtures.compile(Self.written, path: "order.proto", imports: Self.imports)
        #expect(original.pool.message(named: "shop.Order.Inner")?.indexes == [0, 1])
        #expect(again.pool.message(named: "shop.Order.Inner")?.indexes == [0, 1])
        #expect(again.file.messageType[0].nestedType.map(\.name) == ["PricesEntry", "Inner", "CountsEntry"])
        #expect(original.file.messageType[0].nestedType.map(\.name) == ["CountsEntry", "Inner", "PricesEntry"])
    }

    @Test func theFirstEnumValueStaysFirst() throws {
        // In proto2 the first value is the default of fields of the enum type, so it is not moved.
        let text = """
            syntax = "proto2";
            enum Level { option allow_alias = true; HIGH = 3; LOW = 1; MID = 2; ALSO_LOW = 1; }
            message M { optional Level level = 1; }
            """
        let normalized = try Self.normalized(text, imports: [:])
        #expect(normalized.contains("\n  HIGH = 3;\n  ALSO_LOW = 1;\n  LOW = 1;\n  MID = 2;\n}"))
    }

    @Test func groupsAndExtensionsKeepTheirBodiesAndNumbers() throws {
        let a = """
            syntax = "proto2";
            message M {
              extensions 200 to 300, 100 to 150;
              optional group Second = 2 { optional int32 b = 1; }
              optional group First = 1 { optional int32 a = 1; }
            }
            extend M { optional int32 y = 201; optional int32 x = 101; }
            """
        let b = """
            syntax = "proto2";
            message M {
              extensions 100 to 150;
              extensions 200 to 300;
              optional group First = 1 { optional int32 a = 1; }
              optional group Second = 2 { optional int32 b = 1; }
            }
            extend M { optional int32 x = 101; optional int32 y = 201; }
            """
        let normalized = try Self.normalized(a, imports: [:])
        #expect(try Self.normalized(b, imports: [:]) == normalized)
        let expected = """
            syntax = "proto2";

            message M {
              extensions 100 to 150;
              extensions 200 to 300;

              optional group First = 1 {
                optional int32 a = 1;
              }
              optional group Second = 2 {
                optional int32 b = 1;
              }
            }

            extend M {
              optional int32 x = 101;
              optional int32 y = 201;
            }

            """
        #expect(normalized == expected)
        let again = try CompileFixtures.compile(normalized, path: "order.proto")
        #expect(again.canonicalText == normalized)
    }
}
