import JSONSupport
import SchemaCompatibility

/// Confluent Schema Registry's JSON Schema comparison: every difference from an original schema to an update.
public struct JSONSchemaDiff {
    /// All differences from `original` to `update` (both with their reference documents, keyed by the name a
    /// `$ref` uses), in the order Confluent reports them.
    /// - Throws: `JSONSchemaDiffError` for an unresolved `$ref`, a schema Confluent would not load, or input beyond
    ///   the default `JSONSchemaDiffLimits`.
    public static func compare(
        original: JSONValue, update: JSONValue, originalReferences: [String: JSONValue] = [:],
        updateReferences: [String: JSONValue] = [:]
    ) throws(JSONSchemaDiffError) -> [JSONSchemaDifference] {
        try compare(original: original, update: update, originalReferences: originalReferences,
            updateReferences: updateReferences, policy: .strict, limits: .default)
    }

    /// As `compare(original:update:…)`, with the policy that decides which nested comparisons count as compatible
    /// (this changes which oneOf branches match and which partially open models cover a property) and explicit limits.
    public static func compare(
        original: JSONValue, update: JSONValue, originalReferences: [String: JSONValue] = [:],
        updateReferences: [String: JSONValue] = [:], policy: JSONCompatibilityPolicy, limits: JSONSchemaDiffLimits
    ) throws(JSONSchemaDiffError) -> [JSONSchemaDifference] {
        let originalGraph = SchemaGraph(root: original, references: originalReferences, maxDepth: limits.maxDepth)
        let updateGraph = SchemaGraph(root: update, references: updateReferences, maxDepth: limits.maxDepth)
        let originalRoot = try originalGraph.loadRoot()
        let updateRoot = try updateGraph.loadRoot()
        let raw = try compareRaw(originalGraph, originalRoot, updateGraph, updateRoot, policy: policy, limits: limits)
        return raw.map { diff in difference(diff) }
    }

    /// The differences between two loaded schemas, with their paths as tokens.
    static func compareRaw(
        _ originalGraph: SchemaGraph, _ originalRoot: NodeID, _ updateGraph: SchemaGraph, _ updateRoot: NodeID,
        policy: JSONCompatibilityPolicy, limits: JSONSchemaDiffLimits
    ) throws(JSONSchemaDiffError) -> [RawDifference] {
        var engine = DiffEngine(original: originalGraph, update: updateGraph,
            compatible: DifferenceKinds.compatible(policy), limits: limits)
        return try engine.run(PairKey(
            original: SideNode(inOriginal: true, id: originalRoot), update: SideNode(inOriginal: false, id: updateRoot)))
    }

    /// A raw difference as reported: its path as a JSON pointer fragment, its message and (when STRICT rejects it)
    /// its hint.
    static func difference(_ diff: RawDifference) -> JSONSchemaDifference {
        let path = "#/" + diff.path.joined(separator: "/")
        return JSONSchemaDifference(kind: diff.kind, path: path, message: DifferenceKinds.message(diff.kind, path),
            hint: isCompatible(diff.kind, policy: .strict) ? nil : DifferenceKinds.hint(diff.kind))
    }

    /// Whether Confluent accepts a difference of this kind under `policy`.
    public static func isCompatible(_ kind: String, policy: JSONCompatibilityPolicy) -> Bool {
        DifferenceKinds.compatible(policy).contains(kind)
    }

    /// Every difference kind Confluent defines (`Difference.Type`), in its order.
    public static var allKinds: [String] { DifferenceKinds.all }
}

/// Applies compatibility levels to JSON Schemas the way Confluent Schema Registry does.
public struct JSONSchemaCompatibilityChecker {
    /// BACKWARD: compare(previous → new); FORWARD: compare(new → previous); FULL: both; `*_TRANSITIVE`: every earlier
    /// version (history is oldest first, checked newest first). Returns the incompatible differences as
    /// `Incompatibility` (kind, path, message with the hint appended, 1-based version, direction).
    public static func check(
        new: JSONValue, newReferences: [String: JSONValue],
        history: [(schema: JSONValue, references: [String: JSONValue])], level: CompatibilityLevel,
        policy: JSONCompatibilityPolicy
    ) throws(JSONSchemaDiffError) -> [Incompatibility] {
        guard let last = history.indices.last else { return [] }
        let positions: [Int] = level.isTransitive ? Array(history.indices.reversed()) : [last]
        let limits = JSONSchemaDiffLimits.default
        let compatible = DifferenceKinds.compatible(policy)
        // The new schema is loaded once; each comparison works on a copy of it as loaded (a comparison may load
        // more of it, through references), so every comparison sees what loading it afresh would give.
        var loadedNew: (graph: SchemaGraph, root: NodeID)?
        func newSchema() throws(JSONSchemaDiffError) -> (graph: SchemaGraph, root: NodeID) {
            if let loadedNew { return (SchemaGraph(copying: loadedNew.graph), loadedNew.root) }
            let graph = SchemaGraph(root: new, references: newReferences, maxDepth: limits.maxDepth)
            let root = try graph.loadRoot()
            loadedNew = (SchemaGraph(copying: graph), root)
            return (graph, root)
        }
        var found: [Incompatibility] = []
        let bothDirections = level.directions.count > 1
        for position in positions {
            let previous = history[position]
            // Likewise an earlier version is loaded once for both directions of FULL.
            var loadedPrevious: (graph: SchemaGraph, root: NodeID)?
            func previousSchema() throws(JSONSchemaDiffError) -> (graph: SchemaGraph, root: NodeID) {
                if let loadedPrevious { return (SchemaGraph(copying: loadedPrevious.graph), loadedPrevious.root) }
                let graph = SchemaGraph(root: previous.schema, references: previous.references, maxDepth: limits.maxDepth)
                let root = try graph.loadRoot()
                if bothDirections { loadedPrevious = (SchemaGraph(copying: graph), root) }
                return (graph, root)
            }
            for direction in level.directions {
                let differences: [RawDifference]
                switch direction {
                case .backward:
                    let original = try previousSchema()
                    let update = try newSchema()
                    differences = try JSONSchemaDiff.compareRaw(original.graph, original.root, update.graph,
                        update.root, policy: policy, limits: limits)
                case .forward:
                    let original = try newSchema()
                    let update = try previousSchema()
                    differences = try JSONSchemaDiff.compareRaw(original.graph, original.root, update.graph,
                        update.root, policy: policy, limits: limits)
                }
                for raw in differences where !compatible.contains(raw.kind) {
                    let difference = JSONSchemaDiff.difference(raw)
                    var message = difference.message
                    if let hint = difference.hint { message += " " + hint }
                    found.append(Incompatibility(kind: difference.kind, path: difference.path, message: message,
                        version: position + 1, direction: direction))
                }
            }
        }
        return found
    }
}
