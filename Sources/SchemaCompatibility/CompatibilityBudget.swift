/// How much work one reader/writer check may do before it stops with `CompatibilityBudgetExceeded`.
///
/// A step is one unit of the format's walk: a pair of types or messages visited, a field, a union branch,
/// an enum symbol or value, a reported problem. Checks are near-linear in the sizes of the two schemas, so
/// the limit scales with them: `stepsPerNode × (nodes(reader) + nodes(writer)) + minimumSteps`, where a
/// format counts its own nodes (Avro: type nodes; Protobuf: files, messages, fields, oneofs, enums, values,
/// extensions, services, methods and reserved entries). The default leaves room for every legitimate schema
/// pair and stops inputs built to make the check superlinear.
public struct CompatibilityBudget: Sendable, Hashable {
    /// Steps allowed per node of the two schemas.
    public var stepsPerNode: Int
    /// Steps allowed whatever the schemas' sizes.
    public var minimumSteps: Int

    public init(stepsPerNode: Int, minimumSteps: Int) {
        self.stepsPerNode = max(0, stepsPerNode)
        self.minimumSteps = max(0, minimumSteps)
    }

    /// 100 steps per node plus 1,000,000.
    public static let `default` = CompatibilityBudget(stepsPerNode: 100, minimumSteps: 1_000_000)

    /// A fixed number of steps, whatever the schemas' sizes.
    public static func steps(_ limit: Int) -> CompatibilityBudget {
        CompatibilityBudget(stepsPerNode: 0, minimumSteps: limit)
    }

    /// No limit (`Int.max` steps): for trusted input only.
    public static let unlimited = CompatibilityBudget(stepsPerNode: 0, minimumSteps: Int.max)

    /// The number of steps a check between schemas of these sizes may take (saturating at `Int.max`).
    public func limit(readerNodes: Int, writerNodes: Int) -> Int {
        let (nodes, o1) = max(0, readerNodes).addingReportingOverflow(max(0, writerNodes))
        let (scaled, o2) = stepsPerNode.multipliedReportingOverflow(by: nodes)
        let (total, o3) = scaled.addingReportingOverflow(minimumSteps)
        return o1 || o2 || o3 ? Int.max : total
    }
}

/// A compatibility check stopped because it needed more steps than its `CompatibilityBudget` allows: the
/// schemas are too large or too convoluted to compare, which is a property of the request, not a verdict.
public struct CompatibilityBudgetExceeded: Error, Sendable, Hashable, CustomStringConvertible {
    /// The number of steps the check was allowed.
    public var limit: Int
    /// The 1-based position in the history that was being checked against, once a checker has set it.
    public var version: Int?
    /// Which direction of the check was running, once a checker has set it.
    public var direction: CompatibilityDirection?

    public init(limit: Int, version: Int? = nil, direction: CompatibilityDirection? = nil) {
        self.limit = limit
        self.version = version
        self.direction = direction
    }

    public var description: String {
        var text = "The compatibility check was stopped after \(limit) steps"
        if let direction, let version {
            text += " (\(direction.rawValue) check against version \(version))"
        }
        return text + ": the schemas are too large or too complex to compare."
    }
}
