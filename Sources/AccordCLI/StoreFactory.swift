import Foundation
import Logging
import RegistryCore
import RegistryPostgres
import RegistrySQLite

/// Opens the store a storage URL names: `sqlite:PATH` (a file, or a directory that gets `accord.sqlite`),
/// `postgres://…` / `postgresql://…`, or `memory:`.
enum StoreFactory {
    /// Opens the store; a PostgreSQL server that cannot be reached, or accepts connections and never answers,
    /// fails within `timeout` with a clear error instead of hanging the start-up.
    static func open(_ url: String, logger: Logger, timeout: Duration = .seconds(10)) async throws -> any RegistryStore {
        if url == "memory:" { return InMemoryStore() }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw CLIFailure.usage("sqlite: needs a path, e.g. sqlite:./data/accord.sqlite") }
            var isDirectory: ObjCBool = false
            if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                return try SQLiteStore(directory: path)
            }
            return try SQLiteStore(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var parsed = try PostgresURL(url)
            parsed.connectTimeout = min(parsed.connectTimeout, timeout)
            let store = PostgresStore(url: parsed, logger: logger)
            do {
                try await withTimeout(timeout, "the PostgreSQL server did not answer within \(timeout)") {
                    try await store.migrate()
                }
            } catch {
                await store.close()
                throw error
            }
            return store
        }
        throw CLIFailure.usage("unsupported storage URL (use sqlite:PATH, postgres://… or memory:)")
    }

    static func close(_ store: any RegistryStore) async {
        if let postgres = store as? PostgresStore { await postgres.close() }
    }

    /// The URL without secrets, for logs and messages: the password in the user info (up to the LAST `@`
    /// before the path, since a password may itself contain `@`) and any `password=` query parameter.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var text = url
        let afterScheme = schemeEnd.upperBound
        let queryStart = text[afterScheme...].firstIndex(of: "?") ?? text.endIndex
        if let at = text[afterScheme..<queryStart].lastIndex(of: "@"),
            let colon = text[afterScheme..<at].firstIndex(of: ":")
        {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        guard let question = text.firstIndex(of: "?") else { return text }
        let query = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map {
            pair -> String in
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return key.lowercased() == "password" ? "password=***" : String(pair)
        }
        return String(text[...question]) + query.joined(separator: "&")
    }

    /// Runs `body`, or throws `message` once `timeout` has passed.
    static func withTimeout<T: Sendable>(
        _ timeout: Duration, _ message: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw CLIFailure.usage(message)
            }
            return value
        }
    }
}
