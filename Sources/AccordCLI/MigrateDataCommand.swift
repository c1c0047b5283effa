import AccordClient
import ArgumentParser
import AvroCodec
import Foundation
import JSONSupport
import Migrations
import SchemaProviders
import WireFormat

extension MigrateCommand {
    /// `accord migrate data`: payloads of one subject version rewritten as another version's, up or down.
    struct DataCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "data",
            abstract: "Convert messages of one version of a subject to another version, up or down.",
            discussion: """
                The versions and their migration rules come from --registry URL (or ACCORD_REGISTRY: the \
                subject's registered versions, rules from each version's ruleSet.migrationRules as `apply` \
                stores them) or from --dir D (the subject's folder, versions numbered 1, 2, … in file order, \
                rules from subject.yaml: versions: FILE: migration: upgrade/downgrade). The message moves one \
                version at a time through every version between --from and --to: a step without rules in its \
                direction is the format's own reading (Avro schema resolution, Protobuf by field number); a step \
                with rules decodes to the plain JSON mapping, applies them in order (rename: {from, to}, default: \
                {field, value}, map: {field, values: {OLD: NEW}}, drop: {field}; fields are dotted paths), and \
                encodes with the next version (missing fields take their defaults; a field the next version \
                lacks must be dropped).

                Input (standard input or --input): one message, or one per line with --lines; --format json \
                (the plain JSON mapping, the default) or binary (raw bytes, or hex/base64 lines with --lines), \
                with --framing none, confluent or guid. With --registry a frame must name the --from version's \
                schema; with --dir any frame is accepted. Output has --output-format and --output-framing \
                (defaults: the input's format; the input's framing with --registry, none with --dir); framed \
                output takes the --to version's id or GUID from the registry, so it needs --registry.

                A message that cannot be migrated is reported on stderr with the step and rule ("line N: version \
                1 → 2, upgrade rule 3 (map status …): …"); with --lines, --dead-letter FILE appends it as a JSON \
                line ({"line":N,"message":"…","error":"…","code":"…","step":"version 1 → 2","rule":"…", plus \
                "pointer"/"path"/"offset" where known}) and the other lines go on.

                Exit codes: 0 every message migrated; 1 one or more could not be; 2 usage error, unreadable \
                input or directory, unknown subject or version, unreachable registry.
                """
        )

        enum MessageFormat: String, ExpressibleByArgument, CaseIterable {
            case json, binary
        }

        @Option(help: "The subject (with --dir: its folder name, or the manifest's subject name).") var subject: String
        @Option(help: "The version the messages are in.") var from: Int
        @Option(help: "The version to convert them to.") var to: Int
        @Option(help: "Take the versions from this migrations directory instead of a registry.") var dir: String?
        @OptionGroup var connection: RegistryConnectionOptions
        @Option(help: "Input file, or - for standard input.") var input: String = "-"
        @Flag(help: "One message per line: JSON text, or binary written as hex or base64 (see --line-encoding).")
        var lines = false
        @Option(help: "hex or base64: how binary messages are written on a line with --lines.")
        var lineEncoding: LineEncoding = .hex
        @Option(help: "json (the plain JSON mapping) or binary.") var format: MessageFormat = .json
        @Option(help: "none, confluent or guid: the frame before each binary input message.") var framing: Framing = .none
        @Option(help: "json or binary (default: the input's format).") var outputFormat: MessageFormat?
        @Option(help: "none, confluent or guid (default: the input's framing with --registry, none with --dir).")
        var outputFraming: Framing?
        @Option(help: "Protobuf: the message type, e.g. shop.Order (default: the file's first message).")
        var message: String?
        @Option(help: "With --lines: append each message that cannot be migrated, with the reason, to this file as JSON lines.")
        var deadLetter: String?

        /// The migrator and what the frames carry: the schemas the input may name (nil: any), and the output's.
        private struct Setup {
            var migrator: PayloadMigrator
            var accepted: Set<WireSchemaID>?
            var target: (id: Int, guid: String?)?
        }

        func run() async throws {
            if deadLetter != nil && !lines { throw CLIFailure.usage("--dead-letter needs --lines") }
            if format == .json && framing.isFramed {
                throw CLIFailure.usage("--framing \(framing.rawValue) applies to binary input only")
            }
            let outputFormat = self.outputFormat ?? format
            let outputFraming = self.outputFraming ?? (dir == nil ? framing : .none)
            if outputFormat == .json && outputFraming.isFramed {
                if self.outputFraming != nil {
                    throw CLIFailure.usage("--output-framing \(outputFraming.rawValue) applies to binary output only")
                }
            }
            let framedOutput = outputFormat == .binary && outputFraming.isFramed
            let setup: Setup
            if let dir {
                if connection.registry != nil { throw CLIFailure.usage("give either --dir or --registry, not both") }
                if framedOutput {
                    throw CLIFailure.usage(
                        "--output-framing \(outputFraming.rawValue) needs --registry: the frame carries the --to version's schema id")
                }
                setup = try directorySetup(dir)
            } else {
                setup = try await registrySetup()
            }
            var failed = 0
            var deadLetters: [String] = []
            let messages = try InputMessage.read(input, lines: lines)
            for message in messages {
                do {
                    let output = try migrate(message, setup, outputFormat: outputFormat, outputFraming: framedOutput ? outputFraming : .none)
                    switch output {
                    case .json(let json): Output.writeLine(json.serialized())
                    case .binary(let bytes):
                        if lines {
                            Output.writeLine(lineEncoding.text(of: bytes))
                        } else {
                            Output.writeBytes(bytes)
                        }
                    }
                } catch let failure as MessageFailure {
                    failed += 1
                    Output.error(lines ? "line \(message.number): \(failure.text)" : "cannot migrate: \(failure.text)")
                    var entry = JSONObject()
                    entry["line"] = .integer(message.number)
                    entry["message"] = .string(message.text ?? "")
                    if case .object(let details) = failure.json {
                        for member in details { entry[member.key] = member.value }
                    }
                    deadLetters.append(JSONValue.object(entry).serialized())
                }
            }
            if lines {
                Output.error("\(messages.count) messages: \(messages.count - failed) migrated, \(failed) not")
            }
            if let deadLetter, !deadLetters.isEmpty {
                try ValidateCommand.appendLines(deadLetters, to: deadLetter)
            }
            if failed > 0 { throw ExitCode(AccordExit.rejected) }
        }

        private enum Migrated {
            case json(JSONValue)
            case binary([UInt8])
        }

        /// Why one message was not migrated: for stderr and for the dead-letter record.
        private struct MessageFailure: Error {
            var text: String
            var json: JSONValue

            init(_ error: PayloadMigrationError) {
                text = error.description
                json = error.jsonDescription
            }

            init(code: String, _ message: String, offset: Int? = nil) {
                text = offset.map { "\(message) (at byte \($0))" } ?? message
                var object = JSONObject(["error": .string(message), "code": .string(code)])
                if let offset { object["offset"] = .integer(offset) }
                json = .object(object)
            }
        }

        private func migrate(_ message: InputMessage, _ setup: Setup, outputFormat: MessageFormat, outputFraming: Framing)
            throws -> Migrated
        {
            let migrator = setup.migrator
            let migrated: [UInt8]
            switch format {
            case .json:
                let json: JSONValue
                do {
                    json = try JSONParser.parse(message.bytes)
                } catch {
                    throw MessageFailure(code: "invalidJSON", error.description)
                }
                if outputFormat == .json {
                    do { return .json(try migrator.migrate(json: json)) } catch { throw MessageFailure(error) }
                }
                let payload: [UInt8]
                do {
                    payload = try migrator.sourceCodec.encode(json)
                } catch {
                    throw MessageFailure(PayloadMigrationError(from: migrator.from, to: nil, error: error))
                }
                do { migrated = try migrator.migrate(payload) } catch { throw MessageFailure(error) }
            case .binary:
                var bytes = try binary(of: message)
                if framing.isFramed {
                    let frame: WireFrame
                    do {
                        frame = try WireFraming.read(bytes, messageIndexes: migrator.sourceCodec.messageIndexes != nil)
                    } catch {
                        throw MessageFailure(code: error.kind == .truncated ? "truncatedData" : "invalidData", error.message, offset: error.offset)
                    }
                    if let accepted = setup.accepted, !accepted.contains(frame.schema) {
                        throw MessageFailure(
                            code: "wrongSchema", "the frame names schema \(frame.schema), not \(subject) version \(from)", offset: 1)
                    }
                    if let expected = migrator.sourceCodec.messageIndexes, (frame.messageIndexes ?? [0]) != expected {
                        throw MessageFailure(
                            code: "wrongSchema",
                            "the frame's message indexes \(frame.messageIndexes ?? [0]) do not name \(migrator.sourceCodec.typeName)",
                            offset: frame.schema.headerLength)
                    }
                    bytes = Array(bytes[frame.payloadOffset...])
                }
                do { migrated = try migrator.migrate(bytes) } catch { throw MessageFailure(error) }
            }
            switch outputFormat {
            case .json:
                do {
                    return .json(try migrator.targetCodec.decode(migrated))
                } catch {
                    throw MessageFailure(PayloadMigrationError(from: migrator.to, to: nil, error: error))
                }
            case .binary:
                guard outputFraming.isFramed, let target = setup.target else { return .binary(migrated) }
                let schema: WireSchemaID
                switch outputFraming {
                case .guid:
                    guard let text = target.guid, let guid = SchemaGUID(text) else {
                        throw CLIFailure.usage("\(subject) version \(to): the registry gave no GUID for --output-framing guid")
                    }
                    schema = .guid(guid)
                default:
                    guard let id = UInt32(exactly: target.id) else { throw CLIFailure.usage("schema id \(target.id) does not fit 4 bytes") }
                    schema = .id(id)
                }
                let indexes: [Int]?
                do { indexes = try migrator.targetCodec.frameIndexes() } catch { throw MessageFailure(code: error.code, error.message) }
                return .binary(WireFraming.frame(schema, messageIndexes: indexes, payload: migrated))
            }
        }

        private var codecOptions: MessageCodecOptions { MessageCodecOptions(messageName: message) }

        private func directorySetup(_ dir: String) throws(CLIFailure) -> Setup {
            do {
                let directory = try SchemaDirectory.load(dir)
                guard let found = directory.subject(named: subject) else {
                    throw CLIFailure.usage("\(dir) has no subject \(subject) (it has \(directory.subjects.map(\.name).joined(separator: ", ")))")
                }
                let versions = try found.migrationVersions(from: from, to: to, in: directory)
                return Setup(migrator: try PayloadMigrator(versions: versions, from: from, to: to, options: codecOptions), accepted: nil)
            } catch let error as MigrationError {
                throw .usage(error.description)
            } catch let error as CLIFailure {
                throw error
            } catch {
                throw .usage("\(error)")
            }
        }

        private func registrySetup() async throws -> Setup {
            let client = try connection.client()
            let codecs = RegistryCodecs(client: client, options: codecOptions)
            let live = try await registryCall { try await client.versions(subject: subject) }
            for number in [from, to] where !live.contains(number) {
                throw CLIFailure.usage("\(subject) has no live version \(number) (it has \(live.map(String.init).joined(separator: ", ")))")
            }
            var versions: [MigrationVersion] = []
            var accepted: Set<WireSchemaID> = []
            var target: (id: Int, guid: String?)?
            for number in live.sorted() where number >= min(from, to) && number <= max(from, to) {
                let found = try await registryCall { try await client.version(subject: subject, .number(number)) }
                let label = "\(subject) version \(number)"
                let parsed: any ParsedSchema
                do {
                    parsed = try await codecs.parse(found.schema)
                } catch let error as PayloadError {
                    throw CLIFailure.usage("\(label): \(error.message)")
                } catch let error as RegistryClientError {
                    throw CLIFailure.usage("\(label): \(error.description)")
                }
                let rules: MigrationRules?
                do {
                    rules = try MigrationRuleSet.rules(from: found.schema.ruleSet)
                } catch {
                    throw CLIFailure.usage("\(label): \(error.description)")
                }
                versions.append(MigrationVersion(number: number, schema: parsed, rules: rules))
                if number == from {
                    if let id = UInt32(exactly: found.id) { accepted.insert(.id(id)) }
                    if let text = found.guid, let guid = SchemaGUID(text) { accepted.insert(.guid(guid)) }
                }
                if number == to { target = (found.id, found.guid) }
            }
            do {
                return Setup(
                    migrator: try PayloadMigrator(versions: versions, from: from, to: to, options: codecOptions), accepted: accepted,
                    target: target)
            } catch {
                throw CLIFailure.usage(error.description)
            }
        }

        /// The binary bytes of a message: raw input, or a hex/base64 line decoded.
        private func binary(of message: InputMessage) throws(MessageFailure) -> [UInt8] {
            do {
                return try message.binary(lineEncoding)
            } catch {
                throw MessageFailure(code: "invalidData", error.message)
            }
        }
    }
}
