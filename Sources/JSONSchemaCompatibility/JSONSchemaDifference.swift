import JSONSupport

/// Which set of differences counts as compatible, as Confluent's subject setting `compatibilityPolicy` names them.
public enum JSONCompatibilityPolicy: String, Sendable, Hashable, CaseIterable {
    /// Confluent's default: adding an optional property is compatible only to a closed content model,
    /// removing one only from an open content model.
    case strict = "STRICT"
    /// Also accepts the changes that the robustness principle tolerates (optional properties added to open
    /// models, properties removed from closed ones, `additionalProperties` narrowed or removed, …).
    case lenient = "LENIENT"
}

/// One difference between an original and an updated JSON Schema.
public struct JSONSchemaDifference: Sendable, Hashable, CustomStringConvertible {
    /// Confluent's `Difference.Type` name, e.g. `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`.
    public var kind: String
    /// Where in the schema, as Confluent prints it: `#/` for the root, `#/properties/foo`, `#/items/0`, `#/oneOf/1`.
    public var path: String
    /// A sentence a person understands.
    public var message: String
    /// How to make the change compatible, where there is a way.
    public var hint: String?

    public init(kind: String, path: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `KIND path`, the form Confluent's own test tables use.
    public var description: String { "\(kind) \(path)" }
}

/// Why two schemas could not be compared.
public enum JSONSchemaDiffError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `$ref` names nothing in its document or in the references given.
    case unresolvedReference(reference: String, location: String)
    /// The schema is not a JSON Schema Confluent would load (e.g. a root that is neither an object nor a boolean,
    /// an unknown `type`, a keyword whose value has the wrong JSON kind, an invalid `patternProperties` regex).
    case invalidSchema(location: String, reason: String)
    /// The schemas nest deeper than the comparison allows.
    case tooDeep(limit: Int)
    /// Comparing the schemas needed more pairwise comparisons than allowed (e.g. many large oneOf/anyOf branches).
    case tooManyComparisons(limit: Int)

    public var description: String {
        switch self {
        case .unresolvedReference(let reference, let location):
            "Unresolved $ref '\(reference)' at \(location)"
        case .invalidSchema(let location, let reason):
            "Invalid JSON schema at \(location): \(reason)"
        case .tooDeep(let limit):
            "The schemas nest more than \(limit) levels deep and cannot be compared"
        case .tooManyComparisons(let limit):
            "Comparing the schemas needed more than \(limit) schema comparisons and was stopped"
        }
    }
}

/// Bounds on one comparison, so hostile schemas fail with a typed error instead of exhausting the machine.
public struct JSONSchemaDiffLimits: Sendable, Hashable {
    /// How deeply schemas may nest (loading and comparing).
    public var maxDepth: Int
    /// How many schema pairs may be compared in total, over all fixpoint passes.
    public var maxComparisons: Int

    public init(maxDepth: Int = 128, maxComparisons: Int = 200_000) {
        self.maxDepth = maxDepth
        self.maxComparisons = maxComparisons
    }

    public static let `default` = JSONSchemaDiffLimits()
}
