import JSONSupport
import SchemaProviders
import WireFormat

/// A schema's payload codec with the framing the command was asked for: what `validate`, `encode` and
/// `decode` need, the same for every format.
struct FramedCodec {
    let codec: any MessageCodec

    func validate(binary bytes: [UInt8], framing: Framing) throws {
        let (codec, payload, header) = try select(bytes, framing: framing)
        do { try codec.validate(payload) } catch { throw error.shifted(by: header) }
    }

    func validate(json: JSONValue) throws {
        _ = try codec.encode(json)
    }

    func encode(json: JSONValue, framing: Framing, schemaID: UInt32?) throws -> [UInt8] {
        let payload = try codec.encode(json)
        guard framing == .confluent, let schemaID else { return payload }
        return WireFraming.frame(.id(schemaID), messageIndexes: codec.messageIndexes, payload: payload)
    }

    func decodeToJSON(_ bytes: [UInt8], framing: Framing) throws -> JSONValue {
        let (codec, payload, header) = try select(bytes, framing: framing)
        do { return try codec.decode(payload) } catch { throw error.shifted(by: header) }
    }

    /// The codec for `bytes` and the payload to give it: framed data (id or GUID framing) names its message
    /// type by indexes after the header, for formats that have them.
    private func select(_ bytes: [UInt8], framing: Framing) throws -> (any MessageCodec, [UInt8], Int) {
        guard framing == .confluent else { return (codec, bytes, 0) }
        let frame = try WireFraming.read(bytes, messageIndexes: codec.messageIndexes != nil)
        let payload = Array(bytes[frame.payloadOffset...])
        let indexesOffset = frame.schema.headerLength
        do {
            return (try codec.codec(forMessageIndexes: frame.messageIndexes ?? [0]), payload, frame.payloadOffset)
        } catch {
            throw PayloadError(code: error.code, message: error.message, offset: indexesOffset)
        }
    }
}

extension WireSchemaID {
    /// Bytes before the message indexes or payload: the magic byte and the id or GUID.
    var headerLength: Int {
        switch self {
        case .id: 5
        case .guid: 17
        }
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
