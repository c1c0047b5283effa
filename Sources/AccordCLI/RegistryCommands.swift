import AccordClient
import ArgumentParser
import Foundation
import JSONSupport
import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders

/// Where the registry is and who is asking: flags first, then ACCORD_REGISTRY, ACCORD_REGISTRY_USER and
/// ACCORD_REGISTRY_TOKEN.
struct RegistryConnectionOptions: ParsableArguments {
    @Option(help: "The registry's base URL (ACCORD_REGISTRY); several, comma-separated, fail over in turn.")
    var registry: String?

    @Option(help: "USER:PASSWORD for HTTP basic authentication (ACCORD_REGISTRY_USER).")
    var user: String?

    @Option(help: "A bearer token (ACCORD_REGISTRY_TOKEN).")
    var token: String?

    func client() throws(CLIFailure) -> SchemaRegistryClient {
        let environment = ProcessInfo.processInfo.environment
        guard let urls = registry ?? environment["ACCORD_REGISTRY"], !urls.isEmpty else {
            throw .usage("no registry: pass --registry URL or set ACCORD_REGISTRY")
        }
        return try Self.client(
            urls: urls, user: user ?? environment["ACCORD_REGISTRY_USER"], token: token ?? environment["ACCORD_REGISTRY_TOKEN"])
    }

    /// A client of `urls` (comma-separated, failed over in turn) with basic or bearer credentials.
    static func client(urls: String, user: String?, token: String?) throws(CLIFailure) -> SchemaRegistryClient {
        var configuration = RegistryClientConfiguration(
            baseURLs: urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        configuration.requestTimeout = .seconds(30)
        if let pair = user {
            guard let colon = pair.firstIndex(of: ":") else { throw .usage("--user wants USER:PASSWORD") }
            configuration.credentials = .basic(
                user: String(pair[..<colon]), password: String(pair[pair.index(after: colon)...]))
        } else if let token {
            configuration.credentials = .bearer(token: token)
        }
        return SchemaRegistryClient(configuration: configuration)
    }
}

/// How registry commands print: readable text, or JSON for scripts.
enum RegistryOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// Prints `text` (a newline added) or `json` (compact, one line).
    func print(text: String, json: JSONValue) {
        switch self {
        case .text: Output.write(text + "\n")
        case .json: Output.write(json.serialized() + "\n")
        }
    }
}

extension VersionSelector {
    /// A version argument: a number from 1, `latest` or `-1`; nil (none given) is the latest.
    init(argument: String?) throws(CLIFailure) {
        switch argument {
        case nil, "latest"?, "-1"?: self = .latest
        case let text?:
            guard let number = Int(text), number > 0 else { throw .usage("version must be a number or latest, not '\(text)'") }
            self = .number(number)
        }
    }
}

/// Runs a registry call, turning its failures into the CLI's exit codes: the registry's refusals of the
/// schema (409, 422) exit 1 with its reasons; anything else (unreachable, unauthorized, not found) exits 2.
func registryCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RegistryClientError {
        if case .registry(let status, _, let message) = error, status == 409 || status == 422 {
            throw CLIFailure.rejected(message)
        }
        throw CLIFailure.usage(error.description)
    }
}

/// `accord register`: registers a schema file under a subject.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a schema file under a subject in a registry.",
        discussion: """
            Prints `id N version V` (--output json: {"id":N,"version":V,"guid":"…"}). Exit 0 registered, 1 the \
            registry refused the schema (its reasons on standard error), 2 unreachable registry or bad input.
            """
    )

    @OptionGroup var connection: RegistryConnectionOptions
    @Option(help: "The subject.") var subject: String
    @Option(name: .customLong("type"), help: "avro, protobuf or json (default: from the file's extension).")
    var type: SchemaType?
    @Option(name: .customLong("reference"), help: "NAME=SUBJECT:VERSION, once per reference.")
    var references: [String] = []
    @Flag(help: "Ask the registry to normalize the schema.") var normalize = false
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text
    @Argument(help: "The schema file.") var file: String

    func run() async throws {
        let schema = try RegistrySchema.load(file, type: type, references: references)
        let client = try connection.client()
        let registered = try await registryCall {
            try await client.register(subject: subject, schema, normalize: normalize)
        }
        switch output {
        case .text:
            Output.write("id \(registered.id) version \(registered.version.map(String.init) ?? "?")\n")
        case .json:
            var object = JSONObject(["id": .integer(registered.id)])
            object["version"] = registered.version.map { .integer($0) } ?? .null
            object["guid"] = registered.guid.map { .string($0) } ?? .null
            Output.write(JSONValue.object(object).serialized() + "\n")
        }
    }
}

/// `accord check`: the registry's verdict on a schema file against a subject's history; nothing is registered.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Ask a registry whether a schema file is compatible with a subject's history (nothing is registered).",
        discussion: """
            The verdict is the registry's, under the subject's compatibility level. With --level, the file is \
            checked here, with the same engines, against the subject's live versions under that level \
            (schemas without references). Exit 0 compatible, 1 incompatible, 2 error (unreachable registry, \
            invalid schema, bad input).
            """
    )

    @OptionGroup var connection: RegistryConnectionOptions
    @Option(help: "The subject.") var subject: String
    @Option(name: .customLong("type"), help: "avro, protobuf or json (default: from the file's extension).")
    var type: SchemaType?
    @Option(name: .customLong("reference"), help: "NAME=SUBJECT:VERSION, once per reference.")
    var references: [String] = []
    @Option(help: "text, json, github (workflow annotations) or junit (JUnit XML).")
    var output: CompatOutputFormat = .text
    @Option(help: "Check under this level instead of the subject's (NONE, BACKWARD, … FULL_TRANSITIVE).")
    var level: CompatibilityLevel?
    @Option(help: "With --level: the JSON Schema policy, strict (Confluent's default) or lenient.")
    var policy: CompatibilityPolicy = .strict
    @Argument(help: "The schema file.") var file: String

    func run() async throws {
        let schema = try RegistrySchema.load(file, type: type, references: references)
        let client = try connection.client()
        if let level { return try await checkHere(schema, level: level, client: client) }
        let (answer, level, versions): (CompatibilityAnswer, CompatibilityLevel, [Int])
        do {
            let levelName = try await client.compatibilityLevel(subject: subject, defaultToGlobal: true)
            level = CompatibilityLevel(name: levelName.uppercased()) ?? .backward
            versions = try await liveVersions(client)
            answer = try await client.checkCompatibility(subject: subject, schema, verbose: true)
        } catch let error as RegistryClientError {
            throw CLIFailure.usage(error.description)
        }
        var problems = answer.incompatibilities.map { item in
            Incompatibility(
                kind: item.kind, path: item.path, message: item.message, version: item.version,
                direction: item.direction.flatMap(CompatibilityDirection.init(rawValue:)))
        }
        // A registry that gives only Confluent's message strings: one problem per message.
        if !answer.isCompatible && problems.isEmpty {
            problems = answer.messages.map { Incompatibility(kind: "INCOMPATIBLE", path: "", message: $0) }
        }
        try report(CompatibilityResult(level: level, incompatibilities: problems), versions: versions, schema: schema)
    }

    /// The subject's live version numbers; none when the subject does not exist yet.
    private func liveVersions(_ client: SchemaRegistryClient) async throws -> [Int] {
        do {
            return try await client.versions(subject: subject)
        } catch let error as RegistryClientError where error.errorCode == RegistryClientError.subjectNotFound {
            return []
        }
    }

    /// Prints the report in the chosen format (problems labelled by registry version) and exits 1 when
    /// incompatible.
    private func report(_ result: CompatibilityResult, versions: [Int], schema: RegistrySchema) throws {
        let labels = (1...max(versions.max() ?? 0, 1)).map { "\(subject) version \($0)" }
        let report = CompatReport(
            result: result, newFile: file, previousFiles: versions.isEmpty ? [] : labels,
            newText: Array(schema.schema.utf8), newType: SchemaType(name: schema.schemaType))
        Output.write(report.render(output))
        if !result.isCompatible { throw ExitCode(AccordExit.rejected) }
    }
}

extension CheckCommand {
    /// `--level`: the subject's live versions fetched, and the file checked against them here.
    func checkHere(_ schema: RegistrySchema, level: CompatibilityLevel, client: SchemaRegistryClient) async throws {
        guard schema.references.isEmpty else {
            throw CLIFailure.usage("--level checks schemas without references only; leave it out to ask the registry")
        }
        var numbers: [Int] = []
        var history: [any ParsedSchema] = []
        do {
            numbers = try await liveVersions(client)
            for number in numbers {
                let stored = try await client.version(subject: subject, .number(number))
                guard stored.schema.references.isEmpty else {
                    throw CLIFailure.usage(
                        "\(subject) version \(number) has references; leave --level out to ask the registry")
                }
                history.append(
                    try SchemaLoader.stored(stored.schema.schema, type: stored.schema.schemaType, label: "\(subject) version \(number)"))
            }
        } catch let error as RegistryClientError {
            throw CLIFailure.usage(error.description)
        }
        let new = try SchemaLoader.stored(schema.schema, type: schema.schemaType, label: file)
        var result = try CompatCommand.check(new, against: history, level: level, options: CompatibilityOptions(policy: policy))
        // Positions in the history (1…N) back to the registry's version numbers.
        result.incompatibilities = result.incompatibilities.map { problem in
            var problem = problem
            if let position = problem.version, numbers.indices.contains(position - 1) { problem.version = numbers[position - 1] }
            return problem
        }
        try report(result, versions: numbers, schema: schema)
    }
}

/// `accord subjects`.
struct SubjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subjects", abstract: "List a registry's subjects.")

    @OptionGroup var connection: RegistryConnectionOptions
    @Option(help: "Only subjects starting with this.") var prefix: String?
    @Flag(help: "Include soft-deleted subjects.") var deleted = false
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        let names = try await registryCall { try await client.subjects(prefix: prefix, deleted: deleted) }
        if output == .text && names.isEmpty { return }
        output.print(text: names.joined(separator: "\n"), json: .array(names.map { .string($0) }))
    }
}

/// `accord versions S`.
struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a subject's versions.")

    @OptionGroup var connection: RegistryConnectionOptions
    @Argument(help: "The subject.") var subject: String
    @Flag(help: "Include soft-deleted versions.") var deleted = false
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        let versions = try await registryCall { try await client.versions(subject: subject, deleted: deleted) }
        output.print(text: versions.map(String.init).joined(separator: "\n"), json: .array(versions.map { .integer($0) }))
    }
}

/// `accord get S [VERSION]` or `accord get --id N`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a subject version (default: the latest) or a schema by id.")

    @OptionGroup var connection: RegistryConnectionOptions
    @Option(help: "A schema id instead of a subject.") var id: Int?
    @Argument(help: "The subject.") var subject: String?
    @Argument(help: "A version number or latest.") var version: String?
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        var object = JSONObject()
        let schema: RegistrySchema
        if let id {
            let found = try await registryCall { try await client.schema(id: id) }
            object["id"] = .integer(id)
            if let guid = found.guid { object["guid"] = .string(guid) }
            schema = found.schema
        } else {
            guard let subject else { throw CLIFailure.usage("name a subject, or --id N") }
            let selector = try VersionSelector(argument: version)
            let found = try await registryCall { try await client.version(subject: subject, selector) }
            object["subject"] = .string(found.subject)
            object["version"] = .integer(found.version)
            object["id"] = .integer(found.id)
            if let guid = found.guid { object["guid"] = .string(guid) }
            schema = found.schema
        }
        object["schemaType"] = .string(schema.schemaType)
        if !schema.references.isEmpty {
            object["references"] = .array(
                schema.references.map {
                    .object(JSONObject(["name": .string($0.name), "subject": .string($0.subject), "version": .integer($0.version)]))
                })
        }
        object["schema"] = .string(schema.schema)
        switch output {
        case .json:
            Output.write(JSONValue.object(object).serialized() + "\n")
        case .text:
            var lines: [String] = []
            for member in object where member.key != "schema" && member.key != "references" {
                lines.append("\(member.key): \(member.value.stringValue ?? member.value.serialized())")
            }
            for reference in schema.references {
                lines.append("reference: \(reference.name) = \(reference.subject) version \(reference.version)")
            }
            Output.write(lines.joined(separator: "\n") + "\n\n" + schema.schema + "\n")
        }
    }
}

/// `accord delete S [VERSION] [--permanent]`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a subject or one version (soft; --permanent after a soft delete).")

    @OptionGroup var connection: RegistryConnectionOptions
    @Argument(help: "The subject.") var subject: String
    @Argument(help: "A version number or latest; none deletes the subject.") var version: String?
    @Flag(help: "Remove for good (the subject or version must be soft-deleted first).") var permanent = false
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        let deleted: [Int]
        if let version {
            let selector = try VersionSelector(argument: version)
            deleted = [try await registryCall { try await client.deleteVersion(subject: subject, selector, permanent: permanent) }]
        } else {
            deleted = try await registryCall { try await client.deleteSubject(subject, permanent: permanent) }
        }
        output.print(
            text: "deleted \(subject) version\(deleted.count == 1 ? "" : "s") \(deleted.map(String.init).joined(separator: ", "))",
            json: .array(deleted.map { .integer($0) }))
    }
}

/// `accord config [S] [--set LEVEL]`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show or set the compatibility level of a subject, or the global one.")

    @OptionGroup var connection: RegistryConnectionOptions
    @Argument(help: "The subject (none: the global level).") var subject: String?
    @Option(help: "The level to set.") var set: CompatibilityLevel?
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        if let set { try await registryCall { try await client.setCompatibilityLevel(set.rawValue, subject: subject) } }
        let level = try await registryCall { try await client.compatibilityLevel(subject: subject, defaultToGlobal: true) }
        output.print(text: level, json: .object(JSONObject(["compatibilityLevel": .string(level)])))
    }
}

/// `accord mode [S] [--set MODE]`.
struct ModeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mode", abstract: "Show or set the mode (READWRITE, READONLY, IMPORT) of a subject, or the global one.")

    @OptionGroup var connection: RegistryConnectionOptions
    @Argument(help: "The subject (none: the global mode).") var subject: String?
    @Option(help: "The mode to set.") var set: String?
    @Option(help: "text or json.") var output: RegistryOutputFormat = .text

    func run() async throws {
        let client = try connection.client()
        if let set { try await registryCall { try await client.setMode(set.uppercased(), subject: subject) } }
        let mode = try await registryCall { try await client.mode(subject: subject, defaultToGlobal: true) }
        output.print(text: mode, json: .object(JSONObject(["mode": .string(mode)])))
    }
}

extension RegistrySchema {
    /// A schema file as a registration request: its type from `--type` or the extension, its references from
    /// `NAME=SUBJECT:VERSION` arguments.
    static func load(_ path: String, type: SchemaType?, references: [String]) throws(CLIFailure) -> RegistrySchema {
        let provider = try SchemaType.detect(path: path, override: type)
        let text = try FileInput.readText(path)
        var parsed: [RegistryReference] = []
        for argument in references {
            guard let equals = argument.firstIndex(of: "="), let colon = argument.lastIndex(of: ":"), equals < colon,
                let version = Int(argument[argument.index(after: colon)...])
            else { throw .usage("--reference wants NAME=SUBJECT:VERSION, got '\(argument)'") }
            parsed.append(
                RegistryReference(
                    name: String(argument[..<equals]), subject: String(argument[argument.index(after: equals)..<colon]),
                    version: version))
        }
        return RegistrySchema(schemaType: provider.type.rawValue, schema: text, references: parsed)
    }
}
