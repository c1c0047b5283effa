import Logging
import PostgresNIO
import RegistryCore
import ServiceLifecycle
import Synchronization
import SchemaCompatibility
import Testing

@testable import RegistryPostgres

/// What only the PostgreSQL store does: several nodes on one database, and change notifications between them.
@Suite struct PostgresStoreTests {
    @Test func twoNodesRegisteringConcurrentlyNeverDuplicateIdsOrVersions() async throws {
        try await withStore(.postgres) { first, fixture in
            try await fixture.withHandle { second in
                #expect((first as? PostgresStore)?.nodeID != (second as? PostgresStore)?.nodeID)
                // 2 nodes x 50 registrations, all at once: 10 subjects, 30 contents; identical content from both nodes.
                let rows = try await withThrowingTaskGroup(of: (Int, SubjectVersion).self) { group in
                    for node in 0..<2 {
                        let store = node == 0 ? first : second
                        for i in 0..<50 {
                            let content = (i * 7 + node) % 30
                            let subject = "orders-\((i + node * 3) % 10)"
                            group.addTask { (content, try await store.add(subject, avro("Contract\(content)"), deciding: .milliseconds(2))) }
                        }
                    }
                    var rows: [(Int, SubjectVersion)] = []
                    for try await row in group { rows.append(row) }
                    return rows
                }
                #expect(rows.count == 100)
                var idOfContent: [Int: Int] = [:]
                for (content, row) in rows {
                    #expect(idOfContent[content, default: row.schemaID] == row.schemaID)
                    idOfContent[content] = row.schemaID
                }
                let contents = Set(rows.map(\.0))
                #expect(Set(idOfContent.values).count == contents.count)
                #expect(try await first.maxSchemaID() == contents.count)
                #expect(Set(idOfContent.values) == Set(1...contents.count))
                let all = try await second.allVersions()
                for subject in Set(all.map(\.subject)) {
                    let versions = all.filter { $0.subject == subject }
                    #expect(versions.map(\.version) == Array(1...versions.count), "versions of \(subject)")
                    // One version per distinct content in the subject.
                    #expect(Set(versions.map(\.schemaID)).count == versions.count, "contents of \(subject)")
                }
                // Every answer a client got is what the database holds.
                for (_, row) in rows {
                    #expect(all.contains(row))
                }
            }
        }
    }

    @Test func writesOfOneNodeReachTheOthersChangeStreamButNotItsOwn() async throws {
        try await withStore(.postgres) { a, fixture in
            try await fixture.withHandle { b in
                guard let nodeA = a as? PostgresStore, let nodeB = b as? PostgresStore else {
                    Issue.record("not PostgreSQL stores")
                    return
                }
                let heardByB = nodeB.externalChanges()
                let heardByA = nodeA.externalChanges()
                await nodeA.listening()
                await nodeB.listening()

                let row = try await a.add("payments:v1", avro("P"))
                try await a.setMode(.readOnly, subject: nil)
                try await a.setConfig(SubjectConfig(compatibilityLevel: .full), subject: "payments:v1")
                try await a.permanentlyDelete(subject: "payments:v1", versions: [row.version])
                #expect(
                    await collect(heardByB, count: 5) == [
                        .subjectChanged("payments:v1"),
                        .globalChanged,
                        .subjectChanged("payments:v1"),
                        .subjectChanged("payments:v1"),
                        .schemasDeleted(defaultIDs([row.schemaID])),
                    ])

                // A hears B's write, and none of its own before it.
                try await b.setConfig(SubjectConfig(compatibilityLevel: CompatibilityLevel.none), subject: "from-b")
                #expect(await collect(heardByA, count: 1) == [.subjectChanged("from-b")])
            }
        }
    }

    @Test func aRefusedRegistrationSendsNoNotification() async throws {
        try await withStore(.postgres) { a, fixture in
            try await fixture.withHandle { b in
                guard let nodeB = b as? PostgresStore else { return }
                let heard = nodeB.externalChanges()
                await nodeB.listening()
                #expect(
                    await errorCode {
                        try await a.register(subject: "s", content: avro("A"), guid: avro("A").guid) { _ in
                            throw RegistryError.incompatible("no")
                        }
                    } == 409)
                try await a.setMode(.import, subject: "marker")
                #expect(await collect(heard, count: 1) == [.subjectChanged("marker")])
            }
        }
    }

    @Test func aUniqueViolationFromARacingWriterIsRetriedNotReported() async throws {
        let server = try StoreFixture.serverURL()
        try await withStore(.postgres) { store, _ in
            guard let store = store as? PostgresStore else { return }
            _ = try await store.add("other", avro("A"))
            // A writer that ignores the store's lock takes version 1 of "s" and commits only after the store has
            // read the subject (empty), decided, and tried to insert the same version.
            var url = server
            url.database = store.url.database
            let client = PostgresClient(configuration: url.clientConfiguration)
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let decisions = Counter()
            let row = try await withThrowingTaskGroup(of: SubjectVersion?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query(
                        "INSERT INTO accord_subject_versions (subject, version, schema_id) VALUES ('s', 1, 1)", logger: logger)
                    let registration = Task {
                        try await store.register(subject: "s", content: avro("B"), guid: avro("B").guid) { state in
                            decisions.increment()
                            return try Allocation.create(subject: "s", in: state)
                        }
                    }
                    // Commit only once the store has decided (on the empty state) and is inserting: its insert
                    // waits on this uncommitted row, then fails on it. Polled, not a fixed wait, so a loaded
                    // machine cannot let the store start after the commit.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while decisions.count == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    try await connection.query("COMMIT", logger: logger)
                    return try await registration.value
                }
            }
            #expect(row == SubjectVersion(subject: "s", version: 2, schemaID: 2))
            #expect(decisions.count == 2)
            #expect(try await store.versions(subject: "s").map(\.schemaID) == [1, 2])
        }
    }

    @Test func changePayloadsRoundTripAndSkipTheirOwnNode() {
        let changes: [StoreChange] = [.subjectChanged("a:b:c"), .subjectChanged(""), .globalChanged, .schemasDeleted(defaultIDs([1, 22, 333])), .schemasDeleted([ContextualID(context: ".a,b", id: 7)])]
        for change in changes {
            let payloads = ChangeFeed.payloads(change, nodeID: "node-1")
            #expect(payloads.count == 1)
            #expect(payloads.compactMap { ChangeFeed.change($0, ownNode: "node-2") } == [change])
            #expect(payloads.compactMap { ChangeFeed.change($0, ownNode: "node-1") } == [])
        }
        let many = ChangeFeed.payloads(.schemasDeleted(defaultIDs(Array(1...1000))), nodeID: "n")
        #expect(many.count == 3)
        #expect(many.allSatisfy { $0.utf8.count < 8000 })
        #expect(many.compactMap { ChangeFeed.change($0, ownNode: "m") } .flatMap { change -> [Int] in
            if case .schemasDeleted(let ids) = change { return ids.map(\.id) } else { return [] }
        } == Array(1...1000))
        #expect(ChangeFeed.change("garbage", ownNode: "n") == nil)
    }

    @Test func parsesStorageURLs() throws {
        let full = try PostgresURL("postgres://acc%40rd:p%3As%2Fs@db.example:6543/reg%20istry?sslmode=require")
        #expect(full == PostgresURL(user: "acc@rd", password: "p:s/s", host: "db.example", port: 6543, database: "reg istry", sslMode: .require))
        #expect(!full.description.contains("p:s/s"))

        let plain = try PostgresURL("postgresql://u@localhost/db")
        #expect(plain == PostgresURL(user: "u", host: "localhost", port: 5432, database: "db", sslMode: .prefer))

        let socket = try PostgresURL("postgres://u@/db?host=%2Frun%2Fpg&sslmode=disable")
        #expect(socket.socketDirectory == "/run/pg")
        #expect(socket.sslMode == .disable)

        // Certificate checks (issue 8): libpq's verify modes, a CA file, a connection timeout.
        let verified = try PostgresURL("postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3")
        #expect(verified.sslMode == .verifyFull)
        #expect(verified.rootCertificatePath == "/etc/ca.pem")
        #expect(verified.connectTimeout == .seconds(3))
        #expect(try PostgresURL("postgres://u@h/db?sslmode=verify-ca").sslMode == .verifyCA)
        #expect(try PostgresURL("postgres://u@h/db").connectTimeout == .seconds(10))

        let v6 = try PostgresURL("postgres://u:@[::1]:5433/db")
        #expect(v6.host == "::1")
        #expect(v6.port == 5433)
        #expect(v6.password == "")

        for bad in [
            "mysql://u@h/db", "postgres://u@h:0/db", "postgres://u@h:x/db", "postgres://u@h/", "postgres://h/db",
            "postgres://u@h/db?sslmode=verify-everything", "postgres://u%ZZ@h/db",
            "postgres://u@h/db?connect_timeout=0", "postgres://u@h/db?connect_timeout=x",
        ] {
            #expect(throws: PostgresURL.Invalid.self, "\(bad)") { try PostgresURL(bad) }
        }
    }

    @Test func pingFailsWhenTheServerIsUnreachable() async throws {
        // A port nothing listens on (the test server's port plus one thousand, wrapped).
        var url = try StoreFixture.serverURL()
        url.port = (url.port + 1000) % 50000 + 10000
        url.socketDirectory = nil
        url.sslMode = .disable
        let store = PostgresStore(url: url)
        // ping gives up after 5 s even though the pool goes on trying for a minute or more. (No wall-clock
        // assertion: under `make test` CPU-bound suites can starve the 2-thread cooperative pool for that long.)
        try await withRunning(store) {
            await #expect(throws: (any Error).self) { try await store.ping() }
        }
    }

    @Test func itsServicesStopWhenTheirServiceGroupShutsDown() async throws {
        let fixture = try await StoreFixture(.postgres)
        do {
            try await Self.stopWithTheGroup(fixture)
            await fixture.remove()
        } catch {
            await fixture.remove()
            throw error
        }
    }

    /// Runs a store's services in a service group of the test's, uses the store, shuts the group down gracefully,
    /// and checks that everything the services held is gone.
    private static func stopWithTheGroup(_ fixture: StoreFixture) async throws {
        let store = try #require(try fixture.open() as? PostgresStore)
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: store.backgroundServices, logger: quiet))
        let heard = store.externalChanges()
        let shutdown = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await store.add("s", avro("A")).version == 1)
            await store.listening()
            #expect(try await fixture.connections() >= 1)
            let started = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return ContinuousClock.now - started
        }
        // Nothing waits for a connection that cannot come any more (generous bound: a loaded test machine).
        #expect(shutdown < .seconds(30))
        // The pool is shut down: operations fail at once instead of waiting for it.
        let refusal = ContinuousClock.now
        await #expect(throws: (any Error).self) { try await store.versions(subject: "s") }
        #expect(ContinuousClock.now - refusal < .seconds(30))
        // The listener has stopped: change streams end.
        #expect(await ends(heard, within: .seconds(30)))
        // The database has no connection of the store's left (the LISTEN one included); its backends exit
        // shortly after the sockets close.
        var connections = try await fixture.connections()
        let deadline = ContinuousClock.now + .seconds(30)
        while connections > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            connections = try await fixture.connections()
        }
        #expect(connections == 0)
        // The services ran once and the store stays closed: running them again is refused, not a crash.
        await #expect(throws: (any Error).self) { try await withRunning(store) { try await store.ping() } }
    }

    @Test func theTestServerIsConfigured() throws {
        // Fails (does not skip) when the PostgreSQL tests would have no server: `make test` provides one.
        let url = try StoreFixture.serverURL()
        #expect(!url.database.isEmpty)
    }
}

/// Whether `stream` finishes, without yielding, before `timeout` passes.
func ends(_ stream: AsyncStream<StoreChange>, within timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await _ in stream { return false }
            return !Task.isCancelled
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}

/// A count several tasks add to.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
