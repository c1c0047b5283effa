import SchemaProviders
import Synchronization

extension Registry {
    /// Confluent's `ParsedSchema.canLookup` (used by registration and lookup after the exact-content match
    /// fails): the latest of `rows` whose schema means the same as `new`. For Avro that is the same parsed
    /// schema whatever the JSON key order, whitespace or namespace spelling (Confluent compares parsed
    /// `Schema` objects); Protobuf text is already stored canonical, so only exact content matches there.
    /// The references must be the same; so must metadata and rule set, unless the request sent neither
    /// (`metadataOptional`, for lookups by clients that do not send them).
    func equivalentVersion(
        of new: any ParsedSchema, content: SchemaContent, among rows: [SubjectVersion], metadataOptional: Bool = false
    ) async throws -> (row: SubjectVersion, schema: StoredSchema)? {
        guard let newForm = new.equivalenceKey else { return nil }
        for row in rows.reversed() {
            let stored = try await storedSchema(of: row)
            guard stored.content.schemaType == content.schemaType, stored.content.references == content.references
            else { continue }
            let sameExtras = stored.content.metadata == content.metadata && stored.content.ruleSet == content.ruleSet
            guard sameExtras || (metadataOptional && content.metadata == nil && content.ruleSet == nil) else { continue }
            if stored.content.schema == content.schema { return (row, stored) }
            var previousForm = normalizedForms.withLock { $0.get(stored.guid) }
            if previousForm == nil {
                guard let form = try await parsed(stored).equivalenceKey else { continue }
                normalizedForms.withLock { $0.put(stored.guid, form, weight: form.utf8.count * 2) }
                previousForm = form
            }
            if previousForm == newForm { return (row, stored) }
        }
        return nil
    }
}
