public import JSONSupport

/// Reads and writes payloads (the bytes after the wire-format header) of one schema, and their JSON form.
public protocol MessageCodec: Sendable {
    /// The message indexes framed data carries after the header, for formats whose schemas hold several message
    /// types (Protobuf); nil for formats without them. Readers of framed data read indexes when this is non-nil.
    /// A type the indexes cannot name (a Protobuf message of an imported file) has an empty list here, and
    /// `frameIndexes()` refuses it.
    var messageIndexes: [Int]? { get }
    /// The name of the type this codec reads and writes (Avro: the top-level type; Protobuf: the message).
    var typeName: String { get }

    /// Checks `payload` without building a value.
    func validate(_ payload: [UInt8]) throws(PayloadError)
    /// Decodes `payload` to the format's JSON mapping.
    func decode(_ payload: [UInt8]) throws(PayloadError) -> JSONValue
    /// Encodes a JSON value that the schema accepts.
    func encode(_ json: JSONValue) throws(PayloadError) -> [UInt8]
    /// The codec for the message type `indexes` names in the same schema (framed Protobuf data names its type);
    /// formats without message indexes accept only `[0]`.
    func codec(forMessageIndexes indexes: [Int]) throws(PayloadError) -> any MessageCodec
}

extension MessageCodec {
    /// The message indexes to write after a frame's header (`messageIndexes`): `unframeableType` when this
    /// codec's type is not one of the schema's own, which framed data cannot name.
    public func frameIndexes() throws(PayloadError) -> [Int]? {
        guard let indexes = messageIndexes, indexes.isEmpty else { return messageIndexes }
        throw PayloadError(
            code: PayloadError.unframeableType,
            message: "\(typeName) is not declared in the schema itself, so message indexes cannot name it in framed "
                + "data; frame a message of the schema, or write it unframed")
    }
}

extension PayloadError {
    /// The code of a payload whose type framed data cannot name (see `MessageCodec.frameIndexes()`).
    public static let unframeableType = "unframeableType"
}

/// How payload codecs read and write JSON, and which message type they are for.
public struct MessageCodecOptions: Sendable, Hashable {
    /// The message type (Protobuf), by full name; nil picks the schema's first.
    public var messageName: String?
    /// Write and read the format's own JSON encoding rather than the plain mapping (Avro: unions wrapped as
    /// `{"type": value}`).
    public var nativeJSON: Bool

    public init(messageName: String? = nil, nativeJSON: Bool = false) {
        self.messageName = messageName
        self.nativeJSON = nativeJSON
    }

    public static let `default` = MessageCodecOptions()
}

/// A payload or JSON value the schema does not accept, with where: a JSON pointer into the value, the
/// datum path, and the byte offset, as far as the format knows them.
public struct PayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short machine-readable class, e.g. `invalidData`, `truncatedData`, `invalidValue`.
    public var code: String
    public var message: String
    public var pointer: String?
    public var path: String?
    public var offset: Int?
    /// The sentence printed for people: the format's own rendering of the error, with its location.
    public var description: String

    public init(
        code: String, message: String, pointer: String? = nil, path: String? = nil, offset: Int? = nil,
        description: String? = nil
    ) {
        self.code = code
        self.message = message
        self.pointer = pointer
        self.path = path
        self.offset = offset
        self.description = description ?? Self.describe(message, pointer: pointer, path: path, offset: offset)
    }

    static func describe(_ message: String, pointer: String?, path: String?, offset: Int?) -> String {
        var parts: [String] = []
        if let path { parts.append("at '\(path.isEmpty ? "<root>" : path)'") }
        if let pointer { parts.append("at '\(pointer.isEmpty ? "/" : pointer)'") }
        if let offset { parts.append("byte \(offset)") }
        return parts.isEmpty ? message : "\(message) (\(parts.joined(separator: ", ")))"
    }

    /// The same error at byte `offset` of a larger input (a framed message's header precedes its payload).
    public func shifted(by headerLength: Int) -> PayloadError {
        PayloadError(code: code, message: message, pointer: pointer, path: path, offset: (offset ?? 0) + headerLength)
    }

    /// The error as a JSON object for dead-letter records: message, code and location.
    public var jsonDescription: JSONValue {
        var object = JSONObject()
        object["error"] = .string(message)
        object["code"] = .string(code)
        if let pointer { object["pointer"] = .string(pointer) }
        if let path { object["path"] = .string(path) }
        if let offset { object["offset"] = .integer(offset) }
        return .object(object)
    }
}
