import Foundation
import RegistryCore
import Synchronization
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

    /// Point reads (synchronous) and list reads (GRDB's async reader pool) at once, from more tasks than the
    /// executor has threads: every one finishes. When point reads took readers from the async pool, two threads
    /// blocked waiting for a reader that a suspended async read held, that read could not resume to give it
    /// back, and nothing ever finished (`accord serve` stopped answering under 96 concurrent registrations).
    @Test func pointReadsNeverWaitForAReaderAnAsyncReadHolds() async throws {
        let path = NSTemporaryDirectory() + "accord-sqlite-" + UUID().uuidString + ".sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try SQLiteStore(path: path)
        let id = try await store.add("s", avro("A")).schemaID
        // Two threads, as on a two-core machine, whatever this one has; a deadlock stays on them, so the
        // deadline below still runs.
        let executor = FixedThreadExecutor(threads: 2)
        let finished = FinishedCount()
        let work = Task(executorPreference: executor) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        if index % 2 == 0 {
                            _ = try await store.schema(id: id, context: ".")
                            _ = try await store.maxSchemaID(context: ".")
                        } else {
                            _ = try await store.versions(subject: "s")
                        }
                        finished.increment()
                    }
                }
                try await group.waitForAll()
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while finished.value < 400, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(finished.value == 400)
        if finished.value == 400 { try await work.value }
    }
}

/// A count several tasks add to.
final class FinishedCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// A task executor with a fixed number of threads of its own.
final class FixedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for _ in 0..<threads {
            Thread { [unowned self] in self.serve() }.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
