public import SchemaCompatibility
public import SchemaProviders

/// One change a plan would make to a registry.
public struct PlannedChange: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        /// Register a new version of the subject.
        case register
        /// Change the subject's compatibility level.
        case config
        /// Change the subject's JSON Schema `compatibilityPolicy`.
        case policy
        /// Change the subject's mode.
        case mode
        /// An earlier version's file changed or disappeared: a registry keeps versions, so this cannot apply.
        case rewrite
        /// Soft-delete a version the directory does not hold, or (no version) a whole subject it does not have;
        /// planned only when asked (`--prune`).
        case delete
    }

    public var subject: String
    public var action: Action
    /// The version's file (register, rewrite).
    public var file: String?
    /// The version number the change is about (register, rewrite).
    public var version: Int?
    /// The setting's new value (config, mode).
    public var value: String?
    public var compatible: Bool
    /// Why the change would be refused: compatibility findings (with the earlier version they are against),
    /// or `INVALID_SCHEMA` / `HISTORY_REWRITTEN`.
    public var incompatibilities: [Incompatibility]
    /// What a registration sends (register, in plans against a registry): the schema type and its references
    /// with the registry's version numbers.
    public var schemaType: String? = nil
    public var references: [ReferenceTarget] = []
}

/// A reference as a registration sends it: the name, the subject and the registry's version.
public struct ReferenceTarget: Sendable, Hashable, Codable {
    public var name: String
    public var subject: String
    public var version: Int
}

/// What applying a directory would change, judged with no registry: the earlier state is the same directory at
/// another point (`accord migrate plan --against git:REF`), each new version checked against the subject's whole
/// history under its level, subjects in dependency order.
public struct DirectoryPlanner: Sendable {
    public let providers: SchemaProviders

    public init(providers: SchemaProviders = .standard) {
        self.providers = providers
    }

    /// The changes from `old` (nil: nothing registered yet) to `new`. With `prune`, subjects `old` had and `new`
    /// does not, and versions removed from the end of a subject, are deletions rather than refused rewrites (a
    /// version `new` still references cannot be missing: `new` would not load).
    public func plan(from old: SchemaDirectory?, to new: SchemaDirectory, prune: Bool = false) throws(MigrationError)
        -> [PlannedChange]
    {
        var changes: [PlannedChange] = []
        var deletions: [PlannedChange] = []
        for subject in try new.dependencyOrder() {
            let before = old?.subject(named: subject.name)
            if let before {
                if before.compatibility != subject.compatibility {
                    changes.append(setting(subject, .config, subject.compatibility.rawValue))
                }
                if before.policy != subject.policy, subject.manifest.compatibilityPolicy != nil {
                    changes.append(setting(subject, .policy, subject.policy.rawValue))
                }
                if before.manifest.mode != subject.manifest.mode, let mode = subject.manifest.mode {
                    changes.append(setting(subject, .mode, mode.uppercased()))
                }
            } else {
                if subject.manifest.compatibility != nil || new.defaults.compatibility != nil {
                    changes.append(setting(subject, .config, subject.compatibility.rawValue))
                }
                if subject.manifest.compatibilityPolicy != nil { changes.append(setting(subject, .policy, subject.policy.rawValue)) }
                if let mode = subject.manifest.mode { changes.append(setting(subject, .mode, mode.uppercased())) }
            }
            let kept = before?.versions ?? []
            // Versions the earlier state had must still be there, unchanged: a registry keeps what it registered.
            for earlier in kept {
                let now = subject.versions.indices.contains(earlier.number - 1) ? subject.versions[earlier.number - 1] : nil
                guard now?.text != earlier.text || now?.references != earlier.references else { continue }
                if now == nil, prune {
                    deletions.append(Self.deletion(subject.name, version: earlier.number, file: earlier.file))
                    continue
                }
                changes.append(
                    PlannedChange(
                        subject: subject.name, action: .rewrite, file: now?.file ?? earlier.file, version: earlier.number,
                        value: nil, compatible: false,
                        incompatibilities: [
                            Incompatibility(
                                kind: "HISTORY_REWRITTEN", path: "",
                                message: now == nil
                                    ? "version \(earlier.number) was removed; registered versions stay (delete them explicitly)"
                                    : "version \(earlier.number) changed after it was registered; add a new version instead")
                        ]))
            }
            guard let provider = providers.provider(for: subject.type) else { continue }
            var history: [any ParsedSchema] = []
            for version in subject.versions {
                let isNew = version.number > kept.count
                let parsed: any ParsedSchema
                do {
                    parsed = try provider.parse(version.text, path: nil, imports: .sources(try new.sources(for: version)))
                } catch let error as SchemaProviderError {
                    if isNew {
                        changes.append(
                            register(subject, version, [Incompatibility(kind: "INVALID_SCHEMA", path: "", message: error.message)]))
                    }
                    continue
                } catch let error as MigrationError {
                    throw error
                } catch {
                    throw .unreadable(version.file, "\(error)")
                }
                defer { history.append(parsed) }
                guard isNew else { continue }
                changes.append(register(subject, version, subject.problems(parsed, after: history, providers: providers)))
            }
        }
        guard prune, let old else { return changes }
        let kept = Set(new.subjects.map(\.name))
        for subject in try old.dependencyOrder().reversed() where !kept.contains(subject.name) {
            deletions.append(Self.deletion(subject.name, version: nil, file: nil))
        }
        return changes + deletions
    }

    static func deletion(_ subject: String, version: Int?, file: String?) -> PlannedChange {
        PlannedChange(
            subject: subject, action: .delete, file: file, version: version, value: nil, compatible: true, incompatibilities: [])
    }

    private func setting(_ subject: DirectorySubject, _ action: PlannedChange.Action, _ value: String) -> PlannedChange {
        PlannedChange(
            subject: subject.name, action: action, file: nil, version: nil, value: value, compatible: true, incompatibilities: [])
    }

    private func register(_ subject: DirectorySubject, _ version: DirectoryVersion, _ problems: [Incompatibility]) -> PlannedChange {
        PlannedChange(
            subject: subject.name, action: .register, file: version.file, version: version.number, value: nil,
            compatible: problems.isEmpty, incompatibilities: problems)
    }
}
