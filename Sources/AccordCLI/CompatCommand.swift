import ArgumentParser
import Foundation
import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders

/// `accord compat`: the check a CI job runs on local files, with no registry.
struct CompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Check a new schema against earlier versions under a compatibility level.",
        discussion: """
            PREVIOUS files are the earlier versions, oldest first. BACKWARD: the new schema reads data written \
            with the latest previous one; FORWARD: the latest previous one reads the new schema's data; FULL: \
            both. _TRANSITIVE levels check every previous version. Protobuf schemas are checked with Confluent's \
            rules unless --rules picks one of buf's categories; JSON Schemas under Confluent's STRICT policy unless \
            --policy lenient. Exit 0 compatible, 1 incompatible, 2 invalid schema or usage.
            """
    )

    @Option(help: "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: CompatibilityLevel = .backward

    @Option(help: "Protobuf rule set: confluent, wire, wire-json or file (buf's categories).")
    var rules: ProtoRuleSet = .confluent

    @Option(help: "JSON Schema policy: strict (Confluent's default) or lenient.")
    var policy: CompatibilityPolicy = .strict

    @Option(help: "text, json, github (workflow annotations) or junit (JUnit XML).")
    var output: CompatOutputFormat = .text

    @OptionGroup var schema: SchemaFileOptions

    @Argument(help: "The new schema.") var new: String
    @Argument(help: "Earlier versions, oldest first.") var previous: [String] = []

    /// Checks `new` against `history` (oldest first) with the same engines as the registry.
    static func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel, options: CompatibilityOptions
    ) throws(CLIFailure) -> CompatibilityResult {
        do {
            return try SchemaProviders.standard.check(new, against: history, level: level, options: options)
        } catch {
            // Not a verdict: the schemas are too large or convoluted to compare (exit 2, as invalid input).
            throw .usage(error.description)
        }
    }

    func run() throws {
        let newSchema = try schema.load(new)
        var history: [any ParsedSchema] = []
        for path in previous {
            let loaded = try schema.load(path)
            guard loaded.type == newSchema.type else {
                throw CLIFailure.usage("\(path) is \(loaded.type.argumentName) but \(new) is \(newSchema.type.argumentName)")
            }
            history.append(loaded)
        }
        let result = try Self.check(
            newSchema, against: history, level: level, options: CompatibilityOptions(protobufRules: rules, policy: policy))
        let report = CompatReport(
            result: result, newFile: new, previousFiles: previous, newText: try? FileInput.readBytes(new),
            newType: newSchema.type)
        Output.write(report.render(output))
        if !result.isCompatible { throw ExitCode(AccordExit.rejected) }
    }
}

extension CompatibilityLevel: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument.replacingOccurrences(of: "-", with: "_"))
    }
}

extension ProtoRuleSet: ExpressibleByArgument {}

extension CompatibilityPolicy: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public var defaultValueDescription: String { rawValue.lowercased() }
    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}
