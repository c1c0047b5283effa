import AsyncHTTPClient
import Foundation
import JSONSupport
import NIOCore
import NIOHTTP1

/// An HTTP answer: status, headers and body, with JSON accessors for the assertions.
struct Reply: Sendable, CustomStringConvertible {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String? { headers.first(name: "content-type") }
    var json: JSONValue? { try? JSONParser.parse(body) }
    var object: JSONObject? { json?.objectValue }

    /// Confluent's `error_code`, if the body is an error.
    var errorCode: Int? { object?["error_code"]?.int }
    var message: String? { object?["message"]?.stringValue }

    func int(_ key: String) -> Int? { object?[key]?.int }
    func string(_ key: String) -> String? { object?[key]?.stringValue }
    func bool(_ key: String) -> Bool? { object?[key]?.boolValue }

    /// The body as an array of integers (version and id lists); nil if it is not one.
    var ints: [Int]? {
        guard let items = json?.arrayValue else { return nil }
        let values = items.compactMap(\.int)
        return values.count == items.count ? values : nil
    }

    /// The body as an array of strings (subject lists).
    var strings: [String]? {
        guard let items = json?.arrayValue else { return nil }
        let values = items.compactMap(\.stringValue)
        return values.count == items.count ? values : nil
    }

    /// The body as an array of objects (`GET /schemas`).
    var objects: [JSONObject]? {
        guard let items = json?.arrayValue else { return nil }
        let values = items.compactMap(\.objectValue)
        return values.count == items.count ? values : nil
    }

    /// True when the body is Confluent's error shape: exactly `error_code` (integer) and `message` (string).
    var isErrorBody: Bool {
        guard let object else { return false }
        return Set(object.keys) == ["error_code", "message"] && object["error_code"]?.int != nil
            && object["message"]?.stringValue != nil
    }

    var description: String { "\(status) \(text)" }
}

extension JSONValue {
    var int: Int? {
        guard let number = numberValue, number.isIntegral, let value = number.int64Value else { return nil }
        return Int(value)
    }

    subscript(key: String) -> JSONValue? { objectValue?[key] }
}

/// JSON text for request bodies.
enum Body {
    static func string(_ text: String) -> JSONValue { .string(text) }

    /// A RegisterSchemaRequest.
    static func schema(
        _ schema: String, type: String? = nil, references: [(name: String, subject: String, version: Int)] = [],
        extra: [(String, JSONValue)] = []
    ) -> String {
        var object = JSONObject()
        object["schema"] = .string(schema)
        if let type { object["schemaType"] = .string(type) }
        if !references.isEmpty {
            object["references"] = .array(
                references.map { reference in
                    .object(
                        JSONObject([
                            "name": .string(reference.name), "subject": .string(reference.subject),
                            "version": .integer(reference.version),
                        ]))
                })
        }
        for (key, value) in extra { object[key] = value }
        return JSONValue.object(object).serialized()
    }

    static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> String {
        JSONValue.object(JSONObject(pairs)).serialized()
    }
}

/// A small Confluent Schema Registry REST client over AsyncHTTPClient; paths are sent as given (so
/// percent-encoding is the test's).
struct RegistryClient: Sendable {
    let base: String
    var authorization: String?

    static let contentType = "application/vnd.schemaregistry.v1+json"

    init(base: String, authorization: String? = nil) {
        self.base = base
        self.authorization = authorization
    }

    /// The same server with another `Authorization` header (nil: none).
    func with(authorization: String?) -> RegistryClient {
        RegistryClient(base: base, authorization: authorization)
    }

    func with(basic user: String, _ password: String) -> RegistryClient {
        with(authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    func with(bearer token: String) -> RegistryClient {
        with(authorization: "Bearer \(token)")
    }

    func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = RegistryClient.contentType,
        headers extra: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/vnd.schemaregistry.v1+json, application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    func get(_ path: String) async throws -> Reply { try await send(.GET, path) }
    func delete(_ path: String) async throws -> Reply { try await send(.DELETE, path) }

    func post(_ path: String, _ json: String, contentType: String? = RegistryClient.contentType) async throws -> Reply {
        try await send(.POST, path, body: Array(json.utf8), contentType: contentType)
    }

    func put(_ path: String, _ json: String, contentType: String? = RegistryClient.contentType) async throws -> Reply {
        try await send(.PUT, path, body: Array(json.utf8), contentType: contentType)
    }

    // MARK: Conveniences

    /// Registers and returns the reply (status asserted by the caller).
    func register(_ subject: String, _ body: String, query: String = "") async throws -> Reply {
        try await post("/subjects/\(subject)/versions\(query)", body)
    }

    /// Registers an Avro schema and returns its id, failing unless the registry answers 200.
    @discardableResult
    func registerID(_ subject: String, _ schema: String, type: String? = nil) async throws -> Int {
        let reply = try await register(subject, Body.schema(schema, type: type))
        guard reply.status == 200, let id = reply.int("id") else {
            throw ServerError("registering under \(subject) answered \(reply)")
        }
        return id
    }
}

// Literals for request bodies in the tests.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
