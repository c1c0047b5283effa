public import SchemaProviders

/// A schema's dependency on a version of another subject: an Avro named type's full name, or a `.proto` import
/// path, and where that schema is registered.
public struct SchemaReference: Sendable, Hashable, Codable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// Everything that makes up one registered schema's identity: two registrations with equal content share an id.
public struct SchemaContent: Sendable, Hashable {
    public var schemaType: SchemaType
    /// The stored text: compact JSON for Avro, canonical `.proto` text for Protobuf.
    public var schema: String
    public var references: [SchemaReference]
    /// Confluent data-contract `metadata`, kept as compact JSON text exactly as sent; nil when absent.
    public var metadata: String?
    /// Confluent data-contract `ruleSet`, compact JSON text; nil when absent.
    public var ruleSet: String?

    public init(
        schemaType: SchemaType,
        schema: String,
        references: [SchemaReference] = [],
        metadata: String? = nil,
        ruleSet: String? = nil
    ) {
        self.schemaType = schemaType
        self.schema = schema
        self.references = references
        self.metadata = metadata
        self.ruleSet = ruleSet
    }

    /// The guid Confluent Schema Registry gives this content (`ContentDigest.confluentGUID`). The registry
    /// stores it under this guid unless another type's schema already has it (`Registry.identity(of:)`).
    public var guid: String { ContentDigest.confluentGUID(of: self) }
}

/// A schema as the store keeps it: one row per distinct content in each context (`RegistryContext`), where
/// its id and guid are unique.
public struct StoredSchema: Sendable, Hashable {
    public var id: Int
    public var guid: String
    public var content: SchemaContent
    /// The context the id belongs to (`.` unless the schema was registered under a `:.ctx:` subject).
    public var context: String

    public init(id: Int, guid: String, content: SchemaContent, context: String = RegistryContext.defaultName) {
        self.id = id
        self.guid = guid
        self.content = content
        self.context = context
    }

    /// The id with its context.
    public var key: ContextualID { ContextualID(context: context, id: id) }
}

/// One version of a subject: which schema it is, and whether it was soft-deleted.
public struct SubjectVersion: Sendable, Hashable {
    public var subject: String
    public var version: Int
    public var schemaID: Int
    public var deleted: Bool

    public init(subject: String, version: Int, schemaID: Int, deleted: Bool = false) {
        self.subject = subject
        self.version = version
        self.schemaID = schemaID
        self.deleted = deleted
    }
}

/// Whether a subject (or the whole registry) takes writes.
public enum RegistryMode: String, Sendable, Hashable, CaseIterable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    case readOnlyOverride = "READONLY_OVERRIDE"
    case `import` = "IMPORT"

    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// Reads are always allowed; registration and deletion need one of these.
    var allowsWrites: Bool { self == .readWrite || self == .import }
}
