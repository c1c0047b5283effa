import HTTPTypes
import Hummingbird
import JSONSupport
import RegistryCore

/// One request being served: the route's handler for its method, with authorization.
struct Call: Sendable {
    let registry: Registry
    let query: Query
    let body: [UInt8]
    let principal: Principal?
    let auth: Authenticator
    let metrics: ServerMetrics

    typealias JSON = RegistryHTTPHandler

    func dispatch(method: HTTPRequest.Method, route: Route) async throws -> Response {
        switch (route, method) {
        case (.root, .get), (.root, .post):
            return JSON.json(.object(JSONObject()))
        case (.health, .get):
            return JSON.json(.object(JSONObject(["status": .string("UP")])))
        case (.ready, .get):
            do {
                try await registry.store.ping()
            } catch {
                throw RegistryError(code: RegistryError.notReadyCode, "The store is not reachable")
            }
            return JSON.json(.object(JSONObject(["status": .string("READY")])))
        case (.metrics, .get):
            return JSON.raw(Array(metrics.exposition().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case (.schemaTypes, .get):
            try require(.read, subject: nil, global: false)
            return JSON.json(.array(registry.schemaTypes.map { .string($0) }))
        case (.contexts, .get):
            try require(.read, subject: nil, global: false)
            let prefix = query.string("contextPrefix") ?? ""
            let contexts = try await registry.contexts().filter { $0.hasPrefix(prefix) }
            return JSON.json(.array(query.page.apply(contexts).map { .string($0) }))
        case (.context(let name), .delete):
            // As a config change of the context: admin on its scope (`:.ctx:`), or on everything.
            try require(.admin, subject: RegistryContext.qualified("", in: RegistryContext.named(name)))
            try await registry.deleteContext(name)
            return JSON.noContent()

        case (.associations(let subject), .get):
            // No topic is ever bound to a subject here: every lookup finds none, and a client falls back to its
            // subject name strategy, as it does against a Confluent registry without associations.
            try require(.read, subject: subject, global: false)
            return JSON.json(.array([]))

        case (.subjects, .get):
            try require(.read, subject: nil, global: false)
            let names = try await registry.subjects(
                prefix: query.string("subjectPrefix"),
                filter: DeletedFilter(deleted: query.bool("deleted"), deletedOnly: query.bool("deletedOnly")),
                page: Page()
            ).filter { auth.allows(principal, .read, subject: $0) }
            return JSON.json(.array(query.page.apply(names).map { .string($0) }))
        case (.subject(let subject), .post):
            try require(.read, subject: subject)
            let request = try RegistryJSON.schemaRequest(body)
            let record = try await registry.lookup(
                subject: subject, request: request, normalize: query.bool("normalize"),
                includeDeleted: query.bool("deleted"), access: readAccess)
            return JSON.json(RegistryJSON.record(record, schemaText: try await render(record.schema)))
        case (.subject(let subject), .delete):
            // Soft deletes can be undone by an import; a permanent delete destroys data, so it is an admin's.
            try require(query.bool("permanent") ? .admin : .write, subject: subject)
            let versions = try await registry.deleteSubject(subject: subject, permanent: query.bool("permanent"))
            return JSON.json(.array(versions.map { .integer($0) }))

        case (.subjectVersions(let subject), .get):
            try require(.read, subject: subject)
            let versions = try await registry.versions(
                subject: subject,
                filter: DeletedFilter(deleted: query.bool("deleted"), deletedOnly: query.bool("deletedOnly")),
                deletedAsNegative: query.bool("deletedAsNegative"), page: query.page)
            return JSON.json(.array(versions.map { .integer($0) }))
        case (.subjectVersions(let subject), .post):
            // `force` skips the compatibility check the admin-set level asks for, so it takes admin.
            try require(query.bool("force") ? .admin : .write, subject: subject)
            let request = try RegistryJSON.schemaRequest(body)
            let result = try await registry.register(
                subject: subject, request: request, normalize: query.bool("normalize"), force: query.bool("force"),
                access: readAccess)
            return JSON.json(RegistryJSON.registration(result))

        case (.subjectMetadata(let subject), .get):
            // `key` and `value` come in pairs: the latest version whose metadata properties hold every pair.
            try require(.read, subject: subject)
            let keys = query.strings("key")
            let values = query.strings("value")
            guard keys.count == values.count else {
                throw RegistryError.unprocessable("Every 'key' parameter needs a 'value' parameter")
            }
            let record = try await registry.latestWithMetadata(
                subject: subject, properties: Array(zip(keys, values)), includeDeleted: query.bool("deleted"))
            return JSON.json(RegistryJSON.record(record, schemaText: try await render(record.schema)))
        case (.subjectVersion(let subject, let version), .get):
            try require(.read, subject: subject)
            let record = try await registry.version(
                subject: subject, try VersionSpec(version), includeDeleted: query.bool("deleted"), access: readAccess)
            return JSON.json(RegistryJSON.record(record, schemaText: try await render(record.schema)))
        case (.subjectVersion(let subject, let version), .delete):
            try require(query.bool("permanent") ? .admin : .write, subject: subject)
            let deleted = try await registry.deleteVersion(
                subject: subject, try VersionSpec(version), permanent: query.bool("permanent"))
            return JSON.json(.integer(deleted))
        case (.subjectVersionSchema(let subject, let version), .get):
            try require(.read, subject: subject)
            let record = try await registry.version(
                subject: subject, try VersionSpec(version), includeDeleted: query.bool("deleted"), access: readAccess)
            return JSON.raw(Array(try await render(record.schema).utf8))
        case (.subjectVersionReferencedBy(let subject, let version), .get):
            try require(.read, subject: subject)
            let ids = try await registry.referencedBy(
                subject: subject, try VersionSpec(version), includeDeleted: query.bool("deleted"), page: query.page,
                access: readAccess)
            return JSON.json(.array(ids.map { .integer($0) }))

        case (.schemas, .get):
            try require(.read, subject: nil, global: false)
            // Without `subjectPrefix`, the default context only, as Confluent's default `""`.
            let records = try await registry.schemas(
                prefix: query.string("subjectPrefix") ?? "", includeDeleted: query.bool("deleted"),
                latestOnly: query.bool("latestOnly"), page: query.page
            ).filter { auth.allows(principal, .read, subject: $0.subject) }
            var items: [JSONValue] = []
            for record in records {
                items.append(RegistryJSON.record(record, schemaText: try await render(record.schema)))
            }
            return JSON.json(.array(items))
        case (.schemaByID(let text), .get):
            let schema = try await readableSchema(id: text)
            // The registry-wide maximum says how many schemas exist: only for those who may read them all.
            let maxID =
                query.bool("fetchMaxId") && auth.allowsEverything(principal, .read)
                ? try await registry.maxSchemaID(context: schema.context) : nil
            var answered = schema
            var version: SubjectVersion?
            if let subject = query.string("subject") {
                // As Confluent: with `subject`, the answer names a subject version that uses the id (that subject's
                // own when it has one), and `referenceFormat=qualified` writes the context into the references of a
                // schema of a named context.
                version = try await registry.subjectVersion(of: schema, preferring: subject)
                // confluent-kafka-python sends it as `reference_format`.
                let referenceFormat = query.string("referenceFormat") ?? query.string("reference_format")
                if referenceFormat == "qualified", schema.context != RegistryContext.defaultName {
                    answered.content.references = schema.content.references.map { reference in
                        var reference = reference
                        reference.subject = RegistryContext.referenceTarget(reference.subject, from: schema.context)
                        return reference
                    }
                }
            }
            let rendered = try await render(schema)
            return JSON.json(RegistryJSON.schemaString(answered, schemaText: rendered, maxID: maxID, version: version))
        case (.schemaByIDSchema(let text), .get):
            let schema = try await readableSchema(id: text)
            return JSON.raw(Array(try await render(schema).utf8))
        case (.schemaByIDSubjects(let text), .get):
            let schema = try await readableSchema(id: text)
            let names = try await registry.subjects(
                schemaID: schema.id, subject: query.string("subject"), includeDeleted: query.bool("deleted")
            ).filter { auth.allows(principal, .read, subject: $0) }
            return JSON.json(.array(query.page.apply(names).map { .string($0) }))
        case (.schemaByIDVersions(let text), .get):
            let schema = try await readableSchema(id: text)
            let rows = try await registry.subjectVersions(
                schemaID: schema.id, subject: query.string("subject"), includeDeleted: query.bool("deleted")
            ).filter { auth.allows(principal, .read, subject: $0.subject) }
            return JSON.json(
                .array(query.page.apply(rows).map { row in
                    .object(JSONObject(["subject": .string(row.subject), "version": .integer(row.version)]))
                }))
        case (.schemaByGUID(let guid), .get):
            try require(.read, subject: nil, global: false)
            // The default context's schema, else the first named context's the caller may read; a guid only
            // hidden subjects use answers exactly as an unknown one.
            var readable: StoredSchema?
            for schema in try await registry.schemas(guid: guid) where try await isReadable(schema) {
                readable = schema
                break
            }
            guard let schema = readable else { throw RegistryError.schemaNotFound("Schema \(guid) not found") }
            let rendered = try await render(schema)
            return JSON.json(RegistryJSON.schemaString(schema, schemaText: rendered, maxID: nil))

        case (.schemaByGUIDIDs(let guid), .get):
            // `[{"context": ".", "id": N}, …]`: its id in each context that has it and the caller may read.
            try require(.read, subject: nil, global: false)
            var ids: [JSONValue] = []
            for schema in try await registry.schemas(guid: guid) where try await isReadable(schema) {
                ids.append(.object(JSONObject(["context": .string(schema.context), "id": .integer(schema.id)])))
            }
            return JSON.json(.array(ids))

        case (.compatibility(let subject, let version), .post):
            try require(.read, subject: subject)
            let request = try RegistryJSON.schemaRequest(body)
            let verbose = query.bool("verbose")
            let report = try await registry.checkCompatibility(
                subject: subject, version: try version.map { text throws(RegistryError) in try VersionSpec(text) },
                request: request, normalize: query.bool("normalize"), verbose: verbose, access: readAccess)
            return JSON.json(RegistryJSON.compatibility(report, verbose: verbose))

        case (.config(let subject), .get):
            try require(.read, subject: subject)
            let config = try await registry.config(subject: subject, defaultToGlobal: query.bool("defaultToGlobal"))
            return JSON.json(RegistryJSON.config(config))
        case (.config(let subject), .put):
            try require(.admin, subject: subject)
            // Confluent answers the update as it was sent.
            let update = try RegistryJSON.object(body)
            try await registry.setConfig(subject: subject, update: try RegistryJSON.configUpdate(update))
            return JSON.json(.object(update))
        case (.config(let subject), .delete):
            try require(.admin, subject: subject)
            return JSON.json(RegistryJSON.config(try await registry.deleteConfig(subject: subject)))

        case (.mode(let subject), .get):
            try require(.read, subject: subject)
            let mode = try await registry.mode(subject: subject, defaultToGlobal: query.bool("defaultToGlobal"))
            return JSON.json(.object(JSONObject(["mode": .string(mode.rawValue)])))
        case (.mode(let subject), .put):
            try require(.admin, subject: subject)
            let object = try RegistryJSON.object(body)
            guard let name = object["mode"]?.stringValue else { throw RegistryError.invalidMode("") }
            let mode = try await registry.setMode(subject: subject, modeName: name, force: query.bool("force"))
            return JSON.json(.object(JSONObject(["mode": .string(mode.rawValue)])))
        case (.mode(let subject), .delete):
            try require(.admin, subject: subject)
            let mode = try await registry.deleteMode(subject: subject)
            return JSON.json(.object(JSONObject(["mode": .string(mode.rawValue)])))

        // Reading the journal takes read on everything; writing it, admin, as config changes do.
        case (.migrationJournal, .get):
            try require(.read, subject: nil)
            let (journal, revision) = try await registry.migrationJournal()
            return JSON.json(.object(JSONObject(["revision": .integer(revision), "journal": journal])))
        case (.migrationJournal, .put):
            try require(.admin, subject: nil)
            let object = try RegistryJSON.object(body)
            guard let revision = object["revision"]?.numberValue?.int64Value.map(Int.init), let journal = object["journal"] else {
                throw RegistryError.unprocessable("The body must be {\"revision\": N, \"journal\": {...}}")
            }
            let next = try await registry.replaceMigrationJournal(journal, expecting: revision)
            return JSON.json(.object(JSONObject(["revision": .integer(next)])))

        default:
            throw RegistryError(code: 405, "HTTP 405 Method Not Allowed")
        }
    }

    /// Authorization for a subject route, or (subject nil) a global one. `global: false` lets any
    /// authenticated principal through (the answer is then filtered per subject).
    private func require(_ access: Access, subject: String?, global: Bool = true) throws(RegistryError) {
        if let subject {
            try auth.check(principal, access, subject: subject)
        } else if global {
            try auth.check(principal, access, subject: nil)
        } else {
            try auth.checkAuthenticated(principal)
        }
    }

    /// What the caller may read, for the core's reads on its behalf (references, referrers).
    private var readAccess: ReadAccess { auth.readAccess(principal) }

    private func render(_ schema: StoredSchema) async throws -> String {
        try await registry.render(schema, format: query.string("format"), access: readAccess)
    }

    /// The schema with id `text`, if one of its subjects is readable; a hidden id answers exactly as an unknown
    /// one (40403), so ids cannot be probed.
    private func readableSchema(id text: String) async throws -> StoredSchema {
        try auth.checkAuthenticated(principal)
        guard text.utf8.count <= 10, let id = Int(text), id >= 0, id <= Int(Int32.max) else {
            throw RegistryError.schemaNotFound("Schema \(text) not found")
        }
        // In the context of the `subject` parameter (`/contexts/{ctx}/schemas/ids/…` sets it).
        let schema = try await registry.schema(id: id, subject: query.string("subject"))
        // The same message the registry gives an unknown id (`007` and `7` alike name id 7).
        guard try await isReadable(schema) else { throw RegistryError.schemaNotFound("Schema \(id) not found") }
        return schema
    }

    /// Whether some subject version using `schema` (soft-deleted ones included) is readable by the caller.
    private func isReadable(_ schema: StoredSchema) async throws -> Bool {
        if auth.allowsEverything(principal, .read) { return true }
        let rows = try await registry.subjectVersions(of: schema, includeDeleted: true)
        return rows.contains(where: { auth.allows(principal, .read, subject: $0.subject) })
    }
}
