import ArgumentParser
import AvroCodec
import JSONSupport

/// `accord encode`: JSON in, Avro binary out.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode JSON messages as Avro binary.",
        discussion: """
            Reads one JSON document (or one per line with --lines) and writes the binary datum to stdout: raw \
            bytes, or one hex/base64 line per message with --lines. Exit 1 when a message does not match the \
            schema, 2 on usage errors.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "none, or confluent (prefix 0x00 + the 4-byte schema id given by --id).")
    var framing: Framing = .none
    @Option(help: "The schema id written in the Confluent framing.") var id: UInt32?

    func validate() throws {
        if framing == .confluent && id == nil { throw ValidationError("--framing confluent needs --id") }
        if framing == .none && id != nil { throw ValidationError("--id needs --framing confluent") }
    }

    func run() throws {
        let schema = try options.loadAvroSchema()
        let codec = AvroDatumCodec(schema: schema)
        for message in try options.messages() {
            let where_ = options.lines ? "line \(message.number): " : ""
            let payload: [UInt8]
            do {
                let json = try JSONParser.parse(message.bytes)
                let value = try schema.value(fromJSON: json, style: options.jsonStyle)
                payload = try codec.encode(value)
            } catch let error as JSONParseError {
                throw CLIFailure.rejected("\(where_)\(error.description)")
            } catch {
                throw CLIFailure.rejected("\(where_)\(error)")
            }
            var bytes = payload
            if framing == .confluent, let id {
                bytes = ConfluentFraming.frame(schemaID: id, payload: payload)
            }
            if options.lines {
                Output.writeLine(options.text(of: bytes))
            } else {
                Output.writeBytes(bytes)
            }
        }
    }
}

/// `accord decode`: Avro binary in, JSON out.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode Avro binary messages to JSON.",
        discussion: """
            With --writer-schema, the data was written with that schema and is read as --schema (schema \
            resolution: defaults filled, promotions, enum defaults, skipped fields). Prints one JSON document \
            per message. Exit 1 when a message cannot be decoded, 2 on usage errors.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "The schema the data was written with, when it differs from --schema (the reader).")
    var writerSchema: String?
    @Option(help: "none, or confluent (skip 0x00 + the 4-byte schema id).") var framing: Framing = .none
    @Flag(help: "Indent the JSON output.") var pretty = false

    func run() throws {
        let reader = try options.loadAvroSchema()
        let decodeDatum: ([UInt8]) throws -> AvroValue
        if let writerSchema {
            let writer = try SchemaLoader.avro(writerSchema)
            let resolving: AvroResolvingDecoder
            do {
                resolving = try AvroResolvingDecoder(writer: writer, reader: reader)
            } catch {
                throw CLIFailure.usage("\(options.schema) cannot read data written with \(writerSchema): \(error)")
            }
            decodeDatum = { try resolving.decode($0) }
        } else {
            let codec = AvroDatumCodec(schema: reader)
            decodeDatum = { try codec.decode($0) }
        }
        for message in try options.messages() {
            let where_ = options.lines ? "line \(message.number): " : ""
            do {
                var bytes = try options.binary(of: message)
                if framing == .confluent {
                    bytes = Array(try ConfluentFraming.unframe(bytes).payload)
                }
                let value = try decodeDatum(bytes)
                let json = try reader.json(from: value, style: options.jsonStyle)
                Output.writeLine(json.serialized(pretty ? .pretty : .compact))
            } catch {
                throw CLIFailure.rejected("\(where_)\(error)")
            }
        }
    }
}
