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
    /// A connection with no request under way is closed after this long.
    public var idleTimeout: Duration
    /// A request's head and body must arrive within this long of its first byte, or the connection is closed.
    public var requestTimeout: Duration
    /// Connections open at once; further ones wait in the listen backlog until one closes.
    public var maxConnections: Int

    public init(
        bodyLimit: Int = 16 << 20, idleTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(30),
        maxConnections: Int = 1024
    ) {
        self.bodyLimit = bodyLimit
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }
}

/// The request context: Hummingbird's basics plus the peer's address (rate limiting of failed logins).
public struct RegistryRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address (without the port), for per-client limits.
    var clientKey: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Confluent Schema Registry's REST API over a `Registry`: decodes the path, query and body, calls the core,
/// and encodes the answer or the error as Confluent does (`{"error_code", "message"}` with the matching
/// status). A failure that is not the client's is a 500 that names only the request id; its cause goes to
/// the log.
public struct RegistryHTTPHandler: HTTPResponder {
    public typealias Context = RegistryRequestContext

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
        let contextPath = segments.flatMap(ContextPath.init)
        let route = (contextPath?.segments ?? segments).flatMap(Route.init)
        var response: Response
        // The media type the client accepts (nil: none we produce), applied to every JSON answer, errors included.
        let negotiated = ContentNegotiation.responseType(accept: request.headers[.accept])
        do {
            response = try await handle(
                &request, route: route, contextPath: contextPath, context: context, accepting: negotiated)
        } catch let error as RegistryError {
            response = Self.error(error)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // `collectBody(upTo:)` throws NIOTooManyBytesError (an HTTPResponseError), not HTTPError.
            response = Self.error(RegistryError(code: 413, "Request body is larger than \(settings.bodyLimit) bytes"))
        } catch let error as BodyReadFailure {
            // The client went away or stopped sending: its fault, not the server's (no 500, no error log).
            context.logger.debug("request body not read", metadata: ["error": "\(String(reflecting: error.underlying))"])
            response = Self.error(RegistryError(code: 400, "The request body could not be read"))
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["error": "\(String(reflecting: error))", "route": "\(route?.template ?? "unknown")"])
            response = Self.error(.storeError(context.id))
        }
        if let negotiated, negotiated != Self.contentType, response.headers[.contentType] == Self.contentType {
            response.headers[.contentType] = negotiated
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

    private func handle(
        _ request: inout Request, route: Route?, contextPath: ContextPath?, context: Context, accepting negotiated: String?
    ) async throws -> Response {
        guard let route else {
            throw RegistryError(code: 404, "HTTP 404 Not Found")
        }
        var query = Query(request.uri.query)
        contextPath?.scope(&query, for: route)
        let method = request.method
        // Credentials first: an unauthenticated upload is answered 401 before a byte of its body is kept.
        // Probes and scrapers need no credentials; these routes name no subject and no schema.
        let open = route == .health || route == .ready || route == .metrics
        let principal =
            open ? nil : try await auth.authenticate(request.headers[.authorization], client: context.clientKey)
        // Then the media type: a client that accepts none of Confluent's JSON types gets 406, as from Confluent.
        if negotiated == nil, !open {
            throw RegistryError(code: 406, "HTTP 406 Not Acceptable")
        }
        // Then the subject named in the path, in its one canonical form (or 42208), before any grant is checked.
        let canonicalRoute = try route.canonical()
        // Then the content type, then the body, bounded.
        var body: [UInt8] = []
        if method == .post || method == .put {
            if let type = request.headers[.contentType] {
                let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                guard Self.acceptedBodyTypes.contains(bare) else {
                    throw RegistryError(code: 415, "HTTP 415 Unsupported Media Type")
                }
            }
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.bodyLimit {
                throw RegistryError(code: 413, "Request body is larger than \(settings.bodyLimit) bytes")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: settings.bodyLimit)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw error
            } catch {
                throw BodyReadFailure(underlying: error)
            }
            body = Array(buffer.readableBytesView)
        }
        let call = Call(registry: registry, query: query, body: body, principal: principal, auth: auth, metrics: metrics)
        return try await call.dispatch(method: method, route: canonicalRoute)
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
        json(RegistryJSON.error(error), status: error.httpStatus)
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        return raw(bytes, status: status)
    }

    /// 204 without a body (DELETE /contexts/{ctx}).
    static func noContent() -> Response {
        Response(status: .noContent, headers: HTTPFields(), body: ResponseBody())
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

extension RegistryError {
    /// Confluent's HTTP status for the error: the code's first three digits for five-digit codes (40401 is a
    /// 404), the code itself otherwise; 50002 from the readiness probe is a 503.
    var httpStatus: Int {
        if code == RegistryError.notReadyCode { return 503 }
        return code >= 10000 ? code / 100 : code
    }

    /// The readiness probe's answer when the store does not respond.
    static let notReadyCode = 50002
}

/// A request body that could not be read to its end (the client closed the connection or timed out).
struct BodyReadFailure: Error {
    var underlying: any Error
}

/// Query parameters, decoded; booleans are read as Confluent's Java does (`true` in any letter case).
struct Query: Sendable {
    private var values: [String: String] = [:]
    /// Every value of each key, in order (Confluent's `key`/`value` pairs repeat).
    private var repeated: [String: [String]] = [:]

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
            repeated[key, default: []].append(value)
        }
    }

    /// Replaces a parameter's value (a `/contexts/{ctx}/…` path sets `subject` or `subjectPrefix`).
    mutating func set(_ name: String, _ value: String) {
        values[name] = value
        repeated[name] = [value]
    }

    /// All values of a repeated parameter, in the order sent.
    func strings(_ name: String) -> [String] { repeated[name] ?? [] }

    func string(_ name: String) -> String? { values[name] }

    func bool(_ name: String) -> Bool {
        values[name]?.lowercased() == "true"
    }

    /// An integer parameter, clamped to ±2^31−1 (Confluent's Java reads these as `int`); a run of digits too
    /// long even for Int64 saturates the same way, and text that is not a number gives `fallback`.
    func int(_ name: String, default fallback: Int) -> Int {
        guard let text = values[name], let value = Int(text) else {
            // A run of digits too long for Int64 is still a number: saturate rather than ignore it.
            guard let text = values[name], text.utf8.count > 1, text.dropFirst().utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let sign = text.first, sign == "-" || sign == "+" || sign.isNumber
            else { return fallback }
            return sign == "-" ? Int(Int32.min) : Int(Int32.max)
        }
        return min(max(value, Int(Int32.min)), Int(Int32.max))
    }

    var page: Page {
        Page(offset: int("offset", default: 0), limit: int("limit", default: -1))
    }
}
