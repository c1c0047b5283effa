public import JSONSupport

/// A reference from one schema to a version of another subject.
public struct RegistryReference: Sendable, Hashable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// A schema as sent to and received from the registry.
public struct RegistrySchema: Sendable, Hashable {
    /// `AVRO`, `PROTOBUF` or `JSON`.
    public var schemaType: String
    public var schema: String
    public var references: [RegistryReference]
    /// Confluent's data-contract `metadata` object, sent and received as is; nil when absent.
    public var metadata: JSONValue?
    /// Confluent's data-contract `ruleSet` object (`domainRules`, `migrationRules`, …); nil when absent.
    public var ruleSet: JSONValue?

    public init(
        schemaType: String = "AVRO", schema: String, references: [RegistryReference] = [], metadata: JSONValue? = nil,
        ruleSet: JSONValue? = nil
    ) {
        self.schemaType = schemaType
        self.schema = schema
        self.references = references
        self.metadata = metadata
        self.ruleSet = ruleSet
    }
}

/// A schema under a subject version.
public struct SubjectSchema: Sendable, Hashable {
    public var subject: String
    public var version: Int
    public var id: Int
    /// The content guid, when the registry gives one.
    public var guid: String?
    public var schema: RegistrySchema
}

/// A schema by id or guid.
public struct IdentifiedSchema: Sendable, Hashable {
    public var id: Int?
    public var guid: String?
    public var schema: RegistrySchema
}

/// A referenced schema under the name its referrer uses for it (an Avro type's full name, a `.proto` import path).
public struct NamedSchema: Sendable, Hashable {
    public var name: String
    public var schema: RegistrySchema
    /// Where it is registered.
    public var subject: String
    public var version: Int
}

/// What a registration answered.
public struct Registration: Sendable, Hashable {
    public var id: Int
    public var version: Int?
    public var guid: String?
}

/// A compatibility verdict.
public struct CompatibilityAnswer: Sendable, Hashable {
    public var isCompatible: Bool
    /// Confluent's verbose messages (with `verbose`).
    public var messages: [String]
    /// The same findings as data, where the registry gives them (Accord's `incompatibilities` extension).
    public var incompatibilities: [RegistryIncompatibility]
}

/// One reason a schema is incompatible, as Accord's registry reports it.
public struct RegistryIncompatibility: Sendable, Hashable {
    public var kind: String
    /// A JSON pointer into the new schema (Avro) or a path of names (Protobuf).
    public var path: String
    public var message: String
    /// The registry version it breaks.
    public var version: Int?
    /// `backward` or `forward`.
    public var direction: String?
}

/// Which version a call names.
public enum VersionSelector: Sendable, Hashable, CustomStringConvertible {
    case latest
    case number(Int)

    public var description: String {
        switch self {
        case .latest: "latest"
        case .number(let number): String(number)
        }
    }
}
