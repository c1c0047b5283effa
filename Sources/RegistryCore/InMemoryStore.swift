/// A `RegistryStore` in process memory: the reference behaviour for the storage conformance suite, and the
/// store of the core's unit tests. Nothing survives the process.
public actor InMemoryStore: RegistryStore {
    private var schemasByID: [Int: StoredSchema] = [:]
    private var idsByGUID: [String: Int] = [:]
    private var subjectRows: [String: [SubjectVersion]] = [:]
    /// Keyed by subject, nil for the global setting: no subject name can stand for it.
    private var configs: [String?: SubjectConfig] = [:]
    private var modes: [String?: RegistryMode] = [:]
    private var highestID = 0
    private var documents: [String: StoredDocument] = [:]

    public init() {}

    public func schema(id: Int) -> StoredSchema? { schemasByID[id] }

    public func schema(guid: String) -> StoredSchema? {
        idsByGUID[guid].flatMap { schemasByID[$0] }
    }

    public func maxSchemaID() -> Int { highestID }

    public func subjectNames() -> [String] {
        subjectRows.filter { !$0.value.isEmpty }.keys.sorted()
    }

    public func versions(subject: String) -> [SubjectVersion] { subjectRows[subject] ?? [] }

    public func versions(schemaID: Int) -> [SubjectVersion] {
        allVersions().filter { $0.schemaID == schemaID }
    }

    public func allVersions() -> [SubjectVersion] {
        subjectRows.keys.sorted().flatMap { subjectRows[$0] ?? [] }
    }

    public func referrers(subject: String, version: Int) -> [Int] {
        schemasByID.values
            .filter { $0.content.references.contains { $0.subject == subject && $0.version == version } }
            .map(\.id)
            .sorted()
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
        for _ in 0..<100 {
            let state = RegistrationState(versions: versions(subject: subject), sameContent: schema(guid: guid), highestSchemaID: highestID)
            let decision = try await decide(state)
            let now = RegistrationState(versions: versions(subject: subject), sameContent: schema(guid: guid), highestSchemaID: highestID)
            guard state.permits(decision, now: now) else { continue }
            switch decision {
            case .existing(let version):
                return version
            case .create(let id, let version):
                // An id another writer gave other content since the decision: decide again.
                if let holder = schemasByID[id], holder.guid != guid { continue }
                if schemasByID[id] == nil {
                    schemasByID[id] = StoredSchema(id: id, guid: guid, content: content)
                    idsByGUID[guid] = id
                }
                highestID = max(highestID, id)
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
        let used = Set(subjectRows.values.joined().map(\.schemaID))
        for (id, schema) in schemasByID where !used.contains(id) {
            schemasByID[id] = nil
            idsByGUID[schema.guid] = nil
        }
    }

    public func ping() {}

    public nonisolated func externalChanges() -> AsyncStream<StoreChange> {
        AsyncStream { _ in }
    }
}
