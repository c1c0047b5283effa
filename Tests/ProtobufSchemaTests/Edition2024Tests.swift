import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// `edition = "2024"` as protoc 35.1 compiles it. The fixture corpus compares whole descriptors with protoc's
/// (`valid/edition2024*.proto`) and every rejection's error list (`invalid/e2024_*.proto`); these tests name the
/// rules one by one.
@Suite struct Edition2024Tests {
    static let lib = """
        edition = "2024";
        package lib;
        message Top {
          message Nested { int32 a = 1; }
          export message Exported { int32 b = 1; }
          enum Kind { KIND_UNSPECIFIED = 0; }
        }
        local message Hidden { int32 c = 1; }
        export enum Color { COLOR_UNSPECIFIED = 0; }

        """

    static let options = """
        edition = "2024";
        package opts;
        import "google/protobuf/descriptor.proto";
        extend google.protobuf.MessageOptions { string table = 50001; }

        """

    static let imports = ["lib.proto": lib, "opts.proto": options]

    static func errors(_ source: String) -> [String] {
        CompileFixtures.compileError(source, path: "user.proto", imports: imports)?.allErrors.map(\.description) ?? []
    }

    @Test func descriptorsCarryTheEditionAndVisibility() throws {
        let schema = try CompileFixtures.compile(Self.lib, path: "lib.proto")
        let file = schema.file
        #expect(file.syntax == "editions")
        #expect(file.edition == .edition2024)
        let top = try #require(file.messageType.first)
        #expect(!top.hasVisibility)
        #expect(top.nestedType.map(\.hasVisibility) == [false, true])
        #expect(top.nestedType[1].visibility == .visibilityExport)
        #expect(file.messageType[1].visibility == .visibilityLocal)
        #expect(file.enumType[0].visibility == .visibilityExport)
    }

    @Test func exportedTypesAreUsableFromOtherFiles() throws {
        let source = """
            edition = "2024";
            import "lib.proto";
            message User { lib.Top top = 1; lib.Top.Exported exported = 2; lib.Color color = 3; }
            """
        let schema = try CompileFixtures.compile(source, path: "user.proto", imports: Self.imports)
        #expect(schema.file.messageType[0].field.map(\.typeName) == [".lib.Top", ".lib.Top.Exported", ".lib.Color"])
    }

    /// Nested types are local by default (EXPORT_TOP_LEVEL), `local` ones too; the rule is the defining file's,
    /// whatever the edition of the file that uses them.
    @Test func localTypesAreNotVisibleElsewhere() {
        let nested = "Symbol \"lib.Top.Nested\", defined in \"lib.proto\"  is not visible from \"user.proto\". It "
            + "defaulted to local from file-level 'option features.default_symbol_visibility = 'EXPORT_TOP_LEVEL'; and "
            + "cannot be accessed outside its own file"
        let hidden = "Symbol \"lib.Hidden\", defined in \"lib.proto\"  is not visible from \"user.proto\". It is "
            + "explicitly marked 'local' and cannot be accessed outside its own file"
        #expect(Self.errors("edition = \"2024\";\nimport \"lib.proto\";\nmessage U { lib.Top.Nested n = 1; lib.Hidden h = 2; }") == [
            "user.proto:3:13: " + nested, "user.proto:3:35: " + hidden,
        ])
        #expect(Self.errors("syntax = \"proto3\";\nimport \"lib.proto\";\nmessage U { lib.Top.Nested n = 1; }") == [
            "user.proto:3:13: " + nested
        ])
        #expect(Self.errors("edition = \"2024\";\nimport \"lib.proto\";\nextend lib.Hidden { int32 x = 1; }").count == 1)
    }

    /// `import option` makes a file's extensions usable as options, and nothing else.
    @Test func optionImportsGiveOptionsNotTypes() throws {
        let source = """
            edition = "2024";
            import option "opts.proto";
            message User { option (opts.table) = "users"; int32 id = 1; }
            """
        let schema = try CompileFixtures.compile(source, path: "user.proto", imports: Self.imports)
        #expect(schema.file.optionDependency == ["opts.proto"])
        #expect(schema.file.dependency.isEmpty)
        #expect(schema.dependencies.map(\.name).contains("opts.proto"))
        #expect(Self.errors("edition = \"2024\";\nimport option \"lib.proto\";\nmessage U { lib.Top t = 1; }") == [
            "user.proto:3:13: \"lib.Top\" seems to be defined in \"lib.proto\", which is not imported by \"user.proto\".  "
                + "To use it here, please add the necessary import."
        ])
        #expect(Self.errors("edition = \"2023\";\nimport option \"opts.proto\";\n") == [
            "user.proto:2:8: option import is not supported before edition 2024."
        ])
        // protoc 35.1 reports a missing option import this way when the file sets options (without any, it
        // stops on an internal check); we always report it.
        #expect(Self.errors("edition = \"2024\";\nimport option \"missing.proto\";\n") == [
            "user.proto:2:1: Import \"missing.proto\" was not found or had errors."
        ])
    }

    @Test func weakImportsAndCtypeAreRefused() {
        #expect(Self.errors("edition = \"2024\";\nimport weak \"lib.proto\";\n") == [
            "user.proto:2:8: weak import is not supported in edition 2024 and above. Consider using option import instead."
        ])
        #expect(Self.errors("edition = \"2024\";\nmessage M { string s = 1 [ctype = CORD]; }") == [
            "user.proto:2:13: ctype option is not allowed under edition 2024 and beyond. Use the feature string_type = "
                + "VIEW|CORD|STRING|... instead."
        ])
        // The same option is fine in edition 2023.
        #expect(Self.errors("edition = \"2023\";\nmessage M { string s = 1 [ctype = CORD]; }").isEmpty)
    }

    /// STYLE2024 is the default; STYLE_LEGACY on an element opts it and what it contains out.
    @Test func namingStyleIsEnforcedByDefault() {
        let optOut = " (features.enforce_naming_style = STYLE_LEGACY can be used to opt out of this check)"
        #expect(Self.errors("edition = \"2024\";\nmessage bad_name { int32 Bad = 1; }") == [
            "user.proto:2:9: Message name bad_name should be TitleCase" + optOut,
            "user.proto:2:26: Field name Bad should be lower_snake_case" + optOut,
        ])
        #expect(Self.errors("""
            edition = "2024";
            message bad_name { option features.enforce_naming_style = STYLE_LEGACY; int32 Bad = 1; }
            """).isEmpty)
        #expect(Self.errors("edition = \"2023\";\nmessage bad_name { int32 Bad = 1; }").isEmpty)
    }

    @Test func visibilityKeywordsOnlyPrecedeMessagesAndEnums() {
        #expect(Self.errors("edition = \"2024\";\nmessage M { export int32 id = 1; }") == [
            "user.proto:2:20: 'local' and 'export' visibility modifiers are valid only on 'message' and 'enum'"
        ])
        // Before 2024 the words are not keywords.
        #expect(Self.errors("edition = \"2023\";\nexport message M {}") == [
            "user.proto:2:1: Expected top-level statement (e.g. \"message\")."
        ])
        #expect(Self.errors("edition = \"2023\";\nmessage export {}\nmessage M { export local = 1; }").isEmpty)
    }

    @Test func editionsAfter2024AreRefused() {
        #expect(Self.errors("edition = \"2026\";\n") == [
            "user.proto:1:1: Edition 2026 is later than the maximum supported edition 2024"
        ])
        #expect(Self.errors("edition = \"2025\";\n") == ["user.proto:1:11: Unknown edition \"2025\"."])
    }

    /// The registry keeps canonical text and accepts serialized descriptors: both keep what 2024 adds.
    @Test func canonicalTextAndDescriptorsRoundTrip() throws {
        let source = """
            edition = "2024";
            import "lib.proto";
            import option "opts.proto";
            export message User {
              option (opts.table) = "users";
              lib.Top.Exported exported = 1;
              local enum Role { ROLE_UNSPECIFIED = 0; }
            }
            """
        let compiler = ProtoCompiler(resolver: .sources(Self.imports.merging(
            ["google/protobuf/descriptor.proto": BuiltInOptionTypes.source], uniquingKeysWith: { a, _ in a })))
        let schema = try compiler.compile(source: source, path: "user.proto")
        #expect(schema.canonicalText.contains("import option \"opts.proto\";"))
        #expect(schema.canonicalText.contains("export message User {"))
        #expect(schema.canonicalText.contains("local enum Role {"))
        let again = try compiler.compile(source: schema.canonicalText, path: "user.proto")
        #expect(again.file == schema.file)
        let base64 = (try schema.file.serializedBytes() as Data).base64EncodedString()
        let decoded = try compiler.compile(base64Descriptor: base64, path: "user.proto")
        #expect(decoded.file == schema.file)
    }

    /// Found by fuzzing (proto-compiler, on the fixture `valid/edition2024.proto`): `enforce_naming_style` is
    /// source-only, so the descriptor of a file that opted out of the 2024 naming style no longer says so, and its
    /// canonical text did not compile ("Message name legacy_row should be TitleCase"). The text now opts out where
    /// the source did (the element left with an empty `features`), so it compiles to the same descriptor.
    @Test func canonicalTextKeepsTheNamingStyleOptOut() throws {
        let source = """
            edition = "2024";
            package shop;
            message Invoice { int32 id = 1; int32 LegacyId = 2 [features.enforce_naming_style = STYLE_LEGACY]; }
            local message legacy_row {
              option features.enforce_naming_style = STYLE_LEGACY;
              int32 RowNumber = 1;
            }
            """
        let compiler = ProtoCompiler(resolver: .sources([:]))
        let schema = try compiler.compile(source: source, path: "shop.proto")
        let text = schema.canonicalText
        #expect(text.contains("local message legacy_row {\n  option features.enforce_naming_style = STYLE_LEGACY;\n"))
        #expect(text.contains("int32 LegacyId = 2 [features.enforce_naming_style = STYLE_LEGACY];"))
        #expect(!text.contains("features = {}"))
        let again = try compiler.compile(source: text, path: "shop.proto")
        #expect(again.file == schema.file)
        #expect(again.canonicalText == text)
        let normalized = try compiler.compile(source: schema.normalizedText, path: "shop.proto")
        #expect(normalized.normalizedText == schema.normalizedText)

        let conforming = try compiler.compile(source: "edition = \"2024\";\nmessage Invoice { int32 id = 1; }", path: "a.proto")
        #expect(!conforming.canonicalText.contains("enforce_naming_style"))
        let proto3 = try compiler.compile(source: "syntax = \"proto3\";\nmessage legacy_row { int32 Id = 1; }", path: "b.proto")
        #expect(!proto3.canonicalText.contains("enforce_naming_style"))
    }

    /// A descriptor that was not compiled from text (a client's serialized FileDescriptorProto) has no empty
    /// `features` to mark the opt-out: its text opts out for the whole file, so it still compiles.
    @Test func foreignDescriptorsOptOutAtFileLevel() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "foreign.proto"
        file.syntax = "editions"
        file.edition = .edition2024
        var message = Google_Protobuf_DescriptorProto()
        message.name = "legacy_row"
        file.messageType = [message]
        let text = ProtoRenderer.render(file)
        #expect(text.contains("option features.enforce_naming_style = STYLE_LEGACY;"))
        let compiled = try ProtoCompiler(resolver: .sources([:])).compile(source: text, path: "foreign.proto")
        #expect(compiled.file.messageType.map(\.name) == ["legacy_row"])
    }
}
