/// Every failure of the Protobuf modules: an invalid `.proto` file, bad binary data or bad JSON.
///
/// An error always says where: a source location for `.proto` text, a proto path such as
/// `Order.items[2].price` and a byte offset for binary data, a JSON pointer for JSON input.
public struct ProtobufError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable category that callers can branch on; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidSchema, invalidData, truncatedData, limitExceeded, invalidValue, invalidJSON, unknownType
        }

        private let base: Base

        /// The `.proto` text or descriptor is not a valid schema (syntax or linking).
        public static let invalidSchema = Code(base: .invalidSchema)
        /// Binary data does not match the message type.
        public static let invalidData = Code(base: .invalidData)
        /// Binary data ends in the middle of a value.
        public static let truncatedData = Code(base: .truncatedData)
        /// Input exceeds a configured limit on size, depth or count.
        public static let limitExceeded = Code(base: .limitExceeded)
        /// A JSON or in-memory value does not match the message type.
        public static let invalidValue = Code(base: .invalidValue)
        /// The input is not valid JSON.
        public static let invalidJSON = Code(base: .invalidJSON)
        /// A message or enum name is not defined in the schema.
        public static let unknownType = Code(base: .unknownType)

        public var description: String { base.rawValue }
    }

    /// A position in a `.proto` file: 1-based line and column.
    public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int

        public init(file: String, line: Int, column: Int) {
            self.file = file
            self.line = line
            self.column = column
        }

        public var description: String { "\(file):\(line):\(column)" }
    }

    public var code: Code
    public var message: String
    /// Where in a `.proto` file (schema errors).
    public var location: SourceLocation?
    /// The element or datum path, e.g. `Order.items` (compatibility, schema) or `.items[2].price` (data).
    public var protoPath: String?
    /// Byte offset into binary input (data errors).
    public var offset: Int?
    /// JSON pointer into JSON input, e.g. `/items/2/price` (JSON errors).
    public var jsonPointer: String?
    /// The errors found after this one when a compilation reports several (as protoc does), in the order
    /// found; empty when this is the only one.
    public var additionalErrors: [ProtobufError] = []

    public init(
        _ code: Code,
        _ message: String,
        location: SourceLocation? = nil,
        protoPath: String? = nil,
        offset: Int? = nil,
        jsonPointer: String? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.protoPath = protoPath
        self.offset = offset
        self.jsonPointer = jsonPointer
    }

    /// This error and every additional one, first first, each without additional errors of its own.
    public var allErrors: [ProtobufError] {
        var first = self
        first.additionalErrors = []
        return [first] + additionalErrors
    }

    /// Compiler style for schema errors (`file:line:col: message`), the message and its location otherwise;
    /// with several errors, one such line each, first first.
    public var description: String {
        if additionalErrors.isEmpty { return singleDescription }
        return allErrors.map(\.singleDescription).joined(separator: "\n")
    }

    private var singleDescription: String {
        if let location { return "\(location): \(message)" }
        var parts: [String] = []
        if let protoPath { parts.append("at '\(protoPath.isEmpty ? "<root>" : protoPath)'") }
        if let jsonPointer { parts.append("at '\(jsonPointer.isEmpty ? "/" : jsonPointer)'") }
        if let offset { parts.append("byte \(offset)") }
        return parts.isEmpty ? message : "\(message) (\(parts.joined(separator: ", ")))"
    }
}
