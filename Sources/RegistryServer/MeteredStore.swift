import RegistryCore
import ServiceLifecycle

/// A store wrapper that times every call into `ServerMetrics` (`accord_store_duration_seconds`).
public struct MeteredStore: RegistryStore {
    let base: any RegistryStore
    let metrics: ServerMetrics

    public init(_ base: any RegistryStore, metrics: ServerMetrics) {
        self.base = base
        self.metrics = metrics
    }

    private func timed<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { metrics.storeCall(operation, duration: ContinuousClock.now - started) }
        return try await body()
    }

    public func schema(id: Int, context: String) async throws -> StoredSchema? {
        try await timed("schema_by_id") { try await base.schema(id: id, context: context) }
    }
    public func schema(guid: String, context: String) async throws -> StoredSchema? {
        try await timed("schema_by_guid") { try await base.schema(guid: guid, context: context) }
    }
    public func maxSchemaID(context: String) async throws -> Int {
        try await timed("max_schema_id") { try await base.maxSchemaID(context: context) }
    }
    public func namedContexts() async throws -> [String] { try await timed("contexts") { try await base.namedContexts() } }
    public func deleteContext(_ context: String) async throws -> Bool {
        try await timed("delete_context") { try await base.deleteContext(context) }
    }
    public func subjectNames() async throws -> [String] { try await timed("subject_names") { try await base.subjectNames() } }
    public func versions(subject: String) async throws -> [SubjectVersion] {
        try await timed("subject_versions") { try await base.versions(subject: subject) }
    }
    public func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        try await timed("schema_versions") { try await base.versions(schemaID: schemaID, context: context) }
    }
    public func allVersions() async throws -> [SubjectVersion] { try await timed("all_versions") { try await base.allVersions() } }
    public func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        try await timed("referrers") { try await base.referrers(subject: subject, version: version) }
    }
    public func config(subject: String?) async throws -> SubjectConfig? {
        try await timed("config") { try await base.config(subject: subject) }
    }
    public func setConfig(_ config: SubjectConfig?, subject: String?) async throws {
        try await timed("set_config") { try await base.setConfig(config, subject: subject) }
    }
    public func mode(subject: String?) async throws -> RegistryMode? { try await timed("mode") { try await base.mode(subject: subject) } }
    public func setMode(_ mode: RegistryMode?, subject: String?) async throws {
        try await timed("set_mode") { try await base.setMode(mode, subject: subject) }
    }
    public func document(named name: String) async throws -> StoredDocument? {
        try await timed("document") { try await base.document(named: name) }
    }
    public func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        try await timed("replace_document") { try await base.replaceDocument(named: name, text: text, expecting: revision) }
    }
    public func register(
        subject: String, content: SchemaContent, guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        try await timed("register") { try await base.register(subject: subject, content: content, guid: guid, decide: decide) }
    }
    public func softDelete(subject: String, versions: [Int]) async throws {
        try await timed("soft_delete") { try await base.softDelete(subject: subject, versions: versions) }
    }
    public func permanentlyDelete(subject: String, versions: [Int]) async throws {
        try await timed("permanent_delete") { try await base.permanentlyDelete(subject: subject, versions: versions) }
    }
    public func ping() async throws { try await timed("ping") { try await base.ping() } }
    public func externalChanges() -> AsyncStream<StoreChange> { base.externalChanges() }
    public var backgroundServices: [any Service] { base.backgroundServices }
}
