public import ProtobufSchema
public import SchemaCompatibility

/// Which rules decide whether two Protobuf schemas are compatible.
public enum ProtoRuleSet: String, Sendable, CaseIterable {
    /// Confluent Schema Registry's Protobuf rules (the default): the `Difference` kinds its schema diff
    /// treats as incompatible, such as `FIELD_SCALAR_KIND_CHANGED` or `MESSAGE_REMOVED`.
    case confluent
    /// buf's `WIRE` breaking category: changes that break the binary encoding. Reports buf rule IDs.
    case wire
    /// buf's `WIRE_JSON` breaking category: changes that break the binary or the JSON encoding.
    case wireJSON = "wire-json"
    /// buf's `FILE` breaking category: source-level changes that break generated code file by file.
    case file
}

/// Protobuf reader/writer compatibility under a chosen rule set. See `RULES.md` next to this file for
/// the rules, how they map onto reader and writer, and where Confluent and buf disagree.
///
/// Every finding is an `Incompatibility` with:
/// - `kind`: Confluent's `Difference.Type` name (rule set `.confluent`) or buf's rule ID (the others);
/// - `path`: an element path relative to the declaring file's package: `Order` for a message,
///   `Order.items` for a field, `Order.payment` for a oneof, `Status` for an enum, `Shop.Get` for an RPC,
///   the file name for file-level findings, and the empty string for the package itself;
/// - `message`: a sentence naming the element, the field number and what changed. Confluent findings
///   end with Confluent's own location (`#/Order/2`, the message path and the field number).
///
/// Both rule sets compare a previous schema with a new one. The previous schema is the `writer` and the
/// new one the `reader`: the BACKWARD level calls this with reader = new and writer = previous, which is
/// Confluent's `diff(original: previous, update: new)` and buf's `breaking(input: new, against: previous)`.
public struct ProtobufCompatibility: ReaderWriterCompatibility {
    /// Compatibility is judged between linked Protobuf schemas (a main file and its imports).
    public typealias Schema = ProtoSchema

    /// The rule set this checker applies.
    public let rules: ProtoRuleSet
    /// How much work one reader/writer check may do.
    public var budget: CompatibilityBudget

    /// A checker applying `rules` (Confluent's by default) within `budget`.
    public init(rules: ProtoRuleSet = .confluent, budget: CompatibilityBudget = .default) {
        self.rules = rules
        self.budget = budget
    }

    /// Every problem when a consumer using `reader` reads data produced with `writer`. For the BACKWARD level the
    /// checker calls this with reader = new schema, writer = previous; FORWARD swaps them.
    /// - Throws: `CompatibilityBudgetExceeded` when the check needs more steps than `budget` allows.
    public func incompatibilities(reader: ProtoSchema, writer: ProtoSchema) throws(CompatibilityBudgetExceeded)
        -> [Incompatibility]
    {
        try measuredIncompatibilities(reader: reader, writer: writer).problems
    }

    /// The incompatibilities and the number of steps the check took.
    func measuredIncompatibilities(reader: ProtoSchema, writer: ProtoSchema) throws(CompatibilityBudgetExceeded)
        -> (problems: [Incompatibility], steps: Int)
    {
        let readerModel = ProtoModel(reader)
        let writerModel = ProtoModel(writer)
        let work = WorkBudget(
            limit: budget.limit(readerNodes: readerModel.nodeCount, writerNodes: writerModel.nodeCount))
        switch rules {
        case .confluent:
            var diff = ConfluentDiff(original: writerModel, update: readerModel, work: work)
            let problems = try diff.run()
            return (problems, diff.work.steps)
        case .wire, .wireJSON, .file:
            var check = BufBreaking(
                previous: writerModel, current: readerModel, rules: BufRule.rules(for: rules), work: work)
            let problems = try check.run()
            return (problems, check.work.steps)
        }
    }
}

/// Counts the steps of one check and stops it once they pass the limit.
struct WorkBudget {
    let limit: Int
    private(set) var steps = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes `count` steps; throws once the total passes the limit.
    mutating func spend(_ count: Int = 1) throws(CompatibilityBudgetExceeded) {
        let (total, overflow) = steps.addingReportingOverflow(count)
        steps = overflow ? Int.max : total
        if steps > limit { throw CompatibilityBudgetExceeded(limit: limit) }
    }
}

/// Applies Confluent's compatibility levels (BACKWARD, FORWARD, FULL and their transitive forms) to Protobuf
/// schemas under the rule set the `ProtobufCompatibility` value carries.
public typealias ProtobufCompatibilityChecker = CompatibilityChecker<ProtobufCompatibility>
