import Foundation
import JSONSupport
import Testing

/// `accord migrate apply` of a directory with migration rules, then `accord migrate data --registry` moving
/// payloads three versions up and down with the rules the registry stored in `ruleSet.migrationRules`.
@Suite struct MigrateDataRegistryTests {
    static let dir = Build.packageRoot.appendingPathComponent("examples/migrations").path
    static let v1 = #"{"id":1,"customer":"c-7","status":"NEW","legacy":"x","shipping":{"town":"Lyon"}}"#
    static let v3 = #"{"id":1,"customerId":"c-7","status":"CREATED","currency":"EUR","shipping":{"city":"Lyon","express":false}}"#
    static let v3Paid = #"{"id":5,"customerId":"c-5","status":"PAID","currency":"USD","shipping":{"city":"Oslo","express":true}}"#
    static let v1Paid = #"{"id":5,"customer":"c-5","status":"PAID","legacy":"n/a","shipping":{"town":"Oslo"}}"#

    func accord(_ server: RegistryClient, _ arguments: [String], stdin: String = "") async throws -> Build.Result {
        try await Build.run(arguments + ["--registry", server.base], stdin: stdin)
    }

    func migrate(_ server: RegistryClient, _ arguments: [String], stdin: String) async throws -> Build.Result {
        try await accord(server, ["migrate", "data", "--subject", "shop-orders"] + arguments, stdin: stdin)
    }

    @Test func applyStoresTheRulesAndDataMovesThreeVersionsUpAndDown() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-data")
            defer { try? FileManager.default.removeItem(at: folder) }
            let journalFile = folder.appendingPathComponent("journal.json").path

            let apply = try await accord(server, ["migrate", "apply", "--dir", Self.dir, "--journal", journalFile])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(try await server.get("/subjects/shop-orders/versions").body == Array("[1,2,3]".utf8))
            // Version 3's rules, as Confluent keeps migration rules.
            let v3 = try #require(try await server.get("/subjects/shop-orders/versions/3").json?.objectValue)
            let items = try #require(v3["ruleSet"]?.objectValue?["migrationRules"]?.arrayValue)
            let rules = items.compactMap(\.objectValue)
            #expect(rules.count == 2)
            #expect(rules.map { $0["name"]?.stringValue } == ["accord-upgrade", "accord-downgrade"])
            #expect(rules.map { $0["mode"]?.stringValue } == ["UPGRADE", "DOWNGRADE"])
            #expect(rules.allSatisfy { $0["type"]?.stringValue == "ACCORD_MIGRATE" && $0["kind"]?.stringValue == "TRANSFORM" })
            #expect(rules.allSatisfy { $0["onFailure"]?.stringValue == "NONE" })
            #expect(
                rules.first?["expr"]?.stringValue
                    == #"[{"drop":{"field":"legacy"}},{"rename":{"from":"shipping.town","to":"shipping.city"}}]"#)
            // A version without steps is registered with an empty rule set, so it does not inherit the one before.
            #expect(try await server.get("/subjects/shop-orders/versions/1").json?.objectValue?["ruleSet"] == .object(JSONObject()))

            // A second apply finds every version, rules included: nothing to do.
            let again = try await accord(server, ["migrate", "apply", "--dir", Self.dir, "--journal", journalFile])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout == "nothing to do: the registry already holds \(Self.dir)\n")

            // JSON, up and down three versions.
            let up = try await migrate(server, ["--from", "1", "--to", "3"], stdin: Self.v1)
            #expect(up.status == 0, "\(up.stderr)")
            #expect(up.stdout == Self.v3 + "\n")
            let down = try await migrate(server, ["--from", "3", "--to", "1"], stdin: Self.v3Paid)
            #expect(down.status == 0, "\(down.stderr)")
            #expect(down.stdout == Self.v1Paid + "\n")

            // Framed binary: in with version 1's id, out with version 3's, and back.
            let ids = try await [1, 2, 3].asyncMap { try await server.get("/subjects/shop-orders/versions/\($0)").int("id") ?? 0 }
            let encoded = try await accord(
                server, ["encode", "--subject", "shop-orders", "--version", "1", "--lines"], stdin: Self.v1 + "\n")
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let framedUp = try await migrate(
                server, ["--from", "1", "--to", "3", "--format", "binary", "--framing", "confluent", "--lines"], stdin: encoded.stdout)
            #expect(framedUp.status == 0, "\(framedUp.stderr)")
            #expect(framedUp.stdout.hasPrefix("00" + String(format: "%08x", ids[2])), "\(framedUp.stdout)")
            let decodedUp = try await accord(server, ["decode", "--lines"], stdin: framedUp.stdout)
            #expect(decodedUp.status == 0, "\(decodedUp.stderr)")
            #expect(decodedUp.stdout == Self.v3 + "\n")
            let framedDown = try await migrate(
                server, ["--from", "3", "--to", "1", "--format", "binary", "--framing", "confluent", "--lines"], stdin: framedUp.stdout)
            #expect(framedDown.status == 0, "\(framedDown.stderr)")
            #expect(framedDown.stdout.hasPrefix("00" + String(format: "%08x", ids[0])), "\(framedDown.stdout)")
            let decodedDown = try await accord(server, ["decode", "--lines"], stdin: framedDown.stdout)
            #expect(decodedDown.stdout == #"{"id":1,"customer":"c-7","status":"NEW","legacy":"n/a","shipping":{"town":"Lyon"}}"# + "\n")
            // Framed v3 binary down to JSON.
            let asJSON = try await migrate(
                server, ["--from", "3", "--to", "1", "--format", "binary", "--framing", "confluent", "--lines", "--output-format", "json"],
                stdin: framedUp.stdout)
            #expect(asJSON.stdout == #"{"id":1,"customer":"c-7","status":"NEW","legacy":"n/a","shipping":{"town":"Lyon"}}"# + "\n")

            // A frame naming another version than --from is not migrated: exit 1, the line dead-lettered.
            let deadLetter = folder.appendingPathComponent("dead.jsonl").path
            let wrong = try await migrate(
                server,
                ["--from", "2", "--to", "3", "--format", "binary", "--framing", "confluent", "--lines", "--dead-letter", deadLetter],
                stdin: encoded.stdout)
            #expect(wrong.status == 1)
            #expect(wrong.stdout.isEmpty)
            #expect(wrong.stderr.contains("the frame names schema id \(ids[0]), not shop-orders version 2"), "\(wrong.stderr)")
            let dead = try JSONParser.parse(try String(contentsOfFile: deadLetter, encoding: .utf8)).objectValue
            #expect(dead?["code"]?.stringValue == "wrongSchema" && dead?["line"]?.int == 1)

            // A version the subject does not have is a usage error.
            let missing = try await migrate(server, ["--from", "1", "--to", "7"], stdin: Self.v1)
            #expect(missing.status == 2)
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
