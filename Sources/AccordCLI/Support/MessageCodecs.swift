import AvroCodec
import JSONSupport
import ProtobufCodec
import ProtobufSchema

/// What `validate`, `encode` and `decode` need from a schema format, so the commands read the same for both.
enum MessageCodec {
    case avro(AvroMessageCodec)
    case protobuf(ProtoMessageCodecs)

    func validate(binary bytes: [UInt8], framing: Framing) throws {
        switch self {
        case .avro(let codec): try codec.codec.validate(try codec.payload(of: bytes, framing: framing))
        case .protobuf(let codecs):
            let (codec, payload) = try codecs.codec(for: bytes, framing: framing)
            try codec.validate(payload)
        }
    }

    func validate(json: JSONValue) throws {
        switch self {
        case .avro(let codec): _ = try codec.schema.value(fromJSON: json, style: codec.style)
        case .protobuf(let codecs): _ = try codecs.defaultCodec.encode(json: json)
        }
    }

    func encode(json: JSONValue, framing: Framing, schemaID: UInt32?) throws -> [UInt8] {
        switch self {
        case .avro(let codec):
            let payload = try codec.codec.encode(try codec.schema.value(fromJSON: json, style: codec.style))
            guard framing == .confluent, let schemaID else { return payload }
            return ConfluentFraming.frame(schemaID: schemaID, payload: payload)
        case .protobuf(let codecs):
            let payload = try codecs.defaultCodec.encode(json: json)
            guard framing == .confluent, let schemaID else { return payload }
            return ProtoMessageCodecs.header(schemaID: schemaID) + ConfluentMessageIndexes.encode(codecs.defaultIndexes)
                + payload
        }
    }

    func decodeToJSON(_ bytes: [UInt8], framing: Framing, resolving: AvroResolvingDecoder?) throws -> JSONValue {
        switch self {
        case .avro(let codec):
            let payload = try codec.payload(of: bytes, framing: framing)
            let value = try resolving?.decode(payload) ?? codec.codec.decode(payload)
            return try codec.schema.json(from: value, style: codec.style)
        case .protobuf(let codecs):
            let (codec, payload) = try codecs.codec(for: bytes, framing: framing)
            return try codec.decodeToJSON(payload)
        }
    }
}

/// An Avro schema compiled for the CLI.
struct AvroMessageCodec {
    let schema: AvroSchema
    let codec: AvroDatumCodec
    let style: AvroJSONStyle

    init(schema: AvroSchema, style: AvroJSONStyle) {
        self.schema = schema
        self.codec = AvroDatumCodec(schema: schema)
        self.style = style
    }

    func payload(of bytes: [UInt8], framing: Framing) throws -> [UInt8] {
        framing == .confluent ? Array(try ConfluentFraming.unframe(bytes).payload) : bytes
    }
}

/// A Protobuf schema's codecs: the default message type's, and others compiled when framed data names them.
struct ProtoMessageCodecs {
    let schema: ProtoSchema
    let defaultCodec: ProtoMessageCodec
    let defaultIndexes: [Int]
    /// True when the user named the message, so framed data must carry that message's indexes.
    let messageNamed: Bool

    init(schema: ProtoSchema, defaultMessage: String?) throws(CLIFailure) {
        self.schema = schema
        let type: ProtoMessageType
        if let defaultMessage {
            guard let named = schema.pool.message(named: defaultMessage) else {
                throw .usage("the schema has no message \(defaultMessage)")
            }
            type = named
        } else {
            guard let first = schema.firstMessage else { throw .usage("the schema declares no message") }
            type = first
        }
        guard type.fileIndex == schema.mainFileIndex else {
            throw .usage("\(type.fullName) is declared in an imported file, not in the schema itself")
        }
        do {
            defaultCodec = try ProtoMessageCodec(schema: schema, messageName: type.fullName)
        } catch {
            throw .usage(error.description)
        }
        defaultIndexes = type.indexes
        messageNamed = defaultMessage != nil
    }

    static func header(schemaID: UInt32) -> [UInt8] {
        [0, UInt8(truncatingIfNeeded: schemaID >> 24), UInt8(truncatingIfNeeded: schemaID >> 16),
         UInt8(truncatingIfNeeded: schemaID >> 8), UInt8(truncatingIfNeeded: schemaID)]
    }

    /// The codec for `bytes` and the payload to give it: Confluent-framed data names its message type by
    /// indexes after the 5-byte header.
    func codec(for bytes: [UInt8], framing: Framing) throws -> (ProtoMessageCodec, [UInt8]) {
        guard framing == .confluent else { return (defaultCodec, bytes) }
        guard bytes.count >= 5 else {
            throw ProtobufError(.truncatedData, "a Confluent-framed message needs at least 5 bytes", offset: 0)
        }
        guard bytes[0] == 0 else {
            throw ProtobufError(.invalidData, "magic byte is \(bytes[0]), not 0", offset: 0)
        }
        let (indexes, length) = try ConfluentMessageIndexes.decode(bytes.dropFirst(5))
        let payload = Array(bytes.dropFirst(5 + length))
        if indexes == defaultIndexes { return (defaultCodec, payload) }
        guard let type = schema.pool.message(atIndexes: indexes, inFile: schema.mainFileIndex) else {
            throw ProtobufError(.invalidData, "message indexes \(indexes) name no message of the schema", offset: 5)
        }
        if messageNamed {
            throw ProtobufError(
                .invalidData,
                "message indexes \(indexes) name \(type.fullName), not \(defaultCodec.messageName)",
                offset: 5
            )
        }
        return (try ProtoMessageCodec(schema: schema, messageName: type.fullName), payload)
    }
}

extension ProtobufError {
    /// The error as a JSON object for dead-letter files: message, code and location.
    var jsonDescription: JSONValue {
        var object = JSONObject()
        object["error"] = .string(message)
        object["code"] = .string(code.description)
        if let jsonPointer { object["pointer"] = .string(jsonPointer) }
        if let protoPath { object["path"] = .string(protoPath) }
        if let offset { object["offset"] = .integer(offset) }
        return .object(object)
    }
}
