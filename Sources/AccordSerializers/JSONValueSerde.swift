public import AccordClient
public import JSONSupport

/// Serializes JSON values with any registered schema format (Avro's plain JSON mapping, Protobuf's proto3 JSON):
/// the same checks and framing as the typed serializers, for producers that hold data as JSON.
public final class JSONValueSerializer: Sendable {
    public let registry: RegistrySerializer
    public let deadLetters: (any DeadLetterSink)?

    /// `schemaType` is the registry's name (`AVRO`, `PROTOBUF`); `messageName` picks a Protobuf message.
    public init(
        client: SchemaRegistryClient, schema: String, schemaType: String, references: [RegistryReference] = [],
        messageName: String? = nil, options: SerializerOptions = SerializerOptions(),
        deadLetters: (any DeadLetterSink)? = nil
    ) async throws(SerdeError) {
        self.registry = try await RegistrySerializer(
            client: client, schema: RegistrySchema(schemaType: schemaType, schema: schema, references: references),
            messageName: messageName, options: options)
        self.deadLetters = deadLetters
    }

    public var schemaParses: Int { registry.schemaParses }

    public func serialize(_ value: JSONValue, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        do {
            return try await registry.serialize(json: value, topic: topic, field: field)
        } catch {
            if case .invalidValue = error {
                await deadLetters?.deadLetter(
                    DeadLetter(
                        stage: .serialize, topic: topic, field: field, subject: nil, payload: Array(value.serialized().utf8),
                        reason: error.description))
            }
            throw error
        }
    }
}

/// Reads framed messages of any registered format to JSON.
public final class JSONValueDeserializer: Sendable {
    public let registry: RegistryDeserializer
    public let deadLetters: (any DeadLetterSink)?

    public init(
        client: SchemaRegistryClient, readerSchema: RegistrySchema? = nil, deadLetters: (any DeadLetterSink)? = nil
    ) async throws(SerdeError) {
        self.registry = try await RegistryDeserializer(client: client, readerSchema: readerSchema)
        self.deadLetters = deadLetters
    }

    public var schemaParses: Int { registry.schemaParses }

    /// `headers`: the message's Kafka headers, when its producer put the schema GUID there.
    public func deserialize(
        _ bytes: [UInt8], topic: String, field: MessageField = .value, headers: [(String, [UInt8])] = []
    ) async throws(SerdeError) -> JSONValue {
        try await deadLettering(deadLetters, .deserialize, topic: topic, field: field, payload: bytes) { () throws(SerdeError) in
            try await registry.json(bytes, headers: headers, field: field)
        }
    }
}
