/// How a `SchemaRegistryClient` reaches its registry.
public struct RegistryClientConfiguration: Sendable {
    /// Credentials sent with every call.
    public enum Credentials: Sendable, Hashable {
        case basic(user: String, password: String)
        case bearer(token: String)
    }

    /// One or more base URLs of the same registry (`http://host:8081`); a call that cannot reach one tries the
    /// next.
    public var baseURLs: [String]
    public var credentials: Credentials?
    /// The time one HTTP request may take.
    public var requestTimeout: Duration
    /// Further attempts after a connection error or a 5xx answer (never after a 4xx).
    public var maxRetries: Int
    /// The wait before the first retry; it doubles up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// How long `latest(subject:)` answers from its cache.
    public var latestTTL: Duration
    /// Entries kept per cache before the oldest half goes.
    public var cacheCapacity: Int

    public init(
        baseURLs: [String], credentials: Credentials? = nil, requestTimeout: Duration = .seconds(30),
        maxRetries: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(2),
        latestTTL: Duration = .seconds(60), cacheCapacity: Int = 10_000
    ) {
        self.baseURLs = baseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.maxRetries = max(0, maxRetries)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.latestTTL = latestTTL
        self.cacheCapacity = max(16, cacheCapacity)
    }

    public init(baseURL: String, credentials: Credentials? = nil) {
        self.init(baseURLs: [baseURL], credentials: credentials)
    }
}
