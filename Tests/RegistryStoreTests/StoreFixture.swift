import SchemaProviders
import Foundation
import PostgresNIO
import RegistryCore
import RegistryPostgres
import RegistrySQLite
import Testing

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// The kinds whose data outlives a store handle.
    static let persistent: [StoreKind] = [.sqlite, .postgres]
}

struct MissingPostgres: Error, CustomStringConvertible {
    var description: String {
        "ACCORD_TEST_POSTGRES_URL is not set: the PostgreSQL store tests need a server. Run `make test` (it starts "
            + "one with scripts/test-postgres.sh), or `bash scripts/test-postgres.sh run swift test ...`."
    }
}

/// Fresh, empty storage of one kind; `open()` gives handles on it (several, or again: a reopen), to use with
/// their services running (`withRunning`, or `withHandle`). PostgreSQL storage is a new database on the server
/// ACCORD_TEST_POSTGRES_URL names, dropped by `remove()`.
final class StoreFixture: Sendable {
    let kind: StoreKind
    private let directory: String?
    private let postgres: PostgresURL?
    private let memory = InMemoryStore()

    init(_ kind: StoreKind) async throws {
        self.kind = kind
        switch kind {
        case .memory:
            directory = nil
            postgres = nil
        case .sqlite:
            directory = NSTemporaryDirectory() + "accord-store-tests-" + UUID().uuidString
            postgres = nil
        case .postgres:
            directory = nil
            var url = try Self.serverURL()
            let database = "accord_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.admin(url, "CREATE DATABASE \(database)")
            url.database = database
            postgres = url
        }
    }

    static func serverURL() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw MissingPostgres()
        }
        return try PostgresURL(text)
    }

    /// A new handle on this storage (its background services not running yet).
    func open() throws -> any RegistryStore {
        switch kind {
        case .memory: return memory
        case .sqlite: return try SQLiteStore(directory: directory ?? "")
        case .postgres:
            guard let postgres else { throw MissingPostgres() }
            return PostgresStore(url: postgres)
        }
    }

    /// Runs `body` with a new handle on this storage, its background services running for that long.
    func withHandle<T>(_ body: (any RegistryStore) async throws -> T) async throws -> T {
        let store = try open()
        return try await withRunning(store) { try await body(store) }
    }

    /// How many server connections there are to this PostgreSQL storage's database (0 for other kinds).
    func connections() async throws -> Int {
        guard let postgres, let server = try? Self.serverURL() else { return 0 }
        let client = PostgresClient(configuration: server.clientConfiguration)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                await client.run()
                return 0
            }
            defer { group.cancelAll() }
            let rows = try await client.query(
                "SELECT count(*)::int FROM pg_stat_activity WHERE datname = \(postgres.database)")
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    func remove() async {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        if let postgres, let server = try? Self.serverURL() {
            try? await Self.admin(server, "DROP DATABASE IF EXISTS \(postgres.database) WITH (FORCE)")
        }
    }

    /// Runs one statement on the server's own database.
    static func admin(_ url: PostgresURL, _ sql: String) async throws {
        let client = PostgresClient(configuration: url.clientConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}

/// Opens fresh storage of `kind`, runs `body` with a handle on it (its services running), then stops them and
/// removes everything.
func withStore<T>(
    _ kind: StoreKind, _ body: (any RegistryStore, StoreFixture) async throws -> T
) async throws -> T {
    let fixture = try await StoreFixture(kind)
    do {
        let result = try await fixture.withHandle { store in try await body(store, fixture) }
        await fixture.remove()
        return result
    } catch {
        await fixture.remove()
        throw error
    }
}

/// The first `count` elements of `stream`, or fewer when `timeout` passes first.
func collect(_ stream: AsyncStream<StoreChange>, count: Int, timeout: Duration = .seconds(10)) async -> [StoreChange] {
    await withTaskGroup(of: [StoreChange]?.self) { group in
        group.addTask {
            var seen: [StoreChange] = []
            for await change in stream {
                seen.append(change)
                if seen.count == count { break }
            }
            return seen
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first ?? []
    }
}

extension RegistryStore {
    /// Registers with the decision a core makes without compatibility checks: the content already live in the
    /// subject is that version; anything else is a new version with the store's allocation. `deciding` is how
    /// long the decision takes (a compatibility check's time, which widens any race a store leaves open).
    func add(
        _ subject: String, _ content: SchemaContent, id: Int? = nil, version: Int? = nil, deciding: Duration = .zero
    ) async throws -> SubjectVersion {
        try await register(subject: subject, content: content, guid: content.guid) { state in
            if deciding > .zero { try await Task.sleep(for: deciding) }
            if id == nil, version == nil, let same = state.sameContent,
                let live = state.versions.first(where: { $0.schemaID == same.id && !$0.deleted })
            {
                return .existing(live)
            }
            var holder: StoredSchema?
            if let id { holder = try await self.schema(id: id) }
            return try Allocation.create(
                subject: subject, in: state, requestedID: id, requestedVersion: version, holderOfRequestedID: holder)
        }
    }
}

func avro(_ name: String, references: [SchemaReference] = []) -> SchemaContent {
    SchemaContent(
        schemaType: .avro, schema: #"{"type":"record","name":"\#(name)","fields":[]}"#, references: references)
}

/// The default context's ids, for tests that register no `:.ctx:` subject.
extension RegistryStore {
    func schema(id: Int) async throws -> StoredSchema? { try await schema(id: id, context: RegistryContext.defaultName) }
    func schema(guid: String) async throws -> StoredSchema? {
        try await schema(guid: guid, context: RegistryContext.defaultName)
    }
    func maxSchemaID() async throws -> Int { try await maxSchemaID(context: RegistryContext.defaultName) }
    func versions(schemaID: Int) async throws -> [SubjectVersion] {
        try await versions(schemaID: schemaID, context: RegistryContext.defaultName)
    }
}

/// Ids of the default context.
func defaultIDs(_ ids: [Int]) -> [ContextualID] { ids.map { ContextualID(context: RegistryContext.defaultName, id: $0) } }
