import Foundation
public import ProtobufCodec
import ProtobufCompatibility
public import ProtobufSchema
public import SchemaCompatibility
import SwiftProtobuf
import JSONSupport

/// Protobuf: `.proto` text (or a base64 FileDescriptorProto), references as imports, Confluent's or buf's
/// rules, payloads read by field number.
public struct ProtobufProvider: SchemaProvider {
    /// The file name a schema is compiled under when it has none (Confluent's name for a subject's own file).
    public static let defaultPath = "default"

    public let limits: ProtoCompileLimits
    public let codecLimits: ProtoCodecLimits

    public init(limits: ProtoCompileLimits = .default, codecLimits: ProtoCodecLimits = .default) {
        self.limits = limits
        self.codecLimits = codecLimits
    }

    public var type: SchemaType { .protobuf }
    public var fileExtensions: [String] { ["proto"] }

    public func parse(_ text: String, path: String?, imports: SchemaImports) throws(SchemaProviderError)
        -> any ParsedSchema
    {
        let resolver: ProtoImportResolver
        switch imports {
        case .directories(let folders):
            resolver = .directories(folders)
        case .sources(let sources):
            var files: [String: String] = [:]
            for source in sources where files[source.name] == nil {
                guard source.type == .protobuf else {
                    throw SchemaProviderError("reference '\(source.name)' is a \(source.type.rawValue) schema")
                }
                files[source.name] = source.text
            }
            resolver = .sources(files)
        }
        let compiler = ProtoCompiler(resolver: resolver, limits: limits)
        let path = path ?? Self.defaultPath
        let textError: ProtobufError
        do {
            return ProtobufParsedSchema(schema: try compiler.compile(source: text, path: path), codecLimits: codecLimits)
        } catch {
            textError = error
        }
        guard Self.looksLikeBase64(text) else { throw SchemaProviderError(textError.description) }
        // A descriptor is kept as its canonical text, so it is accepted only if that text compiles back to it with
        // this same compiler (imports resolve as for text: references, then the built-ins that clients such as
        // confluent-kafka's ProtobufSerializer leave out of the references).
        do {
            return ProtobufParsedSchema(
                schema: try compiler.compile(base64Descriptor: text, path: path), codecLimits: codecLimits)
        } catch {
            throw SchemaProviderError(error.description)
        }
    }

    public func check(
        _ new: any ParsedSchema, against history: [any ParsedSchema], level: CompatibilityLevel,
        options: CompatibilityOptions
    ) throws(SchemaProviderError) -> CompatibilityResult {
        let rules = ProtobufCompatibility(rules: options.protobufRules, budget: options.budget)
        return try check(new, against: history, level: level, rules: rules, schema: Self.proto)
    }

    /// Protobuf paths name elements (`Order.Line.n`), the same in every version: found in the new text, or the
    /// nearest enclosing element when the finding is about something the new schema removed.
    public func sourcePosition(of finding: Incompatibility, inNewSchema text: String) -> (line: Int, column: Int)? {
        ProtoSourceLocator.position(of: finding.path, in: text, limits: limits)
    }

    static func proto(_ schema: any ParsedSchema) throws(SchemaProviderError) -> ProtoSchema {
        guard let proto = schema as? ProtobufParsedSchema else {
            throw SchemaProviderError("a \(schema.type.rawValue) schema is not a Protobuf schema")
        }
        return proto.schema
    }

    private static func looksLikeBase64(_ text: String) -> Bool {
        let trimmed = text.utf8.filter { $0 != 0x0A && $0 != 0x0D }
        return !trimmed.isEmpty
            && trimmed.allSatisfy { byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2B || byte == 0x2F || byte == 0x3D
            }
    }
}

/// A `.proto` schema compiled by `ProtobufProvider`.
public struct ProtobufParsedSchema: ParsedSchema {
    public let schema: ProtoSchema
    let codecLimits: ProtoCodecLimits

    public init(schema: ProtoSchema, codecLimits: ProtoCodecLimits = .default) {
        self.schema = schema
        self.codecLimits = codecLimits
    }

    public var type: SchemaType { .protobuf }
    public var compactText: String { schema.canonicalText }
    /// Canonical text with declarations whose order carries no meaning put in one order (`ProtoNormalizer`).
    public var normalizedText: String { schema.normalizedText }
    public var normalizedTextKeepsReferences: Bool { true }
    public var canonicalText: String { schema.canonicalText }
    public var equivalenceKey: String? { nil }

    /// `serialized`: base64 of the FileDescriptorProto, imports named but not written in.
    public func rendered(as format: String) -> (text: String, includesReferences: Bool)? {
        guard format == "serialized", let bytes: [UInt8] = try? schema.file.serializedBytes() else { return nil }
        return (Data(bytes).base64EncodedString(), false)
    }

    public func messageCodec(_ options: MessageCodecOptions) throws(SchemaProviderError) -> any MessageCodec {
        if options.nativeJSON { throw SchemaProviderError("the native JSON encoding option applies to Avro schemas only") }
        // Any message the schema can see, as `protoc --decode` takes it: its own, its imports' (well-known types
        // included). Only the schema's own have message indexes for framed data.
        let type: ProtoMessageType
        if let name = options.messageName {
            let fullName = name.hasPrefix(".") ? String(name.dropFirst()) : name
            guard let named = schema.pool.message(named: fullName) else {
                throw SchemaProviderError("the schema has no message \(name), nor do its imports")
            }
            type = named
        } else {
            guard let first = schema.firstMessage else { throw SchemaProviderError("the schema declares no message") }
            type = first
        }
        return try ProtobufMessageCodec(schema: schema, type: type, limits: codecLimits, pinned: options.messageName != nil)
    }

    /// Protobuf reads any version's bytes by field number, so the reader's own codec does; framed data picks
    /// the writer's message by indexes, and the reader's message of the same full name reads it.
    public func messageCodec(readingDataOf writer: any ParsedSchema, _ options: MessageCodecOptions)
        throws(SchemaProviderError) -> any MessageCodec
    {
        _ = try ProtobufProvider.proto(writer)
        return try messageCodec(options)
    }
}

/// Protobuf payloads of one message type of a schema.
public struct ProtobufMessageCodec: MessageCodec {
    public let schema: ProtoSchema
    public let codec: ProtoMessageCodec
    /// The message's Confluent indexes; empty for a message of an imported file, which framed data cannot name.
    public let indexes: [Int]
    let limits: ProtoCodecLimits
    /// True when the caller named the message, so framed data must carry this message's indexes.
    let pinned: Bool

    init(schema: ProtoSchema, type: ProtoMessageType, limits: ProtoCodecLimits, pinned: Bool) throws(SchemaProviderError) {
        self.schema = schema
        do {
            self.codec = try ProtoMessageCodec(schema: schema, messageName: type.fullName, limits: limits)
        } catch {
            throw SchemaProviderError(error.description)
        }
        self.indexes = type.fileIndex == schema.mainFileIndex ? type.indexes : []
        self.limits = limits
        self.pinned = pinned
    }

    public var messageIndexes: [Int]? { indexes }
    public var typeName: String { codec.messageName }

    public func validate(_ payload: [UInt8]) throws(PayloadError) {
        do { try codec.validate(payload) } catch { throw error.payloadError }
    }

    public func decode(_ payload: [UInt8]) throws(PayloadError) -> JSONValue {
        do { return try codec.decodeToJSON(payload) } catch { throw error.payloadError }
    }

    public func encode(_ json: JSONValue) throws(PayloadError) -> [UInt8] {
        do { return try codec.encode(json: json) } catch { throw error.payloadError }
    }

    public func codec(forMessageIndexes indexes: [Int]) throws(PayloadError) -> any MessageCodec {
        if indexes == self.indexes, !indexes.isEmpty { return self }
        guard let type = schema.pool.message(atIndexes: indexes, inFile: schema.mainFileIndex) else {
            throw PayloadError(code: "invalidData", message: "message indexes \(indexes) name no message of the schema")
        }
        if pinned {
            throw PayloadError(
                code: "invalidData", message: "message indexes \(indexes) name \(type.fullName), not \(codec.messageName)")
        }
        do {
            return try ProtobufMessageCodec(schema: schema, type: type, limits: limits, pinned: false)
        } catch {
            throw PayloadError(code: "invalidSchema", message: error.message)
        }
    }
}

extension ProtobufError {
    /// The error in the provider-neutral shape.
    public var payloadError: PayloadError {
        PayloadError(code: code.description, message: message, pointer: jsonPointer, path: protoPath, offset: offset,
            description: description)
    }
}
