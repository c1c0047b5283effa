import ArgumentParser

/// The `accord` command line: schema tools, compatibility checks and message codecs.
public struct AccordCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Schema contracts for data pipelines: check compatibility, validate and convert messages.",
        subcommands: []
    )

    public init() {}
}
