import AvroCodec
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import WireFormat

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
            return WireFraming.frame(.id(schemaID), payload: payload)
        case .protobuf(let codecs):
            let payload = try codecs.defaultCodec.encode(json: json)
            guard framing == .confluent, let schemaID else { return payload }
            return WireFraming.frame(.id(schemaID), messageIndexes: codecs.defaultIndexes, payload: payload)
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

    /// The payload of `bytes`: after the Confluent header (id or GUID framing) when framed.
    func payload(of bytes: [UInt8], framing: Framing) throws -> [UInt8] {
        guard framing == .confluent else { return bytes }
        return Array(bytes[try WireFraming.read(bytes).payloadOffset...])
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

    /// The codec for `bytes` and the payload to give it: Confluent-framed data (id or GUID framing) names its
    /// message type by indexes after the header.
    func codec(for bytes: [UInt8], framing: Framing) throws -> (ProtoMessageCodec, [UInt8]) {
        guard framing == .confluent else { return (defaultCodec, bytes) }
        let frame = try WireFraming.read(bytes, messageIndexes: true)
        let indexes = frame.messageIndexes ?? [0]
        let payload = Array(bytes[frame.payloadOffset...])
        if indexes == defaultIndexes { return (defaultCodec, payload) }
        let indexesOffset: Int
        switch frame.schema {
        case .id: indexesOffset = 5
        case .guid: indexesOffset = 17
        }
        guard let type = schema.pool.message(atIndexes: indexes, inFile: schema.mainFileIndex) else {
            throw ProtobufError(
                .invalidData, "message indexes \(indexes) name no message of the schema", offset: indexesOffset)
        }
        if messageNamed {
            throw ProtobufError(
                .invalidData,
                "message indexes \(indexes) name \(type.fullName), not \(defaultCodec.messageName)",
                offset: indexesOffset
            )
        }
        return (try ProtoMessageCodec(schema: schema, messageName: type.fullName), payload)
    }
}

extension WireFormatError {
    /// The error as a JSON object for dead-letter files: message, code and offset.
    var jsonDescription: JSONValue {
        .object(
            JSONObject([
                "error": .string(message), "code": .string(kind == .truncated ? "truncatedData" : "invalidData"),
                "offset": .integer(offset),
            ]))
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
