import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import JSONSupport
import SchemaProviders
import WireFormat

/// `accord validate`: does this message match the schema?
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check messages against a schema.",
        discussion: """
            Exit 0 when every message is valid, 1 when one is not (the reason on stderr), 2 on usage errors. \
            With --lines, each line is a message, a summary is printed at the end, and --dead-letter collects \
            each rejected message with its reason as JSON lines.
            """
    )

    enum MessageFormat: String, ExpressibleByArgument, CaseIterable {
        case binary, json
    }

    @OptionGroup var options: MessageOptions
    @Option(help: "binary (Avro binary) or json.") var format: MessageFormat = .binary
    @Option(help: "none, or confluent (0x00 + 4-byte schema id before each binary message).")
    var framing: Framing = .none
    @Option(help: "Append each rejected message and its reason to this file as JSON lines.")
    var deadLetter: String?

    func run() throws {
        if deadLetter != nil && !options.lines {
            throw CLIFailure.usage("--dead-letter needs --lines")
        }
        if framing == .confluent && format == .json {
            throw CLIFailure.usage("--framing confluent applies to binary messages only")
        }
        let codec = try options.loadCodec()
        let messages = try options.messages()
        var deadLetters: [String] = []
        var invalid = 0
        for message in messages {
            if let reason = check(message, codec: codec) {
                invalid += 1
                if options.lines {
                    Output.error("line \(message.number): \(reason.text)")
                } else {
                    Output.error("invalid: \(reason.text)")
                }
                var entry = JSONObject()
                entry["line"] = .integer(message.number)
                entry["message"] = .string(message.text ?? "")
                if case .object(let details) = reason.json {
                    for member in details { entry[member.key] = member.value }
                }
                deadLetters.append(JSONValue.object(entry).serialized())
            }
        }
        if options.lines {
            Output.writeLine("\(messages.count) messages: \(messages.count - invalid) valid, \(invalid) invalid")
        }
        if let deadLetter, !deadLetters.isEmpty {
            try appendLines(deadLetters, to: deadLetter)
        }
        if invalid > 0 { throw ExitCode(AccordExit.rejected) }
    }

    /// Why `message` is invalid, or nil when it is valid.
    private func check(_ message: InputMessage, codec: FramedCodec) -> (text: String, json: JSONValue)? {
        do {
            switch format {
            case .binary:
                try codec.validate(binary: try options.binary(of: message), framing: framing)
            case .json:
                try codec.validate(json: try JSONParser.parse(message.bytes))
            }
            return nil
        } catch let error as PayloadError {
            return (error.description, error.jsonDescription)
        } catch let error as WireFormatError {
            return (error.description, error.jsonDescription)
        } catch let error as JSONParseError {
            return (error.description, .object(JSONObject(["error": .string(error.description), "code": .string("invalidJSON")])))
        } catch {
            let text = "\(error)"
            return (text, .object(JSONObject(["error": .string(text)])))
        }
    }

    /// Appends to the dead-letter file without following a symbolic link at `path` (O_NOFOLLOW: a link
    /// planted there cannot redirect the rejects elsewhere), and reports a failed write instead of trapping.
    private func appendLines(_ lines: [String], to path: String) throws(CLIFailure) {
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
