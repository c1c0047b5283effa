public import AccordClient
import Foundation

/// Applies a directory to a registry as one release: the plan's changes in order, each journaled with the state
/// before it; if a step fails, the release's applied changes are undone, newest first. An already applied
/// change is not in the plan, so applying twice is a no-op; a release interrupted by a crash stays `applying` in
/// the journal and the next run finishes it.
public struct RegistryApplier: Sendable {
    public enum Outcome: Sendable {
        case nothingToDo
        /// The plan has changes the registry would refuse; nothing was written.
        case refused([PlannedChange])
        case applied(MigrationJournal.Release)
        /// A step failed; every change the release had made was undone.
        case undone(MigrationJournal.Release)
    }

    public let client: SchemaRegistryClient
    public let journal: any JournalStore
    public let actor: String
    /// Called after each step with a line for people ("3/14 register orders-value version 3").
    public let progress: @Sendable (String) -> Void

    public init(
        client: SchemaRegistryClient, journal: any JournalStore, actor: String, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.client = client
        self.journal = journal
        self.actor = actor
        self.progress = progress
    }

    /// Applies the plan; with `prune`, deletions too (`RegistryPlanner.plan(_:prune:)`).
    public func apply(_ directory: SchemaDirectory, prune: Bool = false) async throws -> Outcome {
        try await holdingLock { try await applyLocked(directory, prune: prune) }
    }

    private func applyLocked(_ directory: SchemaDirectory, prune: Bool) async throws -> Outcome {
        var record = try await journal.load()
        let plan = try await RegistryPlanner(client: client).plan(directory, prune: prune)
        let open = record.releases.lastIndex { $0.state == .applying }
        if let open, record.releases[open].changes.contains(where: { $0.pending == true }) {
            try await settle(&record.releases[open], in: directory)
            try await journal.save(record)
        }
        if plan.isEmpty {
            // An interrupted release whose remaining changes are all in place is complete.
            if let open {
                record.releases[open].state = .applied
                try await journal.save(record)
                return .applied(record.releases[open])
            }
            return .nothingToDo
        }
        if plan.contains(where: { !$0.compatible }) { return .refused(plan) }
        let index: Int
        if let open {
            index = open
        } else {
            record.releases.append(
                MigrationJournal.Release(
                    id: UUID().uuidString.lowercased(), started: Date(), actor: actor, state: .applying, changes: []))
            index = record.releases.count - 1
            try await journal.save(record)
        }
        for (step, change) in plan.enumerated() {
            do {
                // Written ahead, with the state before it: a run killed while the change is made leaves a
                // pending entry, which the next run settles by asking the registry whether it happened.
                let entry = try await intent(change)
                record.releases[index].changes.append(entry)
                try await journal.save(record)
                let done = try await perform(change, entry, in: directory)
                record.releases[index].changes[record.releases[index].changes.count - 1] = done
                try await journal.save(record)
                progress("\(step + 1)/\(plan.count) \(Self.describe(done))")
            } catch {
                try await settle(&record.releases[index], in: directory)
                try await undo(record.releases[index].changes)
                record.releases[index].state = .undone
                record.releases[index].failure = "\(change.subject) \(change.action.rawValue): \(error)"
                try await journal.save(record)
                return .undone(record.releases[index])
            }
        }
        record.releases[index].state = .applied
        try await journal.save(record)
        return .applied(record.releases[index])
    }

    /// The journal entry for `change` before it is made: what it will do and what is there now.
    private func intent(_ change: PlannedChange) async throws -> MigrationJournal.AppliedChange {
        var entry = MigrationJournal.AppliedChange(
            subject: change.subject, action: change.action.rawValue, file: change.file, version: nil, id: nil,
            value: change.value, previous: nil)
        entry.pending = true
        switch change.action {
        case .config:
            entry.previous = try await client.subjectSetting { try await client.compatibilityLevel(subject: change.subject) }
        case .policy:
            entry.previous = try await client.subjectSetting { try await client.compatibilityPolicy(subject: change.subject) ?? "" }
            if entry.previous == "" { entry.previous = nil }
        case .mode:
            entry.previous = try await client.subjectSetting { try await client.mode(subject: change.subject) }
        case .register:
            entry.schemaType = change.schemaType
            entry.references = change.references
        case .delete:
            // What goes, with ids: undoing registers the same schemas again (ids stay the same).
            var versions = change.version.map { [$0] } ?? []
            if change.version == nil { versions = try await client.versions(subject: change.subject) }
            entry.version = change.version
            entry.removed = []
            for version in versions {
                let found = try await client.version(subject: change.subject, .number(version))
                entry.removed?.append(MigrationJournal.RemovedVersion(version: version, id: found.id))
            }
        case .rewrite:
            throw MigrationError.invalidLayout(change.file ?? change.subject, "a registered version cannot be rewritten")
        }
        return entry
    }

    private func perform(
        _ change: PlannedChange, _ entry: MigrationJournal.AppliedChange, in directory: SchemaDirectory
    ) async throws -> MigrationJournal.AppliedChange {
        var applied = entry
        switch change.action {
        case .config:
            try await client.setCompatibilityLevel(change.value ?? "BACKWARD", subject: change.subject)
        case .policy:
            try await client.setCompatibilityPolicy(change.value, subject: change.subject)
        case .mode:
            try await client.setMode(change.value ?? "READWRITE", subject: change.subject)
        case .register:
            let registration = try await client.register(subject: change.subject, try request(for: entry, in: directory))
            applied.version = registration.version
            applied.id = registration.id
        case .delete:
            if let version = change.version {
                _ = try await client.deleteVersion(subject: change.subject, .number(version))
            } else {
                _ = try await client.deleteSubject(change.subject)
            }
        case .rewrite:
            throw MigrationError.invalidLayout(change.file ?? change.subject, "a registered version cannot be rewritten")
        }
        applied.pending = nil
        return applied
    }

    /// What registering the entry's file sends.
    private func request(for entry: MigrationJournal.AppliedChange, in directory: SchemaDirectory) throws -> RegistrySchema {
        guard let file = entry.file, let subject = directory.subject(named: entry.subject),
            let version = subject.versions.first(where: { $0.file == file })
        else { throw MigrationError.invalidLayout(entry.file ?? entry.subject, "the planned file is gone") }
        let references = (entry.references ?? []).map { RegistryReference(name: $0.name, subject: $0.subject, version: $0.version) }
        // With the version's payload migration rules, as Confluent keeps them (`ruleSet.migrationRules`).
        return RegistrySchema(
            schemaType: entry.schemaType ?? "AVRO", schema: version.text, references: references,
            ruleSet: subject.ruleSet(for: version))
    }

    /// Resolves the release's pending entries (a run stopped while making them): a registration the registry
    /// holds gets its version and id, one it does not hold is dropped; a setting keeps the value before it, which
    /// undoing restores whether or not the change took effect.
    private func settle(_ release: inout MigrationJournal.Release, in directory: SchemaDirectory) async throws {
        var settled: [MigrationJournal.AppliedChange] = []
        for var change in release.changes {
            if change.pending == true, change.action == PlannedChange.Action.register.rawValue {
                guard let found = try await client.registeredVersion(subject: change.subject, try request(for: change, in: directory))
                else { continue }
                change.version = found.version
                change.id = found.id
            }
            change.pending = nil
            settled.append(change)
        }
        release.changes = settled
    }

    /// What `rollback` did, or why it would not.
    public enum RollbackOutcome: Sendable {
        case nothingToRollBack
        /// Rolling back would lose or break something made since; nothing was changed.
        case unsafe([String])
        case rolledBack([MigrationJournal.Release])
    }

    /// Reverts applied releases newest first: the newest one, or every one after `release`. Versions the releases
    /// registered are soft-deleted (ids stay resolvable), levels and modes restored. Refuses, unless `force`, when
    /// a subject got a version outside these releases since, or a version to remove is referenced by a schema
    /// that is not being removed with it.
    public func rollback(after release: String? = nil, force: Bool = false) async throws -> RollbackOutcome {
        try await holdingLock { try await rollbackLocked(after: release, force: force) }
    }

    /// Runs `body` holding the journal's lock, released whatever happens (a killed run leaves it stale, and the
    /// next run takes it over).
    private func holdingLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await journal.lock()
        do {
            let outcome = try await body()
            await journal.unlock()
            return outcome
        } catch {
            await journal.unlock()
            throw error
        }
    }

    private func rollbackLocked(after release: String?, force: Bool) async throws -> RollbackOutcome {
        var record = try await journal.load()
        if let interrupted = record.releases.last(where: { $0.state == .applying }) {
            throw MigrationError.invalidLayout(
                journal.location,
                "release \(interrupted.id) was interrupted while being applied: run `accord migrate apply` to finish it, then roll it back")
        }
        let applied = record.releases.indices.filter { record.releases[$0].state == .applied }
        let targets: [Int]
        if let release {
            guard let position = record.releases.firstIndex(where: { $0.id == release || $0.id.hasPrefix(release) }) else {
                throw MigrationError.invalidLayout(journal.location, "no release \(release) in the journal")
            }
            targets = applied.filter { $0 > position }.reversed()
        } else {
            targets = applied.last.map { [$0] } ?? []
        }
        guard !targets.isEmpty else { return .nothingToRollBack }
        let removing = targets.flatMap { record.releases[$0].changes }.filter { $0.action == PlannedChange.Action.register.rawValue }
        if !force {
            var problems: [String] = []
            let removedIDs = Set(removing.compactMap(\.id))
            var highest: [String: Int] = [:]
            for change in removing { highest[change.subject] = max(highest[change.subject] ?? 0, change.version ?? 0) }
            for (subject, top) in highest.sorted(by: { $0.key < $1.key }) {
                let live = try await orNone { try await client.versions(subject: subject) }
                for newer in live where newer > top {
                    problems.append("\(subject) version \(newer) was registered outside the release")
                }
            }
            for change in removing {
                guard let version = change.version else { continue }
                let referrers = try await orNone { try await client.referencedBy(subject: change.subject, .number(version)) }
                for id in referrers where !removedIDs.contains(id) {
                    problems.append("\(change.subject) version \(version) is referenced by schema \(id)")
                }
            }
            if !problems.isEmpty { return .unsafe(problems) }
        }
        var done: [MigrationJournal.Release] = []
        for index in targets {
            try await undo(record.releases[index].changes)
            record.releases[index].state = .rolledBack
            try await journal.save(record)
            done.append(record.releases[index])
            progress("rolled back release \(record.releases[index].id)")
        }
        return .rolledBack(done)
    }

    /// Reverts `changes`, newest first: registered versions soft-deleted (ids stay resolvable), settings restored.
    /// Idempotent, so a rollback that was stopped half-way is finished by running it again.
    func undo(_ changes: [MigrationJournal.AppliedChange]) async throws {
        // Versions registered again while undoing deletions: (subject, old version) → new version, so a schema
        // registered again after them references the live version, not the soft-deleted one.
        var restored: [String: [Int: Int]] = [:]
        for change in changes.reversed() {
            switch change.action {
            case PlannedChange.Action.register.rawValue:
                guard let version = change.version else { break }
                do {
                    _ = try await client.deleteVersion(subject: change.subject, .number(version))
                } catch let error as RegistryClientError where [40401, 40402, 40406].contains(error.errorCode ?? 0) {
                    // Already deleted: by an earlier run of this rollback that was stopped, or by hand.
                }
            case PlannedChange.Action.delete.rawValue:
                // A soft-deleted version cannot be brought back as it was; registering the same schema again
                // makes it live under a new version number with the same id (a no-op if it was never deleted).
                for removed in change.removed ?? [] {
                    var schema = try await client.schema(id: removed.id).schema
                    schema.references = schema.references.map { reference in
                        var reference = reference
                        reference.version = restored[reference.subject]?[reference.version] ?? reference.version
                        return reference
                    }
                    let registration = try await client.register(subject: change.subject, schema)
                    restored[change.subject, default: [:]][removed.version] = registration.version
                }
            case PlannedChange.Action.config.rawValue:
                if let previous = change.previous {
                    try await client.setCompatibilityLevel(previous, subject: change.subject)
                } else {
                    try await client.deleteCompatibilityLevel(subject: change.subject)
                }
            case PlannedChange.Action.policy.rawValue:
                try await client.setCompatibilityPolicy(change.previous, subject: change.subject)
            case PlannedChange.Action.mode.rawValue:
                if let previous = change.previous {
                    try await client.setMode(previous, subject: change.subject)
                } else {
                    try await client.deleteMode(subject: change.subject)
                }
            default:
                break
            }
        }
    }

    /// The registry's answer, or none for a subject or version it no longer has (40401, 40402).
    private func orNone(_ call: () async throws -> [Int]) async throws -> [Int] {
        do {
            return try await call()
        } catch let error as RegistryClientError where [40401, 40402].contains(error.errorCode ?? 0) {
            return []
        }
    }


    static func describe(_ change: MigrationJournal.AppliedChange) -> String {
        switch change.action {
        case "register": "registered \(change.subject) version \(change.version.map(String.init) ?? "?") (id \(change.id.map(String.init) ?? "?"))"
        case "config": "set \(change.subject) compatibility to \(change.value ?? "")"
        case "mode": "set \(change.subject) mode to \(change.value ?? "")"
        case "policy": "set \(change.subject) compatibilityPolicy to \(change.value ?? "")"
        case "delete":
            "deleted \(change.subject)" + (change.version.map { " version \($0)" } ?? "") + " (\(change.removed?.count ?? 0) versions, soft)"
        default: "\(change.action) \(change.subject)"
        }
    }
}
