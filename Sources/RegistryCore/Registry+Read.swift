import JSONSupport
import SchemaProviders

/// Which versions a listing includes.
public enum DeletedFilter: Sendable, Hashable {
    /// Live versions only (the default).
    case live
    /// Live and soft-deleted (`deleted=true`).
    case all
    /// Soft-deleted only (`deletedOnly=true`, which wins over `deleted`).
    case deletedOnly

    public init(deleted: Bool, deletedOnly: Bool) {
        self = deletedOnly ? .deletedOnly : (deleted ? .all : .live)
    }

    func includes(_ row: SubjectVersion) -> Bool {
        switch self {
        case .live: !row.deleted
        case .all: true
        case .deletedOnly: row.deleted
        }
    }
}

/// Confluent's `offset` and `limit`: a limit of zero or less means no limit. Any Int is a valid input (they
/// come from requests): a negative offset counts as 0, and nothing here adds two request numbers, so no value
/// can overflow.
public struct Page: Sendable, Hashable {
    public var offset: Int
    public var limit: Int

    public init(offset: Int = 0, limit: Int = -1) {
        self.offset = max(offset, 0)
        self.limit = limit
    }

    public func apply<T>(_ items: [T], defaultLimit: Int? = nil, maxLimit: Int? = nil) -> [T] {
        var limit = self.limit
        if let maxLimit, limit <= 0 || limit > maxLimit { limit = defaultLimit ?? maxLimit }
        let start = min(max(offset, 0), items.count)
        // `items.count - start` is what remains; comparing with it, never adding to `start`, cannot overflow.
        let take = limit > 0 ? min(limit, items.count - start) : items.count - start
        return Array(items[start..<(start + take)])
    }
}

extension Registry {
    /// GET /subjects. `prefix` as Confluent's `subjectPrefix` (`RegistryContext.matches`): nil lists every
    /// context, an unqualified prefix the default context only.
    public func subjects(prefix: String? = nil, filter: DeletedFilter = .live, page: Page = Page()) async throws -> [String] {
        // As Confluent's extractUniqueSubjects: a subject counts as deleted when every version of it is
        // soft-deleted, and the filter applies to that.
        var subjects: [(name: String, deleted: Bool)] = []
        let prefix = prefix.map(SubjectName.nfc)
        for row in try await store.allVersions() {
            if !RegistryContext.matches(row.subject, prefix: prefix) { continue }
            if subjects.last?.name == row.subject {
                subjects[subjects.count - 1].deleted = subjects[subjects.count - 1].deleted && row.deleted
            } else {
                subjects.append((row.subject, row.deleted))
            }
        }
        let names = subjects.filter { subject in
            switch filter {
            case .live: !subject.deleted
            case .all: true
            case .deletedOnly: subject.deleted
            }
        }.map(\.name)
        return page.apply(names)
    }

    /// GET /subjects/{s}/versions: version numbers, soft-deleted ones negative with `deletedAsNegative`.
    public func versions(subject: String, filter: DeletedFilter = .live, deletedAsNegative: Bool = false, page: Page = Page())
        async throws -> [Int]
    {
        let subject = try SubjectName.canonical(subject)
        let rows = try await store.versions(subject: subject)
        // As Confluent: the subject must exist among live versions, or any when deleted ones are asked for
        // (`deletedAsNegative` alone does not count); then `deletedAsNegative` lists every version, and
        // `deletedOnly` may answer an empty list.
        guard rows.contains(where: { filter != .live || !$0.deleted }) else {
            throw RegistryError.subjectNotFound(subject)
        }
        let effective: DeletedFilter = deletedAsNegative ? .all : filter
        let chosen = rows.filter { effective.includes($0) }
        let numbers = chosen.map { deletedAsNegative && $0.deleted ? -$0.version : $0.version }
        return page.apply(numbers)
    }

    /// GET /subjects/{s}/versions/{v}. A subject named without a context that the default context does not
    /// have there is looked for in the named contexts `access` lets the caller read, in order (Confluent's
    /// `getUsingContexts`).
    public func version(
        subject: String, _ spec: VersionSpec, includeDeleted: Bool = false, access: ReadAccess = .everything
    ) async throws -> SchemaRecord {
        let subject = try SubjectName.canonical(subject)
        return try await inContexts(subject, access: access) { subject in
            let rows = try await store.versions(subject: subject)
            let row = try find(spec, in: rows, subject: subject, includeDeleted: includeDeleted)
            let schema = try await storedSchema(of: row)
            return SchemaRecord(subject: subject, version: row.version, schema: schema, deleted: row.deleted)
        }
    }

    /// GET /subjects/{s}/metadata: the latest version whose metadata `properties` hold every given pair
    /// (Confluent's `use.latest.with.metadata`); 40401 for an unknown subject, 40403 when no version matches.
    public func latestWithMetadata(subject: String, properties: [(String, String)], includeDeleted: Bool = false)
        async throws -> SchemaRecord
    {
        let subject = try SubjectName.canonical(subject)
        let rows = try await store.versions(subject: subject)
        let visible = includeDeleted ? rows : rows.filter { !$0.deleted }
        guard !visible.isEmpty else { throw RegistryError.subjectNotFound(subject) }
        for row in visible.reversed() {
            let schema = try await storedSchema(of: row)
            let held = Self.metadataProperties(schema.content.metadata)
            if properties.allSatisfy({ held?[$0.0]?.stringValue == $0.1 }) {
                return SchemaRecord(subject: subject, version: row.version, schema: schema, deleted: row.deleted)
            }
        }
        throw RegistryError.schemaNotFound("Schema not found")
    }

    /// GET /subjects/{s}/versions/{v}/referencedby: ids of schemas that reference this version; only ids with a
    /// subject version `access` lets the caller read are listed.
    public func referencedBy(
        subject: String, _ spec: VersionSpec, includeDeleted: Bool = false, page: Page = Page(),
        access: ReadAccess = .everything
    ) async throws -> [Int] {
        let subject = try SubjectName.canonical(subject)
        let rows = try await store.versions(subject: subject)
        let row = try find(spec, in: rows, subject: subject, includeDeleted: true)
        let ids = try await liveReferrers(subject: subject, version: row.version, includeDeleted: includeDeleted, access: access)
        return page.apply(ids)
    }

    /// Referrer ids that some (live, unless `includeDeleted`) version still uses, and that `access` lets the
    /// caller see through one of those versions.
    func liveReferrers(subject: String, version: Int, includeDeleted: Bool, access: ReadAccess = .everything)
        async throws -> [Int]
    {
        var ids: [Int] = []
        for referrer in try await store.referrers(subject: subject, version: version) {
            let uses = try await store.versions(schemaID: referrer.id, context: referrer.context)
            if uses.contains(where: { (includeDeleted || !$0.deleted) && access.canRead($0.subject) }) {
                ids.append(referrer.id)
            }
        }
        return ids
    }

    /// GET /schemas/guids/{guid}: the schema in the default context, else in the first named context that
    /// has it.
    public func schema(guid: String) async throws -> StoredSchema {
        guard let first = try await schemas(guid: guid).first else {
            throw RegistryError.schemaNotFound("Schema \(guid) not found")
        }
        return first
    }

    /// The schema with `guid` in each context that has it, the default context first.
    public func schemas(guid: String) async throws -> [StoredSchema] {
        // Guids are UUID text; anything else (long, or with control characters a database would refuse) is
        // simply not found.
        guard guid.utf8.count <= 64, !guid.unicodeScalars.contains(where: SubjectName.isControl) else { return [] }
        var found: [StoredSchema] = []
        for context in try await contexts() {
            if let schema = try await store.schema(guid: guid, context: context) { found.append(schema) }
        }
        return found
    }

    /// The largest id handed out in `context` (`fetchMaxId`).
    public func maxSchemaID(context: String = RegistryContext.defaultName) async throws -> Int {
        try await store.maxSchemaID(context: context)
    }

    /// GET /schemas/ids/{id}/versions: the subject versions that use schema `id` (of the context `subject`
    /// picks, as for GET /schemas/ids/{id}).
    public func subjectVersions(schemaID: Int, subject: String? = nil, includeDeleted: Bool = false, page: Page = Page())
        async throws -> [SubjectVersion]
    {
        let schema = try await self.schema(id: schemaID, subject: subject)
        // A subject names which versions to list; a context alone (`:.ctx:`) only where to look.
        let subject = try subject.flatMap { $0.isEmpty ? nil : $0 }.map { name throws(RegistryError) in
            try SubjectName.canonical(name)
        }.flatMap { RegistryContext.split($0).name.isEmpty ? nil : $0 }
        let qualified = subject.map { RegistryContext.referenceTarget($0, from: schema.context) }
        let rows = try await store.versions(schemaID: schemaID, context: schema.context).filter { row in
            (includeDeleted || !row.deleted) && (subject == nil || subject == row.subject || qualified == row.subject)
        }
        return page.apply(rows)
    }

    /// The subject versions that use `schema` (in its context).
    public func subjectVersions(of schema: StoredSchema, includeDeleted: Bool = false) async throws -> [SubjectVersion] {
        try await store.versions(schemaID: schema.id, context: schema.context).filter { includeDeleted || !$0.deleted }
    }

    /// GET /schemas/ids/{id}/subjects.
    public func subjects(schemaID: Int, subject: String? = nil, includeDeleted: Bool = false, page: Page = Page())
        async throws -> [String]
    {
        let rows = try await subjectVersions(schemaID: schemaID, subject: subject, includeDeleted: includeDeleted)
        var names: [String] = []
        for row in rows where names.last != row.subject { names.append(row.subject) }
        return page.apply(names)
    }

    /// GET /schemas: every (live) subject version with its schema.
    public func schemas(prefix: String? = nil, includeDeleted: Bool = false, latestOnly: Bool = false, page: Page = Page())
        async throws -> [SchemaRecord]
    {
        var rows = try await store.allVersions().filter { includeDeleted || !$0.deleted }
        if let prefix = prefix.map(SubjectName.nfc) {
            rows = rows.filter { RegistryContext.matches($0.subject, prefix: prefix) }
        }
        if latestOnly {
            var latest: [SubjectVersion] = []
            for row in rows {
                if latest.last?.subject == row.subject { latest[latest.count - 1] = row } else { latest.append(row) }
            }
            rows = latest
        }
        rows = page.apply(rows, defaultLimit: options.schemaSearchLimit, maxLimit: options.schemaSearchLimit)
        var records: [SchemaRecord] = []
        for row in rows {
            let schema = try await storedSchema(of: row)
            records.append(SchemaRecord(subject: row.subject, version: row.version, schema: schema, deleted: row.deleted))
        }
        return records
    }

    /// A stored schema in another `format`: `serialized` (Protobuf: base64 FileDescriptorProto) or
    /// `resolved` (Avro: referenced types written in). nil or an unknown format gives the stored text, and so
    /// does `resolved` when `access` hides one of the subjects the references reach.
    public func render(_ schema: StoredSchema, format: String?, access: ReadAccess = .everything) async throws -> String {
        guard let format = format?.lowercased(), !format.isEmpty else { return schema.content.schema }
        guard let rendering = try await parsed(schema).rendered(as: format) else { return schema.content.schema }
        if rendering.includesReferences && !access.isUnrestricted {
            let dependencies = try await resolve(schema.content.references, context: schema.context)
            guard dependencies.allSatisfy({ access.canRead($0.subject) }) else { return schema.content.schema }
        }
        return rendering.text
    }
}
