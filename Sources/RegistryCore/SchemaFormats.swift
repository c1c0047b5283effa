import AvroCodec
import Foundation
import JSONSupport
import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf

/// A schema parsed in its own language, with its references resolved.
public enum ParsedSchema: Sendable {
    case avro(AvroSchema)
    case protobuf(ProtoSchema)

    public var schemaType: SchemaType {
        switch self {
        case .avro: .avro
        case .protobuf: .protobuf
        }
    }
}

/// A referenced schema, resolved: the name the referring schema uses for it, and its stored content.
public struct ResolvedDependency: Sendable, Hashable {
    public var name: String
    public var schema: StoredSchema
    /// The subject the reference named (for access checks on the caller's behalf).
    public var subject: String = ""
}

/// Parsing, canonical text and compatibility per schema language: the only place the core looks inside schemas.
enum SchemaFormats {
    /// The file name a subject's own `.proto` schema is compiled under (Confluent's name for it too).
    static let protoMainPath = "default"

    static let avroOptions = AvroParseOptions()
    static let protoLimits = ProtoCompileLimits()

    /// Parses request text; `dependencies` are the transitive references, each before the schemas using it.
    /// Returns the parsed schema and the text to store: compact JSON (Avro; the normalized form when asked
    /// and the schema has no references) or canonical `.proto` text (Protobuf, which also accepts a base64
    /// serialized FileDescriptorProto).
    static func prepare(
        type: SchemaType,
        text: String,
        dependencies: [ResolvedDependency],
        normalize: Bool
    ) throws(RegistryError) -> (parsed: ParsedSchema, stored: String) {
        switch type {
        case .avro:
            let (schema, json) = try parseAvro(text, dependencies: dependencies)
            let stored = normalize && dependencies.isEmpty ? schema.normalizedForm : json.serialized()
            return (.avro(schema), stored)
        case .protobuf:
            let schema = try parseProtobuf(text, dependencies: dependencies)
            return (.protobuf(schema), schema.canonicalText)
        }
    }

    /// Parses text that was stored by `prepare`.
    static func parseStored(_ stored: StoredSchema, dependencies: [ResolvedDependency]) throws(RegistryError) -> ParsedSchema {
        switch stored.content.schemaType {
        case .avro: return .avro(try parseAvro(stored.content.schema, dependencies: dependencies).0)
        case .protobuf: return .protobuf(try parseProtobuf(stored.content.schema, dependencies: dependencies))
        }
    }

    // MARK: Avro

    private static func parseAvro(_ text: String, dependencies: [ResolvedDependency]) throws(RegistryError)
        -> (AvroSchema, JSONValue)
    {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, limits: avroOptions.jsonLimits)
        } catch {
            throw .invalidSchema("(AVRO): the schema is not valid JSON: \(error.description)")
        }
        var referenced: [JSONValue] = []
        for dependency in dependencies {
            guard dependency.schema.content.schemaType == .avro else {
                throw .invalidSchema("(AVRO): reference '\(dependency.name)' is a \(dependency.schema.content.schemaType.rawValue) schema")
            }
            do {
                referenced.append(try JSONParser.parse(dependency.schema.content.schema, limits: avroOptions.jsonLimits))
            } catch {
                throw .invalidSchema("(AVRO): reference '\(dependency.name)' is not valid JSON")
            }
        }
        do {
            let schema = try AvroSchema(json: json, references: referenced, options: avroOptions)
            return (schema, json)
        } catch {
            throw .invalidSchema("(AVRO): \(error.description)")
        }
    }

    // MARK: Protobuf

    private static func parseProtobuf(_ text: String, dependencies: [ResolvedDependency]) throws(RegistryError) -> ProtoSchema {
        var sources: [String: String] = [:]
        for dependency in dependencies where sources[dependency.name] == nil {
            guard dependency.schema.content.schemaType == .protobuf else {
                throw .invalidSchema("(PROTOBUF): reference '\(dependency.name)' is a \(dependency.schema.content.schemaType.rawValue) schema")
            }
            sources[dependency.name] = dependency.schema.content.schema
        }
        let compiler = ProtoCompiler(resolver: .sources(sources), limits: protoLimits)
        let textError: ProtobufError
        do {
            return try compiler.compile(source: text, path: protoMainPath)
        } catch {
            textError = error
        }
        guard looksLikeBase64(text) else {
            throw .invalidSchema("(PROTOBUF): \(textError.description)")
        }
        // A descriptor is stored as its canonical text, so it is accepted only if that text compiles back to it
        // with this same compiler (imports resolve as for text: references, then the built-ins that clients such
        // as confluent-kafka's ProtobufSerializer leave out of the references).
        do {
            return try compiler.compile(base64Descriptor: text, path: protoMainPath)
        } catch {
            throw .invalidSchema("(PROTOBUF): \(error.description)")
        }
    }

    private static func looksLikeBase64(_ text: String) -> Bool {
        let trimmed = text.utf8.filter { $0 != 0x0A && $0 != 0x0D }
        return !trimmed.isEmpty && trimmed.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2B || byte == 0x2F || byte == 0x3D
        }
    }

    /// A Protobuf schema as base64 of its serialized FileDescriptorProto (`format=serialized`).
    static func serializedDescriptor(_ schema: ProtoSchema) -> String? {
        guard let bytes: [UInt8] = try? schema.file.serializedBytes() else { return nil }
        return Data(bytes).base64EncodedString()
    }

    // MARK: Compatibility

    /// Every reason `new` is not compatible with `previous` in `directions` (reader/writer checks). A check that
    /// needs more work than the format's budget allows (schemas built to make it superlinear) is 422 (42201):
    /// a property of the request, not a verdict.
    static func incompatibilities(
        new: ParsedSchema,
        previous: ParsedSchema,
        level: CompatibilityLevel,
        protobufRules: ProtoRuleSet
    ) throws(RegistryError) -> [Incompatibility] {
        switch (new, previous) {
        case (.avro(let newSchema), .avro(let old)):
            do {
                return try AvroCompatibilityChecker(rules: AvroCompatibility()).check(newSchema, against: old, level: level)
                    .incompatibilities
            } catch {
                throw .invalidSchema("(compatibility): \(error.description)")
            }
        case (.protobuf(let newSchema), .protobuf(let old)):
            do {
                return try ProtobufCompatibilityChecker(rules: ProtobufCompatibility(rules: protobufRules))
                    .check(newSchema, against: old, level: level).incompatibilities
            } catch {
                throw .invalidSchema("(compatibility): \(error.description)")
            }
        default:
            return [
                Incompatibility(
                    kind: "SCHEMA_TYPE_CHANGED",
                    path: "",
                    message: "Incompatible because of different schema type: \(new.schemaType.rawValue) vs \(previous.schemaType.rawValue)"
                )
            ]
        }
    }
}
