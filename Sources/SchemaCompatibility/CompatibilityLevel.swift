/// The seven compatibility levels of Confluent Schema Registry.
///
/// A level names two things: which direction is checked (who reads whose data) and
/// which earlier versions take part (the latest only, or every version: `_TRANSITIVE`).
public enum CompatibilityLevel: String, CaseIterable, Sendable, Codable, Hashable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"

    /// Parses a level name case-insensitively (`backward_transitive` and `BACKWARD_TRANSITIVE` alike).
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// True for the `_TRANSITIVE` levels, which check against every earlier version.
    public var isTransitive: Bool {
        switch self {
        case .backwardTransitive, .forwardTransitive, .fullTransitive: true
        default: false
        }
    }

    /// The directions this level checks, in the order they are reported.
    public var directions: [CompatibilityDirection] {
        switch self {
        case .none: []
        case .backward, .backwardTransitive: [.backward]
        case .forward, .forwardTransitive: [.forward]
        case .full, .fullTransitive: [.backward, .forward]
        }
    }
}

/// One direction of a compatibility check between a new schema and an earlier one.
public enum CompatibilityDirection: String, Sendable, Codable, Hashable {
    /// The new schema reads data written with the earlier one (consumers upgrade first).
    case backward
    /// The earlier schema reads data written with the new one (producers upgrade first).
    case forward
}
