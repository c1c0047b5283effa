import ServiceLifecycle

/// What the registry core needs from storage. Implementations: `InMemoryStore` (tests), the SQLite store
/// (embedded default) and the PostgreSQL store (several nodes on one database).
///
/// The core never sees SQL; a store never decides registry rules. The one place they meet is `register`,
/// where the store runs the core's decision inside its own write transaction so that allocation of ids and
/// versions, and the check that led to it, see one consistent state even with several writers.
///
/// Subjects are kept under their qualified names (`:.ctx:name`); schema ids and guids are unique within a
/// context (`RegistryContext`), the context of the subject a schema was registered under.
public protocol RegistryStore: Sendable {
    /// The schema with this id in `context`, or nil.
    func schema(id: Int, context: String) async throws -> StoredSchema?
    /// The schema with this content guid in `context`, or nil.
    func schema(guid: String, context: String) async throws -> StoredSchema?
    /// The largest id handed out so far in `context` (0 when none).
    func maxSchemaID(context: String) async throws -> Int
    /// The contexts other than the default one that exist (something was registered in them and they were not
    /// deleted since), sorted.
    func namedContexts() async throws -> [String]
    /// Removes a named context if no subject version (live or soft-deleted) is in it; false when one is.
    /// Its id sequence starts again at 1 if it is used again.
    func deleteContext(_ context: String) async throws -> Bool

    /// Every subject name that has at least one version row (live or soft-deleted), sorted.
    func subjectNames() async throws -> [String]
    /// Every version of `subject`, soft-deleted ones included, by ascending version.
    func versions(subject: String) async throws -> [SubjectVersion]
    /// Every subject version that uses schema `id` of `context`, soft-deleted ones included, by subject then
    /// version.
    func versions(schemaID: Int, context: String) async throws -> [SubjectVersion]
    /// Every version of every subject, by subject then version.
    func allVersions() async throws -> [SubjectVersion]
    /// The schemas whose references name `subject` at `version` (a reference without a context names a subject
    /// of the referrer's own context, `RegistryContext.referenceTarget`), by context then id.
    func referrers(subject: String, version: Int) async throws -> [ContextualID]

    /// The configuration of one subject, or the global one when `subject` is nil.
    func config(subject: String?) async throws -> SubjectConfig?
    /// Sets (or with nil removes) a configuration.
    func setConfig(_ config: SubjectConfig?, subject: String?) async throws
    /// The mode of one subject, or the global one when `subject` is nil.
    func mode(subject: String?) async throws -> RegistryMode?
    /// Sets (or with nil removes) a mode.
    func setMode(_ mode: RegistryMode?, subject: String?) async throws

    /// Registers `content` under `subject` atomically. Inside one write transaction the store reads the
    /// subject's versions, any schema with the same guid and the highest schema id ever allocated (both in the
    /// subject's context, which this creates when it is new), calls
    /// `decide`, and then writes what it decided: nothing for `.existing`, or the new version row (and the schema
    /// row when the content is new) with exactly the id and version decided (`Allocation` makes them).
    /// A store that reads the state outside its write transaction writes only when
    /// `RegistrationState.permits(_:now:)` says the decision still holds, and otherwise decides again.
    /// `decide` may run more than once that way; errors it throws end the registration and reach the caller
    /// unchanged.
    func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion

    /// Marks versions of `subject` soft-deleted.
    func softDelete(subject: String, versions: [Int]) async throws
    /// Removes version rows of `subject`; schema rows of its context that no version uses any more are removed too,
    /// along with their references. When no version of the subject remains, its config and mode go too.
    func permanentlyDelete(subject: String, versions: [Int]) async throws

    /// A document of Accord's own kept beside the registry's state (the migration journal), or nil.
    func document(named name: String) async throws -> StoredDocument?
    /// Writes a document only if its stored revision is still `revision` (0: none stored yet), atomically with
    /// that check, and returns the new revision (`revision + 1`); nil when another writer got there first.
    func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int?

    /// Throws when the store cannot be reached (for `/ready`).
    func ping() async throws

    /// Writes made through other handles on the same storage (other registry nodes), as they happen, so a
    /// node can drop cache entries. A store that no one else writes returns a stream that never yields.
    func externalChanges() -> AsyncStream<StoreChange>

    /// The store's background work (a connection pool, a change listener, a cache follower), to run for as long
    /// as the store is used: `accord serve` runs them in its service group, everyone else through
    /// `withRunning(_:_:)`. A wrapping store lists its base's services before its own. None by default.
    var backgroundServices: [any Service] { get }
}

/// A document of Accord's own with the revision compare-and-set writes count from (1 for the first write).
public struct StoredDocument: Sendable, Hashable {
    public var text: String
    public var revision: Int

    public init(text: String, revision: Int) {
        self.text = text
        self.revision = revision
    }
}

/// A write another node made, as far as caches care.
public enum StoreChange: Sendable, Hashable {
    /// These schema ids were permanently deleted (and may later be given to other content in IMPORT mode).
    case schemasDeleted([ContextualID])
    /// Something about this subject changed: a version registered or deleted, its config or mode.
    case subjectChanged(String)
    /// The global config or mode changed.
    case globalChanged
    /// Changes may have been missed (the feed was interrupted): drop every cache.
    case resynchronize
}

/// What a registration decision is made on.
public struct RegistrationState: Sendable, Hashable {
    /// Every version of the subject, soft-deleted included, ascending.
    public var versions: [SubjectVersion]
    /// The schema with the same content in the subject's context.
    public var sameContent: StoredSchema?
    /// The highest schema id ever allocated in the subject's context (ids are not reused, even after a
    /// permanent delete).
    public var highestSchemaID: Int

    public init(versions: [SubjectVersion], sameContent: StoredSchema?, highestSchemaID: Int) {
        self.versions = versions
        self.sameContent = sameContent
        self.highestSchemaID = highestSchemaID
    }

    /// Whether `decision`, made on this state, still holds in `now`: the subject's versions and the same-content
    /// schema did not move, and a fresh id was not taken meanwhile.
    public func permits(_ decision: RegistrationDecision, now: RegistrationState) -> Bool {
        guard versions == now.versions, sameContent == now.sameContent else { return false }
        if case .create(let id, _) = decision, sameContent == nil, id > highestSchemaID {
            return now.highestSchemaID < id
        }
        return true
    }
}

/// What the core asks the store to do with a registration.
public enum RegistrationDecision: Sendable, Hashable {
    /// The content is already this live version: write nothing.
    case existing(SubjectVersion)
    /// Write a new version with this id (the same-content schema's, when there is one) and version.
    case create(id: Int, version: Int)
}
