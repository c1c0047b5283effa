import SchemaProviders
import Foundation
import JSONSupport
import ProtobufSchema
import RegistryCore
import SchemaCompatibility
import SwiftProtobuf

/// Schemas the registry tests share.
enum Fixtures {
    static let userV1 =
        #"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"name","type":"string"}]}"#
    /// v1 plus an optional field with a default: BACKWARD and FORWARD compatible with v1.
    static let userV2 =
        #"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null}]}"#
    /// v1 plus a field without a default: not BACKWARD compatible with v1 (FORWARD compatible).
    static let userWithAge =
        #"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}"#
    /// v2 plus a field without a default.
    static let userV2WithAge =
        #"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null},{"name":"age","type":"int"}]}"#
    /// v1 written with different whitespace.
    static let userV1Spaced = """
        {
          "type" : "record",
          "name" : "User",
          "namespace" : "com.acme",
          "fields" : [ { "name" : "name", "type" : "string" } ]
        }
        """
    /// v1 with the namespace folded into the name: the same schema, different text.
    static let userV1FullName =
        #"{"type":"record","name":"com.acme.User","fields":[{"name":"name","type":"string"}]}"#

    /// v1 with its attributes in another order: the same schema, different text, and not the normalized form.
    static let userV1Reordered =
        #"{"namespace":"com.acme","fields":[{"type":"string","name":"name"}],"name":"User","type":"record"}"#

    static let address =
        #"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}"#
    static let customer =
        #"{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"home","type":"com.acme.Address"}]}"#

    static let orderProto = """
        syntax = "proto3";
        package acme;

        message Order {
          string id = 1;
          int64 amount = 2;
        }
        """
    /// `amount` changed from int64 to string: FIELD_SCALAR_KIND_CHANGED under Confluent's rules.
    static let orderProtoAmountString = """
        syntax = "proto3";
        package acme;

        message Order {
          string id = 1;
          string amount = 2;
        }
        """
    /// `amount` removed: compatible under Confluent's rules, breaking under buf's.
    static let orderProtoWithoutAmount = """
        syntax = "proto3";
        package acme;

        message Order {
          string id = 1;
        }
        """
    static let moneyProto = """
        syntax = "proto3";
        package common;

        message Money {
          int64 units = 1;
          string currency = 2;
        }
        """
    static let invoiceProto = """
        syntax = "proto3";
        package acme;

        import "common/money.proto";

        message Invoice {
          string id = 1;
          common.Money total = 2;
        }
        """

    /// The base64 serialized FileDescriptorProto of `text`, as Confluent's Protobuf serializers register it.
    static func serializedDescriptor(_ text: String, path: String = "order.proto") throws -> String {
        let schema = try ProtoCompiler(resolver: .sources([:])).compile(source: text, path: path)
        let bytes: [UInt8] = try schema.file.serializedBytes()
        return Data(bytes).base64EncodedString()
    }
}

func avro(
    _ schema: String?,
    references: [SchemaReference] = [],
    metadata: String? = nil,
    ruleSet: String? = nil,
    id: Int? = nil,
    version: Int? = nil
) -> SchemaRequest {
    SchemaRequest(
        schemaType: .avro, schema: schema, references: references, metadata: metadata, ruleSet: ruleSet, id: id,
        version: version)
}

func proto(_ schema: String, references: [SchemaReference] = []) -> SchemaRequest {
    SchemaRequest(schemaType: .protobuf, schema: schema, references: references)
}

/// A registry over a fresh in-memory store.
func makeRegistry(options: RegistryOptions = RegistryOptions()) -> Registry {
    Registry(store: InMemoryStore(), options: options)
}

/// The `RegistryError` `body` throws, or nil when it succeeds or throws something else.
func registryError<T>(_ body: () async throws -> T) async -> RegistryError? {
    do {
        _ = try await body()
        return nil
    } catch let error as RegistryError {
        return error
    } catch {
        return RegistryError(code: -1, "unexpected \(error)")
    }
}

extension Registry {
    /// Registers and answers `(id, version)`.
    @discardableResult
    func add(_ subject: String, _ request: SchemaRequest, normalize: Bool = false, force: Bool = false) async throws
        -> (id: Int, version: Int)
    {
        let result = try await register(subject: subject, request: request, normalize: normalize, force: force)
        return (result.id, result.version)
    }

    func setLevel(_ level: String, subject: String? = nil) async throws {
        guard let parsed = CompatibilityLevel(name: level) else { throw RegistryError.invalidCompatibilityLevel(level) }
        try await setConfig(subject: subject, update: ConfigUpdate(compatibilityLevel: .set(parsed)))
    }
}
