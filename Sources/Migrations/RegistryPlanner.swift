public import AccordClient
import SchemaCompatibility
public import SchemaProviders

/// What applying a directory would change in a live registry. Each subject's registered versions are fetched
/// (with their references) and each directory version is looked up by content; the versions the registry does
/// not have yet are checked here, with the registry's engines, against the subject's whole registered history
/// plus the new versions before them, under the directory's level. Writes nothing.
public struct RegistryPlanner: Sendable {
    public let client: SchemaRegistryClient
    public let providers: SchemaProviders

    public init(client: SchemaRegistryClient, providers: SchemaProviders = .standard) {
        self.client = client
        self.providers = providers
    }

    /// The changes, subjects in dependency order; `version` is the number the registry will give a new version.
    /// With `prune`, then the deletions: live versions the directory does not hold, and subjects it does not have.
    public func plan(_ directory: SchemaDirectory, prune: Bool = false) async throws -> [PlannedChange] {
        var changes: [PlannedChange] = []
        // Directory (subject, version) → the registry version it is (or will be, once applied).
        var registryVersion: [String: [Int: Int]] = [:]
        for subject in try directory.dependencyOrder() {
            guard let provider = providers.provider(for: subject.type) else { continue }
            changes += try await settings(subject)
            let registered = try await registeredVersions(subject.name)
            var history: [any ParsedSchema] = []
            for number in registered {
                let found = try await client.version(subject: subject.name, .number(number))
                let sources = try await client.referencedSchemas(found.schema.references).map {
                    SchemaSource(name: $0.name, type: SchemaType(name: $0.schema.schemaType), text: $0.schema.schema)
                }
                history.append(try providers.parse(found.schema.schema, type: SchemaType(name: found.schema.schemaType), imports: .sources(sources)))
            }
            // A registry never gives a version number twice: soft-deleted versions count.
            let firstNew = (try await registeredVersions(subject.name, deleted: true).max() ?? 0) + 1
            var next = firstNew
            for version in subject.versions {
                let references = version.references.map { reference in
                    RegistryReference(
                        name: reference.name, subject: reference.subject,
                        version: registryVersion[reference.subject]?[reference.version] ?? reference.version)
                }
                let request = RegistrySchema(
                    schemaType: subject.type.rawValue, schema: version.text, references: references,
                    ruleSet: subject.ruleSet(for: version))
                var found = try await lookup(subject.name, request)
                if found == nil, request.ruleSet != nil {
                    // The same schema registered before its rules were written stays that version (a new version
                    // only for the rules would renumber the ones after it).
                    found = try await lookup(subject.name, RegistrySchema(schemaType: request.schemaType, schema: request.schema, references: references))
                }
                if let existing = found {
                    registryVersion[subject.name, default: [:]][version.number] = existing
                    continue
                }
                registryVersion[subject.name, default: [:]][version.number] = next
                let parsed: any ParsedSchema
                do {
                    parsed = try provider.parse(version.text, path: nil, imports: .sources(try directory.sources(for: version)))
                } catch let error as SchemaProviderError {
                    changes.append(
                        Self.register(subject.name, version.file, next, [Incompatibility(kind: "INVALID_SCHEMA", path: "", message: error.message)]))
                    next += 1
                    continue
                }
                var problems = subject.problems(parsed, after: history, providers: providers)
                // Positions in `history` back to registry version numbers.
                let numbers = registered + Array(firstNew..<next)
                for index in problems.indices {
                    if let position = problems[index].version, numbers.indices.contains(position - 1) {
                        problems[index].version = numbers[position - 1]
                    }
                }
                var change = Self.register(subject.name, version.file, next, problems)
                change.schemaType = subject.type.rawValue
                change.references = references.map { ReferenceTarget(name: $0.name, subject: $0.subject, version: $0.version) }
                changes.append(change)
                history.append(parsed)
                next += 1
            }
        }
        guard prune else { return changes }
        return changes + (try await deletions(directory, accountedFor: registryVersion))
    }

    /// Soft deletions of what the registry holds and the directory does not: referrers before what they
    /// reference; refused (`REFERENCED`) when a schema that stays references a version to delete.
    private func deletions(_ directory: SchemaDirectory, accountedFor held: [String: [Int: Int]]) async throws -> [PlannedChange] {
        var targets: [(subject: String, version: Int?, live: [Int])] = []
        let kept = Set(directory.subjects.map(\.name))
        for subject in directory.subjects {
            let accounted = Set(held[subject.name]?.values.map { $0 } ?? [])
            for version in try await registeredVersions(subject.name) where !accounted.contains(version) {
                targets.append((subject.name, version, [version]))
            }
        }
        for subject in try await client.subjects().sorted() where !kept.contains(subject) {
            targets.append((subject, nil, try await registeredVersions(subject)))
        }
        // Ids of the schemas being deleted, and what each target references.
        var ids: [String: [Int: Int]] = [:]
        var referencesOf: [Int: Set<String>] = [:]
        for (index, target) in targets.enumerated() {
            for version in target.live {
                let found = try await client.version(subject: target.subject, .number(version))
                ids[target.subject, default: [:]][version] = found.id
                referencesOf[index, default: []].formUnion(found.schema.references.map(\.subject))
            }
        }
        let deletedIDs = Set(ids.values.flatMap(\.values))
        var changes: [(change: PlannedChange, references: Set<String>)] = []
        for (index, target) in targets.enumerated() {
            var change = DirectoryPlanner.deletion(target.subject, version: target.version, file: nil)
            for version in target.live {
                for referrer in try await client.referencedBy(subject: target.subject, .number(version)) where !deletedIDs.contains(referrer) {
                    change.compatible = false
                    change.incompatibilities.append(
                        Incompatibility(
                            kind: "REFERENCED", path: "",
                            message: "\(target.subject) version \(version) is referenced by schema \(referrer), which stays"))
                }
            }
            changes.append((change, referencesOf[index] ?? []))
        }
        // Referrers first: a deletion waits while another one left references its subject.
        var ordered: [PlannedChange] = []
        while !changes.isEmpty {
            let next = changes.firstIndex { candidate in
                !changes.contains { $0.change.subject != candidate.change.subject && $0.references.contains(candidate.change.subject) }
            } ?? 0
            ordered.append(changes.remove(at: next).change)
        }
        return ordered
    }

    /// The subject's live version numbers (with `deleted`, soft-deleted ones too); none for a subject the
    /// registry does not have.
    private func registeredVersions(_ subject: String, deleted: Bool = false) async throws -> [Int] {
        do {
            return try await client.versions(subject: subject, deleted: deleted)
        } catch let error as RegistryClientError where error.errorCode == RegistryClientError.subjectNotFound {
            return []
        }
    }

    /// The version of `subject` whose content is `schema`, or nil when it has none.
    private func lookup(_ subject: String, _ schema: RegistrySchema) async throws -> Int? {
        try await client.registeredVersion(subject: subject, schema)?.version
    }

    /// Level and mode changes the manifest asks for.
    private func settings(_ subject: DirectorySubject) async throws -> [PlannedChange] {
        var changes: [PlannedChange] = []
        if subject.manifest.compatibility != nil {
            let current = try await client.subjectSetting { try await client.compatibilityLevel(subject: subject.name) }
            if current?.uppercased() != subject.compatibility.rawValue {
                changes.append(Self.setting(subject.name, .config, subject.compatibility.rawValue))
            }
        }
        if subject.manifest.compatibilityPolicy != nil {
            // No policy on the subject is Confluent's default, STRICT.
            let current = try await client.subjectSetting { try await client.compatibilityPolicy(subject: subject.name) ?? "STRICT" }
            if (current ?? "STRICT").uppercased() != subject.policy.rawValue {
                changes.append(Self.setting(subject.name, .policy, subject.policy.rawValue))
            }
        }
        if let mode = subject.manifest.mode?.uppercased() {
            let current = try await client.subjectSetting { try await client.mode(subject: subject.name) }
            if current?.uppercased() != mode { changes.append(Self.setting(subject.name, .mode, mode)) }
        }
        return changes
    }


    static func register(_ subject: String, _ file: String, _ version: Int, _ problems: [Incompatibility]) -> PlannedChange {
        PlannedChange(
            subject: subject, action: .register, file: file, version: version, value: nil, compatible: problems.isEmpty,
            incompatibilities: problems)
    }

    static func setting(_ subject: String, _ action: PlannedChange.Action, _ value: String) -> PlannedChange {
        PlannedChange(subject: subject, action: action, file: nil, version: nil, value: value, compatible: true, incompatibilities: [])
    }
}

extension SchemaRegistryClient {
    /// The version of `subject` whose content is `schema`, or nil when the registry does not hold it there.
    func registeredVersion(subject: String, _ schema: RegistrySchema) async throws -> (version: Int, id: Int)? {
        do {
            let found = try await lookup(subject: subject, schema)
            return (found.version, found.id)
        } catch let error as RegistryClientError {
            switch error.errorCode {
            case RegistryClientError.subjectNotFound, RegistryClientError.schemaNotFound, RegistryClientError.versionNotFound,
                RegistryClientError.invalidSchema:
                // Not registered (or naming references that are not registered yet).
                return nil
            default:
                throw error
            }
        }
    }

    /// A subject's own level or mode, nil for the registry's "not set here" answers (40401, 40408, 40409).
    func subjectSetting(_ call: () async throws -> String) async throws -> String? {
        do {
            return try await call()
        } catch let error as RegistryClientError where [40401, 40408, 40409].contains(error.errorCode ?? 0) {
            return nil
        }
    }
}
