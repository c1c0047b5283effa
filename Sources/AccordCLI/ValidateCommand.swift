import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import JSONSupport
import SchemaProviders
import WireFormat

/// `accord validate`: does this message match the schema?
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check messages against a schema.",
        discussion: """
            The schema is the --schema file, or with --registry URL (or ACCORD_REGISTRY) the one each binary \
            message's frame names (confluent framing implied: 0x00 + schema id, or 0x01 + GUID), fetched once \
            per id or GUID with its references; --subject S [--version V] checks that the data can be read \
            into that version. A frame naming a schema the registry does not have rejects that message \
            ("schema id N not found"). JSON messages (--format json) and --framing none with --registry are \
            checked against --subject's version.

            With --lines, each line is a message; each rejected line is reported on stderr ("line N: reason"), \
            --dead-letter FILE appends it as a JSON line ({"line":N,"message":"…","error":"…","code":"…", \
            plus "offset"/"pointer"/"path" where known and "schemaId" or "guid" when its frame was readable}), \
            and a summary line ends the run ("N messages: V valid, I invalid"), with a progress line on stderr \
            while it runs when stderr is a terminal. Standard output carries the data: with --schema the \
            summary; with --registry the valid lines exactly as given (a filter for pipelines), and the summary \
            goes to stderr.

            Exit codes: 0 every message is valid; 1 one or more are not (the reasons on stderr); 2 usage \
            error, unreadable input, invalid schema, unreachable registry.
            """
    )

    enum MessageFormat: String, ExpressibleByArgument, CaseIterable {
        case binary, json
    }

    @OptionGroup var options: MessageOptions
    @Option(help: "binary (Avro or Protobuf binary) or json.") var format: MessageFormat = .binary
    @Option(help: "none, confluent or guid: a frame (0x00 + 4-byte schema id, or 0x01 + GUID; either is read) before each binary message; with --registry the default is confluent.")
    var framing: Framing?
    @Option(help: "Append each rejected message and its reason to this file as JSON lines.")
    var deadLetter: String?

    func run() async throws {
        if deadLetter != nil && !options.lines {
            throw CLIFailure.usage("--dead-letter needs --lines")
        }
        if framing?.isFramed == true && format == .json {
            throw CLIFailure.usage("--framing \(framing?.rawValue ?? "") applies to binary messages only")
        }
        let fromRegistry = options.schema == nil
        let (source, framing) = try await options.readingSource(framing: format == .json ? Framing.none : framing)
        let messages = try options.messages()
        let progress = options.lines && isatty(STDERR_FILENO) == 1
        var passed = OutputBuffer()
        var deadLetters: [String] = []
        var invalid = 0
        for (position, message) in messages.enumerated() {
            if let reason = try await check(message, source: source, framing: framing) {
                invalid += 1
                let clear = progress ? "\r\u{1B}[K" : ""
                if options.lines {
                    Output.error("\(clear)line \(message.number): \(reason.text)")
                } else {
                    Output.error("invalid: \(reason.text)")
                }
                var entry = JSONObject()
                entry["line"] = .integer(message.number)
                entry["message"] = .string(message.text ?? "")
                if case .object(let details) = reason.json {
                    for member in details { entry[member.key] = member.value }
                }
                switch reason.writer {
                case .id(let id)?: entry["schemaId"] = .integer(Int(id))
                case .guid(let guid)?: entry["guid"] = .string(guid.description)
                case nil: break
                }
                deadLetters.append(JSONValue.object(entry).serialized())
            } else if fromRegistry && options.lines {
                passed.append(message.text ?? "")
            }
            if progress && (position + 1) % 10_000 == 0 {
                passed.flush()
                FileHandle.standardError.write(Data("\r\u{1B}[K\(position + 1) messages, \(invalid) invalid".utf8))
            }
        }
        passed.flush()
        if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if options.lines {
            let summary = "\(messages.count) messages: \(messages.count - invalid) valid, \(invalid) invalid"
            if fromRegistry { Output.error(summary) } else { Output.writeLine(summary) }
        }
        if let deadLetter, !deadLetters.isEmpty {
            try Self.appendLines(deadLetters, to: deadLetter)
        }
        if invalid > 0 { throw ExitCode(AccordExit.rejected) }
    }

    /// Why `message` is invalid (and the schema its frame names, when readable), or nil when it is valid.
    /// Failures that are not the message's (an unreachable registry) are thrown.
    private func check(_ message: InputMessage, source: CodecSource, framing: Framing) async throws
        -> (text: String, json: JSONValue, writer: WireSchemaID?)?
    {
        var writer: WireSchemaID?
        do {
            switch format {
            case .binary:
                let bytes = try options.binary(of: message)
                if framing.isFramed { writer = try? FramedCodec.writer(of: bytes) }
                try await source.codec(for: bytes).validate(binary: bytes, framing: framing)
            case .json:
                try await source.codec(for: []).validate(json: try JSONParser.parse(message.bytes))
            }
            return nil
        } catch let failure as CLIFailure where failure.kind == .usage {
            throw failure
        } catch let error as PayloadError {
            return (error.description, error.jsonDescription, writer)
        } catch let error as WireFormatError {
            return (error.description, error.jsonDescription, writer)
        } catch let error as JSONParseError {
            return (error.description, .object(JSONObject(["error": .string(error.description), "code": .string("invalidJSON")])), writer)
        } catch {
            let text = "\(error)"
            return (text, .object(JSONObject(["error": .string(text)])), writer)
        }
    }

    /// Appends to the dead-letter file without following a symbolic link at `path` (O_NOFOLLOW: a link
    /// planted there cannot redirect the rejects elsewhere), and reports a failed write instead of trapping.
    static func appendLines(_ lines: [String], to path: String) throws(CLIFailure) {
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
            throw .usage("\(path): cannot open the dead-letter file for writing: \(reason)")
        }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .usage("\(path): cannot write the dead-letter file: \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}

/// Standard output written in large pieces: a filter passing a million lines makes a few hundred writes.
private struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func append(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        Output.writeBytes(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
