import Foundation
import JSONSupport
import Testing

/// `accord migrate lint`: exit codes and the three report formats.
@Suite struct MigrateLintTests {
    /// A migrations directory in a temporary folder, removed when dropped.
    final class Folder {
        let url: URL
        init(_ files: [String: String]) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-lint-\(UUID().uuidString)")
            for (path, text) in files {
                let file = url.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static let v1 = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#
    static let v2 = "{\n  \"type\": \"record\", \"name\": \"Order\",\n  \"fields\": [{\"name\": \"id\", \"type\": \"long\"}]\n}\n"

    @Test func aCleanDirectoryExitsZero() throws {
        let folder = try Folder(["orders/v1.avsc": Self.v1, "orders/v2.avsc": Self.v1])
        let result = try AccordProcess.run(["migrate", "lint", "--dir", folder.url.path])
        #expect(result.status == 0)
        #expect(result.output == "ok: 1 subjects, 2 versions\n")
    }

    @Test func theProjectsSchemasFolderIsACleanExample() throws {
        let result = try AccordProcess.run(["migrate", "lint", "--dir", AccordProcess.packageRoot.appendingPathComponent("schemas").path])
        #expect(result.status == 0)
        #expect(result.output == "ok: 7 subjects, 14 versions\n")
    }

    @Test func aBreakingVersionExitsOneInEveryFormat() throws {
        let folder = try Folder(["orders/v1.avsc": Self.v1, "orders/v2.avsc": Self.v2])
        let text = try AccordProcess.run(["migrate", "lint", "--dir", folder.url.path])
        #expect(text.status == 1)
        #expect(text.output.hasPrefix("\(folder.url.path)/orders/v2.avsc:3:37: orders version 2 (against version 1): TYPE_MISMATCH at /fields/0/type: "))
        #expect(text.output.hasSuffix("1 findings in 1 subjects, 2 versions\n"))
        let json = try AccordProcess.run(["migrate", "lint", "--dir", folder.url.path, "--output", "json"])
        #expect(json.status == 1)
        let report = try JSONParser.parse(json.output).objectValue
        #expect(report?["clean"]?.boolValue == false)
        let finding = report?["findings"]?.arrayValue?.first?.objectValue
        #expect(finding?["subject"]?.stringValue == "orders")
        #expect(finding?["kind"]?.stringValue == "TYPE_MISMATCH")
        #expect(finding?["against"]?.serialized() == "1" && finding?["line"]?.serialized() == "3")
        let github = try AccordProcess.run(["migrate", "lint", "--dir", folder.url.path, "--output", "github"])
        #expect(github.status == 1)
        #expect(github.output.hasPrefix("::error file=\(folder.url.path)/orders/v2.avsc,line=3,col=37,title=TYPE_MISMATCH (orders version 2)::/fields/0/type: "))
    }

    @Test func anUnreadableDirectoryOrManifestExitsTwo() throws {
        let missing = try AccordProcess.run(["migrate", "lint", "--dir", "/nonexistent/accord-lint"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("not a directory"))
        let folder = try Folder(["orders/v1.avsc": Self.v1, "orders/subject.yaml": "compatibility: SIDEWAYS\n"])
        let bad = try AccordProcess.run(["migrate", "lint", "--dir", folder.url.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown compatibility level 'SIDEWAYS'"))
    }
}
