import Foundation
import Testing

@testable import ProtobufSchema

/// Broken, truncated, deeply nested and oversized input ends in a `ProtobufError` that says where, never a crash.
@Suite struct CompileHostileInputTests {
    static func outcome(_ source: String, limits: ProtoCompileLimits = .default) -> ProtobufError? {
        let compiler = ProtoCompiler(resolver: CompileFixtures.resolver, limits: limits)
        do {
            _ = try compiler.compile(source: source, path: "hostile.proto")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: CompileFixtures.mainFiles)
    func everyTruncationFailsCleanly(main: String) throws {
        let text = Array(try #require(CompileFixtures.read("valid/" + main)).utf8)
        var rejected = 0
        for length in stride(from: 0, to: text.count, by: 3) {
            let prefix = String(decoding: text[..<length], as: UTF8.self)
            if let error = Self.outcome(prefix) {
                rejected += 1
                #expect(error.location != nil, "no location for a prefix of \(length) bytes")
            }
        }
        #expect(rejected > 0 || text.isEmpty)
    }

    @Test(arguments: CompileFixtures.mainFiles)
    func byteMutationsFailCleanly(main: String) throws {
        let text = Array(try #require(CompileFixtures.read("valid/" + main)).utf8)
        guard !text.isEmpty else { return }
        let replacements: [UInt8] = [0x7B, 0x7D, 0x3B, 0x22, 0x2E, 0x00, 0xFF, 0x3D, 0x2D, 0x28]
        var generator = SplitMix(seed: UInt64(text.count))
        for round in 0..<300 {
            var bytes = text
            let position = Int(generator.next() % UInt64(bytes.count))
            bytes[position] = replacements[round % replacements.count]
            _ = Self.outcome(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func deepMessageNestingStopsAtTheLimit() throws {
        let depth = 5_000
        let source = "syntax = \"proto3\";\n" + String(repeating: "message M {\n", count: depth)
            + String(repeating: "}\n", count: depth)
        let error = try #require(Self.outcome(source))
        #expect(error.message == "Reached maximum recursion limit for nested messages.")
        #expect(error.location?.line == 33)
    }

    @Test func nestingBelowTheLimitCompiles() {
        let depth = 31
        let source = "syntax = \"proto3\";\n" + String(repeating: "message M {\n", count: depth)
            + String(repeating: "}\n", count: depth)
        #expect(Self.outcome(source) == nil)
    }

    @Test func deepGroupNestingStopsAtTheLimit() throws {
        var source = "syntax = \"proto2\";\nmessage M {\n"
        for i in 0..<200 { source += "optional group G\(i) = \(i + 1) {\n" }
        source += String(repeating: "}\n", count: 201)
        let error = try #require(Self.outcome(source))
        #expect(error.message == "Reached maximum recursion limit for nested messages.")
    }

    @Test func deepAggregateValueIsBounded() throws {
        let depth = 20_000
        let source = """
            syntax = "proto2";
            import "google/protobuf/descriptor.proto";
            message R { optional R r = 1; }
            extend google.protobuf.FileOptions { optional R deep = 50000; }
            option (deep) = { \(String(repeating: "r { ", count: depth - 1))\(String(repeating: "}", count: depth));
            """
        let error = try #require(Self.outcome(source))
        #expect(error.message == "Error while parsing option value for \"deep\": Message is too deep")
        #expect(error.location?.line == 5)
    }

    @Test func hugeNumbersAreRangeErrors() throws {
        let cases: [(String, String)] = [
            ("message A { int32 x = 99999999999999999999999; }", "Integer out of range."),
            ("message A { int32 x = 0xFFFFFFFFFFFFFFFFFF; }", "Integer out of range."),
            ("enum E { A = 0; B = 2147483648; }", "Integer out of range."),
            ("enum E { A = 0; B = -2147483649; }", "Integer out of range."),
            ("message A { reserved 1 to 2147483647; }", "Field number out of bounds."),
            ("message A { reserved 1 to 2147483648; }", "Integer out of range."),
        ]
        for (body, message) in cases {
            let error = try #require(Self.outcome("syntax = \"proto3\";\n" + body), "\(body)")
            #expect(error.message == message, "\(body)")
        }
    }

    @Test func binaryGarbageIsRejected() throws {
        var generator = SplitMix(seed: 7)
        for _ in 0..<200 {
            let bytes = (0..<64).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = Self.outcome(String(decoding: bytes, as: UTF8.self))
        }
        let error = try #require(Self.outcome("syntax = \"proto3\";\n\u{1}message A {}"))
        #expect(error.message == "Invalid control characters encountered in text.")
        #expect(error.location?.line == 2 && error.location?.column == 1)
    }

    @Test func sizeAndTokenLimits() throws {
        let big = "syntax = \"proto3\";\n" + String(repeating: "// padding\n", count: 2_000)
        let bySize = try #require(Self.outcome(big, limits: ProtoCompileLimits(maxBytes: 1_000)))
        #expect(bySize.code == .limitExceeded)
        let many = "syntax = \"proto3\";\n" + String(repeating: ";", count: 5_000)
        let byTokens = try #require(Self.outcome(many, limits: ProtoCompileLimits(maxTokens: 1_000)))
        #expect(byTokens.code == .limitExceeded)
        #expect(byTokens.location?.line == 2)
    }

    @Test func importCountLimit() throws {
        var files: [String: String] = [:]
        for i in 0..<50 {
            files["f\(i).proto"] = "syntax = \"proto3\";\n" + (i < 49 ? "import \"f\(i + 1).proto\";\n" : "")
        }
        let compiler = ProtoCompiler(resolver: .sources(files), limits: ProtoCompileLimits(maxFiles: 10))
        let error = #expect(throws: ProtobufError.self) { try compiler.compile(path: "f0.proto") }
        #expect(error?.code == .limitExceeded)
        #expect(try ProtoCompiler(resolver: .sources(files)).compile(path: "f0.proto").dependencies.count == 49)
    }

    /// Inputs with many ranges, fields, oneofs and options compile in roughly linear time (checks that are
    /// pairwise in protoc use sorted indexes here).
    @Test func manyElementsStayFast() throws {
        let n = 20_000, base = 20_000
        var source = "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nmessage Big {\n"
        for i in 0..<n { source += "  reserved \(base + i * 4 + 3);\n  extensions \(base + i * 4 + 4);\n" }
        for i in 0..<n { source += "  optional int32 f\(i) = \(base + i * 4 + 1) [deprecated = true];\n" }
        for i in 0..<n { source += "  oneof o\(i) { int32 x\(i) = \(base + i * 4 + 2); }\n" }
        source += "}\nenum Many {\n"
        for i in 0..<n { source += "  V\(i) = \(i * 2);\n  reserved \(i * 2 + 1);\n" }
        source += "}\nextend google.protobuf.FileOptions {\n"
        for i in 0..<2_000 { source += "  optional int32 opt\(i) = \(50_000 + i);\n" }
        source += "}\n"
        for i in 0..<2_000 { source += "option (opt\(i)) = \(i);\n" }
        let start = ContinuousClock.now
        #expect(Self.outcome(source) == nil)
        #expect(ContinuousClock.now - start < .seconds(120))
        let clash = source.replacingOccurrences(of: "optional int32 f19999 = 99997", with: "optional int32 f19999 = 99999")
        let error = try #require(Self.outcome(clash))
        #expect(error.message == "Field \"f19999\" uses reserved number 99999.")
    }

    @Test func longIdentifiersAndStringsAreFine() throws {
        let name = String(repeating: "a", count: 100_000)
        let source = "syntax = \"proto3\";\nmessage \(name) { string s = 1 [json_name = \"\(name)\"]; }"
        #expect(Self.outcome(source) == nil)
    }

    @Test func invalidUTF8InNamesAndStrings() throws {
        let badJSONName = try #require(Self.outcome("syntax = \"proto3\";\nmessage A { string s = 1 [json_name = \"\\xff\"]; }"))
        #expect(badJSONName.message == "String is not valid UTF-8.")
        let badImport = try #require(Self.outcome("syntax = \"proto3\";\nimport \"\\xc3\";"))
        #expect(badImport.location?.line == 2)
    }
}

/// A small deterministic generator for mutation tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
