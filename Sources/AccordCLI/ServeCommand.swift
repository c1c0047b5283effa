import ArgumentParser
import Foundation
import JSONSupport
import Logging
import RegistryCore
import RegistryServer

/// `accord serve`: the registry server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the schema registry (Confluent Schema Registry REST API).",
        discussion: """
            Settings come from flags, then ACCORD_* environment variables, then the --config file (JSON with \
            the keys listen, storage, bodyLimit, authFile, allowAnonymous, logLevel, idleTimeout, \
            requestTimeout, maxConnections, storeTimeout, cacheMemory, maxFailedLogins, maxSchemaSize), then the defaults: \
            127.0.0.1:8081 and sqlite:./data/accord.sqlite. Storage URLs: sqlite:PATH, \
            postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-ca|verify-full\
            &sslrootcert=CA.pem], memory: (nothing kept). Without an auth file the server refuses a \
            non-loopback address unless --allow-anonymous. SIGHUP re-reads the auth file.
            """
    )

    @Option(help: "HOST:PORT to listen on (ACCORD_LISTEN). Port 0 picks a free port.")
    var listen: String?

    @Option(help: "Storage URL (ACCORD_STORAGE).")
    var storage: String?

    @Option(name: .customLong("body-limit"), help: "Largest request body in bytes (ACCORD_BODY_LIMIT).")
    var bodyLimit: Int?

    @Option(name: .customLong("auth-file"), help: "Users, tokens and grants (ACCORD_AUTH_FILE).")
    var authFile: String?

    @Option(help: "A JSON settings file (ACCORD_CONFIG).")
    var config: String?

    @Flag(name: .customLong("allow-anonymous"), help: "Serve a non-loopback address without authentication.")
    var allowAnonymous = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (ACCORD_LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection is closed (ACCORD_IDLE_TIMEOUT; 60).")
    var idleTimeout: Int?

    @Option(
        name: .customLong("request-timeout"),
        help: "Seconds a request's head and body may take to arrive (ACCORD_REQUEST_TIMEOUT; 30).")
    var requestTimeout: Int?

    @Option(name: .customLong("max-connections"), help: "Connections served at once (ACCORD_MAX_CONNECTIONS; 1024).")
    var maxConnections: Int?

    @Option(
        name: .customLong("store-timeout"),
        help: "Seconds the store may take to answer at start-up before serve fails (ACCORD_STORE_TIMEOUT; 10).")
    var storeTimeout: Int?

    @Option(
        name: .customLong("max-failed-logins"),
        help: "Failed logins per minute from one address, or for one user, before 429 (ACCORD_MAX_FAILED_LOGINS; 50).")
    var maxFailedLogins: Int?

    @Option(
        name: .customLong("cache-memory"),
        help: "Bytes the caches may hold, weighed by content size (ACCORD_CACHE_MEMORY; 268435456).")
    var cacheMemory: Int?

    @Option(
        name: .customLong("max-schema-size"),
        help: "Largest schema a registration may carry, in bytes; larger is refused with 42209 (ACCORD_MAX_SCHEMA_SIZE; 1048576).")
    var maxSchemaSize: Int?

    func run() async throws {
        let settings = try resolvedSettings()
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "accord")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        let server = try Self.makeServer(settings, logger: logger)
        let reloader = AuthReloader(auth: server.auth, logger: logger)
        defer { reloader.stop() }
        let storageLabel = StoreFactory.redacted(settings.storage)
        let host = server.host
        let serverLogger = logger
        try await server.run { bound in
            serverLogger.info("listening", metadata: ["address": "\(host):\(bound)", "storage": "\(storageLabel)"])
            Output.write("accord: listening on http://\(host):\(bound)\n")
        }
    }

    /// The server `serve` runs, with everything in its service group: the store named by the settings (opened,
    /// not yet connected) behind the caches, and their background services. The store's start-up check runs
    /// before the server accepts connections; a store that fails it stops `run` with a usage error.
    static func makeServer(_ settings: Settings, logger: Logger) throws -> RegistryServer {
        let (host, port) = try Self.splitListen(settings.listen)
        let auth: Authenticator
        if let path = settings.authFile {
            do {
                auth = try Authenticator(file: path, maxFailures: settings.maxFailedLogins)
            } catch {
                throw CLIFailure.usage("\(error)")
            }
        } else {
            auth = .disabled
            guard Self.isLoopback(host) || settings.allowAnonymous else {
                throw CLIFailure.usage(
                    "refusing to serve \(host) without authentication: pass --auth-file, or --allow-anonymous")
            }
        }
        let metrics = ServerMetrics()
        let storageLabel = StoreFactory.redacted(settings.storage)
        let timeout = Duration.seconds(settings.storeTimeout)
        let store: any RegistryStore
        do {
            store = try StoreFactory.open(settings.storage, logger: logger, timeout: timeout)
        } catch {
            throw CLIFailure.usage("cannot open storage \(storageLabel): \(error)")
        }
        let options = RegistryOptions(cacheMemoryBytes: settings.cacheMemory, maxSchemaBytes: settings.maxSchemaSize)
        let registry = Registry(
            store: CachingStore(MeteredStore(store, metrics: metrics), budget: options.cacheMemoryShareForStore),
            options: options, observer: metrics)
        let http = HTTPSettings(
            bodyLimit: settings.bodyLimit, idleTimeout: .seconds(settings.idleTimeout),
            requestTimeout: .seconds(settings.requestTimeout), maxConnections: settings.maxConnections)
        // The registry's store (the caches in front of the store) lists the store's services and its own.
        return RegistryServer(
            host: host, port: port, registry: registry, settings: http, auth: auth, metrics: metrics, logger: logger,
            beforeServing: {
                do {
                    try await StoreFactory.prepare(store, timeout: timeout)
                } catch {
                    throw CLIFailure.usage("cannot open storage \(storageLabel): \(error)")
                }
            })
    }

    struct Settings {
        var listen = "127.0.0.1:8081"
        var storage = "sqlite:./data/accord.sqlite"
        var bodyLimit = 16 << 20
        var authFile: String?
        var allowAnonymous = false
        var logLevel = "info"
        var idleTimeout = 60
        var requestTimeout = 30
        var maxConnections = 1024
        var storeTimeout = 10
        var cacheMemory = 256 << 20
        var maxFailedLogins = 50
        var maxSchemaSize = 1 << 20
    }

    /// A positive integer setting, or a usage error naming where it came from.
    private static func positive(_ value: Int?, _ name: String) throws -> Int? {
        guard let value else { return nil }
        guard value > 0 else { throw CLIFailure.usage("\(name) must be a positive integer") }
        return value
    }

    func resolvedSettings() throws -> Settings {
        var settings = Settings()
        let environment = ProcessInfo.processInfo.environment
        if let path = config ?? environment["ACCORD_CONFIG"] {
            guard let data = FileManager.default.contents(atPath: path),
                case .object(let object)? = try? JSONParser.parse([UInt8](data))
            else { throw CLIFailure.usage("\(path): cannot read it as a JSON object") }
            for member in object {
                switch (member.key, member.value) {
                case ("listen", .string(let value)): settings.listen = value
                case ("storage", .string(let value)): settings.storage = value
                case ("bodyLimit", .number(let value)):
                    guard let limit = value.int64Value, limit > 0 else { throw CLIFailure.usage("\(path): bodyLimit must be a positive integer") }
                    settings.bodyLimit = Int(limit)
                case ("authFile", .string(let value)): settings.authFile = value
                case ("allowAnonymous", .bool(let value)): settings.allowAnonymous = value
                case ("logLevel", .string(let value)): settings.logLevel = value
                case ("idleTimeout", .number(let value)),
                    ("requestTimeout", .number(let value)),
                    ("maxConnections", .number(let value)),
                    ("storeTimeout", .number(let value)),
                    ("cacheMemory", .number(let value)),
                    ("maxFailedLogins", .number(let value)),
                    ("maxSchemaSize", .number(let value)):
                    guard let number = value.int64Value, number > 0, number <= Int64(Int32.max) * 64 else {
                        throw CLIFailure.usage("\(path): \(member.key) must be a positive integer")
                    }
                    settings.set(member.key, Int(number))
                default: throw CLIFailure.usage("\(path): unknown or mistyped setting '\(member.key)'")
                }
            }
        }
        if let value = environment["ACCORD_LISTEN"] { settings.listen = value }
        if let value = environment["ACCORD_STORAGE"] { settings.storage = value }
        if let value = environment["ACCORD_BODY_LIMIT"] {
            guard let limit = Int(value), limit > 0 else { throw CLIFailure.usage("ACCORD_BODY_LIMIT must be a positive integer") }
            settings.bodyLimit = limit
        }
        if let value = environment["ACCORD_AUTH_FILE"] { settings.authFile = value }
        if let value = environment["ACCORD_LOG_LEVEL"] { settings.logLevel = value }
        for (variable, key) in [
            ("ACCORD_IDLE_TIMEOUT", "idleTimeout"), ("ACCORD_REQUEST_TIMEOUT", "requestTimeout"),
            ("ACCORD_MAX_CONNECTIONS", "maxConnections"), ("ACCORD_STORE_TIMEOUT", "storeTimeout"),
            ("ACCORD_CACHE_MEMORY", "cacheMemory"), ("ACCORD_MAX_FAILED_LOGINS", "maxFailedLogins"),
            ("ACCORD_MAX_SCHEMA_SIZE", "maxSchemaSize"),
        ] {
            guard let text = environment[variable] else { continue }
            guard let value = Int(text), value > 0 else { throw CLIFailure.usage("\(variable) must be a positive integer") }
            settings.set(key, value)
        }
        if let listen { settings.listen = listen }
        if let storage { settings.storage = storage }
        if let bodyLimit {
            guard bodyLimit > 0 else { throw CLIFailure.usage("--body-limit must be positive") }
            settings.bodyLimit = bodyLimit
        }
        if let authFile { settings.authFile = authFile }
        if allowAnonymous { settings.allowAnonymous = true }
        if let logLevel { settings.logLevel = logLevel }
        if let value = try Self.positive(idleTimeout, "--idle-timeout") { settings.idleTimeout = value }
        if let value = try Self.positive(requestTimeout, "--request-timeout") { settings.requestTimeout = value }
        if let value = try Self.positive(maxConnections, "--max-connections") { settings.maxConnections = value }
        if let value = try Self.positive(storeTimeout, "--store-timeout") { settings.storeTimeout = value }
        if let value = try Self.positive(cacheMemory, "--cache-memory") { settings.cacheMemory = value }
        if let value = try Self.positive(maxFailedLogins, "--max-failed-logins") { settings.maxFailedLogins = value }
        if let value = try Self.positive(maxSchemaSize, "--max-schema-size") { settings.maxSchemaSize = value }
        return settings
    }

    static func splitListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw CLIFailure.usage("--listen wants HOST:PORT, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Whether `host` is a loopback address: `localhost`, `::1`, or a dotted-quad IPv4 address in
    /// 127.0.0.0/8 (four decimal octets, each 0–255; not any name that happens to start with `127.`).
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int(octet) ?? 256) <= 255
        }
    }
}

/// `accord auth`: making entries for the server's auth file.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Make password hashes and token digests for `accord serve --auth-file`.",
        subcommands: [HashPassword.self, TokenDigest.self]
    )

    struct HashPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-password", abstract: "Print a salted PBKDF2-SHA256 hash of a password (read from stdin).")

        @Option(help: "PBKDF2 iterations (at least 100000; default 600000, OWASP's guidance for PBKDF2-HMAC-SHA256).")
        var iterations = Authenticator.defaultIterations

        func run() throws {
            guard iterations >= Authenticator.minimumIterations, iterations <= 10_000_000 else {
                throw CLIFailure.usage(
                    "--iterations must be from \(Authenticator.minimumIterations) to 10000000: the server refuses weaker hashes")
            }
            let password = String(decoding: FileInput.readStandardInput(), as: UTF8.self)
                .trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw CLIFailure.usage("give the password on standard input") }
            Output.write(Authenticator.hashPassword(password, iterations: iterations) + "\n")
        }
    }

    struct TokenDigest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token-digest", abstract: "Print the SHA-256 hex digest of a bearer token (read from stdin).")

        func run() throws {
            let token = String(decoding: FileInput.readStandardInput(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw CLIFailure.usage("give the token on standard input") }
            Output.write(Authenticator.tokenDigest(token) + "\n")
        }
    }
}

extension ServeCommand.Settings {
    /// Sets one of the integer settings by its JSON key.
    mutating func set(_ key: String, _ value: Int) {
        switch key {
        case "idleTimeout": idleTimeout = value
        case "requestTimeout": requestTimeout = value
        case "maxConnections": maxConnections = value
        case "storeTimeout": storeTimeout = value
        case "cacheMemory": cacheMemory = value
        case "maxFailedLogins": maxFailedLogins = value
        case "maxSchemaSize": maxSchemaSize = value
        default: break
        }
    }
}

/// Re-reads the auth file on SIGHUP, so revoking a user or token needs no restart. A file that no longer
/// reads leaves the credentials in force and is logged.
final class AuthReloader {
    private let source: any DispatchSourceSignal

    init(auth: Authenticator, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                try auth.reload()
                logger.notice("auth file reloaded")
            } catch {
                logger.error("auth file not reloaded; the previous credentials stay in force", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
        self.source = source
    }

    func stop() {
        source.cancel()
    }
}
