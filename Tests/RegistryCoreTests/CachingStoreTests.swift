import SchemaProviders
import SchemaCompatibility
import Synchronization
import Testing

@testable import RegistryCore

/// A store that counts reads and lets a test push "other node" changes.
final class CountingStore: RegistryStore {
    let base = InMemoryStore()
    let reads = Mutex(0)
    let changes = ChangeSource()

    private func counted<T>(_ body: () async -> T) async -> T {
        reads.withLock { $0 += 1 }
        return await body()
    }

    func schema(id: Int, context: String) async throws -> StoredSchema? { await counted { await base.schema(id: id, context: context) } }
    func schema(guid: String, context: String) async throws -> StoredSchema? {
        await counted { await base.schema(guid: guid, context: context) }
    }
    func maxSchemaID(context: String) async throws -> Int { await base.maxSchemaID(context: context) }
    func namedContexts() async throws -> [String] { await base.namedContexts() }
    func deleteContext(_ context: String) async throws -> Bool { await base.deleteContext(context) }
    func subjectNames() async throws -> [String] { await base.subjectNames() }
    func versions(subject: String) async throws -> [SubjectVersion] { await counted { await base.versions(subject: subject) } }
    func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        await base.versions(schemaID: schemaID, context: context)
    }
    func allVersions() async throws -> [SubjectVersion] { await counted { await base.allVersions() } }
    func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        await base.referrers(subject: subject, version: version)
    }
    func config(subject: String?) async throws -> SubjectConfig? { await counted { await base.config(subject: subject) } }
    func setConfig(_ config: SubjectConfig?, subject: String?) async throws { await base.setConfig(config, subject: subject) }
    func mode(subject: String?) async throws -> RegistryMode? { await counted { await base.mode(subject: subject) } }
    func setMode(_ mode: RegistryMode?, subject: String?) async throws { await base.setMode(mode, subject: subject) }
    func register(
        subject: String, content: SchemaContent, guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        try await base.register(subject: subject, content: content, guid: guid, decide: decide)
    }
    func softDelete(subject: String, versions: [Int]) async throws { await base.softDelete(subject: subject, versions: versions) }
    func permanentlyDelete(subject: String, versions: [Int]) async throws {
        await base.permanentlyDelete(subject: subject, versions: versions)
    }
    func document(named name: String) async throws -> StoredDocument? { await base.document(named: name) }
    func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        await base.replaceDocument(named: name, text: text, expecting: revision)
    }
    func ping() async throws {}
    func externalChanges() -> AsyncStream<StoreChange> { changes.subscribe() }
}

/// "Other node" changes, sent to every stream subscribed at the time.
final class ChangeSource: Sendable {
    private let streams = Mutex<(next: Int, open: [Int: AsyncStream<StoreChange>.Continuation])>((0, [:]))

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self)
        let key = streams.withLock { streams in
            defer { streams.next += 1 }
            streams.open[streams.next] = continuation
            return streams.next
        }
        continuation.onTermination = { [weak self] _ in _ = self?.streams.withLock { $0.open.removeValue(forKey: key) } }
        return stream
    }

    /// Sends `change`; returns how many subscribers it reached.
    @discardableResult
    func publish(_ change: StoreChange) -> Int {
        let open = streams.withLock { Array($0.open.values) }
        for stream in open { stream.yield(change) }
        return open.count
    }

    var subscribers: Int { streams.withLock { $0.open.count } }
}

/// Runs `body` with `store`'s services running, once its cache answers (its follower has started).
func whileFollowing<T>(_ store: CachingStore, _ body: () async throws -> T) async throws -> T {
    try await withRunning(store) {
        // No deadline: with the whole suite running on two cores the service may take many seconds to start, and
        // what follows only holds once it has.
        while !store.isFollowed { try await Task.sleep(for: .milliseconds(1)) }
        return try await body()
    }
}

@Suite struct CachingStoreTests {
    let content = SchemaContent(schemaType: .avro, schema: #"{"type":"string"}"#)

    @Test func repeatedReadsHitTheCacheAndOwnWritesAreSeenAtOnce() async throws {
        let counting = CountingStore()
        let store = CachingStore(counting)
        try await whileFollowing(store) {
            #expect(try await store.versions(subject: "a") == [])
            #expect(try await store.config(subject: nil) == nil)
            #expect(try await store.mode(subject: "a") == nil)
            let before = counting.reads.withLock { $0 }
            #expect(try await store.versions(subject: "a") == [])
            #expect(try await store.config(subject: nil) == nil)
            #expect(try await store.mode(subject: "a") == nil)
            #expect(counting.reads.withLock { $0 } == before)

            let row = try await store.register(subject: "a", content: content, guid: content.guid) { state in try Allocation.create(subject: "s", in: state) }
            #expect(try await store.versions(subject: "a") == [row])
            try await store.setConfig(SubjectConfig(compatibilityLevel: .full), subject: nil)
            #expect(try await store.config(subject: nil)?.compatibilityLevel == .full)
            try await store.setMode(.readOnly, subject: "a")
            #expect(try await store.mode(subject: "a") == .readOnly)
            #expect(try await store.schema(guid: content.guid)?.id == row.schemaID)
            try await store.softDelete(subject: "a", versions: [1])
            #expect(try await store.versions(subject: "a").map(\.deleted) == [true])
            try await store.permanentlyDelete(subject: "a", versions: [1])
            #expect(try await store.versions(subject: "a") == [])
            #expect(try await store.schema(guid: content.guid) == nil)
        }
    }

    @Test func theListingOfEveryVersionIsReadOnceUntilAnySubjectChanges() async throws {
        let counting = CountingStore()
        let store = CachingStore(counting)
        try await whileFollowing(store) {
            let first = try await store.register(subject: "a", content: content, guid: content.guid) { state in try Allocation.create(subject: "s", in: state) }
            #expect(try await store.allVersions() == [first])
            let before = counting.reads.withLock { $0 }
            #expect(try await store.allVersions() == [first])
            #expect(counting.reads.withLock { $0 } == before)
            // Any write drops it: an own registration, and another node's change.
            let other = SchemaContent(schemaType: .avro, schema: #"{"type":"long"}"#)
            let second = try await store.register(subject: "b", content: other, guid: other.guid) { state in try Allocation.create(subject: "s", in: state) }
            #expect(try await store.allVersions() == [first, second])
            await counting.base.softDelete(subject: "b", versions: [1])
            counting.changes.publish(.subjectChanged("b"))
            var rows: [SubjectVersion] = []
            for _ in 0..<2000 {
                rows = try await store.allVersions()
                if rows.last?.deleted == true { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(rows.map(\.deleted) == [false, true])
        }
    }

    @Test func anotherNodesChangeDropsTheEntry() async throws {
        let counting = CountingStore()
        let store = CachingStore(counting)
        try await whileFollowing(store) {
            #expect(try await store.versions(subject: "b") == [])
            // Another node registers under "b" (straight into the shared base) and says so.
            let row = try await counting.base.register(subject: "b", content: content, guid: content.guid) { state in
                try Allocation.create(subject: "s", in: state)
            }
            #expect(try await store.versions(subject: "b") == [])  // not heard yet: still the cached answer
            counting.changes.publish(.subjectChanged("b"))
            var seen: [SubjectVersion] = []
            for _ in 0..<200 {
                seen = try await store.versions(subject: "b")
                if !seen.isEmpty { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(seen == [row])
        }
    }

    @Test func schemasByIdAreCachedUntilAPermanentDelete() async throws {
        let counting = CountingStore()
        let store = CachingStore(counting)
        try await whileFollowing(store) {
            let row = try await store.register(subject: "c", content: content, guid: content.guid) { state in try Allocation.create(subject: "s", in: state) }
            #expect(try await store.schema(id: row.schemaID)?.guid == content.guid)
            let before = counting.reads.withLock { $0 }
            #expect(try await store.schema(id: row.schemaID)?.guid == content.guid)
            #expect(counting.reads.withLock { $0 } == before)
            try await store.softDelete(subject: "c", versions: [1])
            try await store.permanentlyDelete(subject: "c", versions: [1])
            #expect(try await store.schema(id: row.schemaID) == nil)
        }
    }

    @Test func theCacheFollowsOtherNodesOnlyWhileItsServiceRuns() async throws {
        let counting = CountingStore()
        let store = CachingStore(counting)
        func reads() -> Int { counting.reads.withLock { $0 } }
        // Not running: nothing listens, and every read goes to the base store.
        #expect(counting.changes.subscribers == 0)
        #expect(try await store.versions(subject: "b") == [])
        #expect(try await store.versions(subject: "b") == [])
        #expect(reads() == 2)

        let row = try await whileFollowing(store) {
            #expect(counting.changes.subscribers == 1)
            #expect(try await store.versions(subject: "b") == [])
            #expect(try await store.versions(subject: "b") == [])
            #expect(reads() == 3)
            // Another node registers under "b": the cached answer stands until its change is heard, then goes.
            let row = try await counting.base.register(subject: "b", content: content, guid: content.guid) { state in
                try Allocation.create(subject: "b", in: state)
            }
            #expect(try await store.versions(subject: "b") == [])
            #expect(counting.changes.publish(.subjectChanged("b")) == 1)
            var seen: [SubjectVersion] = []
            for _ in 0..<2000 where seen.isEmpty {
                seen = try await store.versions(subject: "b")
                if seen.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(seen == [row])
            return row
        }

        // Stopped: the follower let go of the change stream, so another node's change reaches no one; the cache no
        // longer answers, so nothing it would have missed is served.
        #expect(!store.isFollowed)
        #expect(counting.changes.subscribers == 0)
        #expect(counting.changes.publish(.subjectChanged("b")) == 0)
        let before = reads()
        #expect(try await store.versions(subject: "b") == [row])
        #expect(try await store.versions(subject: "b") == [row])
        #expect(reads() == before + 2)
    }
}

/// The default context's ids, for tests that register no `:.ctx:` subject.
extension RegistryStore {
    func schema(id: Int) async throws -> StoredSchema? { try await schema(id: id, context: RegistryContext.defaultName) }
    func schema(guid: String) async throws -> StoredSchema? {
        try await schema(guid: guid, context: RegistryContext.defaultName)
    }
    func maxSchemaID() async throws -> Int { try await maxSchemaID(context: RegistryContext.defaultName) }
}
