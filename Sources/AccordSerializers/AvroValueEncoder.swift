public import AvroCodec
import Foundation
import JSONSupport

/// Turns an `Encodable` Swift value into an `AvroValue` of a schema, the way a hand-written Avro record would
/// be filled in: properties by field name, optionals as unions with `null`, `String`-backed enums as symbols,
/// `[String: T]` as maps, `Date` as `date`/`timestamp-*`/`local-timestamp-*`, `UUID` as `uuid`, `Decimal` as
/// `decimal` (bytes or fixed) and `Data`/`[UInt8]` as bytes or fixed. A field the value leaves out takes its
/// default. Anything that does not fit is a `SerdeError.invalidValue` naming the field path.
public struct AvroValueEncoder: Sendable {
    public let schema: AvroSchema

    public init(schema: AvroSchema) {
        self.schema = schema
    }

    public func encode(_ value: some Encodable) throws(SerdeError) -> AvroValue {
        let slot: BoxSlot
        do {
            slot = try BoxEncoder.box(value, codingPath: [])
        } catch let error as SerdeError {
            throw error
        } catch {
            throw .invalidValue(path: "", reason: "\(error)")
        }
        var path: [PathStep] = []
        return try AvroBoxConverter(schema: schema).value(slot, node: schema.root, path: &path)
    }
}

/// What `Encodable` values are made of, before the schema gives them Avro types.
indirect enum EncodedBox {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case date(Date)
    case uuid(UUID)
    case decimal(Decimal)
    /// Only in messages: arrays and keyed values stay in their `BoxSlot`s.
    case array([EncodedBox])
    case object([(String, EncodedBox)])

    var kindName: String {
        switch self {
        case .null: "nil"
        case .bool: "a Bool"
        case .int, .uint: "an integer"
        case .double: "a floating-point number"
        case .string: "a String"
        case .bytes: "bytes"
        case .date: "a Date"
        case .uuid: "a UUID"
        case .decimal: "a Decimal"
        case .array: "an array"
        case .object: "a keyed value"
        }
    }
}

/// A box that containers fill in after handing it out: a leaf value, an array or keyed members.
final class BoxSlot {
    var value: EncodedBox?
    var array: [BoxSlot]?
    var object: [(String, BoxSlot)]?

    init() {}

    init(array: [BoxSlot]) {
        self.array = array
    }

    init(object: [(String, BoxSlot)]) {
        self.object = object
    }
}

final class BoxEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let slot = BoxSlot()

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.object == nil { slot.object = [] }
        return KeyedEncodingContainer(BoxKeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.array == nil { slot.array = [] }
        return BoxUnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        BoxSingleContainer(slot: slot, codingPath: codingPath)
    }

    /// Values with an Avro meaning of their own are kept whole; the rest encode themselves. The type is compared
    /// before any cast (a cast of every value to six types costs more than the encoding).
    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> BoxSlot {
        let slot = BoxSlot()
        if T.self == Date.self, let date = value as? Date {
            slot.value = .date(date)
        } else if T.self == UUID.self, let uuid = value as? UUID {
            slot.value = .uuid(uuid)
        } else if T.self == Decimal.self, let decimal = value as? Decimal {
            slot.value = .decimal(decimal)
        } else if T.self == Data.self, let data = value as? Data {
            slot.value = .bytes([UInt8](data))
        } else if T.self == [UInt8].self, let bytes = value as? [UInt8] {
            // By type, not by cast alone: an empty array of any element type casts to [UInt8].
            slot.value = .bytes(bytes)
        } else if T.self == URL.self, let url = value as? URL {
            slot.value = .string(url.absoluteString)
        } else {
            // Coding paths are not kept: the converter names the field path of every refusal itself.
            let encoder = BoxEncoder(codingPath: [])
            try value.encode(to: encoder)
            return encoder.slot
        }
        return slot
    }
}

struct BoxKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: BoxSlot
    let codingPath: [any CodingKey]

    /// Appends; a key encoded twice is resolved by the converter (the last one wins).
    private func put(_ key: Key, _ child: BoxSlot) {
        slot.object?.append((key.stringValue, child))
    }

    private func put(_ key: Key, _ value: EncodedBox) {
        let child = BoxSlot()
        child.value = value
        put(key, child)
    }

    mutating func encodeNil(forKey key: Key) throws { put(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, .double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, .double(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, .int(Int64(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, .int(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(key, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(key, .uint(value)) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        put(key, try BoxEncoder.box(value, codingPath: []))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = BoxSlot()
        child.object = []
        put(key, child)
        return KeyedEncodingContainer(BoxKeyedContainer<NestedKey>(slot: child, codingPath: []))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = BoxSlot()
        child.array = []
        put(key, child)
        return BoxUnkeyedContainer(slot: child, codingPath: [])
    }

    mutating func superEncoder() -> any Encoder { BoxEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = BoxEncoder(codingPath: [])
        put(key, encoder.slot)
        return encoder
    }
}

struct BoxUnkeyedContainer: UnkeyedEncodingContainer {
    let slot: BoxSlot
    let codingPath: [any CodingKey]
    var count: Int { slot.array?.count ?? 0 }

    private func append(_ value: EncodedBox) {
        let child = BoxSlot()
        child.value = value
        slot.array?.append(child)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { append(.uint(value)) }
    mutating func encode(_ value: some Encodable) throws {
        slot.array?.append(try BoxEncoder.box(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = BoxSlot()
        child.object = []
        slot.array?.append(child)
        return KeyedEncodingContainer(BoxKeyedContainer<NestedKey>(slot: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = BoxSlot()
        child.array = []
        slot.array?.append(child)
        return BoxUnkeyedContainer(slot: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = BoxEncoder(codingPath: codingPath)
        slot.array?.append(encoder.slot)
        return encoder
    }
}

struct BoxSingleContainer: SingleValueEncodingContainer {
    let slot: BoxSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.value = .null }
    mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
    mutating func encode(_ value: String) throws { slot.value = .string(value) }
    mutating func encode(_ value: Double) throws { slot.value = .double(value) }
    mutating func encode(_ value: Float) throws { slot.value = .double(Double(value)) }
    mutating func encode(_ value: Int) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { slot.value = .int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { slot.value = .int(value) }
    mutating func encode(_ value: UInt) throws { slot.value = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { slot.value = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { slot.value = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { slot.value = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { slot.value = .uint(value) }
    mutating func encode(_ value: some Encodable) throws {
        let inner = try BoxEncoder.box(value, codingPath: codingPath)
        slot.value = inner.value
        slot.array = inner.array
        slot.object = inner.object
    }
}
