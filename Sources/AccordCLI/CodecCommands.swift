import ArgumentParser
import JSONSupport

/// `accord encode`: JSON in, binary out.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode JSON messages as Avro or Protobuf binary.",
        discussion: """
            Reads one JSON document (or one per line with --lines) and writes the binary message to stdout: raw \
            bytes, or one hex/base64 line per message with --lines. Protobuf reads proto3 JSON. Exit 1 when a \
            message does not match the schema, 2 on usage errors.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "none, or confluent (0x00, the 4-byte schema id from --id, Protobuf message indexes).")
    var framing: Framing = .none
    @Option(help: "The schema id written in the Confluent framing.") var id: UInt32?

    func validate() throws {
        if framing == .confluent && id == nil { throw ValidationError("--framing confluent needs --id") }
        if framing == .none && id != nil { throw ValidationError("--id needs --framing confluent") }
    }

    func run() throws {
        let codec = try options.loadCodec()
        for message in try options.messages() {
            let location = options.lines ? "line \(message.number): " : ""
            let bytes: [UInt8]
            do {
                bytes = try codec.encode(json: try JSONParser.parse(message.bytes), framing: framing, schemaID: id)
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
}

/// `accord decode`: binary in, JSON out.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode Avro or Protobuf binary messages to JSON.",
        discussion: """
            With --writer-schema, the data was written with that schema and is read as --schema (Avro schema \
            resolution: defaults filled, promotions, enum defaults, skipped fields; Protobuf by field number). Protobuf prints proto3 \
            canonical JSON; Confluent-framed data picks its message type by the indexes in the frame. Prints one \
            JSON document per message. Exit 1 when a message cannot be decoded, 2 on usage errors.
            """
    )

    @OptionGroup var options: MessageOptions
    @Option(help: "The schema the data was written with, when it differs from --schema (the reader).")
    var writerSchema: String?
    @Option(help: "none, or confluent (skip 0x00, the 4-byte schema id and Protobuf message indexes).")
    var framing: Framing = .none
    @Flag(help: "Indent the JSON output.") var pretty = false

    func run() throws {
        let codec = try options.loadCodec(writer: writerSchema)
        for message in try options.messages() {
            let location = options.lines ? "line \(message.number): " : ""
            do {
                let json = try codec.decodeToJSON(try options.binary(of: message), framing: framing)
                Output.writeLine(json.serialized(pretty ? .pretty : .compact))
            } catch {
                throw CLIFailure.rejected("\(location)\(error)")
            }
        }
    }
}
