import Foundation
import RegistryCore
import Testing

@testable import RegistrySQLite

/// What only the SQLite store does: its file, its durability settings.
@Suite struct SQLiteStoreTests {
    @Test func writesAheadAndSyncsEveryCommitInAFileItCreates() async throws {
        let directory = NSTemporaryDirectory() + "accord-sqlite-" + UUID().uuidString + "/nested/data"
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let store = try SQLiteStore(directory: directory)
        #expect(store.path == directory + "/accord.sqlite")
        #expect(try await store.pragma("journal_mode") == "wal")
        // 2 = FULL: the WAL is synced at each commit, so an acknowledged registration survives power loss.
        #expect(try await store.pragma("synchronous") == "2")
        #expect(try await store.pragma("busy_timeout") == "10000")
        #expect(try await store.pragma("foreign_keys") == "1")
        _ = try await store.add("s", avro("A"))
        #expect(FileManager.default.fileExists(atPath: store.path))
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        #expect(try await store.appliedMigrations() == [1, 2, 3])
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let path = NSTemporaryDirectory() + "accord-sqlite-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try SQLiteStore(path: path) }
    }
}
