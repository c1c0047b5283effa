import JSONSupport

/// Every failure of the Avro engine: a bad schema, bad data or bad JSON input.
///
/// An error always says where: a JSON pointer into the schema or JSON input, and for binary data the
/// byte offset and the path of the field being read.
public struct AvroError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable category that callers can branch on; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidSchema
            case invalidJSON
            case invalidData
            case truncatedData
            case limitExceeded
            case unresolvable
            case invalidValue
        }

        private let base: Base

        /// The schema text is not a valid Avro schema.
        public static let invalidSchema = Code(base: .invalidSchema)
        /// The input is not valid JSON.
        public static let invalidJSON = Code(base: .invalidJSON)
        /// Binary data does not match the schema.
        public static let invalidData = Code(base: .invalidData)
        /// Binary data ends before the value does.
        public static let truncatedData = Code(base: .truncatedData)
        /// Input exceeds a configured limit on size, depth or count.
        public static let limitExceeded = Code(base: .limitExceeded)
        /// A reader schema cannot read data written with the writer schema.
        public static let unresolvable = Code(base: .unresolvable)
        /// A JSON or in-memory value does not match the schema.
        public static let invalidValue = Code(base: .invalidValue)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    /// Where in the schema or JSON document (for schema and JSON errors).
    public var pointer: JSONPointer?
    /// Byte offset into binary input (for data errors).
    public var offset: Int?
    /// Path of the datum being read, e.g. `.items[3].price` (for data errors).
    public var dataPath: String?

    public init(
        _ code: Code,
        _ message: String,
        pointer: JSONPointer? = nil,
        offset: Int? = nil,
        dataPath: String? = nil
    ) {
        self.code = code
        self.message = message
        self.pointer = pointer
        self.offset = offset
        self.dataPath = dataPath
    }

    public var description: String {
        var location: [String] = []
        if let pointer { location.append("at '\(pointer.description.isEmpty ? "/" : pointer.description)'") }
        if let dataPath { location.append("at field '\(dataPath.isEmpty ? "<root>" : dataPath)'") }
        if let offset { location.append("byte \(offset)") }
        return location.isEmpty ? message : "\(message) (\(location.joined(separator: ", ")))"
    }

    static func schema(_ message: String, at pointer: JSONPointer) -> AvroError {
        AvroError(.invalidSchema, message, pointer: pointer)
    }
}
