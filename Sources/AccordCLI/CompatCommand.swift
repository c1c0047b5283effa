import ArgumentParser
import Foundation
import AvroCodec
import SchemaCompatibility

/// `accord compat`: the check a CI job runs on local files, with no registry.
struct CompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Check a new schema against earlier versions under a compatibility level.",
        discussion: """
            PREVIOUS files are the earlier versions, oldest first. BACKWARD: the new schema reads data written \
            with the latest previous one; FORWARD: the latest previous one reads the new schema's data; FULL: \
            both. _TRANSITIVE levels check every previous version. Exit 0 compatible, 1 incompatible, \
            2 invalid schema or usage.
            """
    )

    @Option(help: "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: CompatibilityLevel = .backward

    @Option(help: "text, json, github (workflow annotations) or junit (JUnit XML).")
    var output: CompatOutputFormat = .text

    @Option(help: "Schema format, when the file extension does not say.") var type: SchemaFormat?

    @Argument(help: "The new schema.") var new: String
    @Argument(help: "Earlier versions, oldest first.") var previous: [String] = []

    func run() throws {
        let format = try SchemaFormat.detect(path: new, override: type)
        let result: CompatibilityResult
        switch format {
        case .avro:
            let newSchema = try SchemaLoader.avro(new)
            var history: [AvroSchema] = []
            for path in previous {
                history.append(try SchemaLoader.avro(path))
            }
            result = AvroCompatibilityChecker(rules: AvroCompatibility()).check(newSchema, against: history, level: level)
        }
        let report = CompatReport(result: result, newFile: new, previousFiles: previous)
        Output.write(report.render(output))
        if !result.isCompatible { throw ExitCode(AccordExit.rejected) }
    }
}

extension CompatibilityLevel: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument.replacingOccurrences(of: "-", with: "_"))
    }
}
