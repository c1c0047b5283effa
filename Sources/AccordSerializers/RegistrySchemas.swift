import AccordClient
import Synchronization
import SchemaProviders

/// Schemas fetched from a registry and parsed once: by id and by guid, with their references fetched and
/// resolved. Shared by the serializers and deserializers of one client; `parses` counts the schemas parsed, so
/// tests can see that a warm cache parses nothing.
final class RegistrySchemas: Sendable {
    let client: SchemaRegistryClient
    let providers: SchemaProviders
    private let parseCounter = Atomic<Int>(0)

    init(client: SchemaRegistryClient, providers: SchemaProviders) {
        self.client = client
        self.providers = providers
    }

    var parses: Int { parseCounter.load(ordering: .relaxed) }

    /// Parses a schema as the registry holds it, fetching every schema its references reach.
    func parse(_ schema: RegistrySchema) async throws(SerdeError) -> any ParsedSchema {
        var sources: [SchemaSource] = []
        var seen: Set<String> = []
        try await collect(schema.references, into: &sources, seen: &seen, depth: 0)
        return try parse(schema.schema, type: SchemaType(name: schema.schemaType), sources: sources)
    }

    func parse(_ text: String, type: SchemaType, sources: [SchemaSource]) throws(SerdeError) -> any ParsedSchema {
        parseCounter.add(1, ordering: .relaxed)
        do {
            return try providers.parse(text, type: type, imports: .sources(sources))
        } catch {
            throw .invalidSchema("\(type.rawValue): \(error.message)")
        }
    }

    /// The references' schemas, each after the schemas it references, once each.
    private func collect(
        _ references: [RegistryReference], into sources: inout [SchemaSource], seen: inout Set<String>, depth: Int
    ) async throws(SerdeError) {
        guard depth < 32 else { throw .invalidSchema("references nest deeper than 32 levels") }
        for reference in references {
            let key = "\(reference.subject)\u{0}\(reference.version)"
            guard !seen.contains(key) else { continue }
            seen.insert(key)
            let found: SubjectSchema
            do {
                found = try await client.version(
                    subject: reference.subject, reference.version < 0 ? .latest : .number(reference.version))
            } catch {
                throw .registry(error)
            }
            try await collect(found.schema.references, into: &sources, seen: &seen, depth: depth + 1)
            sources.append(
                SchemaSource(name: reference.name, type: SchemaType(name: found.schema.schemaType), text: found.schema.schema))
        }
    }

    /// The schema a frame names, parsed (the client caches the text; callers cache what they build from it).
    func schema(_ id: WireSchemaIDKey) async throws(SerdeError) -> (schema: any ParsedSchema, id: Int?, guid: String?) {
        let identified: IdentifiedSchema
        do {
            switch id {
            case .id(let number): identified = try await client.schema(id: number)
            case .guid(let text): identified = try await client.schema(guid: text)
            }
        } catch {
            throw .registry(error)
        }
        return (try await parse(identified.schema), identified.id, identified.guid)
    }
}

/// A frame's schema reference as a dictionary key.
enum WireSchemaIDKey: Hashable, Sendable {
    case id(Int)
    case guid(String)
}
