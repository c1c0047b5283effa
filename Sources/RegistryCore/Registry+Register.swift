import SchemaProviders
import JSONSupport
import SchemaCompatibility
import Synchronization

/// A schema as a client sends it to register, look up or check.
public struct SchemaRequest: Sendable, Hashable {
    public var schemaType: SchemaType
    /// nil or empty: reuse the subject's latest schema (a metadata-only new version), as Confluent does.
    public var schema: String?
    public var references: [SchemaReference]
    /// Compact JSON text of `metadata`, if sent.
    public var metadata: String?
    /// Compact JSON text of `ruleSet`, if sent.
    public var ruleSet: String?
    /// An explicit id (IMPORT mode only).
    public var id: Int?
    /// An explicit version (IMPORT mode only).
    public var version: Int?

    public init(
        schemaType: SchemaType = .avro,
        schema: String?,
        references: [SchemaReference] = [],
        metadata: String? = nil,
        ruleSet: String? = nil,
        id: Int? = nil,
        version: Int? = nil
    ) {
        self.schemaType = schemaType
        self.schema = schema
        self.references = references
        self.metadata = metadata
        self.ruleSet = ruleSet
        self.id = id
        self.version = version
    }
}

/// What a registration answers.
public struct RegistrationResult: Sendable, Hashable {
    public var id: Int
    public var version: Int
    public var guid: String
    public var schemaType: SchemaType
    /// The stored text (canonical form), which may differ from what was sent.
    public var schema: String
}

/// One subject version with its schema, as the read endpoints return it.
public struct SchemaRecord: Sendable, Hashable {
    public var subject: String
    public var version: Int
    public var schema: StoredSchema
    public var deleted: Bool
}

/// The outcome of a compatibility check.
public struct CompatibilityReport: Sendable, Hashable {
    public var isCompatible: Bool
    /// Confluent's verbose messages.
    public var messages: [String]
    /// The same findings as data.
    public var incompatibilities: [Incompatibility]
}

extension Registry {
    /// Registers a schema under `subject` (POST /subjects/{s}/versions). `access` is what the caller may read:
    /// references to other subjects resolve only through it.
    ///
    /// The compatibility check runs before the store's write transaction (on PostgreSQL that transaction holds
    /// the cluster-wide write lock), against the versions and settings read then; inside the transaction the
    /// decision is only re-checked when another writer changed the subject's live versions, config or mode
    /// in between.
    public func register(
        subject: String, request: SchemaRequest, normalize: Bool = false, force: Bool = false,
        access: ReadAccess = .everything
    ) async throws -> RegistrationResult {
        let subject = try SubjectName.writable(subject)
        let mode = try await effectiveMode(subject: subject)
        try Self.checkRegistrationMode(mode, subject: subject, request: request)
        if let id = request.id, id < 1 {
            throw RegistryError.unprocessable("Invalid schema id \(id)")
        }
        if let version = request.version, version < 1 || version > Int(Int32.max) {
            throw RegistryError.invalidVersion(String(version))
        }
        if (request.schema?.utf8.count ?? 0) > options.maxSchemaBytes {
            throw RegistryError.schemaTooLarge()
        }
        if let ruleSet = request.ruleSet {
            try Contract.validate(ruleSet: ruleSet)
        }
        let config = try await effectiveConfig(subject: subject)
        let context = RegistryContext.context(of: subject)
        // The subject's versions, and the latest live one's content when the request takes anything from it.
        let rows = try await store.versions(subject: subject)
        let takesFromPrevious =
            (request.schema?.isEmpty ?? true) || (mode != .import && (request.metadata == nil || request.ruleSet == nil))
        var previous: SchemaContent?
        if takesFromPrevious, let latest = rows.last(where: { !$0.deleted }) {
            previous = try await storedSchema(of: latest).content
        }
        var request = try Self.fillingEmptySchema(request, from: previous)
        if mode != .import {
            request = resolvingContract(request, versions: rows, previous: previous, config: config)
        }
        request.references = try await pinned(request.references, context: context, access: access)
        let dependencies = try await resolve(request.references, context: context, access: access)
        let (parsed, stored) = try formats.prepare(
            type: request.schemaType,
            text: request.schema ?? "",
            dependencies: dependencies,
            normalize: normalize || config.normalize
        )
        let content = SchemaContent(
            schemaType: request.schemaType,
            schema: stored,
            references: request.references,
            metadata: request.metadata,
            ruleSet: request.ruleSet
        )
        let (guid, existing) = try await identity(of: content, context: context)
        let skipCheck = force || mode == .import
        // The check, outside the write transaction; skipped when the content is already a live version here
        // (then no check is needed at all, as in Confluent).
        let before = rows.filter { !$0.deleted }
        var early: PreCheck?
        if !skipCheck {
            if existing == nil || !before.contains(where: { $0.schemaID == existing?.id }) {
                let report = try await check(
                    parsed, metadata: request.metadata, against: before, config: config, transitiveAware: true)
                early = PreCheck(live: before, config: config, report: report)
            }
        }
        let precheck = early
        let created = CreatedFlag()
        let finalRequest = request
        let row = try await store.register(subject: subject, content: content, guid: guid) { state in
            if let same = state.sameContent, same.content.schemaType != content.schemaType {
                // Another writer stored a schema of another type with this text since `identity(of:)` looked.
                throw RegistryError.invalidSchema(
                    "of type \(content.schemaType.rawValue): the same text was just registered as \(same.content.schemaType.rawValue); retry")
            }
            if let same = state.sameContent,
                let live = state.versions.last(where: { !$0.deleted && $0.schemaID == same.id })
            {
                if let requested = finalRequest.id, requested != same.id {
                    throw RegistryError.idConflict(
                        "Error while registering: schema already registered with id \(same.id) instead of input id \(requested)")
                }
                created.set(false)
                return .existing(live)
            }
            let live = state.versions.filter { !$0.deleted }
            // Confluent's second pass: a live version whose schema means the same (e.g. other key order).
            if finalRequest.version == nil,
                let (equivalent, schema) = try await self.equivalentVersion(of: parsed, content: content, among: live),
                finalRequest.id == nil || finalRequest.id == schema.id
            {
                created.set(false)
                return .existing(equivalent)
            }
            // Outside IMPORT mode an explicit version must be the next one.
            if mode != .import, let requested = finalRequest.version,
                requested != (state.versions.map(\.version).max() ?? 0) + 1
            {
                throw RegistryError(code: 42201, "Version is not one more than previous version")
            }
            // A mode or config another request changed since the check is honoured.
            let modeNow = try await self.effectiveMode(subject: subject)
            try Self.checkRegistrationMode(modeNow, subject: subject, request: finalRequest)
            if !(force || modeNow == .import) {
                let configNow = try await self.effectiveConfig(subject: subject)
                let report: CompatibilityReport
                if let precheck, precheck.live == live, precheck.config == configNow {
                    report = precheck.report
                } else {
                    report = try await self.check(
                        parsed, metadata: finalRequest.metadata, against: live, config: configNow, transitiveAware: true)
                }
                if !report.isCompatible {
                    throw RegistryError.incompatible(
                        "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(report.messages.joined(separator: ", "))]"
                    )
                }
            }
            created.set(true)
            let holder = try await finalRequest.id.asyncFlatMap { try await self.store.schema(id: $0, context: context) }
            return try Allocation.create(
                subject: subject, in: state, requestedID: finalRequest.id, requestedVersion: finalRequest.version,
                holderOfRequestedID: holder)
        }
        if created.value {
            try await tombstoneEarlierDeletedVersions(of: row)
        }
        observer?.registered(schemaType: request.schemaType, created: created.value)
        return RegistrationResult(id: row.schemaID, version: row.version, guid: guid, schemaType: request.schemaType, schema: stored)
    }

    /// The guid `content` is stored under, and the schema stored there if any: Confluent's guid, unless a
    /// schema of another type already holds it; then, as for content an earlier Accord stored, the typed guid.
    func identity(of content: SchemaContent, context: String) async throws -> (guid: String, existing: StoredSchema?) {
        let confluent = ContentDigest.confluentGUID(of: content)
        let found = try await store.schema(guid: confluent, context: context)
        if let found, found.content.schemaType == content.schemaType {
            return (confluent, found)
        }
        let typed = ContentDigest.typedGUID(of: content)
        if let stored = try await store.schema(guid: typed, context: context) {
            return (typed, stored)
        }
        return (found == nil ? confluent : typed, nil)
    }

    /// What a mode allows a registration: none in READONLY, explicit ids only in IMPORT.
    private static func checkRegistrationMode(_ mode: RegistryMode, subject: String, request: SchemaRequest) throws {
        switch mode {
        case .readOnly, .readOnlyOverride:
            throw RegistryError.operationNotPermitted("Subject \(subject) is in read-only mode")
        case .readWrite where request.id != nil:
            throw RegistryError.operationNotPermitted("Subject \(subject) is not in import mode")
        case .import where request.id == nil:
            throw RegistryError.operationNotPermitted("Subject \(subject) is not in read-write mode")
        case .readWrite, .import:
            break
        }
    }

    /// After a new version reuses an id, Confluent permanently removes the subject's soft-deleted earlier
    /// versions with that id, unless some schema (soft-deleted ones included) still references them
    /// (`KafkaSchemaRegistry.register`, "Tombstone previous version with the same ID").
    private func tombstoneEarlierDeletedVersions(of row: SubjectVersion) async throws {
        var doomed: [Int] = []
        for old in try await store.versions(subject: row.subject)
        where old.deleted && old.schemaID == row.schemaID && old.version < row.version {
            if try await store.referrers(subject: old.subject, version: old.version).isEmpty {
                doomed.append(old.version)
            }
        }
        if !doomed.isEmpty {
            try await store.permanentlyDelete(subject: row.subject, versions: doomed)
        }
    }

    /// An empty `schema` means "the latest version's schema with new metadata or rules".
    private static func fillingEmptySchema(_ request: SchemaRequest, from previous: SchemaContent?) throws -> SchemaRequest {
        guard request.schema?.isEmpty ?? true else { return request }
        guard let previous else { throw RegistryError.invalidSchema("Empty schema") }
        var filled = request
        filled.schemaType = previous.schemaType
        filled.schema = previous.schema
        filled.references = previous.references
        return filled
    }

    /// Finds the version of `subject` whose schema is `request` (POST /subjects/{s}); references resolve only
    /// through what `access` lets the caller read.
    public func lookup(
        subject: String, request: SchemaRequest, normalize: Bool = false, includeDeleted: Bool = false,
        access: ReadAccess = .everything
    ) async throws -> SchemaRecord {
        let subject = try SubjectName.canonical(subject)
        return try await inContexts(subject, access: access) { subject in
            try await lookup(
                canonicalSubject: subject, request: request, normalize: normalize, includeDeleted: includeDeleted,
                access: access)
        }
    }

    private func lookup(
        canonicalSubject subject: String, request: SchemaRequest, normalize: Bool, includeDeleted: Bool,
        access: ReadAccess
    ) async throws -> SchemaRecord {
        let context = RegistryContext.context(of: subject)
        let rows = try await store.versions(subject: subject)
        let candidates = includeDeleted ? rows : rows.filter { !$0.deleted }
        guard !candidates.isEmpty else { throw RegistryError.subjectNotFound(subject) }
        let config = try await effectiveConfig(subject: subject)
        var request = request
        request.references = try await pinned(request.references, context: context, access: access)
        let dependencies = try await resolve(request.references, context: context, access: access)
        let (parsed, stored) = try formats.prepare(
            type: request.schemaType, text: request.schema ?? "", dependencies: dependencies,
            normalize: normalize || config.normalize)
        let content = SchemaContent(
            schemaType: request.schemaType, schema: stored, references: request.references,
            metadata: request.metadata, ruleSet: request.ruleSet)
        if let same = try await identity(of: content, context: context).existing,
            let row = candidates.last(where: { $0.schemaID == same.id })
        {
            return SchemaRecord(subject: subject, version: row.version, schema: same, deleted: row.deleted)
        }
        // Then a version whose schema means the same (Confluent's canLookup); clients that do not send
        // metadata still find a version registered with some.
        if let (row, schema) = try await equivalentVersion(
            of: parsed, content: content, among: candidates, metadataOptional: true)
        {
            return SchemaRecord(subject: subject, version: row.version, schema: schema, deleted: row.deleted)
        }
        if request.metadata == nil && request.ruleSet == nil {
            for row in candidates.reversed() {
                let schema = try await storedSchema(of: row)
                if schema.content.schemaType == content.schemaType, schema.content.schema == content.schema,
                    schema.content.references == content.references
                {
                    return SchemaRecord(subject: subject, version: row.version, schema: schema, deleted: row.deleted)
                }
            }
        }
        throw RegistryError.schemaNotFound("Schema not found")
    }

    /// POST /compatibility/subjects/{s}/versions/{v} (one version) or, with `version` nil,
    /// POST /compatibility/subjects/{s}/versions (the versions the subject's level names).
    public func checkCompatibility(
        subject: String,
        version: VersionSpec?,
        request: SchemaRequest,
        normalize: Bool = false,
        verbose: Bool = false,
        access: ReadAccess = .everything
    ) async throws -> CompatibilityReport {
        let subject = try SubjectName.canonical(subject)
        let config = try await effectiveConfig(subject: subject)
        let rows = try await store.versions(subject: subject).filter { !$0.deleted }
        let context = RegistryContext.context(of: subject)
        let parsed: any ParsedSchema
        do {
            var previous: SchemaContent?
            if request.schema?.isEmpty ?? true, let latest = rows.last {
                previous = try await storedSchema(of: latest).content
            }
            var request = try Self.fillingEmptySchema(request, from: previous)
            request.references = try await pinned(request.references, context: context, access: access)
            let dependencies = try await resolve(request.references, context: context, access: access)
            parsed = try formats.prepare(
                type: request.schemaType, text: request.schema ?? "", dependencies: dependencies,
                normalize: normalize || config.normalize
            ).parsed
        } catch let error as RegistryError where verbose && error.code == 42201 {
            return CompatibilityReport(isCompatible: false, messages: [error.message], incompatibilities: [])
        }
        let against: [SubjectVersion]
        switch version {
        case nil:
            against = rows
        case .latest?:
            against = rows.last.map { [$0] } ?? []
        case .number(let number)?:
            // Confluent answers 40402 for a missing number whether or not the subject exists.
            guard let row = rows.first(where: { $0.version == number }) else {
                throw RegistryError.versionNotFound(number, subject: subject)
            }
            against = [row]
        }
        let report = try await check(
            parsed, metadata: request.metadata, against: against, config: config, transitiveAware: version == nil)
        return report
    }

    /// Checks `new` against `rows` (live versions, ascending). With `transitiveAware`, the level decides
    /// between the latest and all of them; otherwise every row given is checked.
    func check(
        _ new: any ParsedSchema,
        metadata: String?,
        against rows: [SubjectVersion],
        config: EffectiveConfig,
        transitiveAware: Bool
    ) async throws -> CompatibilityReport {
        var candidates = rows
        if let group = config.compatibilityGroup {
            let value = Self.metadataProperty(metadata, group)
            var kept: [SubjectVersion] = []
            for row in candidates {
                let schema = try await storedSchema(of: row)
                if Self.metadataProperty(schema.content.metadata, group) == value { kept.append(row) }
            }
            candidates = kept
        }
        if config.level == .none || candidates.isEmpty {
            observer?.compatibilityChecked(compatible: true)
            return CompatibilityReport(isCompatible: true, messages: [], incompatibilities: [])
        }
        if transitiveAware && !config.level.isTransitive, let last = candidates.last {
            candidates = [last]
        }
        var messages: [String] = []
        var found: [Incompatibility] = []
        for row in candidates.reversed() {
            let stored = try await storedSchema(of: row)
            let previous = try await parsed(stored)
            let problems = try formats.incompatibilities(
                new: new, previous: previous, level: config.level, options: config.compatibilityOptions)
            guard !problems.isEmpty else { continue }
            for var problem in problems {
                problem.version = row.version
                found.append(problem)
                messages.append(
                    "{errorType:'\(problem.kind)', description:'\(problem.message)', additionalInfo:'\(problem.path)'}")
            }
            messages.append("{oldSchemaVersion: \(row.version)}")
            messages.append("{oldSchema: '\(stored.content.schema)'}")
        }
        if !found.isEmpty {
            messages.append("{validateFields: 'false', compatibility: '\(config.level.rawValue)'}")
        }
        observer?.compatibilityChecked(compatible: found.isEmpty)
        return CompatibilityReport(isCompatible: found.isEmpty, messages: messages, incompatibilities: found)
    }

    static func metadataProperty(_ metadata: String?, _ key: String) -> String? {
        metadataProperties(metadata)?[key]?.stringValue
    }

    /// The `properties` object of stored metadata text, parsed once for any number of look-ups.
    static func metadataProperties(_ metadata: String?) -> JSONObject? {
        guard let metadata, case .object(let object)? = try? JSONParser.parse(metadata),
            case .object(let properties)? = object["properties"]
        else { return nil }
        return properties
    }
}

/// A compatibility verdict reached before the write transaction, and what it was reached on.
private struct PreCheck: Sendable {
    var live: [SubjectVersion]
    var config: EffectiveConfig
    var report: CompatibilityReport
}

/// Whether the store's last call of a registration decision created a version.
private final class CreatedFlag: Sendable {
    private let state = Mutex(false)
    func set(_ value: Bool) { state.withLock { $0 = value } }
    var value: Bool { state.withLock { $0 } }
}
