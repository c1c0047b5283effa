/// A failure the registry reports to its client: Confluent's numeric error code and a message. Bad input is
/// always one of these, never a crash or an internal error. (The server turns the code into an HTTP status.)
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Confluent's `error_code`, e.g. 40401.
    public var code: Int
    public var message: String

    public init(code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    // MARK: Confluent's codes

    public static func subjectNotFound(_ subject: String) -> RegistryError {
        RegistryError(code: 40401, "Subject '\(subject)' not found.")
    }
    public static func versionNotFound(_ version: Int, subject: String) -> RegistryError {
        RegistryError(code: 40402, "Version \(version) not found.")
    }
    public static func schemaNotFound(_ detail: String = "Schema not found") -> RegistryError {
        RegistryError(code: 40403, detail)
    }
    public static func subjectSoftDeleted(_ subject: String) -> RegistryError {
        RegistryError(
            code: 40404,
            "Subject '\(subject)' was soft deleted.Set permanent=true to delete permanently"
        )
    }
    public static func subjectNotSoftDeleted(_ subject: String) -> RegistryError {
        RegistryError(
            code: 40405,
            "Subject '\(subject)' was not deleted first before being permanently deleted"
        )
    }
    public static func versionSoftDeleted(_ subject: String, _ version: Int) -> RegistryError {
        RegistryError(
            code: 40406,
            "Subject '\(subject)' Version \(version) was soft deleted.Set permanent=true to delete permanently"
        )
    }
    public static func versionNotSoftDeleted(_ subject: String, _ version: Int) -> RegistryError {
        RegistryError(
            code: 40407,
            "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted"
        )
    }
    public static func subjectConfigNotFound(_ subject: String) -> RegistryError {
        RegistryError(code: 40408, "Subject '\(subject)' does not have subject-level compatibility configured")
    }
    public static func subjectModeNotFound(_ subject: String) -> RegistryError {
        RegistryError(code: 40409, "Subject '\(subject)' does not have subject-level mode configured")
    }
    public static func incompatible(_ message: String) -> RegistryError {
        RegistryError(code: 409, message)
    }
    public static func invalidSchema(_ message: String) -> RegistryError {
        RegistryError(code: 42201, "Invalid schema \(message)")
    }
    public static func invalidVersion(_ text: String) -> RegistryError {
        RegistryError(
            code: 42202,
            "The specified version '\(text)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
        )
    }
    public static func invalidCompatibilityLevel(_ text: String) -> RegistryError {
        RegistryError(
            code: 42203,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"
        )
    }
    public static func invalidMode(_ text: String) -> RegistryError {
        RegistryError(code: 42204, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, and IMPORT.")
    }
    public static func operationNotPermitted(_ message: String) -> RegistryError {
        RegistryError(code: 42205, message)
    }
    public static func referenceExists(_ message: String) -> RegistryError {
        RegistryError(code: 42206, message)
    }
    public static func idConflict(_ message: String) -> RegistryError {
        RegistryError(code: 42207, message)
    }
    public static func invalidSubject(_ subject: String) -> RegistryError {
        RegistryError(code: 42208, "The specified subject is not valid.")
    }
    public static func schemaTooLarge() -> RegistryError {
        RegistryError(code: 42209, "Register operation failed because schema is too large")
    }
    public static func invalidRuleSet(_ message: String) -> RegistryError {
        RegistryError(code: 42210, message)
    }
    public static func contextNotEmpty(_ context: String) -> RegistryError {
        RegistryError(code: 42211, "The specified context '\(context)' is not empty.")
    }
    /// Whether this says a subject, version or schema does not exist (404 codes).
    public var isNotFound: Bool { (40400..<40500).contains(code) }
    /// A store failure; the message says nothing about internals.
    public static func storeError(_ requestID: String? = nil) -> RegistryError {
        RegistryError(
            code: 50001,
            "Error in the backend data store" + (requestID.map { " (request \($0))" } ?? "")
        )
    }
    public static func badRequest(_ message: String) -> RegistryError {
        RegistryError(code: 400, message)
    }
    public static func unprocessable(_ message: String) -> RegistryError {
        RegistryError(code: 422, message)
    }
}
