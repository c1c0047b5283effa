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
            return try AvroNodeDecoder(schema: schema, value: value, node: schema.root, pathNode: nil).decodeValue(T.self)
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

/// The keys from the root to a value, newest last, built only when an error or a caller asks for them.
final class CodingPathNode: Sendable {
    let key: any CodingKey & Sendable
    let parent: CodingPathNode?

    init(key: any CodingKey & Sendable, parent: CodingPathNode?) {
        self.key = key
        self.parent = parent
    }

    var path: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: CodingPathNode? = self
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// A coding key for a record field or map key read from the data.
struct NameKey: CodingKey, Sendable {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One value and its schema node, as a `Decoder`. Unions are unwrapped on the way in.
struct AvroNodeDecoder: Decoder {
    let schema: AvroSchema
    let value: AvroValue
    let node: AvroSchema.NodeID
    let pathNode: CodingPathNode?
    var codingPath: [any CodingKey] { pathNode?.path ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(schema: AvroSchema, value: AvroValue, node: AvroSchema.NodeID, pathNode: CodingPathNode?) {
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
        self.pathNode = pathNode
    }

    func mismatch<T>(_ type: T.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), the data holds Avro \(schema[node].typeName)"))
    }

    func child(_ value: AvroValue, node: AvroSchema.NodeID, key: any CodingKey & Sendable) -> AvroNodeDecoder {
        AvroNodeDecoder(schema: schema, value: value, node: node, pathNode: CodingPathNode(key: key, parent: pathNode))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch (value, schema[node].kind) {
        case (.record(let fields), .record(let record)):
            return KeyedDecodingContainer(AvroKeyedContainer<Key>(decoder: self, members: .record(fields, of: record)))
        case (.map(let entries), .map(let values)):
            return KeyedDecodingContainer(AvroKeyedContainer<Key>(decoder: self, members: .map(entries, values: values)))
        default:
            throw mismatch([String: Any].self)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch (value, schema[node].kind) {
        case (.array(let items), .array(let itemNode)):
            return AvroUnkeyedContainer(decoder: self, items: items, itemNode: itemNode)
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

/// A record's fields or a map's entries, found by name. Small records search their fields (cheaper than a
/// dictionary per record); maps and large records are indexed once per container, so decoding n keys is
/// linear in n, not quadratic (a map's size comes from the data).
enum KeyedMembers {
    case record([AvroValue], AvroRecord)
    case indexed([String: (AvroValue, AvroSchema.NodeID)], names: [String])

    /// Records up to this many fields are searched rather than indexed.
    static let searchedFieldLimit = 32

    static func record(_ fields: [AvroValue], of record: AvroRecord) -> KeyedMembers {
        guard record.fields.count > searchedFieldLimit else { return .record(fields, record) }
        var index: [String: (AvroValue, AvroSchema.NodeID)] = [:]
        for (position, field) in record.fields.enumerated() where fields.indices.contains(position) {
            index[field.name] = (fields[position], field.type)
        }
        return .indexed(index, names: record.fields.map(\.name))
    }

    static func map(_ entries: [AvroMapEntry], values: AvroSchema.NodeID) -> KeyedMembers {
        var index: [String: (AvroValue, AvroSchema.NodeID)] = [:]
        index.reserveCapacity(entries.count)
        for entry in entries { index[entry.key] = (entry.value, values) }  // the last of a repeated key wins
        return .indexed(index, names: entries.map(\.key))
    }

    func member(_ name: String) -> (AvroValue, AvroSchema.NodeID)? {
        switch self {
        case .record(let fields, let record):
            guard let index = record.fieldIndex(named: name), fields.indices.contains(index) else { return nil }
            return (fields[index], record.fields[index].type)
        case .indexed(let index, _):
            return index[name]
        }
    }

    var names: [String] {
        switch self {
        case .record(_, let record): record.fields.map(\.name)
        case .indexed(_, let names): names
        }
    }
}

struct AvroKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: AvroNodeDecoder
    let members: KeyedMembers
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members.member(key.stringValue) != nil }

    private func member(_ key: Key) throws -> AvroNodeDecoder {
        guard let (value, node) = members.member(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "the data has no field '\(key.stringValue)'"))
        }
        return decoder.child(value, node: node, key: NameKey(stringValue: key.stringValue))
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let (value, node) = members.member(key.stringValue) else { return true }
        if case .null = AvroNodeDecoder(schema: decoder.schema, value: value, node: node, pathNode: nil).value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decodeValue(T.self) }

    /// Scalars are read in place: no child decoder is boxed, no coding path built unless reading fails (then the
    /// read is repeated with the path, for the error).
    private func scalar<T>(_ key: Key, _ read: (AvroSingleContainer) throws -> T) throws -> T {
        guard let (value, node) = members.member(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "the data has no field '\(key.stringValue)'"))
        }
        do {
            return try read(AvroSingleContainer(decoder: AvroNodeDecoder(schema: decoder.schema, value: value, node: node, pathNode: nil)))
        } catch {
            return try read(AvroSingleContainer(decoder: decoder.child(value, node: node, key: NameKey(stringValue: key.stringValue))))
        }
    }

    private func scalarIfPresent<T>(_ key: Key, _ read: (AvroSingleContainer) throws -> T) throws -> T? {
        guard let (value, node) = members.member(key.stringValue) else { return nil }
        let plain = AvroNodeDecoder(schema: decoder.schema, value: value, node: node, pathNode: nil)
        if case .null = plain.value { return nil }
        do {
            return try read(AvroSingleContainer(decoder: plain))
        } catch {
            return try read(AvroSingleContainer(decoder: decoder.child(value, node: node, key: NameKey(stringValue: key.stringValue))))
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(key) { try $0.decode(type) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try scalarIfPresent(key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try scalarIfPresent(key) { try $0.decode(type) } }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let (value, node) = members.member(key.stringValue) else { return nil }
        let child = decoder.child(value, node: node, key: NameKey(stringValue: key.stringValue))
        if case .null = child.value { return nil }
        return try child.decodeValue(T.self)
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
    let items: [AvroValue]
    let itemNode: AvroSchema.NodeID
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> AvroNodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more items"))
        }
        let (value, node) = (items[currentIndex], itemNode)
        defer { currentIndex += 1 }
        return decoder.child(value, node: node, key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd,
            case .null = AvroNodeDecoder(schema: decoder.schema, value: items[currentIndex], node: itemNode, pathNode: nil).value
        else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }

    /// Scalars are read in place, as in the keyed container.
    private mutating func scalar<T>(_ read: (AvroSingleContainer) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "the array has no more items"))
        }
        let plain = AvroNodeDecoder(schema: decoder.schema, value: items[currentIndex], node: itemNode, pathNode: nil)
        let result: T
        do {
            result = try read(AvroSingleContainer(decoder: plain))
        } catch {
            result = try read(AvroSingleContainer(decoder: decoder.child(items[currentIndex], node: itemNode, key: IndexKey(intValue: currentIndex))))
        }
        currentIndex += 1
        return result
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar { try $0.decode(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar { try $0.decode(type) } }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct IndexKey: CodingKey, Sendable {
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
