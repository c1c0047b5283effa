extension Registry {
    /// GET /contexts: the default context, then every named context, sorted.
    public func contexts() async throws -> [String] {
        [RegistryContext.defaultName] + (try await store.namedContexts())
    }

    /// DELETE /contexts/{ctx}: removes a named context that has no subject version left, soft-deleted ones
    /// included (42211 otherwise). Deleting the default context, or one that does not exist, does nothing.
    public func deleteContext(_ name: String) async throws {
        let context = RegistryContext.named(name)
        guard context != RegistryContext.defaultName else { return }
        try await requireWritable(subject: RegistryContext.qualified("", in: context))
        guard try await store.deleteContext(context) else { throw RegistryError.contextNotEmpty(context) }
    }

    /// GET /schemas/ids/{id}: the schema with this id in the context `subject` is in (the default context
    /// without one). As Confluent's `getSchemaKeyUsingContexts`, a subject named without a context that does not
    /// use the id in the default context is looked for in each named context, and the default context's schema
    /// answers when none has it.
    public func schema(id: Int, subject: String? = nil) async throws -> StoredSchema {
        let subject = try subject.flatMap { $0.isEmpty ? nil : $0 }.map { name throws(RegistryError) in
            try SubjectName.canonical(name)
        }
        guard let subject else { return try await storedSchema(id: id, context: RegistryContext.defaultName) }
        let (context, name) = RegistryContext.split(subject)
        if RegistryContext.isQualified(subject) || name.isEmpty {
            return try await storedSchema(id: id, context: context)
        }
        if let found = try await store.schema(id: id, context: context),
            try await store.versions(schemaID: id, context: context).contains(where: { $0.subject == subject })
        {
            return found
        }
        for named in try await store.namedContexts() {
            let qualified = RegistryContext.qualified(name, in: named)
            if let found = try await store.schema(id: id, context: named),
                try await store.versions(schemaID: id, context: named).contains(where: { $0.subject == qualified })
            {
                return found
            }
        }
        return try await storedSchema(id: id, context: context)
    }

    /// The subject version a `GET /schemas/ids/{id}?subject=` answer names: `subject`'s own version of `schema`
    /// (read in the schema's context), else the first that uses it; nil when none does.
    public func subjectVersion(of schema: StoredSchema, preferring subject: String) async throws -> SubjectVersion? {
        let rows = try await subjectVersions(of: schema, includeDeleted: true)
        let wanted = (try? SubjectName.canonical(subject)).map { RegistryContext.referenceTarget($0, from: schema.context) }
        return rows.last(where: { $0.subject == wanted && !$0.deleted }) ?? rows.first(where: { !$0.deleted }) ?? rows.first
    }

    /// Runs `body` on `subject`, and when it finds no such subject or version and `subject` names no context, on
    /// the same name in each named context in turn (Confluent's `getUsingContexts` and
    /// `lookUpSchemaUnderSubjectUsingContexts`); the first answer wins, else the default context's error. Only
    /// subjects `access` lets the caller read are tried: a grant on `name` is no grant on `:.ctx:name`.
    func inContexts<T>(_ subject: String, access: ReadAccess, _ body: (String) async throws -> T) async throws -> T {
        do {
            return try await body(subject)
        } catch let error as RegistryError where error.isNotFound && !RegistryContext.isQualified(subject) {
            for named in try await store.namedContexts() {
                let qualified = RegistryContext.qualified(subject, in: named)
                guard access.canRead(qualified) else { continue }
                do {
                    return try await body(qualified)
                } catch let other as RegistryError where other.isNotFound {
                    continue
                }
            }
            throw error
        }
    }
}
