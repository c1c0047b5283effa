import JSONSupport

/// A JSON number as an exact decimal: sign, significant digits (no leading or trailing zeros) and a power of ten,
/// so that `1`, `1.0` and `10e-1` are equal and comparisons never round.
struct ExactNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    var negative: Bool
    /// Significant digits, most significant first, each 0...9; empty for zero.
    var digits: [UInt8]
    /// value = digits × 10^exponent.
    var exponent: Int

    static let zero = ExactNumber(negative: false, digits: [], exponent: 0)

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
        normalize()
    }

    /// Parses a JSON number literal; nil when `text` is not one.
    init?(_ text: String) {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var u = text.utf8[...]
        if u.first == UInt8(ascii: "-") {
            negative = true
            u = u.dropFirst()
        }
        var sawDigit = false
        while let c = u.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            digits.append(c - UInt8(ascii: "0"))
            sawDigit = true
            u = u.dropFirst()
        }
        guard sawDigit else { return nil }
        if u.first == UInt8(ascii: ".") {
            u = u.dropFirst()
            var sawFraction = false
            while let c = u.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
                exponent -= 1
                sawFraction = true
                u = u.dropFirst()
            }
            guard sawFraction else { return nil }
        }
        if let c = u.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            u = u.dropFirst()
            var expNegative = false
            if u.first == UInt8(ascii: "-") {
                expNegative = true
                u = u.dropFirst()
            } else if u.first == UInt8(ascii: "+") {
                u = u.dropFirst()
            }
            var e = 0
            var sawExp = false
            while let c = u.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                // Clamp absurd exponents: beyond a billion nothing distinguishes them for schema purposes.
                if e < 1_000_000_000 { e = e * 10 + Int(c - UInt8(ascii: "0")) }
                sawExp = true
                u = u.dropFirst()
            }
            guard sawExp else { return nil }
            exponent += expNegative ? -e : e
        }
        guard u.isEmpty else { return nil }
        self.init(negative: negative, digits: digits, exponent: exponent)
    }

    init(_ number: JSONNumber) {
        self = ExactNumber(number.text) ?? ExactNumber(integer: 0)
    }

    init(integer: Int) {
        self = ExactNumber(String(integer)) ?? .zero
    }

    private mutating func normalize() {
        var start = 0
        while start < digits.count && digits[start] == 0 { start += 1 }
        if start > 0 { digits.removeFirst(start) }
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty {
            negative = false
            exponent = 0
        }
    }

    var isZero: Bool { digits.isEmpty }
    var isInteger: Bool { exponent >= 0 }

    /// The value when it is an integer that fits an `Int`.
    var intValue: Int? {
        guard isInteger, digits.count + exponent <= 18 else { return nil }
        var v = 0
        for d in digits { v = v * 10 + Int(d) }
        for _ in 0..<exponent { v *= 10 }
        return negative ? -v : v
    }

    var description: String {
        if digits.isEmpty { return "0" }
        let body = digits.map { String($0) }.joined()
        let sign = negative ? "-" : ""
        if exponent >= 0 && exponent <= 20 { return sign + body + String(repeating: "0", count: exponent) }
        if exponent < 0 && -exponent < digits.count {
            let split = digits.count + exponent
            return sign + String(body.prefix(split)) + "." + String(body.dropFirst(split))
        }
        if exponent < 0 && -exponent - digits.count <= 6 {
            return sign + "0." + String(repeating: "0", count: -exponent - digits.count) + body
        }
        return sign + body + "e" + String(exponent)
    }

    private static func compareMagnitude(_ a: ExactNumber, _ b: ExactNumber) -> Int {
        if a.isZero || b.isZero { return (a.isZero ? 0 : 1) - (b.isZero ? 0 : 1) }
        let aa = a.digits.count + a.exponent
        let ba = b.digits.count + b.exponent
        if aa != ba { return aa < ba ? -1 : 1 }
        for i in 0..<max(a.digits.count, b.digits.count) {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    static func < (lhs: ExactNumber, rhs: ExactNumber) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let m = compareMagnitude(lhs, rhs)
        return lhs.negative ? m > 0 : m < 0
    }

    /// True when `self` is an integer multiple of `divisor` (> 0), computed exactly whenever the divisor's
    /// significant digits fit 17 digits and the dividend is at most a million digits long; otherwise with doubles.
    func isMultiple(of divisor: ExactNumber) -> Bool {
        if isZero { return true }
        if divisor.isZero { return false }
        // self = a × 10^ea, divisor = b × 10^eb. With e = min(ea, eb): a·10^(ea−e) mod b·10^(eb−e) == 0.
        let e = min(exponent, divisor.exponent)
        let aShift = exponent - e
        let bShift = divisor.exponent - e
        if divisor.digits.count + bShift <= 17 && digits.count + aShift <= 1_000_000 {
            var m: UInt64 = 0
            for d in divisor.digits { m = m * 10 + UInt64(d) }
            for _ in 0..<bShift { m *= 10 }
            var r: UInt64 = 0
            for d in digits { r = (r * 10 + UInt64(d)) % m }
            for _ in 0..<aShift { r = (r * 10) % m }
            return r == 0
        }
        if aShift > 1_000_000 { return false }  // an immense dividend of a divisor with many digits: undecidable cheaply
        let q = (Double(description) ?? .nan) / (Double(divisor.description) ?? .nan)
        return q.isFinite && q == q.rounded()
    }
}

/// A JSON value with JSON Schema's equality: numbers by value, objects regardless of member order.
enum CanonicalJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(ExactNumber)
    /// Strings compare by code points (Swift's `==` would equate canonically equivalent strings).
    case string([UInt8])
    case array([CanonicalJSON])
    case object([[UInt8]: CanonicalJSON])

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(ExactNumber(n))
        case .string(let s): self = .string(Array(s.utf8))
        case .array(let a): self = .array(a.map(CanonicalJSON.init))
        case .object(let o):
            var d: [[UInt8]: CanonicalJSON] = [:]
            for m in o.members { d[Array(m.key.utf8)] = CanonicalJSON(m.value) }
            self = .object(d)
        }
    }
}

/// JSON Schema equality without building canonical forms (numbers by value, objects as sets of members).
func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.string(let x), .string(let y)): return utf8Equal(x, y)
    case (.number(let x), .number(let y)): return x.text == y.text || ExactNumber(x) == ExactNumber(y)
    case (.array(let x), .array(let y)):
        guard x.count == y.count else { return false }
        for i in x.indices where !jsonEqual(x[i], y[i]) { return false }
        return true
    case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        for m in x.members {
            guard let other = y.members.first(where: { $0.key.utf8.elementsEqual(m.key.utf8) }),
                jsonEqual(m.value, other.value)
            else { return false }
        }
        return true
    default: return false
    }
}

/// Whether two strings have the same code points (Swift's `==` would equate canonically equivalent ones),
/// comparing their UTF-8 buffers in place.
func utf8Equal(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a
    var b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
}
