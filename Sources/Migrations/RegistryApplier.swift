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
    public let journal: JournalFile
    public let actor: String
    /// Called after each step with a line for people ("3/14 register orders-value version 3").
    public let progress: @Sendable (String) -> Void

    public init(
        client: SchemaRegistryClient, journal: JournalFile, actor: String, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.client = client
        self.journal = journal
        self.actor = actor
        self.progress = progress
    }

    public func apply(_ directory: SchemaDirectory) async throws -> Outcome {
        try journal.lock()
        do {
            let outcome = try await applyLocked(directory)
            journal.unlock()
            return outcome
        } catch {
            journal.unlock()
            throw error
        }
    }

    private func applyLocked(_ directory: SchemaDirectory) async throws -> Outcome {
        var record = try journal.load()
        let plan = try await RegistryPlanner(client: client).plan(directory)
        let open = record.releases.lastIndex { $0.state == .applying }
        if plan.isEmpty {
            // An interrupted release whose remaining changes are all in place is complete.
            if let open {
                record.releases[open].state = .applied
                try journal.save(record)
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
            try journal.save(record)
        }
        for (step, change) in plan.enumerated() {
            do {
                let applied = try await perform(change, in: directory)
                record.releases[index].changes.append(applied)
                try journal.save(record)
                progress("\(step + 1)/\(plan.count) \(Self.describe(applied))")
            } catch {
                try await undo(record.releases[index].changes)
                record.releases[index].state = .undone
                record.releases[index].failure = "\(change.subject) \(change.action.rawValue): \(error)"
                try journal.save(record)
                return .undone(record.releases[index])
            }
        }
        record.releases[index].state = .applied
        try journal.save(record)
        return .applied(record.releases[index])
    }

    private func perform(_ change: PlannedChange, in directory: SchemaDirectory) async throws -> MigrationJournal.AppliedChange {
        var applied = MigrationJournal.AppliedChange(
            subject: change.subject, action: change.action.rawValue, file: change.file, version: nil, id: nil,
            value: change.value, previous: nil)
        switch change.action {
        case .config:
            applied.previous = try await client.subjectSetting { try await client.compatibilityLevel(subject: change.subject) }
            try await client.setCompatibilityLevel(change.value ?? "BACKWARD", subject: change.subject)
        case .mode:
            applied.previous = try await client.subjectSetting { try await client.mode(subject: change.subject) }
            try await client.setMode(change.value ?? "READWRITE", subject: change.subject)
        case .register:
            guard let file = change.file, let subject = directory.subject(named: change.subject),
                let version = subject.versions.first(where: { $0.file == file })
            else { throw MigrationError.invalidLayout(change.file ?? change.subject, "the planned file is gone") }
            let references = change.references.map { RegistryReference(name: $0.name, subject: $0.subject, version: $0.version) }
            let registration = try await client.register(
                subject: change.subject,
                RegistrySchema(
                    schemaType: change.schemaType ?? "AVRO", schema: version.text, references: references,
                    ruleSet: subject.ruleSet(for: version)))
            applied.version = registration.version
            applied.id = registration.id
        case .rewrite:
            throw MigrationError.invalidLayout(change.file ?? change.subject, "a registered version cannot be rewritten")
        }
        return applied
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
        try journal.lock()
        do {
            let outcome = try await rollbackLocked(after: release, force: force)
            journal.unlock()
            return outcome
        } catch {
            journal.unlock()
            throw error
        }
    }

    private func rollbackLocked(after release: String?, force: Bool) async throws -> RollbackOutcome {
        var record = try journal.load()
        let applied = record.releases.indices.filter { record.releases[$0].state == .applied }
        let targets: [Int]
        if let release {
            guard let position = record.releases.firstIndex(where: { $0.id == release || $0.id.hasPrefix(release) }) else {
                throw MigrationError.invalidLayout(journal.path, "no release \(release) in the journal")
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
            try journal.save(record)
            done.append(record.releases[index])
            progress("rolled back release \(record.releases[index].id)")
        }
        return .rolledBack(done)
    }

    /// Reverts `changes`, newest first: registered versions soft-deleted (ids stay resolvable), settings restored.
    func undo(_ changes: [MigrationJournal.AppliedChange]) async throws {
        for change in changes.reversed() {
            switch change.action {
            case PlannedChange.Action.register.rawValue:
                if let version = change.version {
                    _ = try await client.deleteVersion(subject: change.subject, .number(version))
                }
            case PlannedChange.Action.config.rawValue:
                if let previous = change.previous {
                    try await client.setCompatibilityLevel(previous, subject: change.subject)
                } else {
                    try await client.deleteCompatibilityLevel(subject: change.subject)
                }
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
        default: "\(change.action) \(change.subject)"
        }
    }
}
