import Foundation
import Logging
import RegistryCore

/// Opens the store a storage URL names.
enum StoreFactory {
    static func open(_ url: String, logger: Logger) async throws -> any RegistryStore {
        if url == "memory:" { return InMemoryStore() }
        throw CLIFailure.usage("unsupported storage URL (use sqlite:PATH, postgres://… or memory:)")
    }

    static func close(_ store: any RegistryStore) async {}

    /// The URL without its password, for logs and messages.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex),
            let colon = url.range(of: ":", range: schemeEnd.upperBound..<at.lowerBound)
        else { return url }
        return url.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}
