import JSONSupport
import SchemaCompatibility
import ProtobufCompatibility
public import SchemaProviders
import Synchronization

/// Defaults that apply where neither the subject nor the global configuration says otherwise.
public struct RegistryOptions: Sendable {
    /// Confluent's default compatibility level (`schema.compatibility.level=backward`).
    public var defaultCompatibility: CompatibilityLevel
    /// The Protobuf rule set when no config names one.
    public var defaultProtobufRules: ProtoRuleSet
    /// The deepest chain of references a schema may have.
    public var maxReferenceDepth: Int
    /// The memory the registry's caches may take, in bytes, weighed by content size: half for parsed schemas,
    /// an eighth for Avro normalized forms; `CachingStore` is given the rest (`cacheMemoryShareForStore`).
    public var cacheMemoryBytes: Int
    /// `GET /schemas` page size when no limit is given, and its maximum.
    public var schemaSearchLimit: Int
    /// The largest schema text a registration may carry, in bytes (Confluent's store takes about 1 MB a
    /// record); larger is refused with 42209. The HTTP body limit is separate and larger.
    public var maxSchemaBytes: Int
    /// The schema formats the registry accepts, one provider each.
    public var providers: SchemaProviders

    public init(
        defaultCompatibility: CompatibilityLevel = .backward,
        defaultProtobufRules: ProtoRuleSet = .confluent,
        maxReferenceDepth: Int = 32,
        cacheMemoryBytes: Int = 256 << 20,
        schemaSearchLimit: Int = 1000,
        maxSchemaBytes: Int = 1 << 20,
        providers: SchemaProviders = .standard
    ) {
        self.maxSchemaBytes = maxSchemaBytes
        self.providers = providers
        self.defaultCompatibility = defaultCompatibility
        self.defaultProtobufRules = defaultProtobufRules
        self.maxReferenceDepth = maxReferenceDepth
        self.cacheMemoryBytes = cacheMemoryBytes
        self.schemaSearchLimit = schemaSearchLimit
    }

    /// The part of `cacheMemoryBytes` left for a `CachingStore` in front of the store.
    public var cacheMemoryShareForStore: Int { cacheMemoryBytes / 8 * 3 }
}

/// Which subjects a caller may read, for the paths that read another subject on the caller's behalf:
/// references (registration, lookup, compatibility, `format=resolved`) and referrers. A subject the caller may
/// not read looks exactly like a missing one.
public struct ReadAccess: Sendable {
    private let allows: @Sendable (String) -> Bool
    /// True for `everything`: callers may skip work that only serves the check.
    public let isUnrestricted: Bool

    public init(_ allows: @escaping @Sendable (String) -> Bool) {
        self.allows = allows
        self.isUnrestricted = false
    }

    private init(unrestricted: Void) {
        allows = { _ in true }
        isUnrestricted = true
    }

    /// No restriction (in-process callers, the CLI, a server without authentication).
    public static let everything = ReadAccess(unrestricted: ())

    public func canRead(_ subject: String) -> Bool { allows(subject) }
}

/// Counts the core reports (the server turns them into metrics).
public protocol RegistryObserver: Sendable {
    func parsedCache(hit: Bool)
    func registered(schemaType: SchemaType, created: Bool)
    func compatibilityChecked(compatible: Bool)
    /// How long one store call took (`operation` names the protocol method).
    func storeCall(_ operation: String, duration: Duration)
}

/// The registry: Confluent Schema Registry's rules over a `RegistryStore`. Every operation the REST API offers
/// is a method here; the HTTP layer only translates. Errors a client caused are `RegistryError`s; anything
/// else came from the store.
public final class Registry: Sendable {
    public let store: any RegistryStore
    public let options: RegistryOptions
    let observer: (any RegistryObserver)?
    let parsedCache: Mutex<WeightedCache<ContextualID, ParsedEntry>>
    /// Avro normalized forms by guid (content-derived, never stale), for the equivalence pass of lookups and
    /// registrations (Registry+Equivalence.swift).
    let normalizedForms: Mutex<WeightedCache<String, String>>
    let formats: SchemaFormats

    public init(store: any RegistryStore, options: RegistryOptions = RegistryOptions(), observer: (any RegistryObserver)? = nil) {
        self.store = store
        self.options = options
        self.observer = observer
        self.parsedCache = Mutex(WeightedCache(budget: options.cacheMemoryBytes / 2))
        self.normalizedForms = Mutex(WeightedCache(budget: options.cacheMemoryBytes / 8))
        self.formats = SchemaFormats(providers: options.providers)
    }

    /// The schema types this registry parses.
    public var schemaTypes: [String] { options.providers.types.map(\.rawValue) }

    /// Follows another node's writes: drops cached schemas that were permanently deleted. Runs until the
    /// store's feed ends or the task is cancelled.
    public func followExternalChanges() async {
        for await change in store.externalChanges() {
            switch change {
            case .schemasDeleted(let ids):
                forget(ids)
            case .resynchronize:
                parsedCache.withLock { $0.removeAll() }
            case .subjectChanged, .globalChanged:
                break
            }
        }
    }

    func forget(_ ids: [ContextualID]) {
        parsedCache.withLock { cache in
            for id in ids { cache.remove(id) }
        }

    }

    // MARK: Subjects and versions

    /// Where a subject's config and mode are looked for, in order, as Confluent's `lookupCache.config`/`mode`:
    /// the subject's own; then, for a subject of a named context (or the context itself, `:.ctx:`), that
    /// context's (`:.ctx:`), else the global one (nil); then `:.__GLOBAL:`, which applies in every context. The
    /// default context's global config is not among a named context's fallbacks, in Confluent as here.
    func settingScopes(of subject: String?) -> [String?] {
        // nil, the global scope, is its own first scope.
        var scopes: [String?] = [subject]
        if let subject {
            let context = RegistryContext.context(of: subject)
            if context == RegistryContext.defaultName {
                scopes.append(nil)
            } else if context != Self.globalContext, RegistryContext.qualified("", in: context) != subject {
                scopes.append(RegistryContext.qualified("", in: context))
            }
        }
        if subject != Self.globalScope { scopes.append(Self.globalScope) }
        return scopes
    }

    /// Confluent's `.__GLOBAL` context: its config and mode (`/config/:.__GLOBAL:`) apply in every context.
    static let globalContext = ".__GLOBAL"
    static let globalScope = RegistryContext.qualified("", in: globalContext)

    /// The effective configuration of `subject`: each field from the first scope of `settingScopes` that sets
    /// it, else the defaults.
    func effectiveConfig(subject: String?) async throws -> EffectiveConfig {
        var merged = SubjectConfig()
        for scope in settingScopes(of: subject) {
            if let config = try await store.config(subject: scope) { merged = merged.filling(from: config) }
        }
        let other = merged.other
        return EffectiveConfig(
            level: merged.compatibilityLevel ?? options.defaultCompatibility,
            normalize: merged.normalize ?? false,
            protobufRules: merged.protobufRules ?? options.defaultProtobufRules,
            policy: merged.compatibilityPolicy ?? .strict,
            compatibilityGroup: merged.compatibilityGroup,
            contractDefaults: ContractDefaults(
                defaultMetadata: other["defaultMetadata"]?.objectValue,
                overrideMetadata: other["overrideMetadata"]?.objectValue,
                defaultRuleSet: other["defaultRuleSet"]?.objectValue,
                overrideRuleSet: other["overrideRuleSet"]?.objectValue)
        )
    }

    /// The mode writes to `subject` are under: the first scope of `settingScopes` that has one.
    func effectiveMode(subject: String?) async throws -> RegistryMode {
        for scope in settingScopes(of: subject) {
            if let mode = try await store.mode(subject: scope) { return mode }
        }
        return .readWrite
    }

    func requireWritable(subject: String) async throws {
        let mode = try await effectiveMode(subject: subject)
        guard mode.allowsWrites else {
            throw RegistryError.operationNotPermitted("Subject \(subject) is in read-only mode")
        }
    }

    /// The version a request names, among `rows`; `includeDeleted` lets soft-deleted versions match.
    func find(_ spec: VersionSpec, in rows: [SubjectVersion], subject: String, includeDeleted: Bool) throws -> SubjectVersion {
        let visible = includeDeleted ? rows : rows.filter { !$0.deleted }
        guard !rows.isEmpty else { throw RegistryError.subjectNotFound(subject) }
        switch spec {
        case .latest:
            // `latest` is the latest live version even when deleted ones are asked for, as Confluent's
            // getLatestVersion; a subject with only soft-deleted versions then has no such version (40402).
            guard let latest = rows.last(where: { !$0.deleted }) else {
                if includeDeleted { throw RegistryError.versionNotFound(-1, subject: subject) }
                throw RegistryError.subjectNotFound(subject)
            }
            return latest
        case .number(let number):
            guard let row = visible.first(where: { $0.version == number }) else {
                if !includeDeleted, !rows.contains(where: { !$0.deleted }) {
                    throw RegistryError.subjectNotFound(subject)
                }
                throw RegistryError.versionNotFound(number, subject: subject)
            }
            return row
        }
    }

    func storedSchema(id: Int, context: String) async throws -> StoredSchema {
        guard let schema = try await store.schema(id: id, context: context) else {
            throw RegistryError.schemaNotFound("Schema \(id) not found")
        }
        return schema
    }

    /// The schema a subject version uses (in the subject's context).
    func storedSchema(of row: SubjectVersion) async throws -> StoredSchema {
        try await storedSchema(id: row.schemaID, context: RegistryContext.context(of: row.subject))
    }

    // MARK: References and parsing

    /// The transitive references of `references` (of a schema in `context`), each after its own references,
    /// without repeats. A subject `access` does not let the caller read is reported exactly as a missing one.
    func resolve(_ references: [SchemaReference], context: String, access: ReadAccess = .everything) async throws
        -> [ResolvedDependency]
    {
        var resolved: [ResolvedDependency] = []
        var done = Set<String>()
        var inProgress = Set<String>()
        try await resolve(
            references, context: context, depth: 0, access: access, into: &resolved, done: &done,
            inProgress: &inProgress)
        return resolved
    }

    /// A request's references with subjects in canonical form and floating versions (`-1`, "the latest")
    /// pinned to the version they name now, as Confluent does before storing: a stored `-1` would escape
    /// `referencedby`, let the referenced version be deleted, and leave the referrer unable to resolve later.
    func pinned(_ references: [SchemaReference], context: String, access: ReadAccess) async throws -> [SchemaReference] {
        var pinned: [SchemaReference] = []
        for var reference in references {
            reference.subject = try SubjectName.canonical(reference.subject)
            let target = RegistryContext.referenceTarget(reference.subject, from: context)
            guard !reference.name.isEmpty, reference.name.utf8.count <= SubjectName.maxBytes,
                !reference.name.unicodeScalars.contains(where: SubjectName.isControl)
            else {
                throw RegistryError.invalidSchema("a reference's name must be 1 to 4096 bytes without control characters")
            }
            if reference.version == -1 {
                let rows = access.canRead(target) ? try await store.versions(subject: target) : []
                guard let latest = rows.last(where: { !$0.deleted }) else {
                    throw RegistryError.invalidSchema(
                        "reference '\(reference.name)' to subject '\(reference.subject)' version -1 was not found")
                }
                reference.version = latest.version
            }
            pinned.append(reference)
        }
        return pinned
    }

    private func resolve(
        _ references: [SchemaReference],
        context: String,
        depth: Int,
        access: ReadAccess,
        into resolved: inout [ResolvedDependency],
        done: inout Set<String>,
        inProgress: inout Set<String>
    ) async throws {
        guard depth < options.maxReferenceDepth else {
            throw RegistryError.invalidSchema("references nest deeper than \(options.maxReferenceDepth) levels")
        }
        for reference in references {
            let target = RegistryContext.referenceTarget(reference.subject, from: context)
            let key = "\(target)\u{0}\(reference.version)"
            if done.contains(key) { continue }
            guard inProgress.insert(key).inserted else {
                throw RegistryError.invalidSchema("circular reference through subject '\(reference.subject)'")
            }
            guard !reference.name.isEmpty else {
                throw RegistryError.invalidSchema("a reference has an empty name")
            }
            // Hidden subjects read as empty, so they fail exactly as missing ones do.
            let rows = access.canRead(target) ? try await store.versions(subject: target) : []
            let spec: VersionSpec = reference.version == -1 ? .latest : .number(reference.version)
            guard let row = try? find(spec, in: rows, subject: target, includeDeleted: false),
                let schema = try await store.schema(id: row.schemaID, context: RegistryContext.context(of: target))
            else {
                throw RegistryError.invalidSchema(
                    "reference '\(reference.name)' to subject '\(reference.subject)' version \(reference.version) was not found")
            }
            try await resolve(
                schema.content.references, context: schema.context, depth: depth + 1, access: access,
                into: &resolved, done: &done, inProgress: &inProgress)
            inProgress.remove(key)
            done.insert(key)
            resolved.append(ResolvedDependency(name: reference.name, schema: schema, subject: target))
        }
    }

    /// The parsed form of a stored schema, from the cache when it is there.
    func parsed(_ stored: StoredSchema) async throws -> any ParsedSchema {
        if let cached = parsedCache.withLock({ $0.get(stored.key) }), cached.guid == stored.guid {
            observer?.parsedCache(hit: true)
            return cached.parsed
        }
        observer?.parsedCache(hit: false)
        let dependencies = try await resolve(stored.content.references, context: stored.context)
        let parsed = try formats.parseStored(stored, dependencies: dependencies)
        let weight = ParsedEntry.weight(of: stored, dependencies: dependencies)
        parsedCache.withLock { $0.put(stored.key, ParsedEntry(guid: stored.guid, parsed: parsed), weight: weight) }
        return parsed
    }
}

/// A subject's effective settings.
struct EffectiveConfig: Sendable, Hashable {
    var level: CompatibilityLevel
    var normalize: Bool
    var protobufRules: ProtoRuleSet
    var policy: CompatibilityPolicy
    var compatibilityGroup: String?
    /// The config's `defaultMetadata`, `overrideMetadata`, `defaultRuleSet` and `overrideRuleSet`.
    var contractDefaults: ContractDefaults

    /// What the format checkers are told.
    var compatibilityOptions: CompatibilityOptions {
        CompatibilityOptions(protobufRules: protobufRules, policy: policy)
    }
}

/// Which version a request names: a number, or `latest` (also spelled `-1`).
public enum VersionSpec: Sendable, Hashable {
    case latest
    case number(Int)

    /// Parses a path segment; anything but `latest`, `-1` or 1…2^31−1 is 42202.
    public init(_ text: String) throws(RegistryError) {
        if text == "latest" || text == "-1" {
            self = .latest
            return
        }
        guard text.utf8.count <= 10, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text),
            number >= 1, number <= Int(Int32.max)
        else {
            throw .invalidVersion(text)
        }
        self = .number(number)
    }
}

/// A parsed schema in the cache, with the guid of the content it was parsed from.
struct ParsedEntry {
    var guid: String
    var parsed: any ParsedSchema

    /// What a parsed schema costs in memory, estimated from its text and its dependencies' texts. The security
    /// review measured 50 to 80 MB for one 100,000-field Avro record (about 4.5 MB of text), 11 to 18 bytes per
    /// byte; 32 errs on the side of the budget and leaves room for Protobuf's descriptors and indexes.
    static func weight(of stored: StoredSchema, dependencies: [ResolvedDependency]) -> Int {
        let text = dependencies.reduce(stored.content.schema.utf8.count) { $0 + $1.schema.content.schema.utf8.count }
        return text.multipliedReportingOverflow(by: 32).overflow ? Int.max : text * 32
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
