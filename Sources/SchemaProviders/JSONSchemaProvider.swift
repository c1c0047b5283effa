import JSONSchemaCompatibility
public import JSONSchemaEngine
import JSONSupport
public import SchemaCompatibility

/// JSON Schema (drafts 4, 6, 7, 2019-09, 2020-12): validation by `JSONSchemaEngine`, compatibility as Confluent
/// judges it (`JSONSchemaCompatibility`, STRICT or LENIENT), references as other documents named by the URI a
/// `$ref` uses. Payloads are JSON text, checked against the schema both ways.
public struct JSONSchemaProvider: SchemaProvider {
    public let options: JSONSchemaOptions
    /// Limits of the JSON text of schemas and payloads.
    public let jsonLimits: JSONParseLimits

    public init(options: JSONSchemaOptions = .init(), jsonLimits: JSONParseLimits = .default) {
        self.options = options
        self.jsonLimits = jsonLimits
    }

    /// The same provider with `format` asserted (date-time, email, uri, …) rather than an annotation.
    public func assertingFormats() -> JSONSchemaProvider {
        var asserting = options
        asserting.assertFormat = true
        return JSONSchemaProvider(options: asserting, jsonLimits: jsonLimits)
    }

    public var type: SchemaType { .json }
    public var fileExtensions: [String] { ["schema.json", "jsonschema"] }

    public func parse(_ text: String, path: String?, imports: SchemaImports) throws(SchemaProviderError) -> any ParsedSchema {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, limits: jsonLimits)
        } catch {
            throw SchemaProviderError("the schema is not valid JSON: \(error.description)")
        }
        var resources: [String: JSONValue] = [:]
        if case .sources(let sources) = imports {
            for source in sources {
                guard source.type == .json else {
                    throw SchemaProviderError("reference '\(source.name)' is a \(source.type.rawValue) schema")
                }
                do {
                    resources[source.name] = try JSONParser.parse(source.text, limits: jsonLimits)
                } catch {
                    throw SchemaProviderError("reference '\(source.name)' is not valid JSON: \(error.description)")
                }
            }
        }
        let compiled: CompiledJSONSchema
        do {
            compiled = try CompiledJSONSchema(json, resources: resources, options: options)
        } catch {
            throw SchemaProviderError(error.description)
        }
        return JSONParsedSchema(
            json: json, resources: resources, compiled: compiled, jsonLimits: jsonLimits,
            normalizedText: json.serialized(JSONWriteOptions(sortedKeys: true)))
    }

    public func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel, options: CompatibilityOptions
    ) throws(SchemaProviderError) -> CompatibilityResult {
        let newSchema = try Self.json(new)
        var earlier: [(schema: JSONValue, references: [String: JSONValue])] = []
        for parsed in history {
            let schema = try Self.json(parsed)
            earlier.append((schema.json, schema.resources))
        }
        let policy: JSONCompatibilityPolicy = options.policy == .lenient ? .lenient : .strict
        do {
            let found = try JSONSchemaCompatibilityChecker.check(
                new: newSchema.json, newReferences: newSchema.resources, history: earlier, level: level, policy: policy)
            return CompatibilityResult(level: level, incompatibilities: found)
        } catch {
            throw SchemaProviderError(error.description)
        }
    }

    public func sourcePosition(of finding: Incompatibility, inNewSchema text: String) -> (line: Int, column: Int)? {
        guard finding.direction == .backward else { return nil }
        let pointer = finding.path.hasPrefix("#") ? String(finding.path.dropFirst()) : finding.path
        return JSONLocator.position(of: pointer, in: Array(text.utf8))
    }

    static func json(_ schema: any ParsedSchema) throws(SchemaProviderError) -> JSONParsedSchema {
        guard let json = schema as? JSONParsedSchema else {
            throw SchemaProviderError("a \(schema.type.rawValue) schema is not a JSON Schema")
        }
        return json
    }
}

/// A JSON Schema parsed and compiled by `JSONSchemaProvider`.
public struct JSONParsedSchema: ParsedSchema {
    public let json: JSONValue
    /// Referenced documents, by the name `$ref` uses.
    public let resources: [String: JSONValue]
    public let compiled: CompiledJSONSchema
    let jsonLimits: JSONParseLimits

    public var type: SchemaType { .json }
    public var compactText: String { json.serialized() }
    /// Object members sorted by name at every level: key order and whitespace make no new version. Kept, as the
    /// registry compares it with every stored version's on lookups.
    public let normalizedText: String
    public var canonicalText: String { normalizedText }
    public var equivalenceKey: String? { normalizedText }

    public func rendered(as format: String) -> (text: String, includesReferences: Bool)? { nil }

    public func messageCodec(_ options: MessageCodecOptions) throws(SchemaProviderError) -> any MessageCodec {
        if let name = options.messageName {
            throw SchemaProviderError("a JSON Schema describes one document; a message name (\(name)) applies to Protobuf")
        }
        return JSONSchemaMessageCodec(schema: compiled, jsonLimits: jsonLimits)
    }

    /// JSON data is read as it is: checked against this schema, whichever schema wrote it.
    public func messageCodec(readingDataOf writer: any ParsedSchema, _ options: MessageCodecOptions)
        throws(SchemaProviderError) -> any MessageCodec
    {
        _ = try JSONSchemaProvider.json(writer)
        return try messageCodec(options)
    }
}

/// Payloads of a JSON Schema: UTF-8 JSON text, valid against the schema when read and when written.
struct JSONSchemaMessageCodec: MessageCodec {
    let schema: CompiledJSONSchema
    let jsonLimits: JSONParseLimits

    var messageIndexes: [Int]? { nil }
    var typeName: String { "JSON" }

    func validate(_ payload: [UInt8]) throws(PayloadError) {
        _ = try decode(payload)
    }

    func decode(_ payload: [UInt8]) throws(PayloadError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload, limits: jsonLimits)
        } catch {
            throw PayloadError(code: "invalidData", message: "not valid JSON: \(error.description)")
        }
        try check(value)
        return value
    }

    func encode(_ json: JSONValue) throws(PayloadError) -> [UInt8] {
        try check(json)
        var bytes: [UInt8] = []
        json.write(into: &bytes)
        return bytes
    }

    func codec(forMessageIndexes indexes: [Int]) throws(PayloadError) -> any MessageCodec {
        guard indexes == [0] || indexes.isEmpty else {
            throw PayloadError(code: "invalidData", message: "a JSON Schema payload has no message indexes")
        }
        return self
    }

    /// Every violation, in one error: the first one's location, all of them in the message.
    private func check(_ value: JSONValue) throws(PayloadError) {
        let violations = schema.validate(value)
        guard let first = violations.first else { return }
        let all = violations.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message) (\($0.keywordPath))" }
        throw PayloadError(
            code: "invalidValue", message: violations.count == 1 ? first.message : all.joined(separator: "; "),
            pointer: first.instancePath)
    }
}
