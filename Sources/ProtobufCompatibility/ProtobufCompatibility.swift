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

    /// A checker applying `rules` (Confluent's by default).
    public init(rules: ProtoRuleSet = .confluent) {
        self.rules = rules
    }

    /// Every problem when a consumer using `reader` reads data produced with `writer`. For the BACKWARD level the
    /// checker calls this with reader = new schema, writer = previous; FORWARD swaps them.
    public func incompatibilities(reader: ProtoSchema, writer: ProtoSchema) -> [Incompatibility] {
        switch rules {
        case .confluent:
            var diff = ConfluentDiff(original: writer, update: reader)
            return diff.run()
        case .wire, .wireJSON, .file:
            var check = BufBreaking(previous: writer, current: reader, rules: BufRule.rules(for: rules))
            return check.run()
        }
    }
}

/// Applies Confluent's compatibility levels (BACKWARD, FORWARD, FULL and their transitive forms) to Protobuf
/// schemas under the rule set the `ProtobufCompatibility` value carries.
public typealias ProtobufCompatibilityChecker = CompatibilityChecker<ProtobufCompatibility>
