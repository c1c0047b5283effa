import Foundation
import JSONSupport
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `accord migrate apply` against `accord serve`: a release on a fresh registry, a second run that does nothing,
/// and a release whose failing step undoes the ones before it.
@Suite struct MigrateApplyTests {
    static let schemas = Build.packageRoot.appendingPathComponent("schemas")

    func accord(_ server: RegistryClient, _ arguments: [String]) async throws -> Build.Result {
        try await Build.run(arguments + ["--registry", server.base])
    }

    func journal(_ path: String) throws -> [JSONObject] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try JSONParser.parse(text).objectValue?["releases"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// Whether some process holds the journal file's lock.
    static func isLocked(_ path: String) -> Bool {
        let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) != 0
    }

    /// A copy of the project's `schemas/` to change.
    func copyOfSchemas(in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent("schemas")
        try FileManager.default.copyItem(at: Self.schemas, to: copy)
        return copy
    }

    @Test func applyThenApplyAgainThenAFailingReleaseIsUndone() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-apply")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = try copyOfSchemas(in: folder).path
            let journalFile = folder.appendingPathComponent("journal.json").path

            let first = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile, "--actor", "ci"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.hasPrefix("applied release ") && first.stdout.hasSuffix(": 16 changes\n"))
            let releases = try journal(journalFile)
            #expect(releases.count == 1)
            #expect(releases.first?["state"]?.stringValue == "applied" && releases.first?["actor"]?.stringValue == "ci")
            #expect(try await server.get("/subjects/orders-value/versions").body == Array("[1,2,3]".utf8))
            #expect(try await server.get("/subjects/payments-value/versions/3").json?["references"]?.arrayValue?.count == 1)
            #expect(try await server.get("/config/customers-value").string("compatibilityLevel") == "BACKWARD")
            #expect(!Self.isLocked(journalFile + ".lock"))

            // Applying again changes nothing and adds no release.
            let again = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(again.status == 0)
            #expect(again.stdout == "nothing to do: the registry already holds \(dir)\n")
            #expect(try journal(journalFile).count == 1)

            // A release whose second step fails (users-value is read-only): the first step is undone.
            let ordersV3 = try String(contentsOfFile: dir + "/orders-value/v3.avsc", encoding: .utf8)
            // Each new version adds an optional field: compatible, so the plan goes through.
            let optional = #"{"name": "added_later", "type": ["null", "string"], "default": null},"#
            try ordersV3.replacingOccurrences(of: "\"fields\": [", with: "\"fields\": [" + optional)
                .write(toFile: dir + "/orders-value/v4.avsc", atomically: true, encoding: .utf8)
            let usersV2 = try String(contentsOfFile: dir + "/users-value/v2.avsc", encoding: .utf8)
            try usersV2.replacingOccurrences(of: "\"fields\": [", with: "\"fields\": [" + optional)
                .write(toFile: dir + "/users-value/v3.avsc", atomically: true, encoding: .utf8)
            #expect(try await accord(server, ["mode", "users-value", "--set", "READONLY"]).status == 0)
            let failing = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
            #expect(failing.stdout.hasPrefix("undone release "))
            let last = try #require(try journal(journalFile).last)
            #expect(last["state"]?.stringValue == "undone")
            #expect(last["failure"]?.stringValue?.hasPrefix("users-value register") == true)
            // The orders version the release registered is soft-deleted: latest is version 3 again.
            #expect(try await server.get("/subjects/orders-value/versions/latest").int("version") == 3)
            #expect(try await server.get("/subjects/orders-value/versions?deleted=true").body == Array("[1,2,3,4]".utf8))
        }
    }

    @Test func aRefusedPlanWritesNothingAndALockRefusesASecondRun() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-apply")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = try copyOfSchemas(in: folder).path
            let journalFile = folder.appendingPathComponent("journal.json").path
            // A breaking orders v4: nothing is applied, not even the compatible changes.
            try #"{"type":"record","name":"Order","namespace":"com.example.shop","fields":[{"name":"x","type":"string"}]}"#
                .write(toFile: dir + "/orders-value/v4.avsc", atomically: true, encoding: .utf8)
            let refused = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("refused: orders-value register version 4"))
            #expect(try await server.get("/subjects").body == Array("[]".utf8))
            #expect(!FileManager.default.fileExists(atPath: journalFile))
            // Another run holding the lock (this test process, through its own descriptor).
            try FileManager.default.removeItem(atPath: dir + "/orders-value/v4.avsc")
            let holder = open(journalFile + ".lock", O_RDWR | O_CREAT, 0o600)
            #expect(flock(holder, LOCK_EX | LOCK_NB) == 0)
            _ = "4242\n".withCString { write(holder, $0, strlen($0)) }
            let locked = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(locked.status == 2)
            #expect(locked.stderr.contains("another migrate run (process 4242) holds the journal"))
            #expect(try await server.get("/subjects").body == Array("[]".utf8))
            // A lock file whose run is gone (its lock went with it) does not stop the next run.
            close(holder)
            let next = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(next.status == 0, "\(next.stderr)")
        }
    }

    @Test func rollbackRestoresLatestAndRefusesOnDrift() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-rollback")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = try copyOfSchemas(in: folder).path
            let journalFile = folder.appendingPathComponent("journal.json").path
            func apply() async throws -> Build.Result {
                try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            }
            func rollback(_ extra: String...) async throws -> Build.Result {
                try await accord(server, ["migrate", "rollback", "--journal", journalFile] + extra)
            }
            #expect(try await apply().status == 0)
            let first = try #require(try journal(journalFile).first?["id"]?.stringValue)
            // Release 2: orders v4.
            let optional = #"{"name": "added_later", "type": ["null", "string"], "default": null},"#
            let ordersV3 = try String(contentsOfFile: dir + "/orders-value/v3.avsc", encoding: .utf8)
            try ordersV3.replacingOccurrences(of: "\"fields\": [", with: "\"fields\": [" + optional)
                .write(toFile: dir + "/orders-value/v4.avsc", atomically: true, encoding: .utf8)
            #expect(try await apply().status == 0)
            #expect(try await server.get("/subjects/orders-value/versions/latest").int("version") == 4)

            // Rolling back the newest release brings latest back to version 3.
            let back = try await rollback()
            #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
            #expect(back.stdout.hasPrefix("rolled back release ") && back.stdout.hasSuffix(": 1 changes reverted\n"))
            #expect(try await server.get("/subjects/orders-value/versions/latest").int("version") == 3)
            #expect(try journal(journalFile).map { $0["state"]?.stringValue } == ["applied", "rolledBack"])
            // Applying v4 again would make it version 5: a registry never gives a version number twice.
            let replan = try await accord(server, ["migrate", "plan", "--dir", dir, "--output", "json"])
            let replanned = try JSONParser.parse(replan.stdout).objectValue?["changes"]?.arrayValue?.first?.objectValue
            #expect(replanned?["file"]?.stringValue?.hasSuffix("orders-value/v4.avsc") == true)
            #expect(replanned?["version"]?.int == 5)

            // A version registered outside any release since: rollback refuses, --force goes ahead.
            let other = folder.appendingPathComponent("other.avsc").path
            try #"{"type":"record","name":"Other","fields":[]}"#.write(toFile: other, atomically: true, encoding: .utf8)
            #expect(try await accord(server, ["config", "users-value", "--set", "NONE"]).status == 0)
            #expect(try await accord(server, ["register", "--subject", "users-value", other]).status == 0)
            let refused = try await rollback("--to", String(first.prefix(8)))
            #expect(refused.status == 0)  // nothing applied after the first release is left to roll back
            #expect(refused.stdout == "nothing to roll back\n")
            let unsafe = try await rollback()
            #expect(unsafe.status == 1)
            #expect(unsafe.stdout.contains("unsafe: users-value version 3 was registered outside the release"))
            #expect(try await server.get("/subjects/orders-value/versions/latest").int("version") == 3)
            let forced = try await rollback("--force")
            #expect(forced.status == 0)
            #expect(try await server.get("/subjects/orders-value/versions").status == 404)
            #expect(try await server.get("/subjects/users-value/versions").body == Array("[3]".utf8))
            #expect(try await server.get("/config/customers-value").status == 404)
            #expect(try journal(journalFile).map { $0["state"]?.stringValue } == ["rolledBack", "rolledBack"])
        }
    }

    @Test func statusShowsDriftAndAnInterruptedReleaseIsFinished() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-status")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = try copyOfSchemas(in: folder).path
            let journalFile = folder.appendingPathComponent("journal.json").path
            // A release interrupted after its first change: only `address` is registered, and the journal still
            // says `applying` (what a kill after that step leaves).
            let partial = folder.appendingPathComponent("partial")
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: dir + "/address", toPath: partial.appendingPathComponent("address").path)
            #expect(try await accord(server, ["migrate", "apply", "--dir", partial.path, "--journal", journalFile]).status == 0)
            let text = try String(contentsOfFile: journalFile, encoding: .utf8)
            try text.replacingOccurrences(of: "\"state\" : \"applied\"", with: "\"state\" : \"applying\"")
                .write(toFile: journalFile, atomically: true, encoding: .utf8)
            #expect(try journal(journalFile).first?["state"]?.stringValue == "applying")

            let resumed = try await accord(server, ["migrate", "apply", "--dir", dir, "--journal", journalFile])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let releases = try journal(journalFile)
            #expect(releases.count == 1)
            #expect(releases.first?["state"]?.stringValue == "applied")
            #expect(releases.first?["changes"]?.arrayValue?.count == 16)

            let inStep = try await accord(server, ["migrate", "status", "--dir", dir, "--journal", journalFile])
            #expect(inStep.status == 0)
            #expect(inStep.stdout.hasSuffix("in step: the registry holds \(dir)\n"))
            #expect(inStep.stdout.contains(" applied: 16 changes"))

            // Drift: a level changed by hand and a version registered outside a release.
            #expect(try await accord(server, ["config", "customers-value", "--set", "FULL"]).status == 0)
            #expect(try await accord(server, ["config", "users-value", "--set", "NONE"]).status == 0)
            let other = folder.appendingPathComponent("other.avsc").path
            try #"{"type":"record","name":"Other","fields":[]}"#.write(toFile: other, atomically: true, encoding: .utf8)
            #expect(try await accord(server, ["register", "--subject", "users-value", other]).status == 0)
            let drifted = try await accord(server, ["migrate", "status", "--dir", dir, "--journal", journalFile])
            #expect(drifted.status == 1)
            #expect(drifted.stdout.contains("drift: level differs: customers-value should be BACKWARD\n"))
            #expect(drifted.stdout.contains("drift: registered outside a release: users-value has 1 versions the directory does not hold\n"))
            #expect(drifted.stdout.hasSuffix("2 differences\n"))
        }
    }
}
