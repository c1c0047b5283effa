/// One reason why a reader schema cannot read data written with a writer schema.
///
/// Formats fill in `kind`, `path` and `message`; the checker adds which earlier version and
/// which direction the finding came from.
public struct Incompatibility: Sendable, Hashable, Codable {
    /// A format-specific identifier such as `READER_FIELD_MISSING_DEFAULT_VALUE`.
    public var kind: String
    /// Where in the schema the problem is: a JSON pointer for Avro, an element path for Protobuf.
    public var path: String
    /// A sentence a person understands.
    public var message: String
    /// The 1-based position in the history that was checked against, once a checker has set it.
    public var version: Int?
    /// Which direction of the check found it, once a checker has set it.
    public var direction: CompatibilityDirection?

    public init(
        kind: String,
        path: String,
        message: String,
        version: Int? = nil,
        direction: CompatibilityDirection? = nil
    ) {
        self.kind = kind
        self.path = path
        self.message = message
        self.version = version
        self.direction = direction
    }
}

/// What a schema format provides to take part in compatibility checks: one direction,
/// "can `reader` read data written with `writer`?", reporting every problem found.
public protocol ReaderWriterCompatibility: Sendable {
    associatedtype Schema

    /// Every reason `reader` cannot read data written with `writer`; empty when it can.
    /// - Throws: `CompatibilityBudgetExceeded` when the check needs more work than the format's budget allows.
    func incompatibilities(reader: Schema, writer: Schema) throws(CompatibilityBudgetExceeded) -> [Incompatibility]
}

/// The outcome of checking a new schema against a history under one level.
public struct CompatibilityResult: Sendable, Hashable {
    public var level: CompatibilityLevel
    public var incompatibilities: [Incompatibility]

    public var isCompatible: Bool { incompatibilities.isEmpty }

    public init(level: CompatibilityLevel, incompatibilities: [Incompatibility]) {
        self.level = level
        self.incompatibilities = incompatibilities
    }
}

/// Applies a level to a format's reader/writer check, as Confluent Schema Registry defines the levels.
public struct CompatibilityChecker<Rules: ReaderWriterCompatibility>: Sendable {
    public let rules: Rules

    public init(rules: Rules) {
        self.rules = rules
    }

    /// Checks `new` against `history` (oldest first) under `level`.
    ///
    /// Non-transitive levels compare with the latest version only; transitive levels compare with every
    /// version. Backward means `new` reads the earlier version's data; forward means the earlier version
    /// reads `new`'s data; full means both. Every problem is reported, tagged with its 1-based version
    /// position and direction. An empty history is always compatible.
    /// - Throws: `CompatibilityBudgetExceeded`, tagged with the version and direction, when one reader/writer
    ///   check needs more work than the rules' budget allows.
    public func check(_ new: Rules.Schema, against history: [Rules.Schema], level: CompatibilityLevel)
        throws(CompatibilityBudgetExceeded) -> CompatibilityResult
    {
        guard let lastIndex = history.indices.last else {
            return CompatibilityResult(level: level, incompatibilities: [])
        }
        let positions: [Int] = level.isTransitive ? Array(history.indices.reversed()) : [lastIndex]
        var found: [Incompatibility] = []
        for position in positions {
            let previous = history[position]
            for direction in level.directions {
                let problems: [Incompatibility]
                do {
                    switch direction {
                    case .backward: problems = try rules.incompatibilities(reader: new, writer: previous)
                    case .forward: problems = try rules.incompatibilities(reader: previous, writer: new)
                    }
                } catch {
                    var stopped = error
                    stopped.version = position + 1
                    stopped.direction = direction
                    throw stopped
                }
                for var problem in problems {
                    problem.version = position + 1
                    problem.direction = direction
                    found.append(problem)
                }
            }
        }
        return CompatibilityResult(level: level, incompatibilities: found)
    }

    /// Checks `new` against exactly one earlier schema, ignoring transitivity (as Confluent's
    /// `/compatibility/subjects/{s}/versions/{v}` does).
    public func check(_ new: Rules.Schema, against previous: Rules.Schema, level: CompatibilityLevel)
        throws(CompatibilityBudgetExceeded) -> CompatibilityResult
    {
        try check(new, against: [previous], level: level)
    }
}
