/// A JSON document that keeps what schema engines need and Foundation drops:
/// the order of object members and the exact text of numbers.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The name of this value's JSON kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Convenience for building integer values.
    public static func integer(_ value: some BinaryInteger) -> JSONValue {
        .number(JSONNumber(integer: value))
    }

    /// Convenience for building floating-point values.
    public static func double(_ value: Double) -> JSONValue {
        .number(JSONNumber(double: value))
    }
}

/// A JSON number kept as its literal text, so that `1` and `1.0` stay distinct
/// and 64-bit integers never pass through a `Double`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written (already validated against the JSON grammar).
    public let text: String

    /// Wraps text that is known to match the JSON number grammar.
    public init(validatedText: String) {
        self.text = validatedText
    }

    public init(integer: some BinaryInteger) {
        self.text = String(integer)
    }

    /// A double in Swift's shortest round-trip spelling (`2.0`, `1e+20`). Callers must not pass NaN or infinity,
    /// which JSON cannot hold.
    public init(double: Double) {
        self.text = "\(double)"
    }

    public var description: String { text }

    /// True when the literal has no fraction and no exponent (Jackson's `isIntegralNumber`).
    public var isIntegral: Bool {
        var text = text  // read in place: walking a small string's `utf8` view decodes it byte by byte
        return text.withUTF8 { utf8 in
            !utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        }
    }

    /// The value as a 64-bit integer when the literal is integral and in range.
    public var int64Value: Int64? {
        isIntegral ? Int64(text) : nil
    }

    /// The value as a double (always available for a valid literal, possibly rounded or infinite).
    public var doubleValue: Double {
        Double(text) ?? .nan
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object whose members keep their document order.
public struct JSONObject: Sendable, Hashable, Sequence {
    public var members: [JSONMember]

    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.members = pairs.map { JSONMember($0.key, $0.value) }
    }

    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(JSONMember(key, newValue))
            }
        }
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public func makeIterator() -> IndexingIterator<[JSONMember]> {
        members.makeIterator()
    }

    /// Members sorted by key (by Unicode scalar values), for order-independent forms.
    public var sortedMembers: [JSONMember] {
        members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
    }
}
