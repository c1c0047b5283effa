import AccordClient
import ArgumentParser
import AvroCodec
import Foundation
import JSONSupport
import SchemaProviders

/// How binary messages are framed on the wire.
enum Framing: String, ExpressibleByArgument, CaseIterable {
    /// The bare payload.
    case none
    /// Confluent's wire format: magic byte 0x00, 4-byte big-endian schema id, Protobuf message indexes, payload.
    case confluent
    /// Confluent's GUID framing: magic byte 0x01, the schema's 16-byte GUID, Protobuf message indexes, payload.
    case guid

    /// Whether a header precedes the payload. Readers take either magic byte whichever framing was named.
    var isFramed: Bool { self != .none }
}

/// How a binary message is written as one line of text (with `--lines`).
enum LineEncoding: String, ExpressibleByArgument, CaseIterable {
    case hex, base64
}

/// Options shared by `validate`, `encode` and `decode`.
struct MessageOptions: ParsableArguments {
    @Option(help: "The schema file (.avsc or .proto); leave it out to take schemas from --registry.")
    var schema: String?
    @OptionGroup var schemaFile: SchemaFileOptions
    @OptionGroup var connection: RegistryConnectionOptions
    @Option(help: "With --registry: the subject whose schema encodes; decode and validate read data into it.")
    var subject: String?
    @Option(help: "With --subject: a version number or latest (the default).")
    var version: String?
    @Option(help: "Protobuf: the message type, e.g. shop.Order (default: the file's first message).")
    var message: String?
    @Option(help: "Input file, or - for standard input.") var input: String = "-"
    @Flag(help: "One message per line: JSON text, or binary written as hex or base64 (see --line-encoding).")
    var lines = false
    @Option(help: "hex or base64: how binary messages are written on a line with --lines.")
    var lineEncoding: LineEncoding = .hex
    @Flag(help: "Avro: use the specification's JSON encoding (union values wrapped as {\"type\": value}).")
    var avroJSON = false

    var codecOptions: MessageCodecOptions { MessageCodecOptions(messageName: message, nativeJSON: avroJSON) }

    /// Where the schemas come from: nil for the `--schema` file, else the registry's client. Exactly one of
    /// `--schema` and `--registry` is given; `ACCORD_REGISTRY` stands in for `--registry` when `--schema` is
    /// absent (a `--schema` on the command line wins over the environment, as flags win over defaults).
    func registryClient() throws(CLIFailure) -> SchemaRegistryClient? {
        if schema != nil && connection.registry != nil {
            throw .usage("give either --schema or --registry, not both")
        }
        if version != nil && subject == nil { throw .usage("--version needs --subject") }
        if schema != nil {
            if subject != nil { throw .usage("--subject needs --registry (the schema is the --schema file)") }
            return nil
        }
        let environment = ProcessInfo.processInfo.environment["ACCORD_REGISTRY"] ?? ""
        guard connection.registry != nil || !environment.isEmpty else {
            throw .usage("no schema: pass --schema FILE, or --registry URL (or set ACCORD_REGISTRY)")
        }
        return try connection.client()
    }

    /// The codec for the schema and, for Protobuf, the message type the command reads and writes; with
    /// `writer`, the codec reads data written with that schema file into this one's shape.
    func loadCodec(writer: String? = nil) throws(CLIFailure) -> FramedCodec {
        guard let schema else { throw .usage("no schema: pass --schema FILE or --registry URL") }
        let reader = try schemaFile.load(schema)
        guard let writer else {
            do {
                return FramedCodec(codec: try reader.messageCodec(codecOptions))
            } catch {
                throw .usage("\(schema): \(error)")
            }
        }
        let written = try schemaFile.load(writer)
        do {
            return FramedCodec(codec: try reader.messageCodec(readingDataOf: written, codecOptions))
        } catch {
            throw .usage("\(schema) cannot read data written with \(writer): \(error)")
        }
    }

    /// The input as a list of messages: the whole input, or one per non-empty line.
    func messages() throws(CLIFailure) -> [InputMessage] {
        let bytes = try FileInput.readBytes(input)
        guard lines else { return [InputMessage(number: 1, text: nil, bytes: bytes)] }
        var result: [InputMessage] = []
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var slice = line
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            let text = String(decoding: slice, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            result.append(InputMessage(number: number, text: text, bytes: Array(slice)))
        }
        return result
    }

    /// The binary bytes of a message: raw input, or a hex/base64 line decoded.
    func binary(of message: InputMessage) throws(CLIFailure) -> [UInt8] {
        guard let text = message.text else { return message.bytes }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch lineEncoding {
        case .hex:
            guard let bytes = Hex.decode(trimmed) else { throw .rejected("line \(message.number) is not valid hex") }
            return bytes
        case .base64:
            guard let data = Data(base64Encoded: trimmed) else {
                throw .rejected("line \(message.number) is not valid base64")
            }
            return [UInt8](data)
        }
    }

    func text(of binary: [UInt8]) -> String {
        switch lineEncoding {
        case .hex: binary.hexString
        case .base64: Data(binary).base64EncodedString()
        }
    }
}

/// One message read from the input.
struct InputMessage {
    /// 1-based line number (1 for whole-input messages).
    var number: Int
    /// The line as text, when reading with `--lines`.
    var text: String?
    var bytes: [UInt8]
}

enum Hex {
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}


