import Foundation
import JSONSupport
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The journal `accord migrate` keeps in `accord serve` (`/accord/v1/migrations/journal`): written only from
/// the revision a writer read, locked against a second run, and enough to finish a release whose run was killed.
@Suite struct MigrationJournalTests {
    static let path = "/accord/v1/migrations/journal"

    func accord(_ server: RegistryClient, _ arguments: [String]) async throws -> Build.Result {
        try await Build.run(arguments + ["--registry", server.base])
    }

    /// The releases the registry's journal holds, and its lock.
    func journal(_ server: RegistryClient) async throws -> (releases: [JSONObject], lock: JSONObject?) {
        let reply = try await server.get(Self.path)
        let journal = reply.object?["journal"]?.objectValue
        return (journal?["releases"]?.arrayValue?.compactMap(\.objectValue) ?? [], journal?["lock"]?.objectValue)
    }

    @Test func theEndpointWritesOnlyFromTheCurrentRevision() async throws {
        try await withServer { server in
            let empty = try await server.get(Self.path)
            #expect(empty.status == 200)
            #expect(empty.json == JSONValue.object(JSONObject(["revision": .integer(0), "journal": .object(JSONObject(["releases": .array([])]))])))
            let first = try await server.put(Self.path, #"{"revision": 0, "journal": {"releases": [{"id": "r1"}]}}"#)
            #expect(first.status == 200)
            #expect(first.int("revision") == 1)
            // A writer that read revision 0 lost the race.
            let stale = try await server.put(Self.path, #"{"revision": 0, "journal": {"releases": []}}"#)
            #expect(stale.status == 409)
            #expect(stale.errorCode == 40901)
            #expect(stale.string("message")?.contains("revision 1, not 0") == true)
            // Not a journal: 422, nothing written.
            for body in [#"{"revision": 1, "journal": []}"#, #"{"revision": 1, "journal": {"releases": 3}}"#, #"{"journal": {"releases": []}}"#, "[]"] {
                let bad = try await server.put(Self.path, body)
                #expect(bad.status == 422, "\(body): \(bad.text)")
            }
            let now = try await server.get(Self.path)
            #expect(now.int("revision") == 1)
            #expect(now.object?["journal"]?.objectValue?["releases"]?.arrayValue?.first?.objectValue?["id"]?.stringValue == "r1")
            #expect(try await server.delete(Self.path).status == 405)
        }
    }

    @Test func applyRollbackAndStatusKeepTheJournalInTheRegistry() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-journal")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = folder.appendingPathComponent("schemas").path
            try FileManager.default.copyItem(atPath: MigrateApplyTests.schemas.path, toPath: dir)

            let applied = try await accord(server, ["migrate", "apply", "--dir", dir, "--actor", "ci"])
            #expect(applied.status == 0, "\(applied.stderr)")
            var record = try await journal(server)
            #expect(record.releases.count == 1)
            #expect(record.releases.first?["state"]?.stringValue == "applied")
            #expect(record.releases.first?["actor"]?.stringValue == "ci")
            #expect(record.releases.first?["changes"]?.arrayValue?.count == 16)
            // Nothing is left pending, and the lock was given back.
            #expect(record.releases.first?["changes"]?.arrayValue?.contains { $0.objectValue?["pending"] != nil } == false)
            #expect(record.lock == nil)

            let again = try await accord(server, ["migrate", "apply", "--dir", dir])
            #expect(again.stdout == "nothing to do: the registry already holds \(dir)\n")
            let status = try await accord(server, ["migrate", "status", "--dir", dir])
            #expect(status.status == 0)
            #expect(status.stdout.contains(" ci applied: 16 changes\n"))

            let back = try await accord(server, ["migrate", "rollback"])
            #expect(back.status == 0, "\(back.stderr)")
            #expect(try await server.get("/subjects").body == Array("[]".utf8))
            record = try await journal(server)
            #expect(record.releases.map { $0["state"]?.stringValue } == ["rolledBack"])
        }
    }

    @Test func aSecondRunIsRefusedWhileTheFirstLivesAndALockOfADeadRunIsTakenOver() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-lock")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = folder.appendingPathComponent("schemas").path
            try FileManager.default.copyItem(atPath: MigrateApplyTests.schemas.path, toPath: dir)
            let host = ProcessInfo.processInfo.hostName
            let renewed = ISO8601DateFormatter().string(from: Date())
            func lock(pid: Int32, revision: Int) -> String {
                #"{"revision": \#(revision), "journal": {"releases": [], "lock": {"holder": "other-run", "host": "\#(host)", "pid": \#(pid), "renewed": "\#(renewed)"}}}"#
            }
            // This test process is alive: its lock holds.
            #expect(try await server.put(Self.path, lock(pid: getpid(), revision: 0)).status == 200)
            let refused = try await accord(server, ["migrate", "apply", "--dir", dir])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("another migrate run (other-run) holds the journal"))
            #expect(try await server.get("/subjects").body == Array("[]".utf8))

            // A process id no process has (above Linux's largest): the run died, its lock is taken over.
            #expect(try await server.put(Self.path, lock(pid: 999_999_999, revision: 1)).status == 200)
            let applied = try await accord(server, ["migrate", "apply", "--dir", dir])
            #expect(applied.status == 0, "\(applied.stderr)")
            let record = try await journal(server)
            #expect(record.releases.first?["state"]?.stringValue == "applied")
            #expect(record.lock == nil)
        }
    }

    @Test func applyRunsStartedTogetherNeverInterleave() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-race")
            defer { try? FileManager.default.removeItem(at: folder) }
            let dir = folder.appendingPathComponent("schemas").path
            try FileManager.default.copyItem(atPath: MigrateApplyTests.schemas.path, toPath: dir)
            let results = try await withThrowingTaskGroup(of: Build.Result.self) { group in
                for _ in 0..<4 { group.addTask { try await accord(server, ["migrate", "apply", "--dir", dir]) } }
                var all: [Build.Result] = []
                for try await result in group { all.append(result) }
                return all
            }
            // One run applies; each other one either refused while it ran or found nothing left to do.
            #expect(results.filter { $0.stdout.hasPrefix("applied release ") && $0.status == 0 }.count == 1)
            for result in results where !result.stdout.hasPrefix("applied release ") {
                let refused = result.status == 2 && result.stderr.contains("holds the journal")
                let nothing = result.status == 0 && result.stdout.hasPrefix("nothing to do")
                #expect(refused || nothing, "\(result.stdout)\(result.stderr)")
            }
            let record = try await journal(server)
            #expect(record.releases.count == 1)
            #expect(record.releases.first?["changes"]?.arrayValue?.count == 16)
            #expect(record.lock == nil)
        }
    }

    /// Kills `apply` with SIGKILL in the middle of a 60-step release, then runs it again.
    @Test func aReleaseWhoseRunWasKilledIsFinishedByTheNextRun() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("migrate-kill")
            defer { try? FileManager.default.removeItem(at: folder) }
            // One subject, 60 versions, each adding an optional field: 60 registrations and a level change.
            let subject = folder.appendingPathComponent("dir/events-value")
            try FileManager.default.createDirectory(at: subject, withIntermediateDirectories: true)
            var fields: [String] = []
            for number in 1...60 {
                fields.append(#"{"name": "f\#(number)", "type": ["null", "string"], "default": null}"#)
                try #"{"type": "record", "name": "Event", "fields": [\#(fields.joined(separator: ", "))]}"#
                    .write(to: subject.appendingPathComponent("v\(number).avsc"), atomically: true, encoding: .utf8)
            }
            try "compatibility: FULL_TRANSITIVE\n".write(to: subject.appendingPathComponent("subject.yaml"), atomically: true, encoding: .utf8)
            let dir = folder.appendingPathComponent("dir").path

            // Once the release is under way (five versions registered), the run is killed without warning while
            // the proxy holds its sixth registration.
            let gate = try GatedProxy(to: server.base, holding: "POST /subjects/events-value/versions", after: 5)
            defer { gate.shutDown() }
            var killedPID = 0
            let ended = try await Build.kill(["migrate", "apply", "--dir", dir, "--registry", gate.base]) {
                gate.held
            }
            #expect(ended == .uncaughtSignal, "the run finished before it could be killed")

            let killed = try await journal(server)
            killedPID = killed.lock?["pid"]?.int ?? 0
            let release = try #require(killed.releases.first)
            let journaled = release["changes"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(release["state"]?.stringValue == "applying")
            // Five registrations are done; the sixth is journaled as pending and never reached the registry.
            #expect(journaled.filter { $0["pending"] == nil && $0["action"]?.stringValue == "register" }.count == 5)
            #expect(journaled.filter { $0["pending"] != nil }.map { $0["action"]?.stringValue } == ["register"])
            #expect(try await server.get("/subjects/events-value/versions").ints == Array(1...5))
            // The dead run's lock is still in the journal: the next run must take it over.
            #expect(killedPID > 0)

            // Rollback will not guess at a half-made release.
            let early = try await accord(server, ["migrate", "rollback"])
            #expect(early.status == 2)
            #expect(early.stderr.contains("was interrupted while being applied: run `accord migrate apply` to finish it"))

            let resumed = try await accord(server, ["migrate", "apply", "--dir", dir])
            #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
            #expect(resumed.stdout.hasPrefix("applied release \(release["id"]?.stringValue ?? "?")"))
            let finished = try await journal(server)
            #expect(finished.releases.count == 1)
            #expect(finished.releases.first?["state"]?.stringValue == "applied")
            // Every change exactly once, none pending: versions 1…60 each journaled with its registry version.
            let changes = finished.releases.first?["changes"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(changes.count == 61)
            #expect(changes.filter { $0["pending"] != nil }.isEmpty)
            let versions = changes.compactMap { $0["version"]?.int }
            #expect(versions == Array(1...60))
            #expect(try await server.get("/subjects/events-value/versions").ints == Array(1...60))
            #expect(try await server.get("/config/events-value").string("compatibilityLevel") == "FULL_TRANSITIVE")

            // A rollback killed half-way is finished by running it again.
            let rollbackGate = try GatedProxy(to: server.base, holding: "DELETE /subjects/events-value/versions/", after: 10)
            defer { rollbackGate.shutDown() }
            let rollbackEnded = try await Build.kill(["migrate", "rollback", "--registry", rollbackGate.base]) {
                rollbackGate.held
            }
            #expect(rollbackEnded == .uncaughtSignal, "the rollback finished before it could be killed")
            #expect(try await server.get("/subjects/events-value/versions").ints == Array(1...50))
            #expect(try await journal(server).releases.first?["state"]?.stringValue == "applied")
            let back = try await accord(server, ["migrate", "rollback"])
            #expect(back.status == 0, "\(back.stderr)")
            #expect(back.stdout.hasSuffix(": 61 changes reverted\n"))
            #expect(try await server.get("/subjects/events-value/versions").status == 404)
            #expect(try await server.get("/subjects/events-value/versions?deleted=true").ints == Array(1...60))
            #expect(try await server.get("/config/events-value").status == 404)
            #expect(try await journal(server).releases.first?["state"]?.stringValue == "rolledBack")
        }
    }
}
