import Foundation
import HTTPTypes
import Hummingbird
import JSONSupport
import Logging
import NIOCore
import RegistryCore

/// Settings of the HTTP layer.
public struct HTTPSettings: Sendable {
    /// The largest request body accepted (413 beyond).
    public var bodyLimit: Int

    public init(bodyLimit: Int = 16 << 20) {
        self.bodyLimit = bodyLimit
    }
}

/// Confluent Schema Registry's REST API over a `Registry`: decodes the path, query and body, calls the core,
/// and encodes the answer or the error as Confluent does (`{"error_code", "message"}` with the matching
/// status). A failure that is not the client's is a 500 that names only the request id; its cause goes to
/// the log.
public struct RegistryHTTPHandler: HTTPResponder {
    public typealias Context = BasicRequestContext

    let registry: Registry
    let settings: HTTPSettings
    let auth: Authenticator
    let metrics: ServerMetrics

    public init(registry: Registry, settings: HTTPSettings, auth: Authenticator, metrics: ServerMetrics) {
        self.registry = registry
        self.settings = settings
        self.auth = auth
        self.metrics = metrics
    }

    static let contentType = "application/vnd.schemaregistry.v1+json"
    static let serverTiming = HTTPField.Name("Server-Timing")
    static let acceptedBodyTypes: Set<String> = [
        "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json",
        "application/octet-stream",
    ]

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let segments = Self.segments(request.uri.path)
        let route = segments.flatMap(Route.init)
        var response: Response
        do {
            response = try await handle(&request, route: route, context: context)
        } catch let error as RegistryError {
            response = Self.error(error)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // `collectBody(upTo:)` throws NIOTooManyBytesError (an HTTPResponseError), not HTTPError.
            response = Self.error(RegistryError(code: 413, "Request body is larger than \(settings.bodyLimit) bytes"))
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["error": "\(String(reflecting: error))", "route": "\(route?.template ?? "unknown")"])
            response = Self.error(.storeError(context.id))
        }
        let elapsed = ContinuousClock.now - started
        let method: String
        switch request.method {
        case .get, .post, .put, .delete, .head, .options, .patch: method = request.method.rawValue
        default: method = "OTHER"
        }
        metrics.request(route: route?.template ?? "unmatched", method: method, status: response.status.code, duration: elapsed)
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route?.template ?? "unmatched")",
                "status": "\(response.status.code)", "duration": "\(elapsed)",
            ])
        // The server's own time, for clients and benchmarks that want it apart from the network.
        let microseconds = ServerMetrics.nanoseconds(elapsed) / 1000
        if let name = Self.serverTiming {
            response.headers[name] = "app;dur=\(microseconds / 1000).\(String(microseconds % 1000 + 1000).dropFirst())"
        }
        return response
    }

    private func handle(_ request: inout Request, route: Route?, context: Context) async throws -> Response {
        guard let route else {
            throw RegistryError(code: 404, "HTTP 404 Not Found")
        }
        let query = Query(request.uri.query)
        let method = request.method
        // Bodies are read (bounded) before anything else, so an oversized or mistyped one is refused first.
        var body: [UInt8] = []
        if method == .post || method == .put {
            if let type = request.headers[.contentType] {
                let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                guard Self.acceptedBodyTypes.contains(bare) else {
                    throw RegistryError(code: 415, "HTTP 415 Unsupported Media Type")
                }
            }
            let buffer = try await request.collectBody(upTo: settings.bodyLimit)
            body = Array(buffer.readableBytesView)
        }
        // Probes and scrapers need no credentials; these routes name no subject and no schema.
        let open = route == .health || route == .ready || route == .metrics
        let principal = open ? nil : try auth.authenticate(request.headers[.authorization])
        let call = Call(registry: registry, query: query, body: body, principal: principal, auth: auth, metrics: metrics)
        return try await call.dispatch(method: method, route: route)
    }

    /// Splits a raw path into percent-decoded segments; nil when a segment is not valid percent-encoded UTF-8.
    static func segments(_ path: String) -> [String]? {
        var segments: [String] = []
        for raw in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let decoded = percentDecoded(raw) else { return nil }
            segments.append(decoded)
        }
        return segments
    }

    /// `%XX` escapes decoded (and, with `plusIsSpace`, `+` as a space, as in query strings); nil when an
    /// escape is malformed or the result is not UTF-8.
    static func percentDecoded(_ raw: Substring.UTF8View, plusIsSpace: Bool = false) -> String? {
        guard raw.contains(UInt8(ascii: "%")) || (plusIsSpace && raw.contains(UInt8(ascii: "+"))) else {
            return String(decoding: raw, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "%") {
                let high = raw.index(after: index)
                guard high < raw.endIndex, raw.index(after: high) < raw.endIndex,
                    let h = hexValue(raw[high]), let l = hexValue(raw[raw.index(after: high)])
                else { return nil }
                bytes.append(h << 4 | l)
                index = raw.index(index, offsetBy: 3)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = raw.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func error(_ error: RegistryError) -> Response {
        json(RegistryJSON.error(error), status: error.status)
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        return raw(bytes, status: status)
    }

    static func raw(_ bytes: [UInt8], status: Int = 200, contentType: String = contentType) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// Query parameters, decoded; booleans are read as Confluent's Java does (`true` in any letter case).
struct Query: Sendable {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                RegistryHTTPHandler.percentDecoded(text.utf8, plusIsSpace: true) ?? String(text)
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if values[key] == nil { values[key] = value }
        }
    }

    func string(_ name: String) -> String? { values[name] }

    func bool(_ name: String) -> Bool {
        values[name]?.lowercased() == "true"
    }

    func int(_ name: String, default fallback: Int) -> Int {
        values[name].flatMap { Int($0) } ?? fallback
    }

    var page: Page {
        Page(offset: int("offset", default: 0), limit: int("limit", default: -1))
    }
}
