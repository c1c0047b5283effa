import Foundation
import Logging
import RegistryCore
import RegistryPostgres
import RegistrySQLite

/// Opens the store a storage URL names: `sqlite:PATH` (a file, or a directory that gets `accord.sqlite`),
/// `postgres://…` / `postgresql://…`, or `memory:`.
enum StoreFactory {
    static func open(_ url: String, logger: Logger) async throws -> any RegistryStore {
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
            let store = try PostgresStore(url: url, logger: logger)
            do {
                try await store.migrate()
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

    /// The URL without its password, for logs and messages.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex),
            let colon = url.range(of: ":", range: schemeEnd.upperBound..<at.lowerBound)
        else { return url }
        return url.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}
