import ArgumentParser

/// A failure the CLI reports on stderr and turns into its documented exit code.
///
/// Exit codes are part of the public contract: 0 success, 1 the input was checked and found wanting
/// (incompatible schema, invalid message), 2 the command could not do its job (usage, unreadable file,
/// invalid schema).
struct CLIFailure: Error, CustomStringConvertible {
    enum Kind {
        /// The input was checked and rejected (exit 1).
        case rejected
        /// Usage, I/O or schema error (exit 2).
        case usage
    }

    var kind: Kind
    var message: String

    var description: String { message }

    var exitCode: Int32 {
        switch kind {
        case .rejected: 1
        case .usage: 2
        }
    }

    static func usage(_ message: String) -> CLIFailure { CLIFailure(kind: .usage, message: message) }
    static func rejected(_ message: String) -> CLIFailure { CLIFailure(kind: .rejected, message: message) }
}

/// Exit codes the `accord` executable uses.
public enum AccordExit {
    public static let success: Int32 = 0
    public static let rejected: Int32 = 1
    public static let usage: Int32 = 2
}
