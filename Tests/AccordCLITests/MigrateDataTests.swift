import Foundation
import Testing

/// `accord migrate data --dir`: payloads moved between a subject's versions with no registry.
@Suite struct MigrateDataTests {
    static let dir = AccordProcess.example("migrations")
    static let v1 = #"{"id":1,"customer":"c-7","status":"NEW","legacy":"x","shipping":{"town":"Lyon"}}"#
    static let v3 = #"{"id":1,"customerId":"c-7","status":"CREATED","currency":"EUR","shipping":{"city":"Lyon","express":false}}"#
    static let v3Back = #"{"id":1,"customer":"c-7","status":"NEW","legacy":"n/a","shipping":{"town":"Lyon"}}"#

    func migrate(_ arguments: [String], stdin: [UInt8]) throws -> AccordProcess.Result {
        try AccordProcess.run(["migrate", "data", "--dir", Self.dir, "--subject", "shop-orders"] + arguments, stdin: stdin)
    }

    func encode(_ json: String, version: Int) throws -> [UInt8] {
        let result = try AccordProcess.run(
            ["encode", "--schema", AccordProcess.example("migrations/shop-orders/v\(version).avsc")], stdin: json)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func jsonUpAndDownThreeVersions() throws {
        let up = try migrate(["--from", "1", "--to", "3"], stdin: Array(Self.v1.utf8))
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.output == Self.v3 + "\n")
        let down = try migrate(["--from", "3", "--to", "1"], stdin: Array(Self.v3.utf8))
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.output == Self.v3Back + "\n")
    }

    @Test func binaryInAndOut() throws {
        let input = try encode(Self.v1, version: 1)
        let up = try migrate(["--from", "1", "--to", "3", "--format", "binary"], stdin: input)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout == (try encode(Self.v3, version: 3)))
        let asJSON = try migrate(["--from", "1", "--to", "3", "--format", "binary", "--output-format", "json"], stdin: input)
        #expect(asJSON.output == Self.v3 + "\n")
        let down = try migrate(["--from", "3", "--to", "1", "--format", "binary"], stdin: up.stdout)
        #expect(down.stdout == (try encode(Self.v3Back, version: 1)))
        // A framed message (any schema id with --dir) comes out bare, as hex with --lines.
        let hex = input.map { String(format: "%02x", $0) }.joined()
        let framed = try migrate(
            ["--from", "1", "--to", "3", "--format", "binary", "--framing", "confluent", "--lines"],
            stdin: Array(("0000000007" + hex + "\n").utf8))
        #expect(framed.status == 0, "\(framed.stderr)")
        #expect(framed.output == (try encode(Self.v3, version: 3)).map { String(format: "%02x", $0) }.joined() + "\n")
    }

    @Test func linesWithABadLineGoToTheDeadLetterFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-migrate-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let deadLetter = folder.appendingPathComponent("dead.jsonl").path
        let void = #"{"id":2,"customer":"c-8","status":"VOID","legacy":"y","shipping":{"town":"Nice"}}"#
        let paid = #"{"id":3,"customer":"c-9","status":"PAID","legacy":"z","shipping":{"town":"Metz"}}"#
        let result = try migrate(
            ["--from", "1", "--to", "3", "--lines", "--dead-letter", deadLetter],
            stdin: Array([Self.v1, void, "", paid].joined(separator: "\n").utf8))
        #expect(result.status == 1)
        #expect(
            result.output == Self.v3 + "\n"
                + #"{"id":3,"customerId":"c-9","status":"PAID","currency":"EUR","shipping":{"city":"Metz","express":false}}"# + "\n")
        #expect(result.stderr.contains("line 2: version 1 → 2: "), "\(result.stderr)")
        #expect(result.stderr.contains("3 messages: 2 migrated, 1 not"), "\(result.stderr)")
        let lines = try String(contentsOfFile: deadLetter, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(entry["line"] as? Int == 2)
        #expect(entry["message"] as? String == void)
        #expect(entry["step"] as? String == "version 1 → 2")
        #expect(entry["pointer"] as? String == "/status")
        #expect((entry["error"] as? String)?.isEmpty == false)
    }

    @Test func usageErrorsExitTwo() throws {
        let v1 = Array(Self.v1.utf8)
        let framedOut = try migrate(
            ["--from", "1", "--to", "3", "--output-format", "binary", "--output-framing", "confluent"], stdin: v1)
        #expect(framedOut.status == 2)
        #expect(framedOut.stderr.contains("--output-framing confluent needs --registry"), "\(framedOut.stderr)")
        let noVersion = try migrate(["--from", "1", "--to", "4"], stdin: v1)
        #expect(noVersion.status == 2)
        #expect(noVersion.stderr.contains("shop-orders has versions 1 to 3, not 4"), "\(noVersion.stderr)")
        let noSubject = try AccordProcess.run(
            ["migrate", "data", "--dir", Self.dir, "--subject", "nope", "--from", "1", "--to", "2"], stdin: v1)
        #expect(noSubject.status == 2)
        #expect(noSubject.stderr.contains("has no subject nope"), "\(noSubject.stderr)")
        let deadLetter = try migrate(["--from", "1", "--to", "2", "--dead-letter", "/tmp/x"], stdin: v1)
        #expect(deadLetter.status == 2)
        // One message that cannot be migrated, without --lines: exit 1 and the reason.
        let bad = try migrate(["--from", "1", "--to", "2"], stdin: Array(#"{"id":1}"#.utf8))
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("cannot migrate: version 1: "), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
    }
}
