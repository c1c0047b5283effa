public import AccordClient
#if canImport(Glibc)
    import Glibc
#endif

/// Copies subjects from one Confluent-compatible registry to another, keeping ids and version numbers: every
/// version (soft-deleted ones too, deleted again after), with references, subject levels and modes. Versions go
/// in id order, so a referenced schema is always there before the schemas using it. The target is put in
/// IMPORT mode for the copy and given its mode back after (READWRITE if it was already IMPORT: a copy that was
/// killed leaves it so). A version the target already holds with the same id
/// is skipped, so an interrupted copy resumes where it stopped; at the end every id is compared on both sides.
public struct RegistryCopy: Sendable {
    public struct Entry: Sendable, Hashable {
        public var subject: String
        public var version: Int
        public var id: Int
        public var schema: RegistrySchema
        public var deleted: Bool
    }

    public struct Outcome: Sendable {
        public var copied: Int
        public var skipped: Int
        /// True when `limit` stopped the copy before the end: run it again to continue.
        public var stoppedEarly: Bool
        /// Ids whose content differs on the two sides after the copy (empty when verified).
        public var mismatched: [Int]
    }

    public let source: SchemaRegistryClient
    public let target: SchemaRegistryClient
    public let progress: @Sendable (String) -> Void

    public init(source: SchemaRegistryClient, target: SchemaRegistryClient, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.source = source
        self.target = target
        self.progress = progress
    }

    /// The versions to copy: the subjects matching `pattern` (shell glob; nil: all), in id order.
    public func entries(matching pattern: String?) async throws -> [Entry] {
        var entries: [Entry] = []
        for subject in try await source.subjects(deleted: true) where pattern.map({ Self.matches(subject, $0) }) ?? true {
            let live = Set(try await versions(of: subject, deleted: false))
            for number in try await versions(of: subject, deleted: true) {
                let found = try await source.version(subject: subject, .number(number), deleted: true)
                entries.append(Entry(subject: subject, version: number, id: found.id, schema: found.schema, deleted: !live.contains(number)))
            }
        }
        return entries.sorted { ($0.id, $0.subject, $0.version) < ($1.id, $1.subject, $1.version) }
    }

    /// Copies `entries` (from `entries(matching:)`), at most `limit` new versions this run.
    public func copy(_ entries: [Entry], limit: Int? = nil) async throws -> Outcome {
        // A target already in IMPORT mode is taken to be one an interrupted copy left so: it is READWRITE after.
        let before = try await target.mode()
        let globalMode = before.uppercased() == "IMPORT" ? "READWRITE" : before
        try await target.setMode("IMPORT", force: true)
        var copied = 0
        var skipped = 0
        var stoppedEarly = false
        do {
            for entry in entries {
                if try await targetHolds(entry) {
                    // A run stopped between importing a deleted version and deleting it again left it live.
                    if entry.deleted { try await deleteOnTarget(entry) }
                    skipped += 1
                    continue
                }
                if let limit, copied >= limit {
                    stoppedEarly = true
                    break
                }
                _ = try await target.importSchema(subject: entry.subject, entry.schema, id: entry.id, version: entry.version)
                if entry.deleted { try await deleteOnTarget(entry) }
                copied += 1
                progress("\(copied) copied: \(entry.subject) version \(entry.version) (id \(entry.id))")
            }
        } catch {
            try? await target.setMode(globalMode, force: true)
            throw error
        }
        try await target.setMode(globalMode, force: true)
        guard !stoppedEarly else { return Outcome(copied: copied, skipped: skipped, stoppedEarly: true, mismatched: []) }
        try await copySettings(Set(entries.map(\.subject)))
        return Outcome(copied: copied, skipped: skipped, stoppedEarly: false, mismatched: try await verify(entries))
    }

    /// Whether the target has the entry's subject version with the same id (a conflict is an error).
    private func targetHolds(_ entry: Entry) async throws -> Bool {
        do {
            let found = try await target.version(subject: entry.subject, .number(entry.version), deleted: true)
            guard found.id == entry.id else {
                throw MigrationError.invalidLayout(
                    entry.subject, "the target's version \(entry.version) is id \(found.id), the source's id \(entry.id)")
            }
            return true
        } catch let error as RegistryClientError where [40401, 40402].contains(error.errorCode ?? 0) {
            return false
        }
    }

    /// Soft-deletes the entry's version on the target; already deleted is done.
    private func deleteOnTarget(_ entry: Entry) async throws {
        do {
            _ = try await target.deleteVersion(subject: entry.subject, .number(entry.version))
        } catch let error as RegistryClientError where error.errorCode == 40406 {
            // Soft-deleted already.
        }
    }

    /// Subject levels and modes, as the source has them (only those set on the subject itself).
    private func copySettings(_ subjects: Set<String>) async throws {
        for subject in subjects.sorted() {
            if let level = try await source.subjectSetting({ try await source.compatibilityLevel(subject: subject) }) {
                try await target.setCompatibilityLevel(level, subject: subject)
            }
            if let mode = try await source.subjectSetting({ try await source.mode(subject: subject) }) {
                try await target.setMode(mode, subject: subject, force: true)
            }
        }
    }

    /// The ids whose schema differs between the two registries, or that are live under a subject on one side and
    /// deleted on the other.
    private func verify(_ entries: [Entry]) async throws -> [Int] {
        var mismatched: Set<Int> = []
        for id in Set(entries.map(\.id)).sorted() {
            let from = try await source.schema(id: id).schema
            let to = try await target.schema(id: id).schema
            if from != to { mismatched.insert(id) }
        }
        for (subject, copied) in Dictionary(grouping: entries, by: \.subject) {
            let live: Set<Int>
            do {
                live = Set(try await target.versions(subject: subject))
            } catch let error as RegistryClientError where error.errorCode == RegistryClientError.subjectNotFound {
                live = []
            }
            for entry in copied where live.contains(entry.version) == entry.deleted { mismatched.insert(entry.id) }
        }
        return mismatched.sorted()
    }

    private func versions(of subject: String, deleted: Bool) async throws -> [Int] {
        do {
            return try await source.versions(subject: subject, deleted: deleted)
        } catch let error as RegistryClientError where error.errorCode == RegistryClientError.subjectNotFound {
            return []
        }
    }


    static func matches(_ subject: String, _ pattern: String) -> Bool {
        fnmatch(pattern, subject, 0) == 0
    }
}
