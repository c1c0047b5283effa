import ArgumentParser

/// The `accord` command line: schema tools, compatibility checks and message codecs.
public struct AccordCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Schema contracts for data pipelines: check compatibility, validate and convert messages.",
        discussion: """
            Exit codes: 0 success; 1 checked and rejected (incompatible schema, invalid message); \
            2 usage error, unreadable input or invalid schema.
            """,
        subcommands: [
            SchemaCommand.self,
            CompatCommand.self,
            ValidateCommand.self,
            EncodeCommand.self,
            DecodeCommand.self,
            ServeCommand.self,
            AuthCommand.self,
            RegisterCommand.self,
            CheckCommand.self,
            SubjectsCommand.self,
            VersionsCommand.self,
            GetCommand.self,
            DeleteCommand.self,
            ConfigCommand.self,
            ModeCommand.self,
            MigrateCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments`, runs the chosen subcommand and returns the process exit code.
    ///
    /// Usage errors exit 2 (not ArgumentParser's 64), so scripts can tell "rejected" (1) from "could not run" (2).
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return AccordExit.success
        } catch let failure as CLIFailure {
            Output.error("error: \(failure.message)")
            return failure.exitCode
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Output.write(message.isEmpty ? "" : message + "\n")
                return AccordExit.success
            }
            Output.error(message)
            return AccordExit.usage
        }
    }
}
