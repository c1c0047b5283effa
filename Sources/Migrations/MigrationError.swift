/// Why a migrations directory cannot be used: each names the file.
public enum MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(String, String)
    case invalidManifest(String, String)
    case invalidLayout(String, String)
    case unresolvedReference(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .invalidManifest(let path, let reason): "\(path): invalid manifest: \(reason)"
        case .invalidLayout(let path, let reason): "\(path): \(reason)"
        case .unresolvedReference(let path, let reason): "\(path): \(reason)"
        }
    }
}
