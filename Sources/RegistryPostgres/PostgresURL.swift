import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…&connect_timeout=…` storage URL, parsed.
///
/// `postgresql://` is accepted too. User, password, host and database are percent-decoded; the port defaults to
/// 5432 and `sslmode` to `prefer`. As with libpq, a `host` query parameter naming a directory (`?host=/run/pg`)
/// connects over the Unix socket in that directory instead of TCP.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode` values. As libpq's, `prefer` and `require` encrypt without verifying the server's
    /// certificate; `verify-ca` checks it against the trusted roots (`sslrootcert`, else the system's) and
    /// `verify-full` also checks that it names the host.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The role to log in as.
    public var user: String
    /// The role's password; nil when the URL has none (trust or peer authentication).
    public var password: String?
    /// The server's host name or address (`localhost` when the URL leaves it empty).
    public var host: String
    /// The server's port, 5432 unless the URL says otherwise.
    public var port: Int
    /// The database; it must exist, and Accord creates its tables in it.
    public var database: String
    /// Whether to encrypt the connection.
    public var sslMode: SSLMode
    /// The directory of the server's Unix socket, when connecting over one.
    public var socketDirectory: String?
    /// A PEM file of the certificate authorities to trust (`sslrootcert`), for `verify-ca` and `verify-full`.
    public var rootCertificatePath: String?
    /// How long opening a connection may take, handshake included (`connect_timeout`, seconds; default 10).
    public var connectTimeout: Duration = .seconds(10)

    /// A URL from its parts.
    public init(
        user: String, password: String? = nil, host: String = "localhost", port: Int = 5432, database: String,
        sslMode: SSLMode = .prefer, socketDirectory: String? = nil
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.socketDirectory = socketDirectory
    }

    /// Parses a storage URL; throws `PostgresURL.Invalid` saying what is wrong (never echoing the password).
    public init(_ text: String) throws {
        let rest: Substring
        if text.hasPrefix("postgres://") {
            rest = text.dropFirst("postgres://".count)
        } else if text.hasPrefix("postgresql://") {
            rest = text.dropFirst("postgresql://".count)
        } else {
            throw Invalid("the storage URL must start with postgres:// or postgresql://")
        }
        var authority = rest
        var path: Substring = ""
        var query: Substring = ""
        if let question = authority.firstIndex(of: "?") {
            query = authority[authority.index(after: question)...]
            authority = authority[..<question]
        }
        if let slash = authority.firstIndex(of: "/") {
            path = authority[authority.index(after: slash)...]
            authority = authority[..<slash]
        }
        var hostPort = authority
        user = ""
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], "user")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], "password")
            } else {
                user = try Self.decode(userInfo, "user")
            }
        }
        var hostText = hostPort
        port = 5432
        if hostPort.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432
            guard let close = hostPort.firstIndex(of: "]") else { throw Invalid("unterminated [ in the host") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) } else if !after.isEmpty { throw Invalid("bad host") }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostText = hostPort[..<colon]
            port = try Self.port(hostPort[hostPort.index(after: colon)...])
        }
        host = try Self.decode(hostText, "host")
        database = try Self.decode(path, "database")
        sslMode = .prefer
        socketDirectory = nil
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], "parameter")
            let value = parts.count > 1 ? try Self.decode(parts[1], "parameter") : ""
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw Invalid("sslmode must be disable, prefer, require, verify-ca or verify-full, not \(value)")
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificatePath = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw Invalid("connect_timeout must be 1 to 3600 seconds, not \(value)")
                }
                connectTimeout = .seconds(seconds)
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else { host = value }
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "port": port = try Self.port(Substring(value))
            default:
                // Other libpq parameters (application_name, connect_timeout, …) are accepted and ignored.
                break
            }
        }
        if host.hasPrefix("/") {
            socketDirectory = host
        }
        if host.isEmpty { host = "localhost" }
        guard !user.isEmpty else { throw Invalid("the storage URL names no user") }
        guard !database.isEmpty else { throw Invalid("the storage URL names no database") }
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
            + (socketDirectory.map { "&host=\($0)" } ?? "")
    }

    /// The postgres-nio client configuration for this URL.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            switch sslMode {
            case .verifyFull: tlsConfiguration.certificateVerification = .fullVerification
            case .verifyCA: tlsConfiguration.certificateVerification = .noHostnameVerification
            case .disable, .prefer, .require: tlsConfiguration.certificateVerification = .none
            }
            if let rootCertificatePath { tlsConfiguration.trustRoots = .file(rootCertificatePath) }
            let tls: PostgresClient.Configuration.TLS
            switch sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(tlsConfiguration)
            case .require, .verifyCA, .verifyFull: tls = .require(tlsConfiguration)
            }
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 16
        return configuration
    }

    /// What is wrong with a storage URL.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = "invalid PostgreSQL URL: " + description }
    }

    private static func port(_ text: Substring) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw Invalid("bad port \(text)") }
        return port
    }

    /// Percent-decodes one URL component (UTF-8); `+` stays a plus, as in URL paths.
    private static func decode(_ text: Substring, _ what: String) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard let high = utf8.popFirst().flatMap(hexValue), let low = utf8.popFirst().flatMap(hexValue) else {
                    throw Invalid("bad percent-encoding in the \(what)")
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw Invalid("the \(what) is not UTF-8") }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
