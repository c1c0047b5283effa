import SchemaCompatibility

/// Avro reader/writer compatibility with the semantics of Apache Avro Java 1.12
/// `org.apache.avro.SchemaCompatibility`, the check Confluent Schema Registry, Karapace and Redpanda apply.
///
/// `incompatibilities(reader:writer:)` answers "can `reader` read every datum written with `writer`?" and
/// reports every problem found, each with:
/// - `kind`: one of `NAME_MISMATCH`, `FIXED_SIZE_MISMATCH`, `MISSING_ENUM_SYMBOLS`,
///   `READER_FIELD_MISSING_DEFAULT_VALUE`, `TYPE_MISMATCH`, `MISSING_UNION_BRANCH`;
/// - `path`: the location Java reports, a JSON pointer through the reader schema's structure such as
///   `/fields/1/type/symbols`, or `/` for the root;
/// - `message`: a sentence naming the facts (names, symbols, sizes, types) behind the problem.
///
/// The rules, as Java applies them:
/// - Named types match when their unqualified names are equal, or when the reader lists the writer's full
///   name among its aliases. Records then match fields by name, then by the reader field's aliases; a reader
///   field the writer lacks needs a default. Enums need every writer symbol unless the reader has a default
///   symbol. Fixed types need equal sizes.
/// - Promotions: int to long, float or double; long to float or double; float to double; string to and from
///   bytes. Logical types are ignored.
/// - A writer union is readable when every branch is; a reader union reads a non-union writer when some
///   branch can. Arrays and maps compare their items and values.
/// - Recursive schemas: a (reader, writer) pair already being checked counts as compatible, and a pair's
///   result is reused wherever the pair occurs again (with the locations of its first check, as in Java).
///
/// Where Java throws instead of answering (a reader field whose name and aliases match two writer fields),
/// the writer field with the reader field's own name wins, then the first alias that matches.
///
/// The work a check may do is bounded by `budget`, counted against the two schemas' node counts: a check
/// that needs more ends with `CompatibilityBudgetExceeded` instead of a verdict.
public struct AvroCompatibility: ReaderWriterCompatibility {
    /// Compatibility is judged between parsed Avro schemas.
    public typealias Schema = AvroSchema

    /// How much work one reader/writer check may do.
    public var budget: CompatibilityBudget

    /// The rules are Java 1.12's; only the work budget is configurable.
    public init(budget: CompatibilityBudget = .default) {
        self.budget = budget
    }

    /// Every reason `reader` cannot read data written with `writer`, in the order Java reports them;
    /// empty when it can.
    /// - Throws: `CompatibilityBudgetExceeded` when the check needs more steps than `budget` allows.
    public func incompatibilities(reader: AvroSchema, writer: AvroSchema) throws(CompatibilityBudgetExceeded)
        -> [Incompatibility]
    {
        try measuredIncompatibilities(reader: reader, writer: writer).problems
    }

    /// The incompatibilities and the number of steps the check took.
    func measuredIncompatibilities(reader: AvroSchema, writer: AvroSchema) throws(CompatibilityBudgetExceeded)
        -> (problems: [Incompatibility], steps: Int)
    {
        let limit = budget.limit(readerNodes: reader.nodes.count, writerNodes: writer.nodes.count)
        var walker = AvroCompatibilityWalker(reader: reader, writer: writer, stepLimit: limit)
        let problems = try walker.run()
        return (problems, walker.steps)
    }
}

/// Applies Confluent's compatibility levels (BACKWARD, FORWARD, FULL and their transitive forms) to Avro schemas.
public typealias AvroCompatibilityChecker = CompatibilityChecker<AvroCompatibility>

extension AvroSchema {
    /// Every reason this schema, used as the reader, cannot read data written with `writer`;
    /// empty when it can. See `AvroCompatibility`.
    /// - Throws: `CompatibilityBudgetExceeded` when the check needs more steps than `budget` allows.
    public func incompatibilities(
        readingDataWrittenBy writer: AvroSchema, budget: CompatibilityBudget = .default
    ) throws(CompatibilityBudgetExceeded) -> [Incompatibility] {
        try AvroCompatibility(budget: budget).incompatibilities(reader: self, writer: writer)
    }
}
