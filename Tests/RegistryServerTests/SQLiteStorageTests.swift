// The same server on `sqlite:<temp dir>/r.sqlite`, including a restart on the same file. The whole e2e target
// also runs on SQLite with `ACCORD_E2E_STORAGE=sqlite swift test --filter RegistryServerTests` (each server
// its own file; a fixed URL such as a postgres:// one would be shared by the servers the tests run in parallel).
import Foundation
import JSONSupport
import Testing

@Suite struct SQLiteStorageTests {
    @Test func registerReadDeleteAndRestart() async throws {
        let folder = try Build.temporaryFolder("sqlite")
        defer { try? FileManager.default.removeItem(at: folder) }

        let (id, guid) = try await withServer(storage: .sqlite, folder: folder) { client in
            let id = try await client.registerID("persist-value", Fixture.userV1)
            try await client.registerID("persist-value", Fixture.userV2)
            try await client.registerID("gone", Fixture.record("Gone"))
            #expect(try await client.delete("/subjects/gone").ints == [1])
            #expect(try await client.put("/config/persist-value", Body.object(["compatibility": "FULL"])).status == 200)
            #expect(try await client.put("/mode/frozen", Body.object(["mode": "READONLY"])).status == 200)
            #expect(try await client.get("/subjects/persist-value/versions").ints == [1, 2])
            return (id, try await client.get("/schemas/ids/\(id)").string("guid"))
        }

        // The same file, a new process.
        try await withServer(storage: .sqlite, folder: folder) { client in
            let read = try await client.get("/subjects/persist-value/versions/1")
            let versions = try await client.get("/subjects/persist-value/versions")
            let deleted = try await client.get("/subjects?deletedOnly=true")
            let config = try await client.get("/config/persist-value")
            let mode = try await client.get("/mode/frozen")
            let byGUID = try await client.get("/schemas/guids/\(guid ?? "")")
            let next = try await client.register(
                "persist-value", Body.schema(Fixture.record("Next")), query: "?force=true")
            #expect(read.int("id") == id)
            #expect(read.string("schema") == Fixture.userV1)
            #expect(versions.ints == [1, 2])
            #expect(deleted.strings == ["gone"])
            #expect(config.string("compatibilityLevel") == "FULL")
            #expect(mode.string("mode") == "READONLY")
            #expect(byGUID.int("id") == nil && byGUID.string("schema") == Fixture.userV1)
            #expect(next.int("version") == 3)
            #expect((next.int("id") ?? 0) > id)
        }
    }

    @Test func theProtocolSuiteOnSQLite() async throws {
        try await withServer(storage: .sqlite) { client in
            try await client.registerID("s", Fixture.userV1)
            #expect(try await client.register("s", Body.schema(Fixture.userBad)).errorCode == 409)
            #expect(try await client.delete("/subjects/s?permanent=true").errorCode == 40405)
            #expect(try await client.delete("/subjects/s").ints == [1])
            #expect(try await client.delete("/subjects/s?permanent=true").ints == [1])
            #expect(try await client.get("/subjects?deleted=true").strings == [])
        }
    }
}
