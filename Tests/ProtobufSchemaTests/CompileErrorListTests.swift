import Testing

@testable import ProtobufSchema

/// A file with several errors reports each of them, as protoc does: the parser skips a bad statement and goes on,
/// the linker goes on with the next element. Every expected list below is what protoc 35.1 printed for the same
/// file (`python -m grpc_tools.protoc`, grpcio-tools 1.85.1), in the same order.
@Suite struct CompileErrorListTests {
    /// Every error for `source` (given a final newline, as the files protoc read have), first first.
    static func errors(_ source: String, path: String, imports: [String: String] = [:]) -> [String] {
        CompileFixtures.compileError(source + "\n", path: path, imports: imports)?.allErrors.map(\.description) ?? []
    }

    // MARK: - Parser

    /// A bad statement is skipped up to its `;` or through its block; a stray `}` is reported; a file with syntax
    /// errors is not linked (no error for `Unknown`).
    @Test func parserSkipsToTheNextStatement() {
        let source = #"""
            syntax = "proto3";
            message A {
              int32 x = ;
              string y = 2
              bool z = 3;
            }
            message B {
              foo.Bar b = 1;
              int32 = 2;
            }
            enum E { E0 = 0; E1 }
            }
            message C { Unknown u = 1; }
            """#
        #expect(Self.errors(source, path: "parser_recovery.proto") == [
            "parser_recovery.proto:3:13: Expected field number.",
            "parser_recovery.proto:5:3: Expected \";\".",
            "parser_recovery.proto:9:9: Expected field name.",
            "parser_recovery.proto:11:21: Missing numeric value for enum constant.",
            "parser_recovery.proto:12:1: Expected top-level statement (e.g. \"message\").",
            "parser_recovery.proto:12:1: Unmatched \"}\".",
        ])
    }

    /// The tokenizer reports a bad number, escape or character and goes on with the best token it can make.
    @Test func lexerErrorsDoNotStopTheParse() {
        let source = #"""
            syntax = "proto3";
            message A {
              int32 x = 0x;
              int32 y = 09;
              string s = 3 [default = "a\qb"];
              int32 é = 4;
            }
            """#
        #expect(Self.errors(source, path: "lexer_errors.proto") == [
            "lexer_errors.proto:3:15: \"0x\" must be followed by hex digits.",
            "lexer_errors.proto:4:14: Numbers starting with leading zero must be in octal.",
            "lexer_errors.proto:4:13: Integer out of range.",
            "lexer_errors.proto:5:30: Invalid escape sequence in string literal.",
            "lexer_errors.proto:6:9: Interpreting non ascii codepoint 195.",
            "lexer_errors.proto:6:9: Expected field name.",
            "lexer_errors.proto:6:10: Interpreting non ascii codepoint 169.",
        ])
    }

    /// Input that ends inside nested blocks: one error per open block.
    @Test func eachOpenBlockReportsTheEndOfInput() {
        let source = #"""
            syntax = "proto3";
            message M {
              message N {
                int32 a = 1;
            """#
        #expect(Self.errors(source, path: "unterminated.proto") == [
            "unterminated.proto:5:1: Reached end of input in message definition (missing '}').",
            "unterminated.proto:5:1: Reached end of input in message definition (missing '}').",
        ])
    }

    /// protoc's skipping passes over the token after a nested `{` or `}`; we do the same, so the same errors follow.
    @Test func skippingAPastBlockFollowsProtoc() {
        let source = #"""
            syntax = "proto3";
            message A {
              int32 = 1 { x {} y }
              int32 b = 2;
              int32 c = ;
            }
            message B { int32 d = 1; }
            """#
        #expect(Self.errors(source, path: "skip_quirk.proto") == [
            "skip_quirk.proto:3:9: Expected field name.",
            "skip_quirk.proto:8:1: Reached end of input in message definition (missing '}').",
        ])
    }

    /// A label in a oneof, a missing proto2 label and a second package are reported without dropping the statement.
    @Test func recoverableMistakesAreReportedInPlace() {
        let source = #"""
            syntax = "proto2";
            package shop;
            message M {
              oneof choice {
                optional int32 a = 1;
                string b = 2
              }
              package x;
            }
            package other;
            package again;
            """#
        #expect(Self.errors(source, path: "oneof_labels.proto") == [
            "oneof_labels.proto:5:5: Fields in oneofs must not have labels (required / optional / repeated).",
            "oneof_labels.proto:7:3: Expected \";\".",
            "oneof_labels.proto:8:3: Expected \"required\", \"optional\", or \"repeated\".",
            "oneof_labels.proto:8:12: Missing field number.",
            "oneof_labels.proto:10:1: Multiple package definitions.",
            "oneof_labels.proto:11:1: Multiple package definitions.",
        ])
    }

    // MARK: - Linker

    /// Names and numbers (build phase), then type references (cross-linking), then protoc's suggestion of free
    /// numbers; options and validation are not run on a file with errors (no error for the proto3 enum whose first
    /// value is not zero).
    @Test func linkerReportsNamesNumbersAndTypes() {
        let source = #"""
            syntax = "proto3";
            message A {
              Missing m = 1;
              int32 x = 1;
              int32 y = 0;
              Other.Thing t = 4;
            }
            message A { int32 q = 1; }
            enum E { E1 = 1; }
            message B { int32 b = 1; string b = 2; }
            service S { rpc M(E) returns (Nope); }
            """#
        #expect(Self.errors(source, path: "linker_errors.proto") == [
            "linker_errors.proto:5:13: Field numbers must be positive integers.",
            "linker_errors.proto:8:9: \"A\" is already defined.",
            "linker_errors.proto:10:33: \"b\" is already defined in \"B\".",
            "linker_errors.proto:3:3: \"Missing\" is not defined.",
            "linker_errors.proto:4:13: Field number 1 has already been used in \"A\" by field \"m\". Next available field number is 1.",
            "linker_errors.proto:6:3: \"Other.Thing\" is not defined.",
            "linker_errors.proto:11:19: \"E\" is not a message type.",
            "linker_errors.proto:11:31: \"Nope\" is not defined.",
            "linker_errors.proto:5:13: Suggested field numbers for A: 2",
        ])
    }

    /// Each bad number or range is reported, with one suggestion of free numbers for the message.
    @Test func badNumbersGetSuggestions() {
        let source = #"""
            syntax = "proto2";
            message A {
              extensions 0 to 10;
              reserved 20 to 25;
              optional int32 x = 22;
              optional int32 y = 5;
              optional int32 z = 0;
            }
            message B { optional int32 q = 19500; }
            """#
        #expect(Self.errors(source, path: "ranges.proto") == [
            "ranges.proto:7:22: Field numbers must be positive integers.",
            "ranges.proto:3:14: Extension numbers must be positive integers.",
            "ranges.proto:4:12: Field \"x\" uses reserved number 22.",
            "ranges.proto:3:14: Extension range 0 to 10 includes field \"y\" (5).",
            "ranges.proto:3:14: Extension range 0 to 10 includes field \"z\" (0).",
            "ranges.proto:7:22: Suggested field numbers for A: 11, 12, 13",
        ])
    }

    /// A value that clashes with another enum's value gets protoc's note on C++ scoping.
    @Test func enumValueClashesExplainScoping() {
        let source = #"""
            syntax = "proto3";
            package shop;
            enum Color { UNKNOWN = 0; RED = 1; }
            enum Size { UNKNOWN = 0; BIG = 1; }
            message Item { int32 RED = 1; }
            """#
        #expect(Self.errors(source, path: "enum_scope.proto") == [
            "enum_scope.proto:4:13: \"UNKNOWN\" is already defined in \"shop\".",
            "enum_scope.proto:4:13: Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"UNKNOWN\" must be unique within \"shop\", not just within \"Size\".",
        ])
    }

    /// An element's options stop at its first bad one; the other elements' options are still interpreted.
    @Test func eachElementsOptionsAreInterpreted() {
        let source = #"""
            syntax = "proto3";
            message A {
              int32 y = 3 [bogus = 1, deprecated = true];
              int32 z = 4 [deprecated = 1];
              int32 w = 5 [deprecated = true, deprecated = false];
            }
            enum E { option bad = 2; E0 = 0; }
            """#
        #expect(Self.errors(source, path: "option_errors.proto") == [
            "option_errors.proto:3:16: Option \"bogus\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024).",
            "option_errors.proto:4:29: Value must be identifier for boolean option \"google.protobuf.FieldOptions.deprecated\".",
            "option_errors.proto:5:35: Option \"deprecated\" was already set.",
            "option_errors.proto:7:17: Option \"bad\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024).",
        ])
    }

    /// Validation reports the first problem of every field and enum.
    @Test func validationGoesOnAfterAnError() {
        let source = #"""
            syntax = "proto3";
            message A {
              int32 x = 1 [packed = true];
              repeated string s = 2 [packed = true];
              int32 y = 3 [jstype = JS_STRING];
              int32 xx = 4;
              int32 x_x = 5;
            }
            enum E { E1 = 1; }
            enum F { F0 = 0; F1 = 0; }
            """#
        #expect(Self.errors(source, path: "validation_errors.proto") == [
            "validation_errors.proto:3:3: [packed = true] can only be specified for repeated primitive fields.",
            "validation_errors.proto:4:12: [packed = true] can only be specified for repeated primitive fields.",
            "validation_errors.proto:5:3: jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.",
            "validation_errors.proto:9:15: The first enum value must be zero for open enums.",
            "validation_errors.proto:10:23: \"F1\" uses the same enum value as \"F0\". If this is intended, set 'option allow_alias = true;' to the enum definition. The next available enum value is 1.",
        ])
    }

    // MARK: - Imports

    /// An import with syntax errors and a missing import: the imported file's errors, then each import reported where
    /// it is written, and the importer is still linked (as protoc does, its unresolved types included). protoc also
    /// prints "lib/missing.proto: File not found." without a position; we leave that line out.
    @Test func importErrorsComeWithTheImportersOwn() {
        let imports = ["lib_bad.proto": "syntax = \"proto3\";\npackage lib;\nmessage Money { int64 units = ; }\n"]
        let source = #"""
            syntax = "proto3";
            import "lib_bad.proto";
            import "lib/missing.proto";
            message Order {
              lib.Money total = 1;
              int32 count = 0;
            }
            """#
        #expect(Self.errors(source, path: "order.proto", imports: imports) == [
            "lib_bad.proto:3:31: Expected field number.",
            "order.proto:2:1: Import \"lib_bad.proto\" was not found or had errors.",
            "order.proto:3:1: Import \"lib/missing.proto\" was not found or had errors.",
            "order.proto:6:17: Field numbers must be positive integers.",
            "order.proto:5:3: \"lib.Money\" is not defined.",
            "order.proto:6:17: Suggested field numbers for Order: 2",
        ])
    }

    // MARK: - The error list

    @Test func severalErrorsPrintOneLineEachFirstFirst() throws {
        let error = try #require(CompileFixtures.compileError("syntax = \"proto3\";\nmessage A { int32 x = ; }\nmessage B { int32 = 1; }\n"))
        #expect(error.message == "Expected field number.")
        #expect(error.location == .init(file: "test.proto", line: 2, column: 23))
        #expect(error.additionalErrors.count == 1)
        #expect(error.description == "test.proto:2:23: Expected field number.\ntest.proto:3:19: Expected field name.")
        #expect(error.allErrors.allSatisfy { $0.additionalErrors.isEmpty && $0.code == .invalidSchema })
    }

    @Test func aSingleErrorReadsAsBefore() throws {
        let error = try #require(CompileFixtures.compileError("syntax = \"proto3\";\nmessage A { Nope n = 1; }\n"))
        #expect(error.additionalErrors.isEmpty)
        #expect(error.allErrors == [error])
        #expect(error.description == "test.proto:2:13: \"Nope\" is not defined.")
    }

    /// The list is bounded: after `maxErrors` errors the compilation stops and says so.
    @Test func theNumberOfErrorsIsCapped() throws {
        let source = "syntax = \"proto3\";\n" + String(repeating: "message M { int32 x = ; }\n", count: 500)
        let compiler = ProtoCompiler(resolver: .sources([:]))
        let error = #expect(throws: ProtobufError.self) { try compiler.compile(source: source, path: "many.proto") }
        let all = try #require(error).allErrors
        #expect(all.count == 101)
        #expect(all[99].description == "many.proto:101:23: Expected field number.")
        #expect(all[100].code == .limitExceeded)
        #expect(all[100].message == "Too many errors: stopped after 100.")
        let few = ProtoCompiler(resolver: .sources([:]), limits: ProtoCompileLimits(maxErrors: 3))
        let capped = #expect(throws: ProtobufError.self) { try few.compile(source: source, path: "many.proto") }
        #expect(capped?.allErrors.count == 4)
    }

    /// Input limits still end the compilation at once, after the errors found so far.
    @Test func inputLimitsStopTheCompilation() throws {
        let source = "syntax = \"proto3\";\nmessage A { int32 x = ; }\n" + String(repeating: ";", count: 100)
        let compiler = ProtoCompiler(resolver: .sources([:]), limits: ProtoCompileLimits(maxTokens: 50))
        let error = #expect(throws: ProtobufError.self) { try compiler.compile(source: source, path: "t.proto") }
        let all = try #require(error).allErrors
        #expect(all.map(\.message) == ["Expected field number.", "the file has more than 50 tokens"])
        #expect(all.last?.code == .limitExceeded)
    }
}
