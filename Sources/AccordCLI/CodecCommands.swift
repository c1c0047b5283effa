import AccordClient
import ArgumentParser
import JSONSupport
import SchemaProviders
import WireFormat

/// `accord encode`: JSON in, binary out.
struct EncodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode JSON messages as Avro or Protobuf binary.",
        discussion: """
            Reads one JSON document (or one per line with --lines) and writes the binary message to stdout: raw \
            bytes, or one hex/base64 line per message with --lines. Protobuf reads proto3 JSON.

            The schema is the --schema file, or with --registry URL (or ACCORD_REGISTRY) the --subject's \
            --version (default latest) fetched from the registry, references included. With --registry the \
            framing defaults to confluent: 0x00, the version's 4-byte big-endian schema id, Protobuf message \
            indexes, the payload; --framing guid writes 0x01 and the schema's 16-byte GUID instead; --framing \
            none the bare payload. With --schema, confluent framing takes the id from --id, guid framing the \
            GUID from --guid.

            Exit codes: 0 every message encoded; 1 a message does not match the schema; 2 usage error, \
            unreadable input, invalid schema, unknown subject or unreachable registry.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "none, confluent (0x00 + 4-byte schema id) or guid (0x01 + 16-byte GUID); with --registry the default is confluent.")
    var framing: Framing?
    @Option(help: "With --schema: the schema id written in the confluent framing.") var id: UInt32?
    @Option(help: "With --schema: the schema GUID written in the guid framing.") var guid: String?

    func run() async throws {
        let (codec, framing, writer) = try await schema()
        for message in try options.messages() {
            let location = options.lines ? "line \(message.number): " : ""
            let bytes: [UInt8]
            do {
                bytes = try codec.encode(json: try JSONParser.parse(message.bytes), framing: framing, schema: writer)
            } catch let error as JSONParseError {
                throw CLIFailure.rejected("\(location)\(error.description)")
            } catch {
                throw CLIFailure.rejected("\(location)\(error)")
            }
            if options.lines {
                Output.writeLine(options.text(of: bytes))
            } else {
                Output.writeBytes(bytes)
            }
        }
    }

    /// The codec, the framing and the schema id or GUID the frames carry.
    private func schema() async throws -> (FramedCodec, Framing, WireSchemaID?) {
        guard let client = try options.registryClient() else {
            let framing = framing ?? .none
            let writer: WireSchemaID?
            switch framing {
            case .none:
                if id != nil || guid != nil { throw CLIFailure.usage("--id and --guid need --framing confluent or guid") }
                writer = nil
            case .confluent:
                guard let id else { throw CLIFailure.usage("--framing confluent needs --id") }
                writer = .id(id)
            case .guid:
                guard let text = guid, let value = SchemaGUID(text) else {
                    throw CLIFailure.usage("--framing guid needs --guid with a UUID (8-4-4-4-12 hex digits)")
                }
                writer = .guid(value)
            }
            return (try options.loadCodec(), framing, writer)
        }
        if id != nil || guid != nil { throw CLIFailure.usage("--id and --guid need --schema; the registry gives the id") }
        guard let subject = options.subject else { throw CLIFailure.usage("--registry needs --subject: the schema to encode with") }
        let framing = framing ?? .confluent
        let found = try await RegistryCodecs(client: client, options: options.codecOptions)
            .subjectVersion(subject, try VersionSelector(argument: options.version))
        let writer: WireSchemaID?
        switch framing {
        case .none:
            writer = nil
        case .confluent:
            guard let id = UInt32(exactly: found.id) else { throw CLIFailure.usage("schema id \(found.id) does not fit 4 bytes") }
            writer = .id(id)
        case .guid:
            guard let text = found.guid, let value = SchemaGUID(text) else {
                throw CLIFailure.usage("\(subject) version \(found.version): the registry gave no GUID for --framing guid")
            }
            writer = .guid(value)
        }
        do {
            return (FramedCodec(codec: try found.parsed.messageCodec(options.codecOptions)), framing, writer)
        } catch {
            throw CLIFailure.usage("\(subject) version \(found.version): \(error)")
        }
    }
}

/// `accord decode`: binary in, JSON out.
struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode Avro or Protobuf binary messages to JSON.",
        discussion: """
            With --writer-schema, the data was written with that schema and is read as --schema (Avro schema \
            resolution: defaults filled, promotions, enum defaults, skipped fields; Protobuf by field number). Protobuf prints proto3 \
            canonical JSON; framed data picks its message type by the indexes in the frame. Prints one \
            JSON document per message.

            With --registry URL (or ACCORD_REGISTRY) instead of --schema, each message is framed (confluent: \
            0x00 + schema id, or 0x01 + GUID; either is read) and decoded with the schema its frame names, \
            fetched once per id or GUID with its references. --subject S [--version V] reads the data into \
            that version's shape instead. --framing none with --registry reads bare payloads with --subject's \
            version.

            Exit codes: 0 every message decoded; 1 a message cannot be decoded (its frame names an unknown \
            schema id: "schema id N not found"); 2 usage error, unreadable input, invalid schema, unreachable \
            registry.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "The schema the data was written with, when it differs from --schema (the reader).")
    var writerSchema: String?
    @Option(help: "none, confluent or guid: skip the frame (0x00 + id or 0x01 + GUID, either is read) and Protobuf message indexes; with --registry the default is confluent.")
    var framing: Framing?
    @Flag(help: "Indent the JSON output.") var pretty = false

    func run() async throws {
        let (source, framing) = try await options.readingSource(framing: framing, writer: writerSchema)
        for message in try options.messages() {
            let location = options.lines ? "line \(message.number): " : ""
            do {
                let bytes = try options.binary(of: message)
                let json = try await source.codec(for: bytes).decodeToJSON(bytes, framing: framing)
                Output.writeLine(json.serialized(pretty ? .pretty : .compact))
            } catch let failure as CLIFailure where failure.kind == .usage {
                throw failure
            } catch {
                throw CLIFailure.rejected("\(location)\(error)")
            }
        }
    }
}
