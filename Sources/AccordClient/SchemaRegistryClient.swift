import AsyncHTTPClient
import Foundation
import JSONSupport
import NIOCore
import NIOHTTP1
import Synchronization

/// A client of any registry that speaks Confluent Schema Registry's documented REST API (Accord included).
///
/// Calls are typed; the registry's errors come back as `RegistryClientError.registry` with Confluent's code
/// and message. Connection errors and 5xx answers are retried with exponential backoff, moving to the next
/// base URL each time; 4xx answers are final. Schemas by id and by guid (immutable) and ids by subject and
/// content are cached; a subject's latest version is cached for `latestTTL`. Concurrent callers asking for the
/// same uncached schema share one request. `requests` counts the HTTP requests made, so callers (and tests)
/// can see that a warm cache makes none.
public final class SchemaRegistryClient: Sendable {
    public let configuration: RegistryClientConfiguration
    private let http: HTTPClient
    private let caches: Mutex<Caches>
    private let flights = InFlight<String, IdentifiedSchema>()
    private let requestCounter = Atomic<Int>(0)

    struct Caches {
        var byID: [Int: IdentifiedSchema] = [:]
        var byGUID: [String: IdentifiedSchema] = [:]
        var ids: [String: Registration] = [:]
        var latest: [String: (SubjectSchema, ContinuousClock.Instant)] = [:]
    }

    /// `httpClient` defaults to one shared by every registry client in the process, configured so that a refused
    /// connection fails at once (this client retries and fails over itself) rather than after a long connect
    /// timeout.
    public init(configuration: RegistryClientConfiguration, httpClient: HTTPClient = registryHTTPClient) {
        self.configuration = configuration
        self.http = httpClient
        self.caches = Mutex(Caches())
    }

    /// HTTP requests made so far (retries included).
    public var requests: Int { requestCounter.load(ordering: .relaxed) }

    // MARK: Schemas by id and guid (cached, one request per missing id)

    /// GET /schemas/ids/{id}.
    public func schema(id: Int) async throws -> IdentifiedSchema {
        if let hit = caches.withLock({ $0.byID[id] }) { return hit }
        return try await flights.run("id:\(id)") {
            let object = try await self.object(.GET, "/schemas/ids/\(id)")
            var found = try Self.identified(object)
            found.id = id
            self.remember(found)
            return found
        }
    }

    /// GET /schemas/guids/{guid}.
    public func schema(guid: String) async throws -> IdentifiedSchema {
        if let hit = caches.withLock({ $0.byGUID[guid.lowercased()] }) { return hit }
        return try await flights.run("guid:\(guid.lowercased())") {
            let object = try await self.object(.GET, "/schemas/guids/\(Self.segment(guid))")
            var found = try Self.identified(object)
            found.guid = found.guid ?? guid.lowercased()
            self.remember(found)
            return found
        }
    }

    private func remember(_ schema: IdentifiedSchema) {
        let capacity = configuration.cacheCapacity
        caches.withLock { caches in
            if caches.byID.count >= capacity { caches.byID.removeAll() }
            if caches.byGUID.count >= capacity { caches.byGUID.removeAll() }
            if let id = schema.id { caches.byID[id] = schema }
            if let guid = schema.guid { caches.byGUID[guid.lowercased()] = schema }
        }
    }

    // MARK: Subjects and versions

    /// GET /subjects.
    public func subjects(prefix: String? = nil, deleted: Bool = false) async throws -> [String] {
        var query: [(String, String)] = []
        if let prefix { query.append(("subjectPrefix", prefix)) }
        if deleted { query.append(("deleted", "true")) }
        return try Self.strings(try await value(.GET, "/subjects", query: query))
    }

    /// GET /subjects/{s}/versions.
    public func versions(subject: String, deleted: Bool = false) async throws -> [Int] {
        try Self.integers(
            try await value(.GET, "/subjects/\(Self.segment(subject))/versions", query: deleted ? [("deleted", "true")] : []))
    }

    /// GET /subjects/{s}/versions/{v}.
    public func version(subject: String, _ version: VersionSelector, deleted: Bool = false) async throws -> SubjectSchema {
        let found = try Self.subjectSchema(
            try await object(
                .GET, "/subjects/\(Self.segment(subject))/versions/\(version)", query: deleted ? [("deleted", "true")] : []),
            subject: subject)
        remember(IdentifiedSchema(id: found.id, guid: found.guid, schema: found.schema))
        return found
    }

    /// The subject's latest version, from the cache while it is younger than `latestTTL`.
    public func latest(subject: String) async throws -> SubjectSchema {
        let now = ContinuousClock.now
        if let (cached, at) = caches.withLock({ $0.latest[subject] }), now - at < configuration.latestTTL { return cached }
        let found = try await version(subject: subject, .latest)
        let capacity = configuration.cacheCapacity
        caches.withLock { caches in
            if caches.latest.count >= capacity { caches.latest.removeAll() }
            caches.latest[subject] = (found, now)
        }
        return found
    }

    /// The schemas `references` reach, fetched by subject and version (each once, recursively), transitive ones
    /// before the schemas using them, each under the name its referrer uses; what a parser needs to resolve
    /// a schema's references. A chain deeper than `maxDepth` is `invalidRequest`.
    public func referencedSchemas(_ references: [RegistryReference], maxDepth: Int = 32) async throws -> [NamedSchema] {
        var found: [NamedSchema] = []
        var seen: Set<String> = []
        try await collect(references, depth: 0, maxDepth: maxDepth, into: &found, seen: &seen)
        return found
    }

    private func collect(
        _ references: [RegistryReference], depth: Int, maxDepth: Int, into found: inout [NamedSchema], seen: inout Set<String>
    ) async throws {
        guard !references.isEmpty else { return }
        guard depth < maxDepth else { throw RegistryClientError.invalidRequest("references nest deeper than \(maxDepth)") }
        for reference in references {
            let key = "\(reference.subject)\u{0}\(reference.version)\u{0}\(reference.name)"
            guard seen.insert(key).inserted else { continue }
            let version = try await self.version(
                subject: reference.subject, reference.version < 0 ? .latest : .number(reference.version))
            try await collect(version.schema.references, depth: depth + 1, maxDepth: maxDepth, into: &found, seen: &seen)
            if !found.contains(where: { $0.name == reference.name }) {
                found.append(
                    NamedSchema(name: reference.name, schema: version.schema, subject: reference.subject, version: version.version))
            }
        }
    }

    /// GET /subjects/{s}/metadata: the latest version whose metadata has every one of these properties
    /// (Confluent's `use.latest.with.metadata`), from the latest-version cache while it is younger than `latestTTL`.
    public func latestWithMetadata(subject: String, _ properties: [String: String]) async throws -> SubjectSchema {
        let pairs = properties.sorted { $0.key < $1.key }
        let cacheKey = subject + "\u{0}" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}")
        let now = ContinuousClock.now
        if let (cached, at) = caches.withLock({ $0.latest[cacheKey] }), now - at < configuration.latestTTL { return cached }
        var query: [(String, String)] = []
        for (key, value) in pairs {
            query.append(("key", key))
            query.append(("value", value))
        }
        let found = try Self.subjectSchema(
            try await object(.GET, "/subjects/\(Self.segment(subject))/metadata", query: query), subject: subject)
        remember(IdentifiedSchema(id: found.id, guid: found.guid, schema: found.schema))
        let capacity = configuration.cacheCapacity
        caches.withLock { caches in
            if caches.latest.count >= capacity { caches.latest.removeAll() }
            caches.latest[cacheKey] = (found, now)
        }
        return found
    }

    /// POST /subjects/{s}/versions: the schema's id (and version) under `subject`, from the cache when this
    /// client registered or looked up the same content before.
    public func register(subject: String, _ schema: RegistrySchema, normalize: Bool = false) async throws -> Registration {
        let key = Self.contentKey(subject: subject, schema)
        if let hit = caches.withLock({ $0.ids[key] }) { return hit }
        let object = try await object(
            .POST, "/subjects/\(Self.segment(subject))/versions", query: normalize ? [("normalize", "true")] : [],
            body: Self.body(schema))
        guard let id = object["id"]?.int else { throw RegistryClientError.malformedResponse("registration without an id") }
        let registration = Registration(id: id, version: object["version"]?.int, guid: object["guid"]?.stringValue)
        caches.withLock { caches in
            if caches.ids.count >= configuration.cacheCapacity { caches.ids.removeAll() }
            caches.ids[key] = registration
        }
        return registration
    }

    /// POST /subjects/{s}/versions with an explicit id and version: Confluent's import (the subject or the
    /// registry must be in IMPORT mode). Not cached: imports run once.
    public func importSchema(subject: String, _ schema: RegistrySchema, id: Int, version: Int) async throws -> Registration {
        var body = Self.bodyObject(schema)
        body["id"] = .integer(id)
        body["version"] = .integer(version)
        let object = try await object(
            .POST, "/subjects/\(Self.segment(subject))/versions", body: JSONValue.object(body).serialized())
        guard let registered = object["id"]?.int else { throw RegistryClientError.malformedResponse("import without an id") }
        return Registration(id: registered, version: object["version"]?.int ?? version, guid: object["guid"]?.stringValue)
    }

    /// POST /subjects/{s}: the version of `subject` whose schema is `schema`.
    public func lookup(subject: String, _ schema: RegistrySchema, normalize: Bool = false, deleted: Bool = false)
        async throws -> SubjectSchema
    {
        var query: [(String, String)] = []
        if normalize { query.append(("normalize", "true")) }
        if deleted { query.append(("deleted", "true")) }
        return try Self.subjectSchema(
            try await object(.POST, "/subjects/\(Self.segment(subject))", query: query, body: Self.body(schema)),
            subject: subject)
    }

    /// DELETE /subjects/{s}: the versions deleted.
    public func deleteSubject(_ subject: String, permanent: Bool = false) async throws -> [Int] {
        forgetSubject(subject)
        return try Self.integers(
            try await value(
                .DELETE, "/subjects/\(Self.segment(subject))", query: permanent ? [("permanent", "true")] : []))
    }

    /// DELETE /subjects/{s}/versions/{v}: the version deleted.
    public func deleteVersion(subject: String, _ version: VersionSelector, permanent: Bool = false) async throws -> Int {
        forgetSubject(subject)
        guard
            let deleted = try await value(
                .DELETE, "/subjects/\(Self.segment(subject))/versions/\(version)",
                query: permanent ? [("permanent", "true")] : []
            ).int
        else { throw RegistryClientError.malformedResponse("delete did not answer a version") }
        return deleted
    }

    /// GET /subjects/{s}/versions/{v}/referencedby.
    public func referencedBy(subject: String, _ version: VersionSelector) async throws -> [Int] {
        try Self.integers(try await value(.GET, "/subjects/\(Self.segment(subject))/versions/\(version)/referencedby"))
    }

    private func forgetSubject(_ subject: String) {
        caches.withLock { caches in
            caches.latest[subject] = nil
            caches.ids = caches.ids.filter { !$0.key.hasPrefix(subject + "\u{0}") }
        }
    }

    // MARK: Compatibility, config, mode, contexts

    /// POST /compatibility/subjects/{s}/versions[/{v}]: against one version, or (nil) the ones the subject's
    /// level names.
    public func checkCompatibility(
        subject: String, version: VersionSelector? = nil, _ schema: RegistrySchema, verbose: Bool = false
    ) async throws -> CompatibilityAnswer {
        let path = "/compatibility/subjects/\(Self.segment(subject))/versions" + (version.map { "/\($0)" } ?? "")
        let object = try await object(.POST, path, query: verbose ? [("verbose", "true")] : [], body: Self.body(schema))
        guard let compatible = object["is_compatible"]?.boolValue else {
            throw RegistryClientError.malformedResponse("compatibility answer without is_compatible")
        }
        let incompatibilities: [RegistryIncompatibility] = (object["incompatibilities"]?.arrayValue ?? []).compactMap {
            item in
            guard let entry = item.objectValue, let kind = entry["kind"]?.stringValue else { return nil }
            return RegistryIncompatibility(
                kind: kind, path: entry["path"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "",
                version: entry["version"]?.int, direction: entry["direction"]?.stringValue)
        }
        return CompatibilityAnswer(
            isCompatible: compatible, messages: (object["messages"]?.arrayValue ?? []).compactMap(\.stringValue),
            incompatibilities: incompatibilities)
    }

    /// GET /config[/{s}]: the compatibility level (with `defaultToGlobal`, the global one when the subject has
    /// none).
    public func compatibilityLevel(subject: String? = nil, defaultToGlobal: Bool = false) async throws -> String {
        let path = "/config" + (subject.map { "/\(Self.segment($0))" } ?? "")
        let object = try await object(.GET, path, query: defaultToGlobal ? [("defaultToGlobal", "true")] : [])
        guard let level = object["compatibilityLevel"]?.stringValue ?? object["compatibility"]?.stringValue else {
            throw RegistryClientError.malformedResponse("config without compatibilityLevel")
        }
        return level
    }

    /// PUT /config[/{s}].
    public func setCompatibilityLevel(_ level: String, subject: String? = nil) async throws {
        let path = "/config" + (subject.map { "/\(Self.segment($0))" } ?? "")
        _ = try await value(.PUT, path, body: JSONValue.object(JSONObject(["compatibility": .string(level)])).serialized())
    }

    /// GET /config/{s}: the subject's own JSON Schema `compatibilityPolicy`, nil when its config names none.
    public func compatibilityPolicy(subject: String) async throws -> String? {
        try await object(.GET, "/config/\(Self.segment(subject))")["compatibilityPolicy"]?.stringValue
    }

    /// PUT /config/{s} with `compatibilityPolicy` (nil removes it; the level and other fields stay).
    public func setCompatibilityPolicy(_ policy: String?, subject: String) async throws {
        let body = JSONValue.object(JSONObject(["compatibilityPolicy": policy.map { .string($0) } ?? .null]))
        _ = try await value(.PUT, "/config/\(Self.segment(subject))", body: body.serialized())
    }

    /// DELETE /config/{s}: the subject falls back to the global level.
    public func deleteCompatibilityLevel(subject: String) async throws {
        _ = try await value(.DELETE, "/config/\(Self.segment(subject))")
    }

    /// DELETE /mode/{s}: the subject falls back to the global mode.
    public func deleteMode(subject: String) async throws {
        _ = try await value(.DELETE, "/mode/\(Self.segment(subject))")
    }

    /// GET /mode[/{s}].
    public func mode(subject: String? = nil, defaultToGlobal: Bool = false) async throws -> String {
        let path = "/mode" + (subject.map { "/\(Self.segment($0))" } ?? "")
        guard
            let mode = try await object(.GET, path, query: defaultToGlobal ? [("defaultToGlobal", "true")] : [])["mode"]?
                .stringValue
        else { throw RegistryClientError.malformedResponse("mode answer without mode") }
        return mode
    }

    /// PUT /mode[/{s}].
    public func setMode(_ mode: String, subject: String? = nil, force: Bool = false) async throws {
        let path = "/mode" + (subject.map { "/\(Self.segment($0))" } ?? "")
        _ = try await value(
            .PUT, path, query: force ? [("force", "true")] : [],
            body: JSONValue.object(JSONObject(["mode": .string(mode)])).serialized())
    }

    /// GET /accord/v1/migrations/journal (Accord's extension): the `accord migrate` journal and its revision.
    public func migrationJournal() async throws -> (journal: JSONValue, revision: Int) {
        let answer = try await object(.GET, "/accord/v1/migrations/journal")
        guard let journal = answer["journal"], let revision = answer["revision"]?.int else {
            throw RegistryClientError.malformedResponse("journal answer without journal and revision")
        }
        return (journal, revision)
    }

    /// PUT /accord/v1/migrations/journal: replaces the journal if it is still at `revision` (else 40901);
    /// returns the new revision.
    public func replaceMigrationJournal(_ journal: JSONValue, expecting revision: Int) async throws -> Int {
        let body = JSONValue.object(JSONObject(["revision": .integer(revision), "journal": journal]))
        guard let next = try await object(.PUT, "/accord/v1/migrations/journal", body: body.serialized())["revision"]?.int else {
            throw RegistryClientError.malformedResponse("journal write answer without revision")
        }
        return next
    }

    /// GET /contexts.
    public func contexts() async throws -> [String] {
        try Self.strings(try await value(.GET, "/contexts"))
    }

    // MARK: HTTP

    private func object(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: String? = nil
    ) async throws -> JSONObject {
        guard let object = try await value(method, path, query: query, body: body).objectValue else {
            throw RegistryClientError.malformedResponse("\(method) \(path) did not answer a JSON object")
        }
        return object
    }

    /// One call: tries each base URL in turn, retrying connection errors and 5xx answers with backoff.
    private func value(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: String? = nil
    ) async throws -> JSONValue {
        guard !configuration.baseURLs.isEmpty else { throw RegistryClientError.invalidRequest("no registry URL") }
        var lastFailure = "no attempt"
        var backoff = configuration.initialBackoff
        for attempt in 0...configuration.maxRetries {
            if attempt > 0 {
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
            let base = configuration.baseURLs[attempt % configuration.baseURLs.count]
            guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
                throw RegistryClientError.invalidRequest("\(base) is not an http or https URL")
            }
            var request = HTTPClientRequest(url: base + path + Self.queryString(query))
            request.method = method
            request.headers.add(name: "Accept", value: "application/vnd.schemaregistry.v1+json, application/json")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/vnd.schemaregistry.v1+json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            switch configuration.credentials {
            case .basic(let user, let password)?:
                request.headers.add(
                    name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
            case .bearer(let token)?:
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
            case nil:
                break
            }
            requestCounter.add(1, ordering: .relaxed)
            let status: Int
            let bytes: [UInt8]
            do {
                let timeout = TimeAmount.nanoseconds(
                    configuration.requestTimeout.components.seconds * 1_000_000_000
                        + configuration.requestTimeout.components.attoseconds / 1_000_000_000)
                let response = try await http.execute(request, timeout: timeout)
                status = Int(response.status.code)
                bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastFailure = "\(base): \(error)"
                continue
            }
            let json = bytes.isEmpty ? nil : try? JSONParser.parse(bytes)
            if (200..<300).contains(status) {
                guard let json else {
                    throw RegistryClientError.malformedResponse("\(method) \(path) answered \(status) without JSON")
                }
                return json
            }
            let object = json?.objectValue
            let failure = RegistryClientError.registry(
                status: status, errorCode: object?["error_code"]?.int ?? status,
                message: object?["message"]?.stringValue ?? String(decoding: bytes.prefix(500), as: UTF8.self))
            if status >= 500 {
                lastFailure = failure.description
                continue
            }
            throw failure
        }
        throw RegistryClientError.unreachable(lastFailure)
    }

    // MARK: Encoding

    /// A path segment, percent-encoded (everything but RFC 3986's unreserved characters).
    static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func queryString(_ query: [(String, String)]) -> String {
        query.isEmpty ? "" : "?" + query.map { segment($0.0) + "=" + segment($0.1) }.joined(separator: "&")
    }

    static func contentKey(subject: String, _ schema: RegistrySchema) -> String {
        let references = schema.references.map { "\($0.name)\u{1}\($0.subject)\u{1}\($0.version)" }.joined(separator: "\u{2}")
        return subject + "\u{0}" + schema.schemaType + "\u{0}" + schema.schema + "\u{0}" + references + "\u{0}"
            + (schema.metadata?.serialized() ?? "") + "\u{0}" + (schema.ruleSet?.serialized() ?? "")
    }

    static func body(_ schema: RegistrySchema) -> String {
        JSONValue.object(bodyObject(schema)).serialized()
    }

    static func bodyObject(_ schema: RegistrySchema) -> JSONObject {
        var object = JSONObject(["schema": .string(schema.schema)])
        if schema.schemaType.uppercased() != "AVRO" { object["schemaType"] = .string(schema.schemaType.uppercased()) }
        if !schema.references.isEmpty {
            object["references"] = .array(
                schema.references.map { reference in
                    .object(
                        JSONObject([
                            "name": .string(reference.name), "subject": .string(reference.subject),
                            "version": .integer(reference.version),
                        ]))
                })
        }
        if let metadata = schema.metadata { object["metadata"] = metadata }
        if let ruleSet = schema.ruleSet { object["ruleSet"] = ruleSet }
        return object
    }

    static func references(_ value: JSONValue?) -> [RegistryReference] {
        (value?.arrayValue ?? []).compactMap { item in
            guard let object = item.objectValue, let name = object["name"]?.stringValue,
                let subject = object["subject"]?.stringValue, let version = object["version"]?.int
            else { return nil }
            return RegistryReference(name: name, subject: subject, version: version)
        }
    }

    static func registrySchema(_ object: JSONObject) throws -> RegistrySchema {
        guard let text = object["schema"]?.stringValue else {
            throw RegistryClientError.malformedResponse("an answer without schema")
        }
        return RegistrySchema(
            schemaType: object["schemaType"]?.stringValue ?? "AVRO", schema: text,
            references: references(object["references"]), metadata: object["metadata"].flatMap { $0.isNull ? nil : $0 },
            ruleSet: object["ruleSet"].flatMap { $0.isNull ? nil : $0 })
    }

    static func identified(_ object: JSONObject) throws -> IdentifiedSchema {
        IdentifiedSchema(id: object["id"]?.int, guid: object["guid"]?.stringValue?.lowercased(), schema: try registrySchema(object))
    }

    static func subjectSchema(_ object: JSONObject, subject: String) throws -> SubjectSchema {
        guard let version = object["version"]?.int, let id = object["id"]?.int else {
            throw RegistryClientError.malformedResponse("a subject version without version or id")
        }
        return SubjectSchema(
            subject: object["subject"]?.stringValue ?? subject, version: version, id: id,
            guid: object["guid"]?.stringValue?.lowercased(), schema: try registrySchema(object))
    }

    static func strings(_ value: JSONValue) throws -> [String] {
        guard let items = value.arrayValue else { throw RegistryClientError.malformedResponse("expected a list") }
        return items.compactMap(\.stringValue)
    }

    static func integers(_ value: JSONValue) throws -> [Int] {
        guard let items = value.arrayValue else { throw RegistryClientError.malformedResponse("expected a list") }
        return items.compactMap(\.int)
    }
}

/// The process-wide HTTP client of registry clients: a connection attempt fails within 10 seconds and is not
/// retried by the pool (the registry client's own retries move on to the next URL). It lives as long as the
/// process, so it is never shut down.
public let registryHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration(
        timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60)))
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// Concurrent callers of `run` with the same key share one execution of `work`.
final class InFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let tasks = Mutex<[Key: Task<Value, any Error>]>([:])

    func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = tasks.withLock { tasks in
            if let running = tasks[key] { return running }
            let started = Task { try await work() }
            tasks[key] = started
            return started
        }
        defer { tasks.withLock { $0[key] = nil } }
        return try await task.value
    }
}

extension JSONValue {
    /// An integral number as Int.
    var int: Int? {
        guard let number = numberValue, number.isIntegral, let value = number.int64Value else { return nil }
        return Int(value)
    }
}
