public import WireFormat

/// Whether a serializer writes a message's key or its value (the subject name strategies tell them apart).
public enum MessageField: String, Sendable, Hashable {
    case key, value
}

/// How a serializer names the subject a schema is registered under, as Confluent's serializers do.
public enum SubjectNameStrategy: Sendable {
    /// `<topic>-key` or `<topic>-value` (Confluent's default `TopicNameStrategy`).
    case topic
    /// The record's full name: Avro's top-level named type, Protobuf's message (`RecordNameStrategy`).
    case record
    /// `<topic>-<record full name>` (`TopicRecordNameStrategy`).
    case topicRecord
    /// Any other rule: (topic, field, record full name) → subject.
    case custom(@Sendable (String, MessageField, String) -> String)

    /// The subject for a message of `recordName` written to `topic`'s `field`.
    public func subject(topic: String, field: MessageField, recordName: String) -> String {
        switch self {
        case .topic: "\(topic)-\(field.rawValue)"
        case .record: recordName
        case .topicRecord: "\(topic)-\(recordName)"
        case .custom(let rule): rule(topic, field, recordName)
        }
    }
}

/// Which header a serializer writes before the payload.
public enum SerializerFraming: Sendable, Hashable {
    /// Magic byte `0x00` and the 4-byte schema id: what every Confluent client reads.
    case id
    /// Magic byte `0x01` and the schema's 16-byte GUID (Confluent's 2025 framing).
    case guid
    /// The GUID frame (with Protobuf message indexes) in a Kafka header, `__value_schema_id` or
    /// `__key_schema_id`, and the bare payload as the message (confluent-kafka's `header_schema_id_serializer`).
    /// `RegistrySerializer.headers(topic:field:)` gives the header to send.
    case guidHeader
}

/// The Kafka header names Confluent's clients use for a schema GUID frame.
public enum KafkaHeaders {
    public static let keySchemaID = "__key_schema_id"
    public static let valueSchemaID = "__value_schema_id"

    public static func schemaID(_ field: MessageField) -> String {
        field == .key ? keySchemaID : valueSchemaID
    }
}

/// How a serializer finds the schema id it frames messages with.
public struct SerializerOptions: Sendable {
    public var subjectNameStrategy: SubjectNameStrategy
    /// Register the serializer's schema under the subject when it is not there yet (Confluent's
    /// `auto.register.schemas`, on by default). When off, the schema must already be registered (a lookup).
    public var autoRegister: Bool
    /// Write with the subject's latest version instead of the serializer's own schema (`use.latest.version`).
    public var useLatest: Bool
    /// Write with the latest version whose metadata has these properties (`use.latest.with.metadata`).
    public var useLatestWithMetadata: [String: String]?
    /// Ask the registry to normalize the schema when registering or looking it up (`normalize.schemas`).
    public var normalize: Bool
    public var framing: SerializerFraming
    /// Check a typed Protobuf message's bytes against the registered schema before producing (on by default).
    /// Generated code cannot write an ill-typed field, so turning this off trades the check for speed when the
    /// generated code and the registered schema come from the same `.proto` file.
    public var checkPayloads: Bool

    public init(
        subjectNameStrategy: SubjectNameStrategy = .topic,
        autoRegister: Bool = true,
        useLatest: Bool = false,
        useLatestWithMetadata: [String: String]? = nil,
        normalize: Bool = false,
        framing: SerializerFraming = .id,
        checkPayloads: Bool = true
    ) {
        self.checkPayloads = checkPayloads
        self.subjectNameStrategy = subjectNameStrategy
        self.autoRegister = autoRegister
        self.useLatest = useLatest
        self.useLatestWithMetadata = useLatestWithMetadata
        self.normalize = normalize
        self.framing = framing
    }
}

/// A message that could not be serialized or deserialized, with where and why.
public enum SerdeError: Error, Sendable, CustomStringConvertible {
    /// The value does not match the schema: the field path (a JSON pointer, or the format's datum path) and the
    /// reason. Nothing was produced.
    case invalidValue(path: String, reason: String)
    /// The bytes are not a message of the writer schema (truncated, corrupt, or of another schema).
    case invalidPayload(path: String, reason: String, offset: Int?)
    /// The bytes do not start with a Confluent header.
    case invalidFrame(WireFormatError)
    /// The schema cannot be used: it does not parse, or the registry's version is of another format.
    case invalidSchema(String)
    /// The registry refused or could not be reached.
    case registry(any Error)

    public var description: String {
        switch self {
        case .invalidValue(let path, let reason): path.isEmpty ? "invalid value: \(reason)" : "invalid value at \(path): \(reason)"
        case .invalidPayload(let path, let reason, let offset):
            "invalid payload\(path.isEmpty ? "" : " at \(path)")\(offset.map { " (byte \($0))" } ?? ""): \(reason)"
        case .invalidFrame(let error): "invalid frame: \(error)"
        case .invalidSchema(let reason): "invalid schema: \(reason)"
        case .registry(let error): "\(error)"
        }
    }
}

extension SerdeError: Equatable {
    /// Equal when of the same case with the same details (registry errors compare by their descriptions).
    public static func == (lhs: SerdeError, rhs: SerdeError) -> Bool {
        switch (lhs, rhs) {
        case (.invalidValue(let a, let b), .invalidValue(let c, let d)): a == c && b == d
        case (.invalidPayload(let a, let b, let x), .invalidPayload(let c, let d, let y)): a == c && b == d && x == y
        case (.invalidFrame(let a), .invalidFrame(let b)): a == b
        case (.invalidSchema(let a), .invalidSchema(let b)): a == b
        case (.registry(let a), .registry(let b)): "\(a)" == "\(b)"
        default: false
        }
    }
}
