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

    /// Binary bytes as a line of text.
    func text(of binary: [UInt8]) -> String {
        switch self {
        case .hex: binary.hexString
        case .base64: Data(binary).base64EncodedString()
        }
    }
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
    @Option(help: """
        Protobuf: the message type, e.g. shop.Order (default: the file's first message); any message of the file \
        or its imports, well-known types included, though framed data can only name the file's own.
        """)
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
        try InputMessage.read(input, lines: lines)
    }

    /// The binary bytes of a message: raw input, or a hex/base64 line decoded.
    func binary(of message: InputMessage) throws(CLIFailure) -> [UInt8] {
        try message.binary(lineEncoding)
    }

    /// True for a line of spaces and tabs only (or of Unicode whitespace, when it is not ASCII).
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0B || $0 == 0x0C || $0 == 0x0D }) { return true }
        guard line.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: line, as: UTF8.self).allSatisfy(\.isWhitespace)
    }

    func text(of binary: [UInt8]) -> String {
        lineEncoding.text(of: binary)
    }
}

/// One message read from the input.
struct InputMessage {
    /// 1-based line number (1 for whole-input messages).
    var number: Int
    /// The line as text, when reading with `--lines`.
    var text: String?
    var bytes: [UInt8]

    /// The messages in `input` (a file, or - for standard input): the whole input, or one per non-blank line.
    static func read(_ input: String, lines: Bool) throws(CLIFailure) -> [InputMessage] {
        let bytes = try FileInput.readBytes(input)
        guard lines else { return [InputMessage(number: 1, text: nil, bytes: bytes)] }
        var result: [InputMessage] = []
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var slice = line
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            if MessageOptions.isBlank(slice) { continue }
            result.append(InputMessage(number: number, text: String(decoding: slice, as: UTF8.self), bytes: Array(slice)))
        }
        return result
    }

    /// The binary bytes: raw input, or the line decoded from hex or base64.
    func binary(_ encoding: LineEncoding) throws(CLIFailure) -> [UInt8] {
        guard let text else { return bytes }
        // Bytes are trimmed in place when the line is ASCII (the usual case: hex and base64 are), through
        // Foundation's Unicode-aware trimming otherwise.
        let trimmed: ArraySlice<UInt8>
        if bytes.allSatisfy({ $0 < 0x80 }) {
            var slice = bytes[...]
            while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
            trimmed = slice
        } else {
            trimmed = Array(text.trimmingCharacters(in: .whitespaces).utf8)[...]
        }
        switch encoding {
        case .hex:
            guard let decoded = Hex.decode(trimmed) else { throw .rejected("line \(number) is not valid hex") }
            return decoded
        case .base64:
            guard let data = Data(base64Encoded: Data(trimmed)) else { throw .rejected("line \(number) is not valid base64") }
            return [UInt8](data)
        }
    }
}

enum Hex {
    static func decode(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8)[...])
    }

    static func decode(_ utf8: ArraySlice<UInt8>) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = utf8.startIndex
        while i < utf8.endIndex {
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


