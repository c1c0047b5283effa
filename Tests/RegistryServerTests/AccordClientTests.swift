import AccordClient
import Foundation
import Testing

/// The registry client library (issue 9) against the built `accord serve`: typed calls, typed errors, caches
/// that make a warm client silent, one request for concurrent misses, retries and failover.
@Suite struct AccordClientTests {
    static func client(_ server: RegistryClient, _ extra: (inout RegistryClientConfiguration) -> Void = { _ in })
        -> SchemaRegistryClient
    {
        var configuration = RegistryClientConfiguration(baseURL: server.base)
        configuration.initialBackoff = .milliseconds(10)
        extra(&configuration)
        return SchemaRegistryClient(configuration: configuration)
    }

    @Test func typedCallsAndTypedErrors() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let v1 = RegistrySchema(schema: Fixture.userV1)
            let registered = try await client.register(subject: "users-value", v1)
            #expect(registered.version == 1)
            #expect(registered.guid?.count == 36)
            #expect(try await client.subjects() == ["users-value"])
            #expect(try await client.versions(subject: "users-value") == [1])
            let latest = try await client.version(subject: "users-value", .latest)
            #expect(latest.id == registered.id && latest.version == 1 && latest.subject == "users-value")
            #expect(try await client.lookup(subject: "users-value", v1).id == registered.id)
            #expect(try await client.schema(id: registered.id).schema.schema == latest.schema.schema)
            #expect(try await client.schema(guid: try #require(registered.guid)).schema.schema == latest.schema.schema)
            // Compatibility verdicts, with Confluent's messages when verbose.
            let breaking = try await client.checkCompatibility(
                subject: "users-value", RegistrySchema(schema: Fixture.userBad), verbose: true)
            #expect(!breaking.isCompatible)
            #expect(!breaking.messages.isEmpty)
            #expect(try await client.checkCompatibility(subject: "users-value", version: .latest, RegistrySchema(schema: Fixture.userV2)).isCompatible)
            // Config and mode.
            try await client.setCompatibilityLevel("FULL", subject: "users-value")
            #expect(try await client.compatibilityLevel(subject: "users-value") == "FULL")
            #expect(try await client.compatibilityLevel() == "BACKWARD")
            try await client.setMode("READONLY", subject: "users-value")
            #expect(try await client.mode(subject: "users-value") == "READONLY")
            #expect(try await client.contexts() == ["."])
            // The registry's errors, typed with Confluent's codes.
            func code(_ call: () async throws -> Void) async -> Int? {
                do {
                    try await call()
                    return nil
                } catch let error as RegistryClientError {
                    return error.errorCode
                } catch {
                    return -1
                }
            }
            #expect(await code { _ = try await client.versions(subject: "nope") } == RegistryClientError.subjectNotFound)
            #expect(await code { _ = try await client.schema(id: 999) } == RegistryClientError.schemaNotFound)
            #expect(await code { _ = try await client.register(subject: "other", RegistrySchema(schema: "{")) } == RegistryClientError.invalidSchema)
            #expect(await code { _ = try await client.register(subject: "users-value", RegistrySchema(schema: Fixture.userV2)) } == 42205)
            try await client.setMode("READWRITE", subject: "users-value")
            #expect(try await client.deleteVersion(subject: "users-value", .number(1)) == 1)
            #expect(try await client.deleteSubject("users-value", permanent: true) == [1])
        }
    }

    @Test func aWarmClientMakesNoRequestsAndConcurrentMissesShareOne() async throws {
        try await withServer { server in
            let writer = Self.client(server)
            let id = try await writer.register(subject: "s", RegistrySchema(schema: Fixture.userV1)).id
            let reader = Self.client(server)
            // Twenty concurrent callers of a cold cache: one request.
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<20 { group.addTask { try await reader.schema(id: id).id } }
                for try await found in group { #expect(found == id) }
            }
            #expect(reader.requests == 1)
            // Warm: schemas by id, by guid, ids by content and the latest version (within its TTL) cost nothing.
            let guid = try #require(try await reader.schema(id: id).guid)
            _ = try await reader.schema(guid: guid)
            _ = try await writer.register(subject: "s", RegistrySchema(schema: Fixture.userV1))
            let before = (reader.requests, writer.requests)
            for _ in 0..<100 {
                _ = try await reader.schema(id: id)
                _ = try await reader.schema(guid: guid)
                _ = try await writer.register(subject: "s", RegistrySchema(schema: Fixture.userV1))
            }
            #expect(reader.requests == before.0)
            #expect(writer.requests == before.1)
            _ = try await reader.latest(subject: "s")
            let afterLatest = reader.requests
            _ = try await reader.latest(subject: "s")
            #expect(reader.requests == afterLatest)
        }
    }

    @Test func connectionErrorsFailOverAndFourHundredsAreFinal() async throws {
        let (listener, deadPort) = try RawSocket.silentListener()
        _ = listener
        try await withServer { server in
            // The first base URL refuses connections (a closed port); the second is the registry.
            let closed = "http://127.0.0.1:1"
            let client = Self.client(server) { configuration in
                configuration.baseURLs = [closed, server.base]
                configuration.requestTimeout = .seconds(2)
            }
            #expect(try await client.subjects() == [])
            #expect(client.requests == 2)
            // A 404 is not retried.
            let before = client.requests
            await #expect(throws: RegistryClientError.self) { _ = try await client.versions(subject: "missing") }
            #expect(client.requests - before <= 2)
            // Nothing reachable: unreachable, after the retries, with the cause.
            let nowhere = Self.client(server) { configuration in
                configuration.baseURLs = [closed, "http://127.0.0.1:\(deadPort)"]
                configuration.maxRetries = 2
                configuration.requestTimeout = .seconds(1)
            }
            do {
                _ = try await nowhere.subjects()
                Issue.record("an unreachable registry answered")
            } catch let error as RegistryClientError {
                if case .unreachable = error {} else { Issue.record("expected unreachable, got \(error)") }
            }
            #expect(nowhere.requests == 3)
        }
    }

    @Test func credentialsAreSent() async throws {
        let folder = try Build.temporaryFolder("client-auth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let auth = try await SecurityProbeTests.authFile(in: folder, SecurityProbeTests.team)
        try await withServer(extra: ["--auth-file", auth]) { server in
            let anonymous = Self.client(server)
            do {
                _ = try await anonymous.subjects()
                Issue.record("an anonymous call succeeded")
            } catch let error as RegistryClientError {
                #expect(error.errorCode == 401)
            }
            let admin = Self.client(server) { $0.credentials = .basic(user: "admin", password: "admin-pw") }
            #expect(try await admin.subjects() == [])
        }
    }
}
