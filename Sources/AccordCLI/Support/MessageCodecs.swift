import AccordClient
import JSONSupport
import SchemaProviders
import WireFormat

/// A schema's payload codec with the framing the command was asked for: what `validate`, `encode` and
/// `decode` need, the same for every format.
struct FramedCodec {
    let codec: any MessageCodec

    func validate(binary bytes: [UInt8], framing: Framing) throws {
        let (codec, payload, header) = try select(bytes, framing: framing)
        do { try codec.validate(payload) } catch { throw error.shifted(by: header) }
    }

    func validate(json: JSONValue) throws {
        _ = try codec.encode(json)
    }

    /// The payload, framed with `schema` (an id for `confluent`, a GUID for `guid`) unless `framing` is none.
    func encode(json: JSONValue, framing: Framing, schema: WireSchemaID?) throws -> [UInt8] {
        let payload = try codec.encode(json)
        guard framing.isFramed, let schema else { return payload }
        return WireFraming.frame(schema, messageIndexes: try codec.frameIndexes(), payload: payload)
    }

    /// The writer schema a framed message names (magic 0x00 and an id, or 0x01 and a GUID).
    static func writer(of bytes: [UInt8]) throws(WireFormatError) -> WireSchemaID {
        try WireFraming.read(bytes).schema
    }

    func decodeToJSON(_ bytes: [UInt8], framing: Framing) throws -> JSONValue {
        let (codec, payload, header) = try select(bytes, framing: framing)
        do { return try codec.decode(payload) } catch { throw error.shifted(by: header) }
    }

    /// The codec for `bytes` and the payload to give it: framed data (id or GUID framing) names its message
    /// type by indexes after the header, for formats that have them.
    private func select(_ bytes: [UInt8], framing: Framing) throws -> (any MessageCodec, [UInt8], Int) {
        guard framing.isFramed else { return (codec, bytes, 0) }
        let frame = try WireFraming.read(bytes, messageIndexes: codec.messageIndexes != nil)
        let payload = Array(bytes[frame.payloadOffset...])
        let indexesOffset = frame.schema.headerLength
        do {
            return (try codec.codec(forMessageIndexes: frame.messageIndexes ?? [0]), payload, frame.payloadOffset)
        } catch {
            throw PayloadError(code: error.code, message: error.message, offset: indexesOffset)
        }
    }
}

/// Where a command's codec for each message comes from.
enum CodecSource {
    /// One codec for every message: a schema file, or one subject version of a registry.
    case fixed(FramedCodec)
    /// The codec of the writer schema each message's frame names, from a registry.
    case registry(RegistryCodecs)

    /// The codec for `bytes` (a framed message when the source is a registry's).
    func codec(for bytes: [UInt8]) async throws -> FramedCodec {
        switch self {
        case .fixed(let codec): return codec
        case .registry(let codecs): return try await codecs.codec(for: try FramedCodec.writer(of: bytes))
        }
    }
}

/// Schemas a registry holds, for the message commands: fetched with their references (each referenced subject
/// version fetched once, recursively) and parsed by the format's provider; codecs made once per writer schema
/// id or GUID however many messages name it (the client caches the fetch, this the parsed schema and codec).
///
/// A schema the registry does not have, or cannot be used, is the message's fault: a `PayloadError`
/// (`schemaNotFound`, `invalidSchema`, `incompatibleSchema`). A registry that cannot be asked is the command's:
/// a `CLIFailure.usage`.
final class RegistryCodecs {
    let client: SchemaRegistryClient
    let options: MessageCodecOptions
    /// The schema data is read into (`--subject`), when it is not the writer's.
    private(set) var reader: (label: String, schema: any ParsedSchema)?
    private var codecs: [WireSchemaID: Result<FramedCodec, PayloadError>] = [:]

    init(client: SchemaRegistryClient, options: MessageCodecOptions) {
        self.client = client
        self.options = options
    }

    /// Reads every message into `subject`'s `version` (the reader schema).
    func read(into subject: String, version: String?) async throws {
        let found = try await subjectVersion(subject, try VersionSelector(argument: version))
        reader = ("\(subject) version \(found.version)", found.parsed)
    }

    /// A subject version and its schema parsed; failures are usage errors (exit 2).
    func subjectVersion(_ subject: String, _ version: VersionSelector) async throws
        -> (id: Int, guid: String?, version: Int, parsed: any ParsedSchema)
    {
        let found = try await registryCall { try await client.version(subject: subject, version) }
        let label = "\(subject) version \(found.version)"
        do {
            let parsed = try await parse(found.schema)
            return (found.id, found.guid, found.version, parsed)
        } catch let error as PayloadError {
            throw CLIFailure.usage("\(label): \(error.message)")
        } catch let error as RegistryClientError {
            throw CLIFailure.usage("\(label): \(error.description)")
        }
    }

    /// The codec for data written with `writer`.
    func codec(for writer: WireSchemaID) async throws -> FramedCodec {
        if let known = codecs[writer] { return try known.get() }
        let made: Result<FramedCodec, PayloadError>
        do {
            made = .success(try await makeCodec(writer))
        } catch let error as PayloadError {
            made = .failure(error)
        }
        codecs[writer] = made
        return try made.get()
    }

    private func makeCodec(_ writer: WireSchemaID) async throws -> FramedCodec {
        let found: IdentifiedSchema
        do {
            switch writer {
            case .id(let id): found = try await client.schema(id: Int(id))
            case .guid(let guid): found = try await client.schema(guid: guid.description)
            }
        } catch let error as RegistryClientError {
            if case .registry(404, _, _) = error {
                throw PayloadError(code: "schemaNotFound", message: "schema \(writer) not found")
            }
            throw CLIFailure.usage(error.description)
        }
        let written: any ParsedSchema
        do {
            written = try await parse(found.schema)
        } catch let error as PayloadError {
            throw PayloadError(code: error.code, message: "schema \(writer): \(error.message)")
        } catch let error as RegistryClientError {
            throw CLIFailure.usage(error.description)
        }
        do {
            guard let reader else { return FramedCodec(codec: try written.messageCodec(options)) }
            do {
                return FramedCodec(codec: try reader.schema.messageCodec(readingDataOf: written, options))
            } catch {
                throw PayloadError(
                    code: "incompatibleSchema", message: "\(reader.label) cannot read data written with schema \(writer): \(error)")
            }
        } catch let error as SchemaProviderError {
            throw PayloadError(code: "invalidSchema", message: "schema \(writer): \(error)")
        }
    }

    /// `schema` parsed with its references' text; a missing reference or invalid text is a `PayloadError`.
    func parse(_ schema: RegistrySchema) async throws -> any ParsedSchema {
        let referenced: [NamedSchema]
        do {
            referenced = try await client.referencedSchemas(schema.references)
        } catch let error as RegistryClientError {
            if case .registry(404, _, let message) = error {
                throw PayloadError(code: "schemaNotFound", message: "a reference was not found: \(message)")
            }
            if case .invalidRequest(let message) = error { throw PayloadError(code: "invalidSchema", message: message) }
            throw error
        }
        let imports = referenced.map {
            SchemaSource(name: $0.name, type: SchemaType(name: $0.schema.schemaType), text: $0.schema.schema)
        }
        do {
            return try SchemaProviders.standard.parse(schema.schema, type: SchemaType(name: schema.schemaType), imports: .sources(imports))
        } catch {
            throw PayloadError(code: "invalidSchema", message: error.description)
        }
    }
}

extension MessageOptions {
    /// The codecs `decode` and `validate` read with, and the framing their input has. From a registry: framed
    /// data (the default) is read with the schema each frame names, into `--subject`'s version when given;
    /// unframed data (`--framing none`) needs `--subject` and is read with that version. From a file: as
    /// before, `--framing none` unless told.
    func readingSource(framing: Framing?, writer: String? = nil) async throws -> (CodecSource, Framing) {
        guard let client = try registryClient() else {
            return (.fixed(try loadCodec(writer: writer)), framing ?? .none)
        }
        if writer != nil { throw CLIFailure.usage("--writer-schema needs --schema; with --registry the frame names the writer") }
        let framing = framing ?? .confluent
        let codecs = RegistryCodecs(client: client, options: codecOptions)
        guard framing.isFramed else {
            guard let subject else {
                throw CLIFailure.usage(
                    "with --registry, unframed binary (--framing none) and JSON messages need --subject: they do not name their schema")
            }
            let found = try await codecs.subjectVersion(subject, try VersionSelector(argument: version))
            do {
                return (.fixed(FramedCodec(codec: try found.parsed.messageCodec(codecOptions))), framing)
            } catch {
                throw CLIFailure.usage("\(subject) version \(found.version): \(error)")
            }
        }
        if let subject { try await codecs.read(into: subject, version: version) }
        return (.registry(codecs), framing)
    }
}

extension WireSchemaID {
    /// Bytes before the message indexes or payload: the magic byte and the id or GUID.
    var headerLength: Int {
        switch self {
        case .id: 5
        case .guid: 17
        }
    }
}

extension WireFormatError {
    /// The error as a JSON object for dead-letter files: message, code and offset.
    var jsonDescription: JSONValue {
        .object(
            JSONObject([
                "error": .string(message), "code": .string(kind == .truncated ? "truncatedData" : "invalidData"),
                "offset": .integer(offset),
            ]))
    }
}
