public import AccordClient
import Foundation
import JSONSupport
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// The record of releases `accord migrate apply` made: each change with the state before it, so a failed or
/// unwanted release can be undone and an interrupted one finished.
public struct MigrationJournal: Sendable, Codable, Hashable {
    public var releases: [Release] = []
    /// The run that holds the journal (journals kept in a registry; a file journal uses `FILE.lock`).
    public var lock: Lock?

    public init(releases: [Release] = [], lock: Lock? = nil) {
        self.releases = releases
        self.lock = lock
    }

    public struct Release: Sendable, Codable, Hashable {
        public enum State: String, Sendable, Codable, Hashable {
            /// Being applied (or interrupted while being applied: the next `apply` finishes it).
            case applying
            case applied
            /// A step failed and the release's changes were undone.
            case undone
            /// Reverted by `accord migrate rollback`.
            case rolledBack
        }

        public var id: String
        public var started: Date
        public var actor: String
        public var state: State
        public var changes: [AppliedChange]
        /// Why the release was undone.
        public var failure: String?
    }

    /// One change as applied, with what was there before it.
    public struct AppliedChange: Sendable, Codable, Hashable {
        public var subject: String
        public var action: String
        public var file: String?
        /// The registry version a registration created.
        public var version: Int?
        public var id: Int?
        /// The setting's new value, and the subject's own value before (nil: none; the global one applied).
        public var value: String?
        public var previous: String?
        /// What a registration sends besides the file: the schema type and the references.
        public var schemaType: String?
        public var references: [ReferenceTarget]?
        /// The versions a deletion soft-deletes, with their ids.
        public var removed: [RemovedVersion]?
        /// Journaled but not known to be made yet (the run stopped while making it).
        public var pending: Bool?

        public init(
            subject: String, action: String, file: String?, version: Int?, id: Int?, value: String?, previous: String?
        ) {
            self.subject = subject
            self.action = action
            self.file = file
            self.version = version
            self.id = id
            self.value = value
            self.previous = previous
        }
    }

    public struct RemovedVersion: Sendable, Codable, Hashable {
        public var version: Int
        public var id: Int
    }

    /// Who holds the journal, and since when. A holder renews `renewed` with every write; a lock is stale once
    /// its holder's process is gone (same host) or it has not been renewed for `lease`.
    public struct Lock: Sendable, Codable, Hashable {
        public var holder: String
        public var host: String
        public var pid: Int32
        public var renewed: Date

        public static let lease: TimeInterval = 300

        /// Whether another run may take the lock over.
        public func isStale(now: Date, host currentHost: String) -> Bool {
            if now.timeIntervalSince(renewed) > Self.lease { return true }
            return host == currentHost && !processIsAlive(pid)
        }
    }
}

/// Where `accord migrate` keeps its journal, and the lock that keeps two runs from interleaving.
public protocol JournalStore: Sendable {
    /// Where the journal is, for messages.
    var location: String { get }
    func load() async throws -> MigrationJournal
    /// Replaces the journal; fails when another run changed it meanwhile.
    func save(_ journal: MigrationJournal) async throws
    /// Takes the lock, or throws when another live run holds it. A lock left by a run that died is taken over.
    func lock() async throws
    func unlock() async
}

/// Whether a process with this id runs on this machine.
func processIsAlive(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
}

/// This machine's name, for locks.
func hostName() -> String {
    ProcessInfo.processInfo.hostName
}

/// The journal kept in a file (`--journal FILE`): rewritten whole (to a temporary file, then renamed) after
/// every step, so a crash leaves either the old or the new journal, never half of one. An exclusive `flock` on
/// `FILE.lock` (which holds the owner's process id, for messages) keeps two runs from interleaving; the system
/// releases it when its process ends, however it ends, so a killed run never leaves a stale lock.
public struct JournalFile: JournalStore {
    public let path: String
    private let held = HeldLock()

    public init(path: String) {
        self.path = path
    }

    public var location: String { path }

    public func load() throws(MigrationError) -> MigrationJournal {
        guard FileManager.default.fileExists(atPath: path) else { return MigrationJournal() }
        do {
            return try JournalCoding.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .invalidManifest(path, "not a migration journal: \(error)")
        }
    }

    public func save(_ journal: MigrationJournal) throws(MigrationError) {
        do {
            let data = try JournalCoding.encode(journal)
            let temporary = path + ".tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw .unreadable(path, "cannot write the journal: \(error)")
        }
    }

    public func lock() throws(MigrationError) {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unreadable(lockPath, String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(descriptor, &buffer, buffer.count)
            close(descriptor)
            let owner = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw .invalidLayout(lockPath, "another migrate run (process \(owner)) holds the journal")
        }
        _ = ftruncate(descriptor, 0)
        _ = "\(getpid())\n".withCString { pwrite(descriptor, $0, strlen($0), 0) }
        held.descriptor.withLock { $0 = descriptor }
    }

    public func unlock() {
        held.descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }
}

/// The open, locked descriptor of a `JournalFile`'s lock file while a run holds it.
final class HeldLock: Sendable {
    let descriptor = Mutex<Int32>(-1)
}

/// The journal kept in the registry (`accord serve`'s `/accord/v1/migrations/journal`): every write names the
/// revision it read, so a run whose lock was taken over cannot overwrite the run that took it. The lock is a
/// field of the journal itself, taken by such a write.
public final class RegistryJournal: JournalStore {
    public let client: SchemaRegistryClient
    /// This run: host, process and a random part, so two runs never share a name.
    public let holder: String
    private let state = Mutex<(revision: Int, locked: Bool)>((0, false))

    public init(client: SchemaRegistryClient) {
        self.client = client
        holder = "\(hostName()):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    public var location: String { "the registry's migration journal" }

    public func load() async throws -> MigrationJournal {
        let (journal, revision) = try await fetch()
        state.withLock { $0.revision = revision }
        return journal
    }

    public func save(_ journal: MigrationJournal) async throws {
        var journal = journal
        let (revision, locked) = state.withLock { ($0.revision, $0.locked) }
        journal.lock = locked ? ownLock() : journal.lock
        let next = try await write(journal, expecting: revision)
        state.withLock { $0.revision = next }
    }

    public func lock() async throws {
        for _ in 0..<3 {
            let (found, revision) = try await fetch()
            var journal = found
            if let held = found.lock, held.holder != holder, !held.isStale(now: Date(), host: hostName()) {
                throw MigrationError.invalidLayout(
                    location,
                    "another migrate run (\(held.holder)) holds the journal; its lock lapses \(Int(MigrationJournal.Lock.lease)) s after its last step")
            }
            journal.lock = ownLock()
            do {
                let next = try await write(journal, expecting: revision)
                state.withLock { $0 = (next, true) }
                return
            } catch let error as RegistryClientError where error.errorCode == RegistryClientError.journalChanged {
                continue
            }
        }
        throw MigrationError.invalidLayout(location, "the journal keeps changing under another migrate run")
    }

    public func unlock() async {
        state.withLock { $0.locked = false }
        guard let (found, revision) = try? await fetch(), found.lock?.holder == holder else { return }
        var journal = found
        journal.lock = nil
        _ = try? await write(journal, expecting: revision)
    }

    private func ownLock() -> MigrationJournal.Lock {
        MigrationJournal.Lock(holder: holder, host: hostName(), pid: getpid(), renewed: Date())
    }

    private func fetch() async throws -> (MigrationJournal, Int) {
        let answer: (journal: JSONValue, revision: Int)
        do {
            answer = try await client.migrationJournal()
        } catch let error as RegistryClientError where [404, 405].contains(error.errorCode ?? 0) {
            throw MigrationError.invalidLayout(
                "--registry", "this registry keeps no migration journal (it is not accord serve): name a file with --journal FILE")
        }
        do {
            return (try JournalCoding.decode(Data(answer.journal.serialized().utf8)), answer.revision)
        } catch {
            throw MigrationError.invalidManifest(location, "not a migration journal: \(error)")
        }
    }

    private func write(_ journal: MigrationJournal, expecting revision: Int) async throws -> Int {
        let text = String(decoding: try JournalCoding.encode(journal), as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw MigrationError.invalidManifest(location, "cannot encode the journal: \(error)")
        }
        return try await client.replaceMigrationJournal(value, expecting: revision)
    }
}

/// The journal's JSON: ISO 8601 dates, sorted keys.
enum JournalCoding {
    static func encode(_ journal: MigrationJournal) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(journal)
    }

    static func decode(_ data: Data) throws -> MigrationJournal {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(MigrationJournal.self, from: data)
    }
}
