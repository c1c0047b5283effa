import Foundation
import Synchronization
import Logging
import RegistryCore
import RegistryPostgres
import RegistrySQLite

/// Opens the store a storage URL names: `sqlite:PATH` (a file, or a directory that gets `accord.sqlite`),
/// `postgres://…` / `postgresql://…`, or `memory:`.
enum StoreFactory {
    /// Opens the store. A PostgreSQL store does not connect yet: it does once its `backgroundServices` run, and
    /// `prepare` then checks that it answers. `timeout` bounds each of its connection attempts.
    static func open(_ url: String, logger: Logger, timeout: Duration = .seconds(10)) throws -> any RegistryStore {
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
            return PostgresStore(url: parsed, logger: logger)
        }
        throw CLIFailure.usage("unsupported storage URL (use sqlite:PATH, postgres://… or memory:)")
    }

    /// Brings a PostgreSQL store's tables up to date, with its services running; a server that cannot be
    /// reached, or accepts connections and never answers, fails within `timeout` with a clear error instead of
    /// hanging the start-up. Other stores are ready once open.
    static func prepare(_ store: any RegistryStore, timeout: Duration) async throws {
        guard let store = store as? PostgresStore else { return }
        do {
            try await withTimeout(timeout, "the PostgreSQL server did not answer within \(timeout)") {
                try await store.migrate()
            }
        } catch let timeout as StoreTimeout {
            throw CLIFailure.usage(timeout.message)
        }
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

    /// Runs `body`, or throws `message` once `timeout` has passed. The work is not awaited after the
    /// timeout (a connection attempt that hangs need not notice cancellation); the caller is about to exit.
    static func withTimeout<T: Sendable>(
        _ timeout: Duration, _ message: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = FirstOutcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.start(continuation)
            let work = Task {
                do { outcome.finish(.success(try await body())) } catch { outcome.finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                outcome.finish(.failure(StoreTimeout(message: message)))
                work.cancel()
            }
        }
    }}

/// The store did not answer in time.
struct StoreTimeout: Error {
    var message: String
}

/// Resumes a continuation with whichever outcome comes first.
final class FirstOutcome<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?)>((nil, nil))

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.early == nil else { return nil }
            state.early = result
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}
