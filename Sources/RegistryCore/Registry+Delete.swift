extension Registry {
    /// DELETE /subjects/{s}/versions/{v}: soft delete, or with `permanent` remove a soft-deleted version.
    public func deleteVersion(subject: String, _ spec: VersionSpec, permanent: Bool = false) async throws -> Int {
        let subject = try SubjectName.canonical(subject)
        try await requireWritable(subject: subject)
        let rows = try await store.versions(subject: subject)
        // Looked up among soft-deleted versions too, as Confluent's validateDeleteSchemaVersion: deleting one
        // again is 40406, and an unknown number (or `latest` when none is live) in a soft-deleted subject 40402.
        let row = try find(spec, in: rows, subject: subject, includeDeleted: true)
        if !permanent && row.deleted {
            throw RegistryError.versionSoftDeleted(subject, row.version)
        }
        let referrers = try await liveReferrers(subject: subject, version: row.version, includeDeleted: permanent)
        guard referrers.isEmpty else {
            throw RegistryError.referenceExists(
                "One or more references exist to the schema {subject=\(subject),version=\(row.version)}.")
        }
        if permanent && !row.deleted {
            throw RegistryError.versionNotSoftDeleted(subject, row.version)
        }
        if permanent {
            try await store.permanentlyDelete(subject: subject, versions: [row.version])
            let key = ContextualID(context: RegistryContext.context(of: subject), id: row.schemaID)
            if try await store.schema(id: key.id, context: key.context) == nil { forget([key]) }
        } else {
            try await store.softDelete(subject: subject, versions: [row.version])
        }
        return row.version
    }

    /// DELETE /subjects/{s}: soft-deletes every live version, or with `permanent` removes a soft-deleted
    /// subject. Answers the versions deleted.
    public func deleteSubject(subject: String, permanent: Bool = false) async throws -> [Int] {
        let subject = try SubjectName.canonical(subject)
        try await requireWritable(subject: subject)
        let rows = try await store.versions(subject: subject)
        guard !rows.isEmpty else { throw RegistryError.subjectNotFound(subject) }
        let live = rows.filter { !$0.deleted }
        if permanent {
            guard live.isEmpty else { throw RegistryError.subjectNotSoftDeleted(subject) }
        } else if live.isEmpty {
            throw RegistryError.subjectSoftDeleted(subject)
        }
        let doomed = permanent ? rows : live
        for row in doomed {
            // Only references from other subjects block: the subject's own later versions go with it
            // (Confluent's deleteSubject drops the subject itself from getReferencedBySubjects).
            var referencedElsewhere = false
            for referrer in try await store.referrers(subject: subject, version: row.version) {
                let uses = try await store.versions(schemaID: referrer.id, context: referrer.context)
                if uses.contains(where: { (permanent || !$0.deleted) && $0.subject != subject }) {
                    referencedElsewhere = true
                }
            }
            guard !referencedElsewhere else {
                throw RegistryError.referenceExists(
                    "One or more references exist to the schema {subject=\(subject),version=\(row.version)}.")
            }
        }
        let versions = doomed.map(\.version)
        if permanent {
            try await store.permanentlyDelete(subject: subject, versions: versions)
            let context = RegistryContext.context(of: subject)
            var gone: [ContextualID] = []
            for id in Set(doomed.map(\.schemaID)) where try await store.schema(id: id, context: context) == nil {
                gone.append(ContextualID(context: context, id: id))
            }
            forget(gone)
        } else {
            try await store.softDelete(subject: subject, versions: versions)
        }
        return versions
    }
}
