import JSONSupport

/// The JSON Schema specification versions the engine understands.
public enum JSONSchemaDraft: String, Sendable, Hashable, CaseIterable {
    case draft4, draft6, draft7, draft2019_09, draft2020_12

    /// The canonical meta-schema URI of this draft (without a trailing `#`).
    public var metaSchemaURI: String {
        switch self {
        case .draft4: "http://json-schema.org/draft-04/schema"
        case .draft6: "http://json-schema.org/draft-06/schema"
        case .draft7: "http://json-schema.org/draft-07/schema"
        case .draft2019_09: "https://json-schema.org/draft/2019-09/schema"
        case .draft2020_12: "https://json-schema.org/draft/2020-12/schema"
        }
    }

    /// The draft a `$schema` value names: the five meta-schema URIs, http or https, with or without a trailing `#`.
    public init?(metaSchemaURI uri: String) {
        var s = Substring(uri)
        if s.hasSuffix("#") { s = s.dropLast() }
        if s.hasPrefix("https://") { s = s.dropFirst("https://".count) } else if s.hasPrefix("http://") {
            s = s.dropFirst("http://".count)
        } else {
            return nil
        }
        switch s {
        case "json-schema.org/draft-04/schema": self = .draft4
        case "json-schema.org/draft-06/schema": self = .draft6
        case "json-schema.org/draft-07/schema": self = .draft7
        case "json-schema.org/draft/2019-09/schema": self = .draft2019_09
        case "json-schema.org/draft/2020-12/schema": self = .draft2020_12
        default: return nil
        }
    }

    var isModern: Bool { self == .draft2019_09 || self == .draft2020_12 }
    var idKeyword: String { self == .draft4 ? "id" : "$id" }
}

/// Bounds that keep hostile schemas and instances from exhausting time, memory or the stack.
public struct JSONSchemaLimits: Sendable, Hashable {
    /// Deepest nesting of subschemas inside one schema document.
    public var maxSchemaDepth: Int
    /// Most subschemas compiled for one schema (its resources and meta-schemas included).
    public var maxSubschemas: Int
    /// Most `$ref`/`$dynamicRef`/`$recursiveRef` followed during one `validate` call.
    public var maxRefsFollowed: Int
    /// Deepest instance nesting `validate` descends into.
    public var maxInstanceDepth: Int
    /// Deepest chain of nested subschema evaluations during one `validate` call (bounds the stack).
    public var maxEvaluationDepth: Int
    /// Longest `pattern`/`patternProperties` regular expression accepted.
    public var maxPatternLength: Int

    public init(
        maxSchemaDepth: Int = 128,
        maxSubschemas: Int = 100_000,
        maxRefsFollowed: Int = 100_000,
        maxInstanceDepth: Int = 256,
        maxEvaluationDepth: Int = 1024,
        maxPatternLength: Int = 4096
    ) {
        self.maxSchemaDepth = maxSchemaDepth
        self.maxSubschemas = maxSubschemas
        self.maxRefsFollowed = maxRefsFollowed
        self.maxInstanceDepth = maxInstanceDepth
        self.maxEvaluationDepth = maxEvaluationDepth
        self.maxPatternLength = maxPatternLength
    }

    public static let `default` = JSONSchemaLimits()
}

public struct JSONSchemaOptions: Sendable, Hashable {
    /// The draft of a schema without `$schema`.
    public var defaultDraft: JSONSchemaDraft = .draft7
    /// When true, `format` is an assertion for the formats the engine knows; otherwise only an annotation.
    public var assertFormat = false
    public var limits: JSONSchemaLimits = .default

    public init(defaultDraft: JSONSchemaDraft = .draft7, assertFormat: Bool = false, limits: JSONSchemaLimits = .default) {
        self.defaultDraft = defaultDraft
        self.assertFormat = assertFormat
        self.limits = limits
    }
}

/// Why a schema could not be compiled, and where.
public struct JSONSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// A JSON pointer into the schema (or into the resource named by `resource`).
    public var pointer: String
    /// The URI of the document the pointer is into, when it is not the root schema.
    public var resource: String?

    public init(message: String, pointer: String, resource: String? = nil) {
        self.message = message
        self.pointer = pointer
        self.resource = resource
    }

    public var description: String {
        let place = (resource.map { $0 + "#" } ?? "") + pointer
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// One way an instance fails its schema.
public struct JSONSchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// A JSON pointer into the instance.
    public var instancePath: String
    /// A JSON pointer into the schema along the evaluation path (through `$ref`s), e.g. `/properties/age/minimum`.
    public var keywordPath: String
    public var keyword: String
    public var message: String

    public init(instancePath: String, keywordPath: String, keyword: String, message: String) {
        self.instancePath = instancePath
        self.keywordPath = keywordPath
        self.keyword = keyword
        self.message = message
    }

    public var description: String {
        "\(instancePath.isEmpty ? "/" : instancePath): \(message) (\(keywordPath.isEmpty ? "/" : keywordPath))"
    }
}

/// A schema parsed, checked and compiled once, then used to validate any number of instances (from any thread).
public final class CompiledJSONSchema: Sendable {
    let program: Program
    let options: JSONSchemaOptions
    /// The verdict-only form over a JSON tape, when every keyword of the program has one.
    let fast: FastProgram?

    /// `resources`: other documents by the URI a `$ref` names them with (the registry's references: name → schema).
    /// Nothing is fetched from the network; an unknown remote `$ref` is a `JSONSchemaError` naming it.
    public init(
        _ schema: JSONValue,
        resources: [String: JSONValue] = [:],
        options: JSONSchemaOptions = .init()
    ) throws(JSONSchemaError) {
        self.options = options
        self.program = try Compiler.compile(root: schema, resources: resources, options: options)
        self.fast = FastProgram(program, assertFormat: options.assertFormat)
    }

    /// The draft the root schema is interpreted under.
    public var draft: JSONSchemaDraft { program.rootDraft }

    /// Every failure, not just the first.
    public func validate(_ instance: JSONValue) -> [JSONSchemaViolation] {
        var v = Validator(program: program, options: options, collectErrors: true)
        return v.run(instance)
    }

    public func isValid(_ instance: JSONValue) -> Bool {
        var v = Validator(program: program, options: options, collectErrors: false)
        return v.run(instance).isEmpty
    }

    /// Whether the JSON text `bytes` is valid: `isValid(try JSONParser.parse(bytes, limits: limits))`, the same
    /// verdict and the same parse errors, but read straight from the bytes (a flat tape, no value tree) whenever
    /// the schema allows it.
    public func isValid(json bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) -> Bool {
        if let verdict = fastVerdict(bytes, limits: limits) { return verdict }
        return isValid(try JSONParser.parse(bytes, limits: limits))
    }

    /// Every failure of the JSON text `bytes`: `validate(try JSONParser.parse(bytes, limits: limits))`, with a
    /// verdict-only pass from the bytes first, so that a valid document builds no value tree.
    public func validate(json bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) -> [JSONSchemaViolation] {
        if fastVerdict(bytes, limits: limits) == true { return [] }
        return validate(try JSONParser.parse(bytes, limits: limits))
    }

    /// The fast validator's verdict, or nil when it has none (a schema it cannot run, a document `JSONParser`
    /// rejects, or a limit reached).
    func fastVerdict(_ bytes: [UInt8], limits: JSONParseLimits) -> Bool? {
        guard let fast else { return nil }
        let verdict = bytes.withUnsafeBufferPointer { buffer in
            JSONTape.read(buffer, limits: limits) { tape in
                var validator = FastValidator(program: fast, options: options, tape: tape)
                return validator.run()
            }
        }
        return verdict ?? nil
    }
}
