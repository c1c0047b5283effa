import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The record of releases `accord migrate apply` made: each change with the state before it, so a failed or
/// unwanted release can be undone and an interrupted one finished.
public struct MigrationJournal: Sendable, Codable, Hashable {
    public var releases: [Release] = []

    public init(releases: [Release] = []) {
        self.releases = releases
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
    }
}

/// The journal kept in a file (`--journal FILE`): rewritten whole (to a temporary file, then renamed) after
/// every step, so a crash leaves either the old or the new journal, never half of one. `FILE.lock`, created
/// exclusively, keeps two `apply` runs from interleaving.
public struct JournalFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func load() throws(MigrationError) -> MigrationJournal {
        guard FileManager.default.fileExists(atPath: path) else { return MigrationJournal() }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(MigrationJournal.self, from: data)
        } catch {
            throw .invalidManifest(path, "not a migration journal: \(error)")
        }
    }

    public func save(_ journal: MigrationJournal) throws(MigrationError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(journal)
            let temporary = path + ".tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw .unreadable(path, "cannot write the journal: \(error)")
        }
    }

    /// Takes the lock; throws when another run holds it.
    public func lock() throws(MigrationError) {
        let descriptor = open(path + ".lock", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .invalidLayout(
                path + ".lock", "another migrate run holds the journal (remove the lock file if no run is going on)")
        }
        _ = "\(getpid())\n".withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }

    public func unlock() {
        unlink(path + ".lock")
    }
}
