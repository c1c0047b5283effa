import Foundation
import JSONSupport
import Testing

/// `accord migrate plan --against git:REF` in a scratch git repository: the CI check with no registry.
@Suite struct MigratePlanTests {
    /// A git repository in a temporary folder with a `schemas/` directory, removed when dropped.
    final class Repository {
        let url: URL
        var schemas: String { url.appendingPathComponent("schemas").path }

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-plan-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try git("init", "-q")
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ path: String, _ text: String) throws {
            let file = url.appendingPathComponent("schemas").appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }

        func commit(_ message: String) throws {
            try git("add", "-A")
            try git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "-m", message)
        }

        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", url.path] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        }

        func plan(_ extra: String...) throws -> AccordProcess.Result {
            try AccordProcess.run(["migrate", "plan", "--dir", schemas] + extra)
        }
    }

    static func order(_ fields: String) -> String {
        #"{"type":"record","name":"Order","namespace":"shop","fields":[\#(fields)]}"#
    }

    static let v1 = order(#"{"name":"id","type":"string"}"#)
    static let v2 = order(#"{"name":"id","type":"string"},{"name":"qty","type":"int","default":1}"#)
    static let breaking = order(#"{"name":"id","type":"string"},{"name":"qty","type":"long"},{"name":"note","type":"string"}"#)

    func changes(_ result: AccordProcess.Result) throws -> [JSONObject] {
        try JSONParser.parse(result.output).objectValue?["changes"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    @Test func aCompatibleNewVersionIsOneRegistration() throws {
        let repository = try Repository()
        try repository.write("orders-value/v1.avsc", Self.v1)
        try repository.commit("v1")
        #expect(try repository.plan("--against", "git:HEAD").output.hasPrefix("nothing to do"))
        try repository.write("orders-value/v2.avsc", Self.v2)
        let result = try repository.plan("--against", "git:HEAD", "--output", "json")
        #expect(result.status == 0)
        let planned = try changes(result)
        #expect(planned.count == 1)
        #expect(planned.first?["subject"]?.stringValue == "orders-value")
        #expect(planned.first?["action"]?.stringValue == "register")
        #expect(planned.first?["version"]?.serialized() == "2")
        #expect(planned.first?["compatible"]?.boolValue == true)
        #expect(planned.first?["file"]?.stringValue == repository.schemas + "/orders-value/v2.avsc")
    }

    @Test func aBreakingVersionIsRefusedAgainstTheWholeHistory() throws {
        let repository = try Repository()
        try repository.write("orders-value/v1.avsc", Self.v1)
        try repository.write("orders-value/v2.avsc", Self.v2)
        try repository.write("orders-value/subject.yaml", "compatibility: BACKWARD_TRANSITIVE\n")
        try repository.commit("v1 and v2")
        try repository.write("orders-value/v3.avsc", Self.breaking)
        let result = try repository.plan("--against", "git:HEAD", "--output", "json")
        #expect(result.status == 1)
        let planned = try changes(result)
        #expect(planned.map { $0["action"]?.stringValue } == ["register"])
        let problems = planned.first?["incompatibilities"]?.arrayValue?.compactMap(\.objectValue) ?? []
        // `note` has no default: v3 cannot read v1's or v2's data; `qty` became a long: no problem for reading.
        #expect(Set(problems.compactMap { $0["version"]?.serialized() }) == ["1", "2"])
        #expect(problems.allSatisfy { $0["kind"]?.stringValue == "READER_FIELD_MISSING_DEFAULT_VALUE" })
        let text = try repository.plan("--against", "git:HEAD")
        #expect(text.status == 1)
        #expect(text.output.contains("✗ register orders-value version 3"))
        #expect(text.output.hasSuffix("1 changes, 1 would be refused\n"))
        let github = try repository.plan("--against", "git:HEAD", "--output", "github")
        #expect(github.output.hasPrefix("::error file=\(repository.schemas)/orders-value/v3.avsc,line=1,col="))
        let junit = try repository.plan("--against", "git:HEAD", "--output", "junit")
        #expect(junit.output.contains(#"<testsuites tests="1" failures="1">"#))
    }

    @Test func newSubjectsSettingsAndRewrittenHistory() throws {
        let repository = try Repository()
        try repository.write("orders-value/v1.avsc", Self.v1)
        try repository.commit("v1")
        // A new subject, a level change, and an edit of a registered version.
        try repository.write("users-value/v1.avsc", #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}"#)
        try repository.write("orders-value/subject.yaml", "compatibility: FULL\nmode: READONLY\n")
        try repository.write("orders-value/v1.avsc", Self.v2)
        let result = try repository.plan("--against", "git:HEAD", "--output", "json")
        #expect(result.status == 1)
        let planned = try changes(result).map { "\($0["subject"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "") \($0["value"]?.stringValue ?? "")" }
        #expect(planned == ["orders-value config FULL", "orders-value mode READONLY", "orders-value rewrite ", "users-value register "])
    }

    @Test func aDirectoryNewAtTheReferenceIsAllNewAndBadReferencesExitTwo() throws {
        let repository = try Repository()
        let readme = repository.url.appendingPathComponent("README")
        try "x".write(to: readme, atomically: true, encoding: .utf8)
        try repository.git("add", "README")
        try repository.git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "-m", "start")
        try repository.write("orders-value/v1.avsc", Self.v1)
        try repository.write("orders-value/v2.avsc", Self.v2)
        let result = try repository.plan("--against", "git:HEAD", "--output", "json")
        #expect(result.status == 0)
        #expect(try changes(result).map { $0["version"]?.serialized() } == ["1", "2"])
        #expect(try repository.plan("--against", "git:no-such-branch").status == 2)
        #expect(try repository.plan("--against", "git:--output=x").status == 2)
        #expect(try repository.plan("--against", "HEAD").status == 2)
    }

    @Test func pruneTurnsRemovedSubjectsAndTrailingVersionsIntoDeletionsUnlessReferenced() throws {
        let repository = try Repository()
        try repository.write("orders-value/v1.avsc", Self.v1)
        try repository.write("orders-value/v2.avsc", Self.v2)
        try repository.write("legacy-value/v1.avsc", #"{"type":"record","name":"Legacy","fields":[]}"#)
        try repository.write("address/v1.avsc", #"{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"city","type":"string"}]}"#)
        try repository.write(
            "customers-value/v1.avsc",
            #"{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"home","type":"shop.Address"}]}"#)
        try repository.write("customers-value/subject.yaml", "references:\n  shop.Address: { subject: address, version: 1 }\n")
        try repository.commit("start")
        try FileManager.default.removeItem(atPath: repository.schemas + "/orders-value/v2.avsc")
        try FileManager.default.removeItem(atPath: repository.schemas + "/legacy-value")

        // Without --prune, a removed version is a refused rewrite and a removed subject is not mentioned.
        let plain = try repository.plan("--against", "git:HEAD", "--output", "json")
        #expect(plain.status == 1)
        #expect(try changes(plain).map { "\($0["subject"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "")" } == ["orders-value rewrite"])

        let pruned = try repository.plan("--against", "git:HEAD", "--prune", "--output", "json")
        #expect(pruned.status == 0, "\(pruned.output)")
        #expect(
            try changes(pruned).map { "\($0["subject"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "") \($0["version"]?.serialized() ?? "")" } == [
                "orders-value delete 2", "legacy-value delete null",
            ])
        let text = try repository.plan("--against", "git:HEAD", "--prune")
        #expect(text.output.contains("  delete orders-value version 2 (soft: its id stays resolvable)\n"))
        #expect(text.output.contains("  delete subject legacy-value (soft: its ids stay resolvable)\n"))

        // A subject another one still references cannot go: the directory itself no longer resolves.
        try FileManager.default.removeItem(atPath: repository.schemas + "/address")
        let referenced = try repository.plan("--against", "git:HEAD", "--prune")
        #expect(referenced.status == 2)
        #expect(referenced.stderr.contains("address"), "\(referenced.stderr)")
    }
}
