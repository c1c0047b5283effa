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
            the keys listen, storage, bodyLimit, authFile, allowAnonymous, logLevel), then the defaults: \
            127.0.0.1:8081 and sqlite:./data/accord.sqlite. Storage URLs: sqlite:PATH, \
            postgres://user:password@host:port/database[?sslmode=disable|prefer|require], memory: (nothing \
            kept). Without an auth file the server refuses a non-loopback address unless --allow-anonymous.
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

    func run() async throws {
        let settings = try resolvedSettings()
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "accord")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info

        let (host, port) = try Self.splitListen(settings.listen)
        let auth: Authenticator
        if let path = settings.authFile {
            do { auth = try Authenticator(file: path) } catch { throw CLIFailure.usage("\(error)") }
        } else {
            auth = .disabled
            guard Self.isLoopback(host) || settings.allowAnonymous else {
                throw CLIFailure.usage(
                    "refusing to serve \(host) without authentication: pass --auth-file, or --allow-anonymous")
            }
        }
        let metrics = ServerMetrics()
        let store: any RegistryStore
        do {
            store = try await StoreFactory.open(settings.storage, logger: logger)
        } catch {
            throw CLIFailure.usage("cannot open storage \(StoreFactory.redacted(settings.storage)): \(error)")
        }
        let registry = Registry(store: CachingStore(MeteredStore(store, metrics: metrics)), observer: metrics)
        let server = RegistryServer(
            host: host, port: port, registry: registry, settings: HTTPSettings(bodyLimit: settings.bodyLimit),
            auth: auth, metrics: metrics, logger: logger)
        let storageLabel = StoreFactory.redacted(settings.storage)
        let serverLogger = logger
        try await server.run { bound in
            serverLogger.info("listening", metadata: ["address": "\(host):\(bound)", "storage": "\(storageLabel)"])
            Output.write("accord: listening on http://\(host):\(bound)\n")
        }
        await StoreFactory.close(store)
    }

    struct Settings {
        var listen = "127.0.0.1:8081"
        var storage = "sqlite:./data/accord.sqlite"
        var bodyLimit = 16 << 20
        var authFile: String?
        var allowAnonymous = false
        var logLevel = "info"
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
        if let listen { settings.listen = listen }
        if let storage { settings.storage = storage }
        if let bodyLimit {
            guard bodyLimit > 0 else { throw CLIFailure.usage("--body-limit must be positive") }
            settings.bodyLimit = bodyLimit
        }
        if let authFile { settings.authFile = authFile }
        if allowAnonymous { settings.allowAnonymous = true }
        if let logLevel { settings.logLevel = logLevel }
        return settings
    }

    static func splitListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw CLIFailure.usage("--listen wants HOST:PORT, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
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

        @Option(help: "PBKDF2 iterations.") var iterations = 100_000

        func run() throws {
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
