/// A `RegistryStore` in process memory: the reference behaviour for the storage conformance suite, and the
/// store of the core's unit tests. Nothing survives the process.
public actor InMemoryStore: RegistryStore {
    private var schemasByID: [ContextualID: StoredSchema] = [:]
    private var idsByGUID: [ContextGUID: Int] = [:]
    private var subjectRows: [String: [SubjectVersion]] = [:]
    /// Keyed by subject, nil for the global setting: no subject name can stand for it.
    private var configs: [String?: SubjectConfig] = [:]
    private var modes: [String?: RegistryMode] = [:]
    /// The highest id handed out in each context; a named context exists while it has an entry.
    private var highestIDs: [String: Int] = [RegistryContext.defaultName: 0]
    private var documents: [String: StoredDocument] = [:]

    private struct ContextGUID: Hashable {
        var context: String
        var guid: String
    }

    public init() {}

    public func schema(id: Int, context: String) -> StoredSchema? {
        schemasByID[ContextualID(context: context, id: id)]
    }

    public func schema(guid: String, context: String) -> StoredSchema? {
        idsByGUID[ContextGUID(context: context, guid: guid)].flatMap { schema(id: $0, context: context) }
    }

    public func maxSchemaID(context: String) -> Int { highestIDs[context] ?? 0 }

    public func namedContexts() -> [String] {
        highestIDs.keys.filter { $0 != RegistryContext.defaultName }.sorted()
    }

    public func deleteContext(_ context: String) -> Bool {
        guard context != RegistryContext.defaultName else { return false }
        if subjectRows.contains(where: { RegistryContext.context(of: $0.key) == context && !$0.value.isEmpty }) {
            return false
        }
        highestIDs[context] = nil
        return true
    }

    public func subjectNames() -> [String] {
        subjectRows.filter { !$0.value.isEmpty }.keys.sorted()
    }

    public func versions(subject: String) -> [SubjectVersion] { subjectRows[subject] ?? [] }

    public func versions(schemaID: Int, context: String) -> [SubjectVersion] {
        allVersions().filter { $0.schemaID == schemaID && RegistryContext.context(of: $0.subject) == context }
    }

    public func allVersions() -> [SubjectVersion] {
        subjectRows.keys.sorted().flatMap { subjectRows[$0] ?? [] }
    }

    public func referrers(subject: String, version: Int) -> [ContextualID] {
        schemasByID.values
            .filter { schema in
                schema.content.references.contains {
                    RegistryContext.referenceTarget($0.subject, from: schema.context) == subject && $0.version == version
                }
            }
            .map(\.key)
            .sorted { ($0.context, $0.id) < ($1.context, $1.id) }
    }

    public func config(subject: String?) -> SubjectConfig? { configs[subject] }

    public func setConfig(_ config: SubjectConfig?, subject: String?) {
        configs[subject] = config
    }

    public func mode(subject: String?) -> RegistryMode? { modes[subject] }

    public func setMode(_ mode: RegistryMode?, subject: String?) {
        modes[subject] = mode
    }

    public func document(named name: String) -> StoredDocument? { documents[name] }

    public func replaceDocument(named name: String, text: String, expecting revision: Int) -> Int? {
        guard (documents[name]?.revision ?? 0) == revision else { return nil }
        documents[name] = StoredDocument(text: text, revision: revision + 1)
        return revision + 1
    }

    public func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        // The actor is re-entrant across the await in `decide`: take a snapshot, decide, then re-check that
        // nothing moved underneath before writing, and retry when it did (as the SQL stores do).
        let context = RegistryContext.context(of: subject)
        for _ in 0..<100 {
            let state = RegistrationState(
                versions: versions(subject: subject), sameContent: schema(guid: guid, context: context),
                highestSchemaID: maxSchemaID(context: context))
            let decision = try await decide(state)
            let now = RegistrationState(
                versions: versions(subject: subject), sameContent: schema(guid: guid, context: context),
                highestSchemaID: maxSchemaID(context: context))
            guard state.permits(decision, now: now) else { continue }
            switch decision {
            case .existing(let version):
                return version
            case .create(let id, let version):
                // An id another writer gave other content since the decision: decide again.
                let key = ContextualID(context: context, id: id)
                if let holder = schemasByID[key], holder.guid != guid { continue }
                if schemasByID[key] == nil {
                    schemasByID[key] = StoredSchema(id: id, guid: guid, content: content, context: context)
                    idsByGUID[ContextGUID(context: context, guid: guid)] = id
                }
                highestIDs[context] = max(highestIDs[context] ?? 0, id)
                let row = SubjectVersion(subject: subject, version: version, schemaID: id)
                subjectRows[subject] = ((subjectRows[subject] ?? []) + [row]).sorted { $0.version < $1.version }
                return row
            }
        }
        throw RegistryError.storeError()
    }

    public func softDelete(subject: String, versions: [Int]) {
        let doomed = Set(versions)
        subjectRows[subject] = subjectRows[subject]?.map { row in
            var row = row
            if doomed.contains(row.version) { row.deleted = true }
            return row
        }
    }

    public func permanentlyDelete(subject: String, versions: [Int]) {
        let doomed = Set(versions)
        let remaining = (subjectRows[subject] ?? []).filter { !doomed.contains($0.version) }
        if remaining.isEmpty {
            subjectRows[subject] = nil
            configs[subject] = nil
            modes[subject] = nil
        } else {
            subjectRows[subject] = remaining
        }
        let used = Set(subjectRows.values.joined().map { ContextualID(context: RegistryContext.context(of: $0.subject), id: $0.schemaID) })
        for (key, schema) in schemasByID where !used.contains(key) {
            schemasByID[key] = nil
            idsByGUID[ContextGUID(context: key.context, guid: schema.guid)] = nil
        }
    }

    public func ping() {}

    public nonisolated func externalChanges() -> AsyncStream<StoreChange> {
        AsyncStream { _ in }
    }
}
