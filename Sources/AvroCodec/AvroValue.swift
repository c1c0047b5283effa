/// An Avro datum in memory, shaped by the schema it was read with.
///
/// Logical types are carried as their underlying representation (a `date` is an `.int` of days,
/// a `decimal` is `.bytes` or `.fixed` of the unscaled two's-complement value); the JSON mappings
/// render them for people.
public enum AvroValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case array([AvroValue])
    /// Map entries in the order they were read or written.
    case map([AvroMapEntry])
    /// Field values in the order of the record's fields.
    case record([AvroValue])
    /// The symbol's index in the enum's symbols, and the symbol.
    case enumeration(index: Int, symbol: String)
    case fixed([UInt8])
    /// The zero-based branch index and the value of that branch.
    indirect case union(branch: Int, value: AvroValue)
}

/// One key and value of an Avro map.
public struct AvroMapEntry: Sendable, Hashable {
    public var key: String
    public var value: AvroValue

    public init(_ key: String, _ value: AvroValue) {
        self.key = key
        self.value = value
    }

    /// The entries of a map as read from binary data, where a key may repeat: one entry per key, at the position
    /// of its first occurrence, with the value written last (what Java's and libavro's readers give). A map value
    /// holding one key twice would otherwise be written as a JSON object with a repeated member name.
    static func lastValuePerKey(_ entries: [AvroMapEntry]) -> [AvroMapEntry] {
        guard entries.count > 1 else { return entries }
        if entries.count <= 16 {
            var repeated = false
            search: for i in 1..<entries.count {
                for j in 0..<i where entries[j].key == entries[i].key {
                    repeated = true
                    break search
                }
            }
            if !repeated { return entries }
        }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(entries.count)
        var merged: [AvroMapEntry] = []
        merged.reserveCapacity(entries.count)
        for entry in entries {
            if let position = positions[entry.key] {
                merged[position].value = entry.value
            } else {
                positions[entry.key] = merged.count
                merged.append(entry)
            }
        }
        return merged
    }
}

/// Bounds that keep hostile input from exhausting memory, stack or time.
public struct AvroLimits: Sendable, Hashable {
    /// Deepest nesting of records, arrays, maps and unions in one datum.
    public var maxDepth: Int
    /// Largest number of elements in one array or entries in one map (summed over its blocks).
    public var maxCollectionCount: Int
    /// Largest string, bytes or fixed value in bytes.
    public var maxLength: Int
    /// Largest total number of values in one datum (guards against zero-size elements repeated forever).
    public var maxValues: Int

    public init(
        maxDepth: Int = 128,
        maxCollectionCount: Int = 10_000_000,
        maxLength: Int = 64 << 20,
        maxValues: Int = 50_000_000
    ) {
        self.maxDepth = maxDepth
        self.maxCollectionCount = maxCollectionCount
        self.maxLength = maxLength
        self.maxValues = maxValues
    }

    public static let `default` = AvroLimits()
}
