import JSONSupport

/// A parsed, fully resolved Avro schema.
///
/// The schema is a graph of nodes addressed by index. A named type (record, enum, fixed) is one node,
/// and every reference to it points at that node, so recursive schemas are ordinary cycles in the graph.
/// Each occurrence of an unnamed type (primitives, arrays, maps, unions) is its own node.
///
/// Parsing follows the Avro 1.12 specification; where Apache Avro Java 1.12 (which Confluent Schema Registry
/// runs) differs from the specification we follow Java:
/// - a short name resolves in the enclosing namespace, then in the null namespace;
/// - `"namespace": null` counts as absent (the enclosing namespace applies), `""` is the null namespace;
/// - only the bare primitive names are reserved: a type may be called `ns.int`;
/// - a second definition of a name is accepted when it is identical (same JSON, same enclosing namespace);
/// - names may be used before their definition (forward references);
/// - `order` is matched in any letter case; a union default may match any branch; `float` and `double` fields
///   accept string defaults such as `"NaN"`.
///
/// We are stricter than Java in a few places, where Java would accept something no reader could use:
/// non-string `doc`, `namespace` or enum `default` values are errors, and field defaults of `bytes`, `fixed`
/// and enum types are checked for their code point range, length and symbol.
public struct AvroSchema: Sendable {
    /// Index of a node in `nodes`.
    public typealias NodeID = Int

    /// Every type occurrence of the schema; `NodeID`s index into this.
    public let nodes: [AvroNode]
    /// The top-level type.
    public let root: NodeID
    /// Full name → node, for every named type the schema defines.
    public let namedTypes: [String: NodeID]

    /// Per node: one bit per primitive type for a primitive, the union of its branches' bits (with
    /// `unionBit`) for a union of primitives only, 0 otherwise. Lets compatibility settle such pairs at once.
    let primitiveMasks: [UInt16]
    static let unionBit: UInt16 = 1 << 15

    init(nodes: [AvroNode], root: NodeID, namedTypes: [String: NodeID]) {
        self.nodes = nodes
        self.root = root
        self.namedTypes = namedTypes
        func bit(_ kind: AvroNode.Kind) -> UInt16 {
            switch kind {
            case .null: 1 << 0
            case .boolean: 1 << 1
            case .int: 1 << 2
            case .long: 1 << 3
            case .float: 1 << 4
            case .double: 1 << 5
            case .bytes: 1 << 6
            case .string: 1 << 7
            default: 0
            }
        }
        self.primitiveMasks = nodes.map { node in
            guard case .union(let branches) = node.kind else { return bit(node.kind) }
            var mask = Self.unionBit
            for branch in branches {
                let branchBit = nodes.indices.contains(branch) ? bit(nodes[branch].kind) : 0
                if branchBit == 0 { return 0 }
                mask |= branchBit
            }
            return mask
        }
    }

    /// The node with index `id` (which must come from this schema).
    public subscript(id: NodeID) -> AvroNode { nodes[id] }

    /// The top-level type's node.
    public var rootNode: AvroNode { nodes[root] }

    /// Parses `.avsc` text.
    /// - Throws: `AvroError` with code `.invalidJSON` or `.invalidSchema` and a JSON pointer.
    public init(parsing text: String, options: AvroParseOptions = .default) throws(AvroError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, limits: options.jsonLimits)
        } catch {
            throw AvroError(.invalidJSON, error.description)
        }
        try self.init(json: json, options: options)
    }

    /// Builds a schema from already parsed JSON.
    public init(json: JSONValue, options: AvroParseOptions = .default) throws(AvroError) {
        var parser = AvroSchemaParser(options: options)
        self = try parser.parseDocument(json)
    }

    /// Builds a schema whose named-type references may point at types defined in `references`
    /// (schema documents parsed first, in order, as Confluent's schema references are). The referenced
    /// types become part of this schema's graph.
    public init(
        json: JSONValue,
        references: [JSONValue],
        options: AvroParseOptions = .default
    ) throws(AvroError) {
        var parser = AvroSchemaParser(options: options)
        self = try parser.parseDocument(json, references: references)
    }
}

/// Options for schema parsing.
public struct AvroParseOptions: Sendable {
    /// Limits for reading the schema's JSON text; `maxDepth` also bounds how deep types nest once each named
    /// type is expanded where it is first used.
    public var jsonLimits: JSONParseLimits
    /// Check field defaults against their types (Java's `validateDefaults`, on by default).
    public var validateDefaults: Bool
    /// Largest number of nodes a schema may have.
    public var maxNodes: Int

    /// Options with the given limits; the defaults suit registry use.
    public init(
        jsonLimits: JSONParseLimits = JSONParseLimits(maxBytes: 8 << 20, maxDepth: 128),
        validateDefaults: Bool = true,
        maxNodes: Int = 200_000
    ) {
        self.jsonLimits = jsonLimits
        self.validateDefaults = validateDefaults
        self.maxNodes = maxNodes
    }

    /// 8 MiB of JSON, depth 128, defaults validated, at most 200,000 nodes.
    public static let `default` = AvroParseOptions()
}

/// One type occurrence in an `AvroSchema`.
public struct AvroNode: Sendable {
    /// What type this is, with its parts.
    public var kind: Kind
    /// The interpreted logical type, when the `logicalType` attribute is present and valid for this type.
    public var logicalType: AvroLogicalType?
    /// Attributes that are not part of the Avro grammar for this type (including `logicalType`,
    /// `precision` and `scale`), in document order.
    public var properties: JSONObject
    /// Where this type was written in the schema document.
    public var pointer: JSONPointer

    /// The Avro types; containers refer to their parts by node index.
    public enum Kind: Sendable {
        case null, boolean, int, long, float, double, bytes, string
        case array(items: AvroSchema.NodeID)
        case map(values: AvroSchema.NodeID)
        case union(branches: [AvroSchema.NodeID])
        case record(AvroRecord)
        case enumeration(AvroEnum)
        case fixed(AvroFixed)
    }

    /// The Avro type name: `int`, `record`, `union`…
    public var typeName: String {
        switch kind {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .record(let r): r.isError ? "error" : "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        }
    }

    /// The name of a record, enum or fixed.
    public var name: AvroName? {
        switch kind {
        case .record(let r): r.name
        case .enumeration(let e): e.name
        case .fixed(let f): f.name
        default: nil
        }
    }

    /// Aliases of a named type, as full names.
    public var aliases: [AvroName] {
        switch kind {
        case .record(let r): r.aliases
        case .enumeration(let e): e.aliases
        case .fixed(let f): f.aliases
        default: []
        }
    }

    /// What a union uses to tell its branches apart: the full name for named types, the type name otherwise.
    public var unionKey: String {
        name?.fullName ?? typeName
    }

    /// True for `null`, `boolean`, `int`, `long`, `float`, `double`, `bytes` and `string`.
    public var isPrimitive: Bool {
        switch kind {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string: true
        default: false
        }
    }
}

/// A full Avro name split into its parts.
public struct AvroName: Sendable, Hashable, CustomStringConvertible {
    /// The last dotted component.
    public let name: String
    /// Everything before the last dot; `nil` for the null namespace.
    public let namespace: String?

    /// A name in `namespace`; an empty namespace is the null namespace.
    public init(name: String, namespace: String?) {
        self.name = name
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
    }

    /// Splits a full name at its last dot.
    public init(fullName: String) {
        if let dot = fullName.lastIndex(of: ".") {
            self.init(name: String(fullName[fullName.index(after: dot)...]), namespace: String(fullName[..<dot]))
        } else {
            self.init(name: fullName, namespace: nil)
        }
    }

    /// `namespace.name`, or just `name` in the null namespace.
    public var fullName: String {
        namespace.map { "\($0).\(name)" } ?? name
    }

    public var description: String { fullName }
}

/// Sort order of a record field.
public enum AvroFieldOrder: String, Sendable, Hashable {
    case ascending, descending, ignore
}

/// One field of a record.
public struct AvroField: Sendable {
    /// The field name.
    public var name: String
    /// The field's type.
    public var type: AvroSchema.NodeID
    /// The `default` attribute exactly as written (`nil` when absent, `.null` for `"default": null`). For a
    /// `float` or `double` field it may be a string such as `"NaN"`, which Java accepts.
    public var defaultValue: JSONValue?
    /// The sort order (`ascending` when not written; Java accepts any letter case).
    public var order: AvroFieldOrder
    /// Field aliases as written (simple names).
    public var aliases: [String]
    /// The `doc` attribute.
    public var doc: String?
    /// Attributes that are not part of the field grammar, in document order.
    public var properties: JSONObject
    /// Where the field was written.
    public var pointer: JSONPointer
}

/// A record (or protocol error) type.
public struct AvroRecord: Sendable {
    /// The full name.
    public var name: AvroName
    /// Aliases as full names (a short alias is in the record's namespace).
    public var aliases: [AvroName]
    /// The `doc` attribute.
    public var doc: String?
    /// The fields in order.
    public var fields: [AvroField]
    /// True when declared with `"type": "error"` (Avro protocols).
    public var isError: Bool

    /// The index of the field called `name`, if any.
    public func fieldIndex(named name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }
}

/// An enum type.
public struct AvroEnum: Sendable {
    /// The full name.
    public var name: AvroName
    /// Aliases as full names (a short alias is in the enum's namespace).
    public var aliases: [AvroName]
    /// The `doc` attribute.
    public var doc: String?
    /// The symbols in order; their index is what the binary encoding writes.
    public var symbols: [String]
    /// The symbol a reader uses for writer symbols it does not know.
    public var defaultSymbol: String?
}

/// A fixed-size bytes type.
public struct AvroFixed: Sendable {
    /// The full name.
    public var name: AvroName
    /// Aliases as full names (a short alias is in the type's namespace).
    public var aliases: [AvroName]
    /// The `doc` attribute.
    public var doc: String?
    /// The number of bytes, 0 to 2³¹−1.
    public var size: Int
}

/// The logical types of the Avro 1.12 specification.
///
/// A `logicalType` that is unknown or not valid for its type (wrong underlying type, bad precision or scale, a
/// fixed too small for the precision) is ignored as Java's `LogicalTypes.fromSchemaIgnoreInvalid` does: the node
/// keeps its underlying type, `logicalType` is nil, and the attributes stay in `properties`.
public enum AvroLogicalType: Sendable, Hashable {
    /// On `bytes` or `fixed`: 1 ≤ precision ≤ 2³¹−1 (for fixed of size n, at most ⌊log₁₀(2)·(8n−1)⌋),
    /// 0 ≤ scale ≤ precision; both must be JSON integers.
    case decimal(precision: Int, scale: Int)
    case bigDecimal
    case uuid
    case date
    case timeMillis
    case timeMicros
    case timestampMillis
    case timestampMicros
    case timestampNanos
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos
    case duration

    /// The `logicalType` attribute value.
    public var name: String {
        switch self {
        case .decimal: "decimal"
        case .bigDecimal: "big-decimal"
        case .uuid: "uuid"
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        case .duration: "duration"
        }
    }
}
