public import AccordClient
public import JSONSupport
public import SchemaProviders
import Synchronization
import WireFormat

/// What a deserializer reads one writer schema's messages with.
public struct ReaderCodec: Sendable {
    /// The frame's schema reference: `id 7` or `guid …`.
    public let key: String
    /// The schema the messages were written with.
    public let writer: any ParsedSchema
    /// Reads the writer's payloads, into the reader schema's shape when the deserializer has one.
    public let codec: any MessageCodec
}

/// Reads framed messages: the id or GUID in the frame names the writer schema, fetched from the registry and
/// compiled once per id; with a reader schema, payloads of every writer version are read in its shape.
/// Format-neutral: `AvroDeserializer`, `ProtobufDeserializer` and `JSONValueDeserializer` build on it.
public final class RegistryDeserializer: Sendable {
    public let client: SchemaRegistryClient
    let reader: (any ParsedSchema)?
    let codecOptions: MessageCodecOptions
    let schemas: RegistrySchemas
    private let codecs = Mutex<[WireSchemaIDKey: ReaderCodec]>([:])

    public init(
        client: SchemaRegistryClient, readerSchema: RegistrySchema? = nil, messageName: String? = nil,
        providers: SchemaProviders = .standard
    ) async throws(SerdeError) {
        self.client = client
        self.codecOptions = MessageCodecOptions(messageName: messageName)
        self.schemas = RegistrySchemas(client: client, providers: providers)
        if let readerSchema {
            self.reader = try await schemas.parse(readerSchema)
        } else {
            self.reader = nil
        }
    }

    /// Schemas parsed so far (the reader schema and each writer schema, once).
    public var schemaParses: Int { schemas.parses }

    /// The codec for the message in `bytes` and its payload. When `headers` carry the schema (confluent-kafka's
    /// `header_schema_id_serializer`: `__value_schema_id` or `__key_schema_id` holding `0x01`, the GUID and any
    /// message indexes), the bytes are the bare payload; otherwise they start with the frame.
    public func reader(for bytes: [UInt8], headers: [(String, [UInt8])] = [], field: MessageField = .value)
        async throws(SerdeError) -> (ReaderCodec, [UInt8])
    {
        let name = KafkaHeaders.schemaID(field)
        if let header = headers.first(where: { $0.0 == name })?.1 {
            let (codec, _) = try await reader(frame: header)
            return (codec, bytes)
        }
        return try await reader(frame: bytes)
    }

    /// Reads the frame at the start of `bytes`: the codec it names, and what follows the frame.
    private func reader(frame bytes: [UInt8]) async throws(SerdeError) -> (ReaderCodec, [UInt8]) {
        let frame: WireFrame
        do {
            frame = try WireFraming.read(bytes)
        } catch {
            throw .invalidFrame(error)
        }
        let key: WireSchemaIDKey
        switch frame.schema {
        case .id(let id): key = .id(Int(id))
        case .guid(let guid): key = .guid(guid.description)
        }
        let readerCodec: ReaderCodec
        if let cached = codecs.withLock({ $0[key] }) {
            readerCodec = cached
        } else {
            readerCodec = try await compile(key, label: frame.schema.description)
            codecs.withLock { $0[key] = readerCodec }
        }
        var offset = frame.payloadOffset
        var codec = readerCodec.codec
        if codec.messageIndexes != nil {
            let indexes: [Int]
            do {
                indexes = try MessageIndexes.decode(bytes, at: &offset)
            } catch {
                throw .invalidFrame(error)
            }
            do {
                codec = try codec.codec(forMessageIndexes: indexes)
            } catch {
                throw .invalidPayload(path: "", reason: error.message, offset: frame.payloadOffset)
            }
        }
        return (ReaderCodec(key: readerCodec.key, writer: readerCodec.writer, codec: codec), Array(bytes[offset...]))
    }

    private func compile(_ key: WireSchemaIDKey, label: String) async throws(SerdeError) -> ReaderCodec {
        let writer = try await schemas.schema(key).schema
        do {
            if let reader {
                guard reader.type == writer.type else {
                    throw SerdeError.invalidSchema("\(label) is a \(writer.type.rawValue) schema; the reader schema is \(reader.type.rawValue)")
                }
                return ReaderCodec(key: label, writer: writer, codec: try reader.messageCodec(readingDataOf: writer, codecOptions))
            }
            return ReaderCodec(key: label, writer: writer, codec: try writer.messageCodec(codecOptions))
        } catch let error as SerdeError {
            throw error
        } catch let error as SchemaProviderError {
            throw .invalidSchema("\(label): \(error.message)")
        } catch {
            throw .invalidSchema("\(label): \(error)")
        }
    }

    /// The message decoded to the format's JSON mapping.
    public func json(_ bytes: [UInt8], headers: [(String, [UInt8])] = [], field: MessageField = .value)
        async throws(SerdeError) -> JSONValue
    {
        let (reader, payload) = try await reader(for: bytes, headers: headers, field: field)
        do {
            return try reader.codec.decode(payload)
        } catch {
            throw .invalidPayload(path: error.path ?? error.pointer ?? "", reason: error.message, offset: error.offset)
        }
    }
}
