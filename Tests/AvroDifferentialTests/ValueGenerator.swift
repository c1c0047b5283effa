import AvroCodec

/// Generates random `AvroValue`s that conform to a parsed schema, favouring edge values
/// (integer limits, signed zeros, infinities, NaN payloads, empty and multi-byte strings).
struct ValueGenerator {
    var rng: SeededGenerator
    let schema: AvroSchema
    /// Include NaN floats and doubles (compared bit for bit, never with `==`).
    var allowNaN = true

    init(schema: AvroSchema, seed: UInt64) {
        self.schema = schema
        rng = SeededGenerator(seed: seed)
    }

    mutating func value() -> AvroValue {
        value(for: schema.root)
    }

    mutating func value(for id: AvroSchema.NodeID) -> AvroValue {
        switch schema[id].kind {
        case .null: return .null
        case .boolean: return .boolean(rng.chance(1, in: 2))
        case .int: return .int(int32())
        case .long: return .long(int64())
        case .float: return .float(float())
        case .double: return .double(double())
        case .bytes: return .bytes(bytes(count: Int.random(in: 0...24, using: &rng)))
        case .string: return .string(string(allowNUL: true))
        case .array(let items):
            let count = Int.random(in: 0...4, using: &rng)
            return .array((0..<count).map { _ in value(for: items) })
        case .map(let values):
            let count = Int.random(in: 0...4, using: &rng)
            var keys: [String] = []
            while keys.count < count {
                // libavro keeps map keys as C strings, so keys never contain NUL.
                let key = string(allowNUL: false)
                if !keys.contains(key) {
                    keys.append(key)
                }
            }
            return .map(keys.map { AvroMapEntry($0, value(for: values)) })
        case .record(let record):
            return .record(record.fields.map { value(for: $0.type) })
        case .enumeration(let enumeration):
            let index = Int.random(in: 0..<enumeration.symbols.count, using: &rng)
            return .enumeration(index: index, symbol: enumeration.symbols[index])
        case .fixed(let fixed):
            return .fixed(bytes(count: fixed.size))
        case .union(let branches):
            let branch = Int.random(in: 0..<branches.count, using: &rng)
            return .union(branch: branch, value: value(for: branches[branch]))
        }
    }

    private mutating func int32() -> Int32 {
        if rng.chance(1, in: 3) {
            return rng.pick([0, 1, -1, 63, -64, 64, -65, 8191, -8192, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1])
        }
        // Spread over every varint length.
        let bits = Int.random(in: 1...32, using: &rng)
        let magnitude = Int64.random(in: 0..<(Int64(1) << (bits - 1)), using: &rng)
        return Int32(truncatingIfNeeded: rng.chance(1, in: 2) ? magnitude : -magnitude - 1)
    }

    private mutating func int64() -> Int64 {
        if rng.chance(1, in: 3) {
            return rng.pick([0, 1, -1, 63, -64, Int64(Int32.max) + 1, Int64(Int32.min) - 1, Int64.max, Int64.min])
        }
        let bits = Int.random(in: 1...64, using: &rng)
        let magnitude = bits == 64 ? Int64.random(in: 0...Int64.max, using: &rng)
            : Int64.random(in: 0..<(Int64(1) << (bits - 1)), using: &rng)
        return rng.chance(1, in: 2) ? magnitude : -magnitude - 1
    }

    private mutating func float() -> Float {
        if rng.chance(1, in: 3) {
            var specials: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1]
            if allowNaN {
                specials += [.nan, Float(bitPattern: 0x7FC0_1234), Float(bitPattern: 0xFFC0_0001)]
            }
            return rng.pick(specials)
        }
        let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
        return (value.isNaN && !allowNaN) ? 0.5 : value
    }

    private mutating func double() -> Double {
        if rng.chance(1, in: 3) {
            var specials: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 1e300]
            if allowNaN {
                specials += [.nan, Double(bitPattern: 0x7FF8_0000_0000_BEEF), Double(bitPattern: 0xFFF8_0000_0000_0000)]
            }
            return rng.pick(specials)
        }
        let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
        return (value.isNaN && !allowNaN) ? 0.25 : value
    }

    private mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    private static let pieces: [String] = [
        "a", "Z", "0", " ", "_", "-", "\"", "\\", "/", "é", "ß", "Ж", "中", "文", "🎉", "👍🏽", "\u{7F}", "\u{80}",
        "\u{FFFD}", "\u{10FFFF}", "\t", "\n", "key", "value",
    ]

    private mutating func string(allowNUL: Bool) -> String {
        let count = Int.random(in: 0...10, using: &rng)
        var text = ""
        for _ in 0..<count {
            if allowNUL && rng.chance(1, in: 30) {
                text += "\u{0}"
            } else {
                text += rng.pick(Self.pieces)
            }
        }
        return text
    }
}
