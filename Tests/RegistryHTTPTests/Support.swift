import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONSupport
import Logging
import NIOCore
import RegistryCore
import RegistryServer
import Synchronization

/// An in-memory store that fails every read while `outage` is set, as a store that went away would.
final class OutageStore: RegistryStore {
    let base = InMemoryStore()
    let outage = Atomic(false)

    struct Down: Error {}

    private func up() throws {
        if outage.load(ordering: .relaxed) { throw Down() }
    }

    func schema(id: Int, context: String) async throws -> StoredSchema? {
        try up()
        return await base.schema(id: id, context: context)
    }
    func schema(guid: String, context: String) async throws -> StoredSchema? {
        try up()
        return await base.schema(guid: guid, context: context)
    }
    func maxSchemaID(context: String) async throws -> Int { try up(); return await base.maxSchemaID(context: context) }
    func namedContexts() async throws -> [String] { try up(); return await base.namedContexts() }
    func deleteContext(_ context: String) async throws -> Bool { try up(); return await base.deleteContext(context) }
    func subjectNames() async throws -> [String] { try up(); return await base.subjectNames() }
    func versions(subject: String) async throws -> [SubjectVersion] { try up(); return await base.versions(subject: subject) }
    func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        try up()
        return await base.versions(schemaID: schemaID, context: context)
    }
    func allVersions() async throws -> [SubjectVersion] { try up(); return await base.allVersions() }
    func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        try up()
        return await base.referrers(subject: subject, version: version)
    }
    func config(subject: String?) async throws -> SubjectConfig? { try up(); return await base.config(subject: subject) }
    func setConfig(_ config: SubjectConfig?, subject: String?) async throws { try up(); await base.setConfig(config, subject: subject) }
    func mode(subject: String?) async throws -> RegistryMode? { try up(); return await base.mode(subject: subject) }
    func setMode(_ mode: RegistryMode?, subject: String?) async throws { try up(); await base.setMode(mode, subject: subject) }
    func register(
        subject: String, content: SchemaContent, guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        try up()
        return try await base.register(subject: subject, content: content, guid: guid, decide: decide)
    }
    func softDelete(subject: String, versions: [Int]) async throws { try up(); await base.softDelete(subject: subject, versions: versions) }
    func permanentlyDelete(subject: String, versions: [Int]) async throws {
        try up()
        await base.permanentlyDelete(subject: subject, versions: versions)
    }
    func document(named name: String) async throws -> StoredDocument? { try up(); return await base.document(named: name) }
    func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        try up()
        return await base.replaceDocument(named: name, text: text, expecting: revision)
    }
    func ping() async throws { try up() }
    func externalChanges() -> AsyncStream<StoreChange> { AsyncStream { _ in } }
}

/// One answer: status, headers and body, with the JSON helpers tests read it through.
struct Reply {
    var status: Int
    var contentType: String?
    var body: String

    var json: JSONValue? { try? JSONParser.parse(body) }
    var errorCode: Int? { json?.objectValue?["error_code"]?.numberValue?.int64Value.map { Int($0) } }
    var strings: [String]? { json?.arrayValue?.compactMap(\.stringValue) }
}

/// The registry's HTTP handler in process, on Hummingbird's router test client (no socket, no subprocess).
struct InProcessRegistry {
    let store = OutageStore()
    let options: RegistryOptions
    let auth: Authenticator

    init(options: RegistryOptions = RegistryOptions(), auth: Authenticator = .disabled) {
        self.options = options
        self.auth = auth
    }

    func run(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
        let registry = Registry(store: store, options: options)
        let handler = RegistryHTTPHandler(registry: registry, settings: HTTPSettings(), auth: auth, metrics: ServerMetrics())
        // Failures the tests cause on purpose (a store outage) are logged as errors; keep them off the test output.
        var logger = Logger(label: "accord-http-tests")
        logger.logLevel = .critical
        let app = Application(responder: handler, logger: logger)
        try await app.test(.router) { client in
            try await body(Client(base: client))
        }
    }

    struct Client: Sendable {
        let base: any TestClientProtocol

        func call(
            _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: [(String, String)] = []
        ) async throws -> Reply {
            var fields = HTTPFields()
            for (name, value) in headers {
                if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
            }
            if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/vnd.schemaregistry.v1+json" }
            return try await base.execute(
                uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }
            ) { response in
                Reply(
                    status: Int(response.status.code), contentType: response.headers[.contentType],
                    body: String(buffer: response.body))
            }
        }

        func get(_ uri: String, headers: [(String, String)] = []) async throws -> Reply {
            try await call(.get, uri, headers: headers)
        }

        func post(_ uri: String, _ body: String, headers: [(String, String)] = []) async throws -> Reply {
            try await call(.post, uri, body: body, headers: headers)
        }
    }
}

/// A registration body for an Avro schema.
func avroBody(_ schema: String) -> String {
    var bytes: [UInt8] = []
    JSONValue.object(JSONObject(["schema": .string(schema)])).write(into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// An auth file in a scratch folder with one token per entry (`token`, grants as (subjects, access) pairs).
func authFile(_ tokens: [(name: String, token: String, grants: [(String, String)])]) throws -> Authenticator {
    let entries: [JSONValue] = tokens.map { entry in
        .object(
            JSONObject([
                "name": .string(entry.name), "sha256": .string(Authenticator.tokenDigest(entry.token)),
                "grants": .array(
                    entry.grants.map { .object(JSONObject(["subjects": .string($0.0), "access": .string($0.1)])) }),
            ]))
    }
    var bytes: [UInt8] = []
    JSONValue.object(JSONObject(["tokens": .array(entries)])).write(into: &bytes)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-http-auth-\(UUID().uuidString).json")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try Authenticator(file: url.path)
}
