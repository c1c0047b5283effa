import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders

/// A referenced schema, resolved: the name the referring schema uses for it, and its stored content.
public struct ResolvedDependency: Sendable, Hashable {
    public var name: String
    public var schema: StoredSchema
    /// The subject the reference named (for access checks on the caller's behalf).
    public var subject: String = ""
}

/// The registry's view of the schema formats: its providers, with errors in Confluent's words. The core looks
/// inside schemas only through here, and here only through the providers.
struct SchemaFormats: Sendable {
    let providers: SchemaProviders

    /// The provider for `type`; an unknown type is 42201, as Confluent answers it.
    func provider(_ type: SchemaType) throws(RegistryError) -> any SchemaProvider {
        guard let provider = providers.provider(for: type) else {
            let known = providers.types.map(\.rawValue).joined(separator: ", ")
            throw .invalidSchema("of type \(type.rawValue): the schema type is not supported (\(known) are)")
        }
        return provider
    }

    /// Parses request text; `dependencies` are the transitive references, each before the schemas using it.
    /// Returns the parsed schema and the text to store: the compact text, or the normalized form when asked and
    /// either the schema has no references or its format's normalized form keeps them (Avro's writes referenced
    /// types in; Protobuf's still imports them).
    func prepare(
        type: SchemaType,
        text: String,
        dependencies: [ResolvedDependency],
        normalize: Bool
    ) throws(RegistryError) -> (parsed: any ParsedSchema, stored: String) {
        let parsed = try parse(text, type: type, dependencies: dependencies)
        let normalizes = normalize && (dependencies.isEmpty || parsed.normalizedTextKeepsReferences)
        let stored = normalizes ? parsed.normalizedText : parsed.compactText
        return (parsed, stored)
    }

    /// Parses text that was stored by `prepare`.
    func parseStored(_ stored: StoredSchema, dependencies: [ResolvedDependency]) throws(RegistryError) -> any ParsedSchema {
        try parse(stored.content.schema, type: stored.content.schemaType, dependencies: dependencies)
    }

    private func parse(_ text: String, type: SchemaType, dependencies: [ResolvedDependency]) throws(RegistryError)
        -> any ParsedSchema
    {
        let sources = dependencies.map {
            SchemaSource(name: $0.name, type: $0.schema.content.schemaType, text: $0.schema.content.schema)
        }
        let provider = try provider(type)
        do {
            return try provider.parse(text, path: nil, imports: .sources(sources))
        } catch {
            throw .invalidSchema("(\(type.rawValue)): \(error.message)")
        }
    }

    /// Every reason `new` is not compatible with `previous` under `level`. A check that needs more work than the
    /// format's budget allows (schemas built to make it superlinear) is 422 (42201): a property of the request,
    /// not a verdict.
    func incompatibilities(
        new: any ParsedSchema,
        previous: any ParsedSchema,
        level: CompatibilityLevel,
        options: CompatibilityOptions
    ) throws(RegistryError) -> [Incompatibility] {
        do {
            return try providers.check(new, against: [previous], level: level, options: options).incompatibilities
        } catch {
            throw .invalidSchema("(compatibility): \(error.message)")
        }
    }
}
