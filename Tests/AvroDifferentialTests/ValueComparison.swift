import AvroCodec

/// Compares two values exactly: floats and doubles by bit pattern (so NaN equals the same NaN and
/// 0.0 differs from -0.0), everything else structurally. Returns the path of the first difference,
/// or `nil` when the values are identical.
func firstDifference(_ lhs: AvroValue, _ rhs: AvroValue, path: String = "$") -> String? {
    switch (lhs, rhs) {
    case (.float(let a), .float(let b)):
        return a.bitPattern == b.bitPattern ? nil : "\(path): float \(a) (\(a.bitPattern)) vs \(b) (\(b.bitPattern))"
    case (.double(let a), .double(let b)):
        return a.bitPattern == b.bitPattern ? nil : "\(path): double \(a) (\(a.bitPattern)) vs \(b) (\(b.bitPattern))"
    case (.array(let a), .array(let b)), (.record(let a), .record(let b)):
        guard a.count == b.count else { return "\(path): \(a.count) vs \(b.count) elements" }
        for (index, pair) in zip(a, b).enumerated() {
            if let difference = firstDifference(pair.0, pair.1, path: "\(path)[\(index)]") {
                return difference
            }
        }
        return nil
    case (.map(let a), .map(let b)):
        guard a.count == b.count else { return "\(path): \(a.count) vs \(b.count) entries" }
        for (x, y) in zip(a, b) {
            guard x.key == y.key else { return "\(path): key \(x.key.debugDescription) vs \(y.key.debugDescription)" }
            if let difference = firstDifference(x.value, y.value, path: "\(path)[\(x.key.debugDescription)]") {
                return difference
            }
        }
        return nil
    case (.union(let i, let a), .union(let j, let b)):
        guard i == j else { return "\(path): union branch \(i) vs \(j)" }
        return firstDifference(a, b, path: "\(path)<\(i)>")
    default:
        return lhs == rhs ? nil : "\(path): \(lhs) vs \(rhs)"
    }
}

/// Lowercase hex of `bytes`, for readable expectations.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined()
}
