public import AvroCodec
import JSONSupport
public import SchemaCompatibility

/// Avro: JSON schemas, references as named types defined by other schemas, Apache Avro's resolution rules.
public struct AvroProvider: SchemaProvider {
    public let options: AvroParseOptions
    public let limits: AvroLimits

    public init(options: AvroParseOptions = .default, limits: AvroLimits = .default) {
        self.options = options
        self.limits = limits
    }

    public var type: SchemaType { .avro }
    public var fileExtensions: [String] { ["avsc"] }

    public func parse(_ text: String, path: String?, imports: SchemaImports) throws(SchemaProviderError)
        -> any ParsedSchema
    {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, limits: options.jsonLimits)
        } catch {
            throw SchemaProviderError("the schema is not valid JSON: \(error.description)")
        }
        var referenced: [JSONValue] = []
        if case .sources(let sources) = imports {
            for source in sources {
                guard source.type == .avro else {
                    throw SchemaProviderError("reference '\(source.name)' is a \(source.type.rawValue) schema")
                }
                do {
                    referenced.append(try JSONParser.parse(source.text, limits: options.jsonLimits))
                } catch {
                    throw SchemaProviderError("reference '\(source.name)' is not valid JSON")
                }
            }
        }
        do {
            let schema = try AvroSchema(json: json, references: referenced, options: options)
            return AvroParsedSchema(schema: schema, compactText: json.serialized(), hasReferences: !referenced.isEmpty, limits: limits)
        } catch {
            throw SchemaProviderError(error.description)
        }
    }

    public func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel,
        options: CompatibilityOptions
    ) throws(SchemaProviderError) -> CompatibilityResult {
        try check(new, against: history, level: level, rules: AvroCompatibility(budget: options.budget), schema: Self.avro)
    }

    /// Avro paths are JSON pointers into the reader schema: the new schema's text for BACKWARD findings. FORWARD
    /// findings point into the earlier version, whose indexes need not match the new file's.
    public func sourcePosition(of finding: Incompatibility, inNewSchema text: String) -> (line: Int, column: Int)? {
        guard finding.direction == .backward else { return nil }
        return JSONLocator.position(of: finding.path, in: Array(text.utf8))
    }

    static func avro(_ schema: any ParsedSchema) throws(SchemaProviderError) -> AvroSchema {
        guard let avro = schema as? AvroParsedSchema else {
            throw SchemaProviderError("a \(schema.type.rawValue) schema is not an Avro schema")
        }
        return avro.schema
    }
}

/// An Avro schema parsed by `AvroProvider`.
public struct AvroParsedSchema: ParsedSchema {
    public let schema: AvroSchema
    public let compactText: String
    /// True when the schema uses types defined by referenced schemas.
    public let hasReferences: Bool
    let limits: AvroLimits

    public init(schema: AvroSchema, compactText: String, hasReferences: Bool = false, limits: AvroLimits = .default) {
        self.schema = schema
        self.compactText = compactText
        self.hasReferences = hasReferences
        self.limits = limits
    }

    public var type: SchemaType { .avro }
    public var normalizedText: String { schema.normalizedForm }
    public var canonicalText: String { schema.canonicalForm }
    public var equivalenceKey: String? { schema.normalizedForm }

    public func rendered(as format: String) -> (text: String, includesReferences: Bool)? {
        guard format == "resolved" else { return nil }
        return hasReferences ? (schema.normalizedForm, true) : (compactText, false)
    }

    public func messageCodec(_ options: MessageCodecOptions) throws(SchemaProviderError) -> any MessageCodec {
        if let name = options.messageName {
            throw SchemaProviderError("an Avro schema has one top-level type; a message name (\(name)) applies to Protobuf")
        }
        return AvroMessageCodec(schema: schema, style: options.nativeJSON ? .avro : .plain, limits: limits)
    }

    public func messageCodec(readingDataOf writer: any ParsedSchema, _ options: MessageCodecOptions)
        throws(SchemaProviderError) -> any MessageCodec
    {
        let writerSchema = try AvroProvider.avro(writer)
        do {
            let resolving = try AvroResolvingDecoder(writer: writerSchema, reader: schema, limits: limits)
            return AvroMessageCodec(
                schema: schema, style: options.nativeJSON ? .avro : .plain, limits: limits, resolving: resolving)
        } catch {
            throw SchemaProviderError(error.description)
        }
    }
}

/// Avro payloads of one schema; with `resolving`, payloads written with another schema read as this one.
public struct AvroMessageCodec: MessageCodec {
    public let schema: AvroSchema
    public let codec: AvroDatumCodec
    public let style: AvroJSONStyle
    /// Reads data written with an earlier or later schema into `schema`'s shape.
    public let resolving: AvroResolvingDecoder?

    public init(schema: AvroSchema, style: AvroJSONStyle = .plain, limits: AvroLimits = .default, resolving: AvroResolvingDecoder? = nil) {
        self.schema = schema
        self.codec = AvroDatumCodec(schema: schema, limits: limits)
        self.style = style
        self.resolving = resolving
    }

    public var messageIndexes: [Int]? { nil }
    public var typeName: String { schema.rootNode.name?.fullName ?? schema.rootNode.typeName }

    public func validate(_ payload: [UInt8]) throws(PayloadError) {
        do {
            if let resolving { _ = try resolving.decode(payload) } else { try codec.validate(payload) }
        } catch {
            throw error.payloadError
        }
    }

    /// The payload as an Avro value, in `schema`'s shape.
    public func value(_ payload: [UInt8]) throws(PayloadError) -> AvroValue {
        do {
            if let resolving { return try resolving.decode(payload) }
            return try codec.decode(payload)
        } catch {
            throw error.payloadError
        }
    }

    public func decode(_ payload: [UInt8]) throws(PayloadError) -> JSONValue {
        let value = try value(payload)
        do {
            return try schema.json(from: value, style: style)
        } catch {
            throw error.payloadError
        }
    }

    public func encode(_ json: JSONValue) throws(PayloadError) -> [UInt8] {
        do {
            return try codec.encode(try schema.value(fromJSON: json, style: style))
        } catch {
            throw error.payloadError
        }
    }

    public func codec(forMessageIndexes indexes: [Int]) throws(PayloadError) -> any MessageCodec {
        guard indexes == [0] else {
            throw PayloadError(code: "invalidData", message: "message indexes \(indexes) do not apply to an Avro schema")
        }
        return self
    }
}

extension AvroError {
    /// The error in the provider-neutral shape.
    public var payloadError: PayloadError {
        PayloadError(code: code.description, message: message, pointer: pointer?.description, path: dataPath, offset: offset,
            description: description)
    }
}
