import Foundation
import JSONSupport
import Testing

/// `accord migrate plan --prune` and `apply --prune` against `accord serve`: what the registry holds and the
/// directory does not is soft-deleted, referrers first, never a version a remaining schema references; and
/// rolling the release back makes the same schemas (same ids) live again.
@Suite struct MigratePruneTests {
    func accord(_ server: RegistryClient, _ arguments: [String]) async throws -> Build.Result {
        try await Build.run(arguments + ["--registry", server.base])
    }

    func changes(_ result: Build.Result) throws -> [String] {
        let items = try JSONParser.parse(result.stdout).objectValue?["changes"]?.arrayValue?.compactMap(\.objectValue) ?? []
        return items.map {
            "\($0["subject"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "") \($0["version"]?.serialized() ?? "")"
                + ($0["compatible"] == .bool(true) ? "" : " refused")
        }
    }

    @Test func pruneDeletesWhatTheDirectoryDoesNotHoldAndRollbackBringsItBack() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-prune")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = folder.appendingPathComponent("schemas").path
            try FileManager.default.copyItem(atPath: MigrateApplyTests.schemas.path, toPath: dir)
            #expect(try await accord(server, ["migrate", "apply", "--dir", dir]).status == 0)

            // Outside any release: a users-value version 3, and two subjects, one referencing the other.
            let other = folder.appendingPathComponent("other.avsc").path
            try #"{"type":"record","name":"Other","fields":[]}"#.write(toFile: other, atomically: true, encoding: .utf8)
            #expect(try await accord(server, ["config", "users-value", "--set", "NONE"]).status == 0)
            #expect(try await accord(server, ["register", "--subject", "users-value", other]).status == 0)
            let sharedID = try await server.registerID("legacy-shared", #"{"type":"record","name":"Shared","namespace":"old","fields":[]}"#)
            let referrer = #"{"schema": "{\"type\":\"record\",\"name\":\"UsesShared\",\"fields\":[{\"name\":\"s\",\"type\":\"old.Shared\"}]}", "references": [{"name": "old.Shared", "subject": "legacy-shared", "version": 1}]}"#
            let referrerReply = try await server.post("/subjects/legacy-referrer/versions", referrer)
            #expect(referrerReply.status == 200, "\(referrerReply.text)")

            // Without --prune nothing is deleted; with it, deletions come last, the referrer before what it uses.
            let plain = try await accord(server, ["migrate", "plan", "--dir", dir, "--output", "json"])
            #expect(try changes(plain) == [])
            let planned = try await accord(server, ["migrate", "plan", "--dir", dir, "--prune", "--output", "json"])
            #expect(planned.status == 0, "\(planned.stdout)\(planned.stderr)")
            #expect(
                try changes(planned) == [
                    "users-value delete 3", "legacy-referrer delete null",
                    "legacy-shared delete null",
                ])

            let applied = try await accord(server, ["migrate", "apply", "--dir", dir, "--prune"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.hasSuffix(": 3 changes\n"))
            #expect(try await server.get("/subjects").strings?.contains("legacy-shared") == false)
            #expect(try await server.get("/subjects/users-value/versions").ints == [1, 2])
            // Soft: ids stay resolvable for data written with them.
            #expect(try await server.get("/schemas/ids/\(sharedID)").status == 200)
            #expect(try await accord(server, ["migrate", "plan", "--dir", dir, "--prune"]).stdout.hasPrefix("nothing to do"))

            // Rolling back registers the same schemas again: live, same ids, new version numbers.
            let back = try await accord(server, ["migrate", "rollback"])
            #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
            #expect(try await server.get("/subjects/legacy-shared/versions/latest").int("id") == sharedID)
            #expect(try await server.get("/subjects/legacy-referrer/versions/latest").status == 200)
            #expect(try await server.get("/subjects/users-value/versions/latest").int("version") == 4)
            #expect(try await server.get("/config/users-value").string("compatibilityLevel") == "NONE")
        }
    }

    @Test func aReferrerOutsideTheDirectoryGoesAndWhatItReferencesStays() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-prune-ref")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = folder.appendingPathComponent("schemas").path
            try FileManager.default.copyItem(atPath: MigrateApplyTests.schemas.path, toPath: dir)
            #expect(try await accord(server, ["migrate", "apply", "--dir", dir]).status == 0)
            // tips-value, outside the directory, imports `money` version 1, which the directory keeps.
            let usesMoney = #"{"schemaType": "PROTOBUF", "schema": "syntax = \"proto3\"; import \"money.proto\"; message Tip { shop.common.Money amount = 1; }", "references": [{"name": "money.proto", "subject": "money", "version": 1}]}"#
            let tip = try await server.post("/subjects/tips-value/versions", usesMoney)
            #expect(tip.status == 200, "\(tip.text)")
            let planned = try await accord(server, ["migrate", "plan", "--dir", dir, "--prune", "--output", "json"])
            #expect(planned.status == 0)
            #expect(try changes(planned) == ["tips-value delete null"])
            #expect(try await accord(server, ["migrate", "apply", "--dir", dir, "--prune"]).status == 0)
            #expect(try await server.get("/subjects/tips-value/versions").status == 404)
            #expect(try await server.get("/subjects/money/versions").ints == [1])
            // Without `money` in the directory, pruning it is refused: payments-value version 3, which stays,
            // imports it.
            try FileManager.default.removeItem(atPath: dir + "/money")
            let refused = try await accord(server, ["migrate", "plan", "--dir", dir, "--prune"])
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("✗ delete subject money (soft: its ids stay resolvable)\n"))
            #expect(refused.stdout.contains("REFERENCED at /: money version 1 is referenced by schema "))
            #expect(refused.stdout.hasSuffix("1 changes, 1 would be refused\n"))
            let refusedApply = try await accord(server, ["migrate", "apply", "--dir", dir, "--prune"])
            #expect(refusedApply.status == 1)
            #expect(try await server.get("/subjects/money/versions").ints == [1])
        }
    }

    @Test func aManifestPolicyIsAppliedAndRolledBack() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-policy")
            defer { try? FileManager.default.removeItem(at: folder) }
            let subject = folder.appendingPathComponent("dir/events-value")
            try FileManager.default.createDirectory(at: subject, withIntermediateDirectories: true)
            // v2 adds an optional property to an open model: refused under STRICT, accepted under LENIENT.
            try #"{"type":"object","properties":{"id":{"type":"string"}}}"#
                .write(to: subject.appendingPathComponent("v1.schema.json"), atomically: true, encoding: .utf8)
            try #"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}}}"#
                .write(to: subject.appendingPathComponent("v2.schema.json"), atomically: true, encoding: .utf8)
            let dir = folder.appendingPathComponent("dir").path
            #expect(try await accord(server, ["migrate", "plan", "--dir", dir]).status == 1)
            try "compatibilityPolicy: LENIENT\n".write(to: subject.appendingPathComponent("subject.yaml"), atomically: true, encoding: .utf8)
            let planned = try await accord(server, ["migrate", "plan", "--dir", dir, "--output", "json"])
            #expect(planned.status == 0, "\(planned.stdout)")
            #expect(try changes(planned) == ["events-value policy null", "events-value register 1", "events-value register 2"])
            let applied = try await accord(server, ["migrate", "apply", "--dir", dir])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(try await server.get("/config/events-value").string("compatibilityPolicy") == "LENIENT")
            // The registry itself now judges the subject LENIENT.
            #expect(try await accord(server, ["migrate", "plan", "--dir", dir]).stdout.hasPrefix("nothing to do"))
            let back = try await accord(server, ["migrate", "rollback"])
            #expect(back.status == 0, "\(back.stderr)")
            #expect(try await server.get("/config/events-value").string("compatibilityPolicy") == nil)
        }
    }
}
