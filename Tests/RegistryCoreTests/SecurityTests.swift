import Foundation
import JSONSupport
import SchemaCompatibility
import Synchronization
import Testing

@testable import RegistryCore

/// Regression tests for the security review's findings that the core decides (issue 8): request numbers that
/// must not trap, one identity per subject, reads on the caller's behalf, floating references, caches
/// bounded by weight.
@Suite struct SecurityTests {
    static let payment = #"{"type":"record","name":"Payment","namespace":"sec","fields":[{"name":"id","type":"long"}]}"#
    static let order =
        #"{"type":"record","name":"Order","namespace":"sec","fields":[{"name":"payment","type":"sec.Payment"}]}"#

    // MARK: Finding 1: arithmetic on request numbers

    @Test(arguments: [Int.min, Int(Int32.min), -1, 0, 1, 2, 3, Int(Int32.max), Int.max - 1, Int.max])
    func pagingNeverTraps(limit: Int) {
        for offset in [Int.min, -1, 0, 1, 2, 5, Int(Int32.max), Int.max] {
            let items = [1, 2, 3]
            let page = Page(offset: offset, limit: limit).apply(items)
            let start = min(max(offset, 0), 3)
            let expected = limit > 0 ? Array(items[start..<min(3, start + min(limit, 3))]) : Array(items[start...])
            #expect(page == expected, "offset \(offset) limit \(limit)")
            // With a default and maximum, as GET /schemas uses.
            #expect(Page(offset: offset, limit: limit).apply(items, defaultLimit: 2, maxLimit: 2).count <= 2)
        }
    }

    @Test func listingsTakeExtremePages() async throws {
        let registry = makeRegistry()
        try await registry.add("a", avro(Self.payment))
        for (offset, limit) in [(1, Int.max), (Int.max, Int.max), (Int.max, 1), (0, Int.min)] {
            let page = Page(offset: offset, limit: limit)
            #expect(try await registry.subjects(page: page) == (offset == 0 ? ["a"] : []))
            #expect(try await registry.versions(subject: "a", page: page) == (offset == 0 ? [1] : []))
            #expect(try await registry.subjectVersions(schemaID: 1, page: page).count == (offset == 0 ? 1 : 0))
            #expect(try await registry.referencedBy(subject: "a", .latest, page: page) == [])
            #expect(try await registry.schemas(page: page).count == (offset == 0 ? 1 : 0))
        }
    }

    @Test func importedMaximaLeaveNothingToAllocatePastThem() async throws {
        let registry = makeRegistry()
        _ = try await registry.setMode(subject: nil, modeName: "IMPORT")
        try await registry.add("a", avro(Self.payment, id: Int(Int32.max), version: Int(Int32.max)))
        _ = try await registry.setMode(subject: nil, modeName: "READWRITE")
        // The next version of `a`, and a new id anywhere, would pass 2^31-1: refused, not wrapped or stored.
        let next = #"{"type":"record","name":"Payment","namespace":"sec","fields":[{"name":"id","type":"long"},{"name":"n","type":["null","int"],"default":null}]}"#
        #expect(await registryError { try await registry.add("a", avro(next)) }?.code == 42205)
        #expect(await registryError { try await registry.add("b", avro(next)) }?.code == 42205)
        // The same content elsewhere reuses its id, so that still works.
        let reused = try await registry.add("c", avro(Self.payment))
        #expect(reused.id == Int(Int32.max) && reused.version == 1)
    }

    // MARK: Finding 2 and 12: subject identity

    @Test func canonicallyEquivalentSpellingsAreOneSubject() async throws {
        let nfc = "caf\u{E9}-value"
        let nfd = "cafe\u{301}-value"
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        #expect(try SubjectName.canonical(nfd) == nfc)
        #expect(Array(try SubjectName.canonical(nfd).utf8) == Array(nfc.utf8))
        let store = CachingStore(InMemoryStore())
        let registry = Registry(store: store)
        try await whileFollowing(store) {
            let first = try await registry.add(nfd, avro(Self.payment))
            // The NFC spelling finds the same subject and version; the listing shows the one canonical name.
            #expect(try await registry.version(subject: nfc, .latest).schema.id == first.id)
            #expect(try await registry.subjects() == [nfc])
            #expect(try await registry.subjects().map { Array($0.utf8) } == [Array(nfc.utf8)])
            try await registry.setConfig(subject: nfd, update: ConfigUpdate(compatibilityLevel: .set(.none)))
            #expect(try await registry.config(subject: nfc).compatibilityLevel == CompatibilityLevel.none)
            // The prefix filter compares canonical bytes: `cafe` is not a prefix of café.
            #expect(try await registry.subjects(prefix: "cafe") == [])
            #expect(try await registry.subjects(prefix: "caf\u{E9}") == [nfc])
            #expect(try await registry.subjects(prefix: "cafe\u{301}") == [nfc])
        }
    }

    @Test(arguments: ["\u{0}global", "a\u{0}", "x\u{1F}", "x\u{7F}", "x\u{85}", "x\u{9B}", "x\u{80}", "x\u{9F}", "", "\n"])
    func controlCharactersAreRefusedOnEveryRoute(subject: String) async throws {
        let registry = makeRegistry()
        try await registry.setConfig(subject: nil, update: ConfigUpdate(compatibilityLevel: .set(.full)))
        _ = try await registry.setMode(subject: nil, modeName: "READWRITE")
        #expect(await registryError { try await registry.config(subject: subject) }?.code == 42208)
        #expect(await registryError { try await registry.config(subject: subject, defaultToGlobal: true) }?.code == 42208)
        #expect(await registryError { try await registry.mode(subject: subject, defaultToGlobal: true) }?.code == 42208)
        #expect(await registryError { try await registry.versions(subject: subject) }?.code == 42208)
        #expect(await registryError { try await registry.version(subject: subject, .latest) }?.code == 42208)
        #expect(await registryError { try await registry.add(subject, avro(Self.payment)) }?.code == 42208)
        #expect(await registryError { try await registry.deleteSubject(subject: subject) }?.code == 42208)
        #expect(
            await registryError {
                try await registry.setConfig(subject: subject, update: ConfigUpdate(compatibilityLevel: .set(.none)))
            }?.code == 42208)
        #expect(await registryError { try await registry.setMode(subject: subject, modeName: "READONLY") }?.code == 42208)
        // The global settings are untouched.
        #expect(try await registry.config(subject: nil).compatibilityLevel == .full)
        #expect(try await registry.mode(subject: nil) == .readWrite)
    }

    @Test func aSubjectNamedLikeTheOldGlobalKeyCannotReachTheGlobalScope() async throws {
        // Below the core, the caching store keys the global scope apart from every subject's bytes.
        let store = CachingStore(InMemoryStore())
        try await whileFollowing(store) {
            try await store.setConfig(SubjectConfig(compatibilityLevel: .full), subject: nil)
            try await store.setMode(.readOnly, subject: nil)
            #expect(try await store.config(subject: "\u{0}global") == nil)
            #expect(try await store.mode(subject: "\u{0}global") == nil)
            try await store.setConfig(SubjectConfig(compatibilityLevel: .backward), subject: "\u{0}global")
            #expect(try await store.config(subject: nil)?.compatibilityLevel == .full)
            #expect(try await store.mode(subject: nil) == .readOnly)
        }
    }

    // MARK: Finding 3: references read on the caller's behalf

    @Test func referencesResolveOnlyThroughWhatTheCallerMayRead() async throws {
        let registry = makeRegistry()
        try await registry.add("payments-value", avro(Self.payment))
        let onlyOrders = ReadAccess { $0.hasPrefix("orders-") }
        let hidden = SchemaReference(name: "sec.Payment", subject: "payments-value", version: 1)
        let missing = SchemaReference(name: "sec.Payment", subject: "payments-nothing", version: 1)
        func failure(_ reference: SchemaReference) async -> RegistryError? {
            await registryError {
                try await registry.register(subject: "orders-value", request: avro(Self.order, references: [reference]), access: onlyOrders)
            }
        }
        let hiddenError = await failure(hidden)
        let missingError = await failure(missing)
        #expect(hiddenError?.code == 42201)
        // Hidden and missing differ only by the subject's name, which the caller sent.
        #expect(
            hiddenError?.message.replacingOccurrences(of: "payments-value", with: "X")
                == missingError?.message.replacingOccurrences(of: "payments-nothing", with: "X"))
        // The same for a floating reference, lookups and compatibility checks.
        let floating = SchemaReference(name: "sec.Payment", subject: "payments-value", version: -1)
        #expect(await failure(floating)?.code == 42201)
        // With access, it registers; then a lookup by a caller who cannot read payments fails as missing.
        try await registry.add("orders-value", avro(Self.order, references: [hidden]))
        #expect(
            await registryError {
                try await registry.lookup(subject: "orders-value", request: avro(Self.order, references: [hidden]), access: onlyOrders)
            }?.code == 42201)
        #expect(
            try await registry.lookup(subject: "orders-value", request: avro(Self.order, references: [hidden])).version == 1)
        // `referencedby` lists only ids the caller can see; `format=resolved` does not write hidden types in.
        #expect(try await registry.referencedBy(subject: "payments-value", .latest) == [2])
        #expect(try await registry.referencedBy(subject: "payments-value", .latest, access: onlyOrders) == [2])
        #expect(try await registry.referencedBy(subject: "payments-value", .latest, access: ReadAccess { _ in false }) == [])
        let orderSchema = try await registry.schema(id: 2)
        #expect(try await registry.render(orderSchema, format: "resolved").contains("\"long\""))
        #expect(try await registry.render(orderSchema, format: "resolved", access: onlyOrders) == orderSchema.content.schema)
    }

    // MARK: Finding 8: floating references

    @Test func floatingReferencesArePinnedToTheLatestVersion() async throws {
        let registry = makeRegistry()
        try await registry.add("payments-value", avro(Self.payment))
        let paymentV2 =
            #"{"type":"record","name":"Payment","namespace":"sec","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}"#
        try await registry.add("payments-value", avro(paymentV2))
        let floating = SchemaReference(name: "sec.Payment", subject: "payments-value", version: -1)
        let registered = try await registry.register(subject: "orders-value", request: avro(Self.order, references: [floating]))
        let stored = try await registry.schema(id: registered.id)
        #expect(stored.content.references == [SchemaReference(name: "sec.Payment", subject: "payments-value", version: 2)])
        // The guid is that of the pinned content: an explicit version 2 is the same schema.
        let pinned = SchemaReference(name: "sec.Payment", subject: "payments-value", version: 2)
        let again = try await registry.register(subject: "orders-value", request: avro(Self.order, references: [pinned]))
        #expect(again.id == registered.id && again.version == registered.version && again.guid == registered.guid)
        // A lookup with the floating reference finds the pinned version.
        let lookup = try await registry.lookup(
            subject: "orders-value", request: avro(Self.order, references: [floating]))
        #expect(lookup.schema.id == registered.id)
        // So referencedby sees it, and the referenced version cannot be deleted from under it.
        #expect(try await registry.referencedBy(subject: "payments-value", .number(2)) == [registered.id])
        _ = try await registry.deleteVersion(subject: "orders-value", .latest)
        #expect(try await registry.referencedBy(subject: "payments-value", .number(2)) == [])
        #expect(try await registry.referencedBy(subject: "payments-value", .number(2), includeDeleted: true) == [registered.id])
        #expect(await registryError { try await registry.deleteVersion(subject: "payments-value", .number(2), permanent: false) } == nil)
        #expect(
            await registryError { try await registry.deleteVersion(subject: "payments-value", .number(2), permanent: true) }?.code
                == 42206)
    }

    // MARK: Finding 10: caches weighed by size

    @Test func weightedCacheStaysWithinItsBudget() {
        var cache = WeightedCache<Int, String>(budget: 1 << 20)
        for key in 0..<1000 {
            cache.put(key, String(repeating: "x", count: 10_000), weight: 10_000)
            #expect(cache.totalWeight <= 1 << 20)
        }
        #expect(cache.count < 110)
        // The most recently put and read entries stay; the oldest go.
        #expect(cache.get(999) != nil)
        #expect(cache.get(0) == nil)
        // An entry heavier than half the budget is not kept at all.
        cache.put(-1, "huge", weight: 600_000)
        #expect(cache.get(-1) == nil)
        cache.removeAll()
        #expect(cache.totalWeight == 0 && cache.count == 0)
    }

    @Test func parsedSchemasAreWeighedBySize() async throws {
        // A budget of 2 MiB: half for parsed schemas. One schema of about 300 KB weighs ~10 MB and is not kept;
        // small ones are.
        let registry = makeRegistry(options: RegistryOptions(cacheMemoryBytes: 2 << 20))
        let fields = (0..<6000).map { #"{"name":"f\#($0)","type":"long","default":0}"# }.joined(separator: ",")
        let big = #"{"type":"record","name":"Big","fields":["# + fields + "]}"
        let (id, _) = try await registry.add("big", avro(big))
        _ = try await registry.parsed(try await registry.schema(id: id))
        #expect(registry.parsedCache.withLock { $0.get(ContextualID(context: ".", id: id)) } == nil)
        let (small, _) = try await registry.add("small", avro(Self.payment))
        _ = try await registry.parsed(try await registry.schema(id: small))
        #expect(registry.parsedCache.withLock { $0.get(ContextualID(context: ".", id: small)) } != nil)
        #expect(registry.parsedCache.withLock { $0.totalWeight } <= 1 << 20)
    }
}

/// A store that changes a setting just before a registration's write transaction, as another request could.
final class MeddlingStore: RegistryStore {
    let base = InMemoryStore()
    let meddle: @Sendable (InMemoryStore) async -> Void

    init(meddle: @escaping @Sendable (InMemoryStore) async -> Void) {
        self.meddle = meddle
    }

    func schema(id: Int, context: String) async throws -> StoredSchema? { await base.schema(id: id, context: context) }
    func schema(guid: String, context: String) async throws -> StoredSchema? { await base.schema(guid: guid, context: context) }
    func maxSchemaID(context: String) async throws -> Int { await base.maxSchemaID(context: context) }
    func namedContexts() async throws -> [String] { await base.namedContexts() }
    func deleteContext(_ context: String) async throws -> Bool { await base.deleteContext(context) }
    func subjectNames() async throws -> [String] { await base.subjectNames() }
    func versions(subject: String) async throws -> [SubjectVersion] { await base.versions(subject: subject) }
    func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        await base.versions(schemaID: schemaID, context: context)
    }
    func allVersions() async throws -> [SubjectVersion] { await base.allVersions() }
    func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        await base.referrers(subject: subject, version: version)
    }
    func config(subject: String?) async throws -> SubjectConfig? { await base.config(subject: subject) }
    func setConfig(_ config: SubjectConfig?, subject: String?) async throws { await base.setConfig(config, subject: subject) }
    func mode(subject: String?) async throws -> RegistryMode? { await base.mode(subject: subject) }
    func setMode(_ mode: RegistryMode?, subject: String?) async throws { await base.setMode(mode, subject: subject) }
    func register(
        subject: String, content: SchemaContent, guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        await meddle(base)
        return try await base.register(subject: subject, content: content, guid: guid, decide: decide)
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
    func externalChanges() -> AsyncStream<StoreChange> { AsyncStream { _ in } }
}

@Suite struct DecisionRaceTests {
    static let v1 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#
    /// Not BACKWARD compatible with v1: a new field without a default.
    static let incompatible = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"long"}]}"#

    @Test func aReadOnlyModeSetBeforeTheWriteIsHonoured() async throws {
        let store = MeddlingStore { base in await base.setMode(.readOnly, subject: "s") }
        let registry = Registry(store: store)
        let error = await registryError { try await registry.register(subject: "s", request: avro(Self.v1)) }
        #expect(error?.code == 42205)
        #expect(try await registry.subjects() == [])
    }

    @Test func aStricterLevelSetBeforeTheWriteIsHonoured() async throws {
        // NONE when the check runs outside the transaction; BACKWARD when the write happens.
        let racing = MeddlingStore { base in await base.setConfig(SubjectConfig(compatibilityLevel: .backward), subject: "s") }
        let registry2 = Registry(store: racing)
        await racing.base.setConfig(SubjectConfig(compatibilityLevel: CompatibilityLevel.none), subject: "s")
        try await registry2.add("s", avro(Self.v1))
        await racing.base.setConfig(SubjectConfig(compatibilityLevel: CompatibilityLevel.none), subject: "s")
        let error = await registryError { try await registry2.register(subject: "s", request: avro(Self.incompatible)) }
        #expect(error?.code == 409)
        #expect(try await registry2.versions(subject: "s") == [1])
    }
}

@Suite struct CompatibilityCostTests {
    /// Finding 4: a root union of 2,000 named records checked against the same union reordered, by a
    /// read-only caller's compatibility request; compatible, answered in linear work.
    @Test func aReorderedUnionOfManyRecordsIsCheckedNotStalled() async throws {
        func union(_ order: [Int]) -> String {
            "[" + order.map { #"{"type":"record","name":"R\#($0)","fields":[{"name":"f","type":"long"}]}"# }
                .joined(separator: ",") + "]"
        }
        let registry = makeRegistry()
        try await registry.add("u", avro(union(Array(0..<2000))))
        let report = try await registry.checkCompatibility(
            subject: "u", version: .latest, request: avro(union(Array((0..<2000).reversed()))), verbose: true)
        #expect(report.isCompatible)
        // Dropping a branch the old union had is still found, with its path.
        let fewer = try await registry.checkCompatibility(
            subject: "u", version: .latest, request: avro(union(Array((1..<2000).reversed()))), verbose: true)
        #expect(!fewer.isCompatible)
        #expect(fewer.incompatibilities.map(\.kind).contains("MISSING_UNION_BRANCH"))
    }
}
