public import AccordClient
public import JSONSupport
public import SchemaProviders
import Synchronization
import WireFormat

/// The schema a serializer writes with under one subject: its id, its header bytes and its codec.
public struct WriterSchema: Sendable {
    public let subject: String
    public let id: Int
    public let guid: String?
    public let schema: any ParsedSchema
    public let codec: any MessageCodec
    /// The bytes every message starts with: magic byte, id or GUID, and the message indexes (Protobuf); empty
    /// when the frame travels in a Kafka header.
    public let header: [UInt8]
    /// The Kafka header to send with every message (`SerializerFraming.guidHeader`), else nil.
    public let kafkaHeader: (name: String, value: [UInt8])?
}

/// Frames payloads for a registry: finds (registers, looks up, or takes the latest) the schema's id for a
/// topic's key or value once, then frames every message with it. Format-neutral: the typed serializers
/// (`AvroSerializer`, `ProtobufSerializer`, `JSONValueSerializer`) build on it.
///
/// After the first message of a topic and field, serializing makes no registry call and parses no schema:
/// `client.requests` and `schemaParses` stay still (tests assert both).
public final class RegistrySerializer: Sendable {
    public let client: SchemaRegistryClient
    public let options: SerializerOptions
    /// The serializer's own schema, as registered (nil when it writes with the subject's latest version only).
    public let schema: RegistrySchema?
    let local: (any ParsedSchema)?
    let codecOptions: MessageCodecOptions
    let schemas: RegistrySchemas
    private let writers = Mutex<[WriterKey: WriterSchema]>([:])

    struct WriterKey: Hashable {
        var topic: String
        var field: MessageField
    }

    /// A serializer for `schema` (with its references registered already). `messageName` picks the Protobuf
    /// message the serializer writes (default: the schema's first).
    public init(
        client: SchemaRegistryClient, schema: RegistrySchema?, messageName: String? = nil,
        options: SerializerOptions = SerializerOptions(), providers: SchemaProviders = .standard
    ) async throws(SerdeError) {
        self.client = client
        self.options = options
        self.schema = schema
        self.codecOptions = MessageCodecOptions(messageName: messageName)
        self.schemas = RegistrySchemas(client: client, providers: providers)
        if let schema {
            self.local = try await schemas.parse(schema)
        } else {
            guard options.useLatest || options.useLatestWithMetadata != nil else {
                throw .invalidSchema("a serializer without a schema of its own needs useLatest or useLatestWithMetadata")
            }
            self.local = nil
        }
    }

    /// Schemas parsed so far (the serializer's own and those fetched from the registry).
    public var schemaParses: Int { schemas.parses }

    /// The writer schema for `topic`'s `field`, from the cache after the first call.
    public func writer(topic: String, field: MessageField) async throws(SerdeError) -> WriterSchema {
        let key = WriterKey(topic: topic, field: field)
        if let cached = writers.withLock({ $0[key] }) { return cached }
        let writer = try await resolveWriter(topic: topic, field: field)
        writers.withLock { $0[key] = writer }
        return writer
    }

    private func resolveWriter(topic: String, field: MessageField) async throws(SerdeError) -> WriterSchema {
        let recordName: String
        if let local {
            recordName = try codec(for: local).typeName
        } else {
            recordName = codecOptions.messageName ?? ""
        }
        let subject = options.subjectNameStrategy.subject(topic: topic, field: field, recordName: recordName)
        let id: Int
        var guid: String?
        let parsed: any ParsedSchema
        do {
            if let metadata = options.useLatestWithMetadata {
                let found = try await client.latestWithMetadata(subject: subject, metadata)
                (id, guid, parsed) = (found.id, found.guid, try await schemas.parse(found.schema))
            } else if options.useLatest {
                let found = try await client.latest(subject: subject)
                (id, guid, parsed) = (found.id, found.guid, try await schemas.parse(found.schema))
            } else if let schema, let local {
                if options.autoRegister {
                    let registration = try await client.register(subject: subject, schema, normalize: options.normalize)
                    (id, guid) = (registration.id, registration.guid)
                } else {
                    let found = try await client.lookup(subject: subject, schema, normalize: options.normalize)
                    (id, guid) = (found.id, found.guid)
                }
                parsed = local
            } else {
                throw SerdeError.invalidSchema("no schema to write with")
            }
        } catch let error as SerdeError {
            throw error
        } catch {
            throw .registry(error)
        }
        if options.framing == .guid && guid == nil {
            do {
                guid = try await client.schema(id: id).guid
            } catch {
                throw .registry(error)
            }
        }
        let codec = try codec(for: parsed)
        let indexes: [Int]?
        do {
            indexes = try codec.frameIndexes()
        } catch {
            throw .invalidSchema(error.message)
        }
        var header: [UInt8]
        var kafkaHeader: (name: String, value: [UInt8])?
        switch options.framing {
        case .id:
            guard let number = UInt32(exactly: id) else { throw .invalidSchema("schema id \(id) does not fit the frame") }
            header = WireFraming.header(.id(number), messageIndexes: indexes)
        case .guid, .guidHeader:
            guard let text = guid, let bytes = SchemaGUID(text) else {
                throw .invalidSchema("the registry gave no GUID for schema \(id); use framing .id")
            }
            header = WireFraming.header(.guid(bytes), messageIndexes: indexes)
            if options.framing == .guidHeader {
                kafkaHeader = (KafkaHeaders.schemaID(field), header)
                header = []
            }
        }
        return WriterSchema(
            subject: subject, id: id, guid: guid, schema: parsed, codec: codec, header: header, kafkaHeader: kafkaHeader)
    }

    /// The Kafka headers to send with `topic`'s messages: the schema's GUID frame with `.guidHeader` framing,
    /// none otherwise.
    public func headers(topic: String, field: MessageField = .value) async throws(SerdeError) -> [(String, [UInt8])] {
        guard let header = try await writer(topic: topic, field: field).kafkaHeader else { return [] }
        return [(header.name, header.value)]
    }

    func codec(for schema: any ParsedSchema) throws(SerdeError) -> any MessageCodec {
        do {
            return try schema.messageCodec(codecOptions)
        } catch {
            throw .invalidSchema(error.message)
        }
    }

    /// A JSON value checked and encoded with the writer schema, framed.
    public func serialize(json: JSONValue, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let writer = try await writer(topic: topic, field: field)
        do {
            return writer.header + (try writer.codec.encode(json))
        } catch {
            throw .invalidValue(path: error.pointer ?? error.path ?? "", reason: error.message)
        }
    }
}
