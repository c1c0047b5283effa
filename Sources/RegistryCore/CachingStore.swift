import Synchronization

/// A `RegistryStore` in front of another that answers the reads every request makes (a subject's versions,
/// configs, modes, schemas by id and by guid) from memory.
///
/// Entries are dropped by this store's own writes and by the base store's `externalChanges()` (other nodes'
/// writes on a shared database), so a node sees another node's write once its notification arrives
/// (milliseconds on PostgreSQL). Registration stays exact regardless: the base store decides it on the state
/// it reads inside its own transaction. A read that started before a write finished never fills the cache
/// with what it saw (a generation count tells).
public final class CachingStore: RegistryStore {
    let base: any RegistryStore
    private let box = Box()
    private let follower: Task<Void, Never>

    final class Box: Sendable {
        let state = Mutex(State())
    }

    struct State: ~Copyable {
        var generation = 0
        var versions: [String: [SubjectVersion]] = [:]
        var configs: [String: SubjectConfig?] = [:]
        var modes: [String: RegistryMode?] = [:]
        var byGUID: [String: StoredSchema] = [:]
        var byID: [Int: StoredSchema] = [:]

        mutating func dropSubject(_ subject: String) {
            generation += 1
            versions[subject] = nil
            configs[subject] = nil
            modes[subject] = nil
        }

        mutating func dropAll() {
            generation += 1
            versions.removeAll()
            configs.removeAll()
            modes.removeAll()
            byGUID.removeAll()
            byID.removeAll()
        }
    }

    /// Entries kept per kind before that kind starts over.
    public let capacity: Int

    public init(_ base: any RegistryStore, capacity: Int = 50_000) {
        self.base = base
        self.capacity = capacity
        let changes = base.externalChanges()
        let box = self.box
        follower = Task {
            for await change in changes {
                box.state.withLock { cache in
                    switch change {
                    case .subjectChanged(let subject): cache.dropSubject(subject)
                    case .globalChanged: cache.dropSubject(Self.globalKey)
                    case .schemasDeleted, .resynchronize: cache.dropAll()
                    }
                }
            }
        }
    }

    deinit {
        follower.cancel()
    }

    static let globalKey = "\u{0}global"

    /// Reads through the cache: `lookup` finds an entry, `load` asks the base store, `fill` keeps the answer
    /// unless a write happened meanwhile.
    private func cached<T: Sendable>(
        _ lookup: (inout State) -> T?,
        load: () async throws -> T,
        fill: @escaping (inout State, T) -> Void
    ) async throws -> T {
        let (hit, generation) = box.state.withLock { cache in (lookup(&cache), cache.generation) }
        if let hit { return hit }
        let value = try await load()
        box.state.withLock { cache in
            if cache.generation == generation { fill(&cache, value) }
        }
        return value
    }

    // MARK: Cached reads

    public func versions(subject: String) async throws -> [SubjectVersion] {
        let capacity = capacity
        return try await cached(
            { $0.versions[subject] },
            load: { try await base.versions(subject: subject) },
            fill: { cache, rows in
                if cache.versions.count >= capacity { cache.versions.removeAll() }
                cache.versions[subject] = rows
            })
    }

    public func config(subject: String?) async throws -> SubjectConfig? {
        let key = subject ?? Self.globalKey
        let capacity = capacity
        return try await cached(
            { $0.configs[key] },
            load: { try await base.config(subject: subject) },
            fill: { cache, config in
                if cache.configs.count >= capacity { cache.configs.removeAll() }
                cache.configs[key] = .some(config)
            }) ?? nil
    }

    public func mode(subject: String?) async throws -> RegistryMode? {
        let key = subject ?? Self.globalKey
        let capacity = capacity
        return try await cached(
            { $0.modes[key] },
            load: { try await base.mode(subject: subject) },
            fill: { cache, mode in
                if cache.modes.count >= capacity { cache.modes.removeAll() }
                cache.modes[key] = .some(mode)
            }) ?? nil
    }

    public func schema(guid: String) async throws -> StoredSchema? {
        try await cachedSchema({ $0.byGUID[guid] }, load: { try await base.schema(guid: guid) }) { cache, found in
            if cache.byGUID.count >= self.capacity { cache.byGUID.removeAll() }
            cache.byGUID[guid] = found
        }
    }

    /// Content under an id never changes, so only a permanent delete (here or on another node) evicts.
    public func schema(id: Int) async throws -> StoredSchema? {
        try await cachedSchema({ $0.byID[id] }, load: { try await base.schema(id: id) }) { cache, found in
            if cache.byID.count >= self.capacity { cache.byID.removeAll() }
            cache.byID[id] = found
        }
    }

    /// Schemas are cached only when found: an unknown id or guid may be registered next.
    private func cachedSchema(
        _ lookup: (inout State) -> StoredSchema?,
        load: () async throws -> StoredSchema?,
        fill: (inout State, StoredSchema) -> Void
    ) async throws -> StoredSchema? {
        let (hit, generation) = box.state.withLock { cache in (lookup(&cache), cache.generation) }
        if let hit { return hit }
        guard let found = try await load() else { return nil }
        box.state.withLock { cache in
            if cache.generation == generation { fill(&cache, found) }
        }
        return found
    }

    // MARK: Reads passed through

    public func maxSchemaID() async throws -> Int { try await base.maxSchemaID() }
    public func subjectNames() async throws -> [String] { try await base.subjectNames() }
    public func versions(schemaID: Int) async throws -> [SubjectVersion] { try await base.versions(schemaID: schemaID) }
    public func allVersions() async throws -> [SubjectVersion] { try await base.allVersions() }
    public func referrers(subject: String, version: Int) async throws -> [Int] {
        try await base.referrers(subject: subject, version: version)
    }
    public func ping() async throws { try await base.ping() }
    public func externalChanges() -> AsyncStream<StoreChange> { base.externalChanges() }

    // MARK: Writes, which drop what they change

    public func setConfig(_ config: SubjectConfig?, subject: String?) async throws {
        defer { box.state.withLock { $0.dropSubject(subject ?? Self.globalKey) } }
        try await base.setConfig(config, subject: subject)
    }

    public func setMode(_ mode: RegistryMode?, subject: String?) async throws {
        defer { box.state.withLock { $0.dropSubject(subject ?? Self.globalKey) } }
        try await base.setMode(mode, subject: subject)
    }

    public func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        defer { box.state.withLock { $0.dropSubject(subject) } }
        return try await base.register(subject: subject, content: content, guid: guid, decide: decide)
    }

    public func softDelete(subject: String, versions: [Int]) async throws {
        defer { box.state.withLock { $0.dropSubject(subject) } }
        try await base.softDelete(subject: subject, versions: versions)
    }

    public func permanentlyDelete(subject: String, versions: [Int]) async throws {
        defer { box.state.withLock { $0.dropAll() } }
        try await base.permanentlyDelete(subject: subject, versions: versions)
    }
}
