public import ProtobufCompatibility
public import SchemaCompatibility

/// Everything Accord does with one schema language: parse, render, judge compatibility, build payload codecs.
/// The registry core, the CLI and the serializers look a provider up by `SchemaType` (`SchemaProviders`) and
/// never switch on the format themselves.
public protocol SchemaProvider: Sendable {
    var type: SchemaType { get }
    /// File name extensions, without the leading dot and in lower case, whose files hold this format's schemas
    /// (several parts allowed: `schema.json`).
    var fileExtensions: [String] { get }

    /// Parses schema text whose references are `imports`: the referenced schemas' text under the names the
    /// text uses for them (transitive ones included, each before the schemas using it), or directories
    /// to search (files on disk). `path` names the text where the format has file names (Protobuf imports).
    func parse(_ text: String, path: String?, imports: SchemaImports) throws(SchemaProviderError) -> any ParsedSchema

    /// Every reason `new` cannot stand after `history` (oldest first) under `level`, tagged with the position
    /// in `history` and the direction. Both must be this provider's schemas.
    func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel,
        options: CompatibilityOptions
    ) throws(SchemaProviderError) -> CompatibilityResult

    /// The 1-based line and column in the new schema's `text` of what `finding` is about, for annotations that
    /// point into the file; nil when the finding's path does not lead into the new schema.
    func sourcePosition(of finding: Incompatibility, inNewSchema text: String) -> (line: Int, column: Int)?
}

extension SchemaProvider {
    /// Applies a format's reader/writer `rules` to `new` and `history`, each unwrapped to the format's schema
    /// by `schema`; a check over its work budget is an error, not a verdict.
    func check<Rules: ReaderWriterCompatibility>(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel, rules: Rules,
        schema: (any ParsedSchema) throws(SchemaProviderError) -> Rules.Schema
    ) throws(SchemaProviderError) -> CompatibilityResult {
        let newSchema = try schema(new)
        var earlier: [Rules.Schema] = []
        for parsed in history { earlier.append(try schema(parsed)) }
        do {
            return try CompatibilityChecker(rules: rules).check(newSchema, against: earlier, level: level)
        } catch {
            throw SchemaProviderError(error.description)
        }
    }
}

/// Where a schema's references come from.
public enum SchemaImports: Sendable {
    /// Referenced schemas, by the name the referring schema uses.
    case sources([SchemaSource])
    /// Folders searched for imported files, in order (protoc's `-I`).
    case directories([String])

    public static let none = SchemaImports.sources([])
}

/// A referenced schema's text, its type, and the name the referring schema uses for it.
public struct SchemaSource: Sendable, Hashable {
    public var name: String
    public var type: SchemaType
    public var text: String

    public init(name: String, type: SchemaType, text: String) {
        self.name = name
        self.type = type
        self.text = text
    }
}

/// Settings of a compatibility check that only some formats read.
public struct CompatibilityOptions: Sendable, Hashable {
    /// Which rules judge Protobuf changes (Confluent's, or buf's categories).
    public var protobufRules: ProtoRuleSet
    /// Which JSON Schema changes count as compatible (Confluent's `compatibilityPolicy`).
    public var policy: CompatibilityPolicy
    /// The most work one reader/writer check may take.
    public var budget: CompatibilityBudget

    public init(
        protobufRules: ProtoRuleSet = .confluent, policy: CompatibilityPolicy = .strict, budget: CompatibilityBudget = .default
    ) {
        self.protobufRules = protobufRules
        self.policy = policy
        self.budget = budget
    }

    public static let `default` = CompatibilityOptions()
}

/// Confluent's `compatibilityPolicy` for JSON Schema: STRICT (its default) or LENIENT, which also accepts
/// adding optional properties to an open content model and removing them from a closed one.
public enum CompatibilityPolicy: String, Sendable, Hashable, CaseIterable {
    case strict = "STRICT"
    case lenient = "LENIENT"

    /// Reads the name in any letter case.
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}

/// A schema parsed by its provider, with its references resolved.
public protocol ParsedSchema: Sendable {
    var type: SchemaType { get }
    /// The text as parsed, compacted where the format allows (Avro: compact JSON; Protobuf: canonical text).
    var compactText: String { get }
    /// The normalized text Confluent's `normalize=true` stores (Avro: attributes in a fixed order, names in
    /// full, references written in; Protobuf: canonical text with order-free declarations sorted).
    var normalizedText: String { get }
    /// True when `normalizedText` still imports the schema's references rather than writing them in, so a
    /// schema with references can be stored normalized (Protobuf); false where it writes them in (Avro).
    var normalizedTextKeepsReferences: Bool { get }
    /// The format's canonical form where it defines one (Avro: Parsing Canonical Form), else the normalized text.
    var canonicalText: String { get }
    /// Text that is equal for two schemas meaning the same, when the format compares parsed schemas rather
    /// than text to find an existing registration (Avro); nil when only the exact stored text counts.
    var equivalenceKey: String? { get }
    /// The schema in another of the registry's `format`s (`serialized`, `resolved`); nil when the format has
    /// no such rendering. `includesReferences` says whether the text writes referenced schemas in.
    func rendered(as format: String) -> (text: String, includesReferences: Bool)?
    /// A codec for payloads written with this schema.
    func messageCodec(_ options: MessageCodecOptions) throws(SchemaProviderError) -> any MessageCodec
    /// A codec that reads payloads written with `writer` and gives them this schema's shape (Avro schema
    /// resolution; Protobuf by field number).
    func messageCodec(readingDataOf writer: any ParsedSchema, _ options: MessageCodecOptions)
        throws(SchemaProviderError) -> any MessageCodec
}

extension ParsedSchema {
    public var normalizedTextKeepsReferences: Bool { false }
}

/// A schema that cannot be parsed, checked or compiled: a sentence without the format's name.
public struct SchemaProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The providers a program knows, looked up by type or by file extension.
public struct SchemaProviders: Sendable {
    public let all: [any SchemaProvider]

    public init(_ providers: [any SchemaProvider]) {
        self.all = providers
    }

    /// Avro, Protobuf and JSON Schema with their default limits.
    public static let standard = SchemaProviders([AvroProvider(), ProtobufProvider(), JSONSchemaProvider()])

    public var types: [SchemaType] { all.map(\.type) }

    public func provider(for type: SchemaType) -> (any SchemaProvider)? {
        all.first { $0.type == type }
    }

    /// The provider for a file, by the longest of the providers' extensions its name ends with (so
    /// `order.schema.json` can be JSON Schema while `order.json` is no schema at all).
    public func provider(forFile path: String) -> (any SchemaProvider)? {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        var best: (provider: any SchemaProvider, length: Int)?
        for provider in all {
            for ext in provider.fileExtensions where name.hasSuffix("." + ext) && ext.count > (best?.length ?? 0) {
                best = (provider, ext.count)
            }
        }
        return best?.provider
    }

    /// Parses text of `type`; an unknown type is an error naming the known ones.
    public func parse(_ text: String, type: SchemaType, path: String? = nil, imports: SchemaImports = .none)
        throws(SchemaProviderError) -> any ParsedSchema
    {
        guard let provider = provider(for: type) else {
            throw SchemaProviderError("unknown schema type \(type.rawValue) (known: \(types.map(\.rawValue).joined(separator: ", ")))")
        }
        return try provider.parse(text, path: path, imports: imports)
    }

    /// Checks `new` against `history` with `new`'s provider; earlier versions of another type are reported as
    /// `SCHEMA_TYPE_CHANGED`, as Confluent does.
    public func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel,
        options: CompatibilityOptions = .default
    ) throws(SchemaProviderError) -> CompatibilityResult {
        guard let provider = provider(for: new.type) else {
            throw SchemaProviderError("unknown schema type \(new.type.rawValue)")
        }
        if level == .none { return CompatibilityResult(level: level, incompatibilities: []) }
        // Non-transitive levels judge the latest version only, so only it is handed to the provider.
        let first = level.isTransitive ? 0 : max(history.count - 1, 0)
        let judged = Array(history[first...])
        if let changed = judged.lastIndex(where: { $0.type != new.type }) {
            // Confluent compares the type first: a version of another type is one finding, nothing more.
            return CompatibilityResult(
                level: level,
                incompatibilities: [
                    Incompatibility(
                        kind: "SCHEMA_TYPE_CHANGED", path: "",
                        message: "Incompatible because of different schema type: \(new.type.rawValue) vs \(judged[changed].type.rawValue)",
                        version: first + changed + 1
                    )
                ]
            )
        }
        var result = try provider.check(new, against: judged, level: level, options: options)
        for index in result.incompatibilities.indices {
            result.incompatibilities[index].version = result.incompatibilities[index].version.map { $0 + first }
        }
        return result
    }
}
