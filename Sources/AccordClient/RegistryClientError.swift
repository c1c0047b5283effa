/// Why a registry call failed.
public enum RegistryClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry answered with an error: its HTTP status, Confluent's `error_code` (the status when the body
    /// has none) and its message.
    case registry(status: Int, errorCode: Int, message: String)
    /// No registry could be reached (every base URL, every retry): the last cause.
    case unreachable(String)
    /// The registry answered something that is not the documented JSON.
    case malformedResponse(String)
    /// The call's arguments cannot be sent (e.g. a base URL that is not http or https).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .registry(let status, let code, let message): "registry error \(code) (HTTP \(status)): \(message)"
        case .unreachable(let cause): "registry unreachable: \(cause)"
        case .malformedResponse(let detail): "unexpected registry response: \(detail)"
        case .invalidRequest(let detail): "invalid request: \(detail)"
        }
    }

    /// Confluent's error code when the registry answered with one.
    public var errorCode: Int? {
        if case .registry(_, let code, _) = self { return code }
        return nil
    }

    /// Confluent's codes a client acts on.
    public static let subjectNotFound = 40401
    public static let versionNotFound = 40402
    public static let schemaNotFound = 40403
    public static let incompatible = 409
    /// Accord's migration journal changed since the revision a write expected.
    public static let journalChanged = 40901
    public static let invalidSchema = 42201
}
