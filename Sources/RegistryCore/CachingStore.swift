import ServiceLifecycle
import Synchronization

/// A `RegistryStore` in front of another that answers the reads every request makes (a subject's versions,
/// configs, modes, schemas by id and by guid) from memory.
///
/// Entries are dropped by this store's own writes and by the base store's `externalChanges()` (other nodes'
/// writes on a shared database), so a node sees another node's write once its notification arrives
/// (milliseconds on PostgreSQL). Registration stays exact regardless: the base store decides it on the state
/// it reads inside its own transaction. A read that started before a write finished never fills the cache
/// with what it saw (a generation count tells).
///
/// The changes are followed by one of `backgroundServices` (after the base store's own), and the cache answers
/// only while that follower runs: before it starts, and after it stops, every read goes to the base store, since
/// nothing would drop an entry another node made stale.
public final class CachingStore: RegistryStore {
    let base: any RegistryStore
    private let box: Box

    final class Box: Sendable {
        let state: Mutex<State>
        init(budget: Int) { state = Mutex(State(budget: budget)) }
    }

    /// Whose config, mode or versions an entry holds. The global scope is its own case, so no subject name,
    /// whatever its bytes, can read or overwrite it; subjects are keyed by their UTF-8 bytes, so canonically
    /// equivalent spellings never share an entry even if a caller skipped `SubjectName.canonical`.
    enum Scope: Hashable {
        case global
        case subject([UInt8])

        init(_ subject: String?) {
            self = subject.map { .subject(Array($0.utf8)) } ?? .global
        }
    }

    struct State: ~Copyable {
        var generation = 0
        /// How many followers run; entries are looked up and kept only while one does.
        var followers = 0
        var isFollowed: Bool { followers > 0 }
        var versions: WeightedCache<Scope, [SubjectVersion]>
        var configs: WeightedCache<Scope, SubjectConfig?>
        var modes: WeightedCache<Scope, RegistryMode?>
        var byGUID: WeightedCache<ContextualGUID, StoredSchema>
        var byID: WeightedCache<ContextualID, StoredSchema>
        /// Every version row (GET /subjects and GET /schemas list from it), kept while it weighs at most a
        /// quarter of the budget; any write to any subject drops it.
        var allVersions: [SubjectVersion]?
        let allVersionsBudget: Int

        /// `budget` bytes in all: schemas (by id and by guid) take most, versions a quarter, settings little.
        init(budget: Int) {
            versions = WeightedCache(budget: budget / 4)
            configs = WeightedCache(budget: budget / 16)
            modes = WeightedCache(budget: budget / 16)
            byGUID = WeightedCache(budget: budget / 8 * 3)
            byID = WeightedCache(budget: budget / 4)
            allVersionsBudget = budget / 4
        }

        mutating func drop(_ scope: Scope) {
            generation += 1
            versions.remove(scope)
            configs.remove(scope)
            modes.remove(scope)
            allVersions = nil
        }

        /// A follower starts (everything cached so far may have missed a change) or stops (nothing drops entries).
        mutating func follow(_ starting: Bool) {
            followers += starting ? 1 : -1
            dropAll()
        }

        mutating func dropAll() {
            generation += 1
            versions.removeAll()
            configs.removeAll()
            modes.removeAll()
            byGUID.removeAll()
            byID.removeAll()
            allVersions = nil
        }
    }

    /// The memory, in bytes, the cached entries may take (weighed by the size of what they hold).
    public let budget: Int

    public init(_ base: any RegistryStore, budget: Int = 96 << 20) {
        self.base = base
        self.budget = budget
        box = Box(budget: budget)
    }

    /// Whether a follower runs, so the cache answers.
    var isFollowed: Bool { box.state.withLock { $0.isFollowed } }

    /// The base store's services, then the follower of its changes.
    public var backgroundServices: [any Service] {
        base.backgroundServices + [ChangeFollower(base: base, box: box)]
    }

    /// Drops the entries other nodes' writes make stale, for as long as it runs (until graceful shutdown or
    /// cancellation, or the base store's change stream ends).
    struct ChangeFollower: Service {
        let base: any RegistryStore
        let box: Box

        func run() async {
            // Subscribed before the cache starts answering, so no change after the first answer is missed.
            let changes = base.externalChanges()
            box.state.withLock { $0.follow(true) }
            defer { box.state.withLock { $0.follow(false) } }
            await cancelWhenGracefulShutdown {
                for await change in changes {
                    box.state.withLock { cache in
                        switch change {
                        case .subjectChanged(let subject): cache.drop(Scope(subject))
                        case .globalChanged: cache.drop(.global)
                        case .schemasDeleted, .resynchronize: cache.dropAll()
                        }
                    }
                }
            }
        }
    }

    /// Reads through the cache: `lookup` finds an entry, `load` asks the base store, `fill` keeps the answer
    /// unless a write happened meanwhile.
    private func cached<T: Sendable>(
        _ lookup: (inout State) -> T?,
        load: () async throws -> T,
        fill: @escaping (inout State, T) -> Void
    ) async throws -> T {
        let (hit, generation) = box.state.withLock { cache in (cache.isFollowed ? lookup(&cache) : nil, cache.generation) }
        if let hit { return hit }
        let value = try await load()
        box.state.withLock { cache in
            if cache.isFollowed, cache.generation == generation { fill(&cache, value) }
        }
        return value
    }

    static func weight(_ schema: StoredSchema) -> Int {
        let content = schema.content
        return 2 * (content.schema.utf8.count + (content.metadata?.utf8.count ?? 0) + (content.ruleSet?.utf8.count ?? 0))
            + content.references.reduce(0) { $0 + 64 + $1.name.utf8.count + $1.subject.utf8.count }
    }

    // MARK: Cached reads

    public func versions(subject: String) async throws -> [SubjectVersion] {
        let scope = Scope(subject)
        return try await cached(
            { $0.versions.get(scope) },
            load: { try await base.versions(subject: subject) },
            fill: { cache, rows in cache.versions.put(scope, rows, weight: rows.count * (64 + subject.utf8.count)) })
    }

    public func config(subject: String?) async throws -> SubjectConfig? {
        let scope = Scope(subject)
        return try await cached(
            { $0.configs.get(scope) },
            load: { try await base.config(subject: subject) },
            fill: { cache, config in cache.configs.put(scope, config, weight: 512 + (subject?.utf8.count ?? 0)) }
        ) ?? nil
    }

    public func mode(subject: String?) async throws -> RegistryMode? {
        let scope = Scope(subject)
        return try await cached(
            { $0.modes.get(scope) },
            load: { try await base.mode(subject: subject) },
            fill: { cache, mode in cache.modes.put(scope, mode, weight: 64 + (subject?.utf8.count ?? 0)) }
        ) ?? nil
    }

    struct ContextualGUID: Hashable {
        var context: String
        var guid: String
    }

    public func schema(guid: String, context: String) async throws -> StoredSchema? {
        let key = ContextualGUID(context: context, guid: guid)
        return try await cachedSchema({ $0.byGUID.get(key) }, load: { try await base.schema(guid: guid, context: context) }) {
            cache, found in cache.byGUID.put(key, found, weight: Self.weight(found))
        }
    }

    /// Content under an id never changes, so only a permanent delete (here or on another node) evicts.
    public func schema(id: Int, context: String) async throws -> StoredSchema? {
        let key = ContextualID(context: context, id: id)
        return try await cachedSchema({ $0.byID.get(key) }, load: { try await base.schema(id: id, context: context) }) {
            cache, found in cache.byID.put(key, found, weight: Self.weight(found))
        }
    }

    /// Schemas are cached only when found: an unknown id or guid may be registered next.
    private func cachedSchema(
        _ lookup: (inout State) -> StoredSchema?,
        load: () async throws -> StoredSchema?,
        fill: (inout State, StoredSchema) -> Void
    ) async throws -> StoredSchema? {
        let (hit, generation) = box.state.withLock { cache in (cache.isFollowed ? lookup(&cache) : nil, cache.generation) }
        if let hit { return hit }
        guard let found = try await load() else { return nil }
        box.state.withLock { cache in
            if cache.isFollowed, cache.generation == generation { fill(&cache, found) }
        }
        return found
    }

    // MARK: Reads passed through

    public func maxSchemaID(context: String) async throws -> Int { try await base.maxSchemaID(context: context) }
    public func namedContexts() async throws -> [String] { try await base.namedContexts() }
    public func subjectNames() async throws -> [String] { try await base.subjectNames() }
    public func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        try await base.versions(schemaID: schemaID, context: context)
    }
    public func allVersions() async throws -> [SubjectVersion] {
        try await cached(
            { $0.allVersions },
            load: { try await base.allVersions() },
            fill: { cache, rows in
                let weight = rows.reduce(0) { $0 + 64 + $1.subject.utf8.count }
                if weight <= cache.allVersionsBudget { cache.allVersions = rows }
            })
    }
    public func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        try await base.referrers(subject: subject, version: version)
    }
    public func ping() async throws { try await base.ping() }
    public func externalChanges() -> AsyncStream<StoreChange> { base.externalChanges() }

    // MARK: Writes, which drop what they change

    public func setConfig(_ config: SubjectConfig?, subject: String?) async throws {
        defer { box.state.withLock { $0.drop(Scope(subject)) } }
        try await base.setConfig(config, subject: subject)
    }

    public func setMode(_ mode: RegistryMode?, subject: String?) async throws {
        defer { box.state.withLock { $0.drop(Scope(subject)) } }
        try await base.setMode(mode, subject: subject)
    }

    // Documents are read and written rarely and compared by revision: never cached.
    public func document(named name: String) async throws -> StoredDocument? { try await base.document(named: name) }

    public func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        try await base.replaceDocument(named: name, text: text, expecting: revision)
    }

    public func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        defer { box.state.withLock { $0.drop(Scope(subject)) } }
        return try await base.register(subject: subject, content: content, guid: guid, decide: decide)
    }

    public func softDelete(subject: String, versions: [Int]) async throws {
        defer { box.state.withLock { $0.drop(Scope(subject)) } }
        try await base.softDelete(subject: subject, versions: versions)
    }

    public func permanentlyDelete(subject: String, versions: [Int]) async throws {
        defer { box.state.withLock { $0.dropAll() } }
        try await base.permanentlyDelete(subject: subject, versions: versions)
    }

    public func deleteContext(_ context: String) async throws -> Bool {
        defer { box.state.withLock { $0.dropAll() } }
        return try await base.deleteContext(context)
    }
}
