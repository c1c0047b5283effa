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
        let referenced: [NamedSchema]
        do {
            referenced = try await client.referencedSchemas(schema.references)
        } catch {
            throw .registry(error)
        }
        let sources = referenced.map {
            SchemaSource(name: $0.name, type: SchemaType(name: $0.schema.schemaType), text: $0.schema.schema)
        }
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
