/// A schema language's name as Confluent's API spells it (`AVRO`, `PROTOBUF`). A struct rather than an enum so a
/// new format is one new provider, with no switch elsewhere to extend.
public struct SchemaType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Parses a request's `schemaType`; Confluent accepts any letter case.
    public init(name: String) {
        self.rawValue = name.uppercased()
    }

    public static let avro = SchemaType(rawValue: "AVRO")
    public static let protobuf = SchemaType(rawValue: "PROTOBUF")
    public static let json = SchemaType(rawValue: "JSON")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
