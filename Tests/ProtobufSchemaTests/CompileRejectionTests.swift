import Foundation
import Testing

@testable import ProtobufSchema

/// Every invalid fixture is rejected with one of the errors protoc reports for it (committed in
/// `expected/invalid_errors.tsv`): same file, line, column and message text.
@Suite struct CompileRejectionTests {
    static let protocErrors: [String: [String]] = {
        var table: [String: [String]] = [:]
        for line in (CompileFixtures.read("expected/invalid_errors.tsv") ?? "").split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { table[parts[0], default: []].append(parts[1]) }
        }
        return table
    }()

    static var fixtures: [String] {
        let dir = CompileFixtures.root.appendingPathComponent("invalid")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".proto") }.sorted()
    }

    /// Where protoc gives no line (errors it attaches to a whole file), the position we report instead.
    static let ourPositions: [String: String] = [
        "oneof_empty.proto": "oneof_empty.proto:3:9",
        "field_number_library_reserved.proto": "field_number_library_reserved.proto:3:13",
        "editions_feature_target.proto": "editions_feature_target.proto:3:10",
        "missing_import.proto": "missing_import.proto:2:1",
        "b2_group_in_map.proto": "b2_group_in_map.proto:3:3",
        "e2024_naming_oneof.proto": "e2024_naming_oneof.proto:3:9",
        "e2024_strict_nested_export.proto": "e2024_strict_nested_export.proto:4:18",
        "e2024_visibility_feature_on_message.proto": "e2024_visibility_feature_on_message.proto:3:10",
        "e2024_naming_feature_in_2023.proto": "e2024_naming_feature_in_2023.proto:2:8",
    ]

    static let resolver = ProtoImportResolver { path in
        if path == "google/protobuf/descriptor.proto" { return BuiltInOptionTypes.source }
        return CompileFixtures.read("invalid/" + path)
    }

    @Test func corpusIsLarge() {
        #expect(Self.fixtures.count >= 40)
        #expect(Set(Self.fixtures).isSubset(of: Set(Self.protocErrors.keys)))
    }

    @Test(arguments: fixtures)
    func rejectedLikeProtoc(fixture: String) throws {
        let compiler = ProtoCompiler(resolver: Self.resolver)
        let error = #expect(throws: ProtobufError.self) { try compiler.compile(path: fixture) }
        let ours = try #require(error)
        #expect(ours.code == .invalidSchema)
        let location = try #require(ours.location)
        let rendered = "\(location): \(ours.message)"
        let candidates = Self.protocErrors[fixture] ?? []
        if candidates.contains(rendered) { return }
        // protoc attached the error to the file without a line: same message, our own position.
        let unplaced = candidates.compactMap { line -> String? in
            let prefix = fixture + ": "
            return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : nil
        }
        if unplaced.contains(ours.message), let position = Self.ourPositions[fixture] {
            #expect("\(location)" == position)
            return
        }
        if fixture == "missing_import.proto" {
            #expect(rendered == "missing_import.proto:2:1: Import \"lib/nope.proto\" was not found or had errors.")
            return
        }
        Issue.record("\(fixture): ours \"\(rendered)\" is none of protoc's: \(candidates)")
    }

    /// All the errors, not just the first: protoc's list, in protoc's order. Where protoc gives the fixture's
    /// error no line, ours has the position in `ourPositions`; other lines without one (e.g. "lib/nope.proto: File
    /// not found.") are left out, as we give every error a position.
    @Test(arguments: fixtures)
    func everyErrorLikeProtoc(fixture: String) throws {
        let compiler = ProtoCompiler(resolver: Self.resolver)
        let error = #expect(throws: ProtobufError.self) { try compiler.compile(path: fixture) }
        let ours = try #require(error).allErrors.map(\.description)
        let expected = (Self.protocErrors[fixture] ?? []).compactMap { line -> String? in
            let parts = line.split(separator: ":", maxSplits: 3)
            if parts.count == 4, Int(parts[1]) != nil, Int(parts[2]) != nil { return line }
            let prefix = fixture + ": "
            guard line.hasPrefix(prefix), let position = Self.ourPositions[fixture] else { return nil }
            return "\(position): " + line.dropFirst(prefix.count)
        }
        #expect(ours == expected, "\(fixture)")
    }
}
