public import JSONSupport

/// The journal of `accord migrate` releases, kept in the registry's own store so every run against this
/// registry, from any machine, sees the same releases. The registry checks only its outline (an object with a
/// `releases` array) and its size; the releases are the migration tool's. It is replaced whole, and only by a
/// writer that read the current revision: two runs cannot interleave their writes, and a run that lost the
/// race learns it (40901) instead of overwriting the other.
extension Registry {
    static let migrationJournalDocument = "migrations/journal"
    /// The largest journal kept. A release is a few hundred bytes per change, so this holds thousands.
    public static let maxMigrationJournalBytes = 8 << 20

    /// The journal and its revision; an empty journal at revision 0 when none was written yet.
    public func migrationJournal() async throws -> (journal: JSONValue, revision: Int) {
        guard let stored = try await store.document(named: Self.migrationJournalDocument) else {
            return (.object(JSONObject(["releases": .array([])])), 0)
        }
        do {
            return (try JSONParser.parse(stored.text), stored.revision)
        } catch {
            throw RegistryError(code: 50001, "The stored migration journal is not JSON: \(error)")
        }
    }

    /// Replaces the journal if it is still at `revision`; returns the new revision.
    public func replaceMigrationJournal(_ journal: JSONValue, expecting revision: Int) async throws -> Int {
        guard let object = journal.objectValue, object["releases"]?.arrayValue != nil else {
            throw RegistryError.unprocessable("The migration journal must be an object with a 'releases' array")
        }
        guard revision >= 0 else { throw RegistryError.unprocessable("The revision must be 0 or more") }
        let text = journal.serialized()
        guard text.utf8.count <= Self.maxMigrationJournalBytes else {
            throw RegistryError(code: 413, "The migration journal is larger than \(Self.maxMigrationJournalBytes) bytes")
        }
        guard let next = try await store.replaceDocument(named: Self.migrationJournalDocument, text: text, expecting: revision)
        else {
            let current = try await store.document(named: Self.migrationJournalDocument)?.revision ?? 0
            throw RegistryError(
                code: 40901,
                "The migration journal is at revision \(current), not \(revision): another run changed it; read it again")
        }
        return next
    }
}
