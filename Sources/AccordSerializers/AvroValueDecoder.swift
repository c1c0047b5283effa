public import AvroCodec
import Foundation

/// Turns an `AvroValue` of a schema into a `Decodable` Swift value: the inverse of `AvroValueEncoder`.
/// Records decode by field name, unions to the branch's value (`nil` for the null branch), enums from their
/// symbols, logical types to `Date`, `UUID` and `Decimal`.
public struct AvroValueDecoder: Sendable {
    public let schema: AvroSchema

    public init(schema: AvroSchema) {
        self.schema = schema
    }

    public func decode<T: Decodable>(_ type: T.Type, from value: AvroValue) throws(SerdeError) -> T {
        do {
            return try AvroNodeDecoder(schema: schema, value: value, node: schema.root, codingPath: []).decodeValue(T.self)
        } catch let error as SerdeError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.keyNotFound(_, context),
            let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context)
        {
            throw .invalidPayload(path: Self.path(context.codingPath), reason: context.debugDescription, offset: nil)
        } catch {
            throw .invalidPayload(path: "", reason: "\(error)", offset: nil)
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
    }
}

/// One value and its schema node, as a `Decoder`. Unions are unwrapped on the way in.
struct AvroNodeDecoder: Decoder {
    let schema: AvroSchema
    let value: AvroValue
    let node: AvroSchema.NodeID
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(schema: AvroSchema, value: AvroValue, node: AvroSchema.NodeID, codingPath: [any CodingKey]) {
        var value = value
        var node = node
        while case .union(let branch, let inner) = value, case .union(let branches) = schema[node].kind,
            branches.indices.contains(branch)
        {
            value = inner
            node = branches[branch]
        }
        self.schema = schema
        self.value = value
        self.node = node
        self.codingPath = codingPath
    }

    func mismatch<T>(_ type: T.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), the data holds Avro \(schema[node].typeName)"))
    }

    func child(_ value: AvroValue, node: AvroSchema.NodeID, key: any CodingKey) -> AvroNodeDecoder {
        AvroNodeDecoder(schema: schema, value: value, node: node, codingPath: codingPath + [key])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch (value, schema[node].kind) {
        case (.record(let fields), .record(let record)):
            var members: [String: (AvroValue, AvroSchema.NodeID)] = [:]
            for (index, field) in record.fields.enumerated() where fields.indices.contains(index) {
                members[field.name] = (fields[index], field.type)
            }
            return KeyedDecodingContainer(AvroKeyedContainer<Key>(decoder: self, members: members, order: record.fields.map(\.name)))
        case (.map(let entries), .map(let values)):
            var members: [String: (AvroValue, AvroSchema.NodeID)] = [:]
            for entry in entries { members[entry.key] = (entry.value, values) }
            return KeyedDecodingContainer(AvroKeyedContainer<Key>(decoder: self, members: members, order: entries.map(\.key)))
        default:
            throw mismatch([String: Any].self)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch (value, schema[node].kind) {
        case (.array(let items), .array(let itemNode)):
            return AvroUnkeyedContainer(decoder: self, items: items.map { ($0, itemNode) })
        default:
            throw mismatch([Any].self)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { AvroSingleContainer(decoder: self) }

    /// Values with an Avro meaning of their own are read whole; the rest decode themselves.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self, let date = date() as? T { return date }
        if T.self == UUID.self {
            guard case .string(let text) = value, let uuid = UUID(uuidString: text) as? T else { throw mismatch(UUID.self) }
            return uuid
        }
        if T.self == Decimal.self {
            guard let decimal = decimal() as? T else { throw mismatch(Decimal.self) }
            return decimal
        }
        if T.self == Data.self || T.self == [UInt8].self {
            switch value {
            case .bytes(let bytes), .fixed(let bytes):
                if let data = Data(bytes) as? T { return data }
                if let bytes = bytes as? T { return bytes }
            default:
                if T.self == Data.self { throw mismatch(Data.self) }
            }
        }
        return try T(from: self)
    }

    private func date() -> Date? {
        switch (value, schema[node].logicalType) {
        case (.int(let days), .date?): Date(timeIntervalSince1970: Double(days) * 86_400)
        case (.long(let v), .timestampMillis?), (.long(let v), .localTimestampMillis?): Date(timeIntervalSince1970: Double(v) / 1_000)
        case (.long(let v), .timestampMicros?), (.long(let v), .localTimestampMicros?): Date(timeIntervalSince1970: Double(v) / 1_000_000)
        case (.long(let v), .timestampNanos?), (.long(let v), .localTimestampNanos?): Date(timeIntervalSince1970: Double(v) / 1_000_000_000)
        default: nil
        }
    }

    private func decimal() -> Decimal? {
        guard case .decimal(_, let scale)? = schema[node].logicalType else { return nil }
        let bytes: [UInt8]
        switch value {
        case .bytes(let b), .fixed(let b): bytes = b
        default: return nil
        }
        guard let first = bytes.first else { return 0 }
        let negative = first & 0x80 != 0
        var magnitude = negative ? bytes.map { ~$0 } : bytes
        var result = Decimal(0)
        for byte in magnitude { result = result * 256 + Decimal(Int(byte)) }
        if negative { result = -(result + 1) }
        magnitude.removeAll()
        for _ in 0..<scale { result /= 10 }
        return result
    }
}

struct AvroKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: AvroNodeDecoder
    let members: [String: (AvroValue, AvroSchema.NodeID)]
    let order: [String]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> AvroNodeDecoder {
        guard let (value, node) = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "the data has no field '\(key.stringValue)'"))
        }
        return decoder.child(value, node: node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard members[key.stringValue] != nil else { return true }
        if case .null = try member(key).value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decodeValue(T.self) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard members[key.stringValue] != nil, try !decodeNil(forKey: key) else { return nil }
        return try decode(T.self, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

struct AvroUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: AvroNodeDecoder
    let items: [(AvroValue, AvroSchema.NodeID)]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> AvroNodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more items"))
        }
        let (value, node) = items[currentIndex]
        defer { currentIndex += 1 }
        return decoder.child(value, node: node, key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = AvroNodeDecoder(schema: decoder.schema, value: items[currentIndex].0, node: items[currentIndex].1, codingPath: codingPath).value else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct IndexKey: CodingKey {
    var stringValue: String { String(intValue ?? 0) }
    var intValue: Int?
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { self.intValue = Int(stringValue) }
}

struct AvroSingleContainer: SingleValueDecodingContainer {
    let decoder: AvroNodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .boolean(let flag) = decoder.value else { throw decoder.mismatch(type) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        switch decoder.value {
        case .string(let text): return text
        case .enumeration(_, let symbol): return symbol
        default: throw decoder.mismatch(type)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let v): return v
        case .float(let v): return Double(v)
        case .int(let v): return Double(v)
        case .long(let v): return Double(v)
        default: throw decoder.mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let wide: Int64
        switch decoder.value {
        case .int(let v): wide = Int64(v)
        case .long(let v): wide = v
        default: throw decoder.mismatch(type)
        }
        guard let value = T(exactly: wide) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(wide) does not fit \(type)"))
        }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
}
