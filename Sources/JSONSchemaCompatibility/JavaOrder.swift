import JSONSupport

/// The iteration order of a `java.util.HashMap`/`HashSet` of strings, which decides the order in which Confluent
/// reports differences for properties and dependencies.
enum JavaHashOrder {
    static func hashCode(_ text: String) -> Int32 {
        var hash: Int32 = 0
        for unit in text.utf16 { hash = hash &* 31 &+ Int32(unit) }
        return hash
    }

    static func bucket(_ text: String, capacity: Int) -> Int {
        let h = hashCode(text)
        let spread = h ^ Int32(bitPattern: UInt32(bitPattern: h) >> 16)
        return Int(UInt32(bitPattern: spread) & UInt32(capacity - 1))
    }

    /// Keys inserted one by one into a HashMap created with `capacity` (a power of two), in iteration order.
    static func order(_ keys: [String], capacity initial: Int) -> [String] {
        var unique: [String] = []
        var seen: Set<String> = []
        for key in keys where seen.insert(key).inserted { unique.append(key) }
        return order(unique: unique, capacity: initial)
    }

    /// A key's hash as a `HashMap` spreads it (`h ^ (h >>> 16)`); its bucket is the low bits.
    static func spread(_ text: String) -> UInt32 {
        let h = hashCode(text)
        return UInt32(bitPattern: h ^ Int32(bitPattern: UInt32(bitPattern: h) >> 16))
    }

    /// The iteration order of distinct keys with these spread hashes, inserted in this order into a HashMap created
    /// with `capacity`, as indices into `spreads`.
    static func orderIndices(spreads: [UInt32], capacity initial: Int) -> [Int] {
        var capacity = initial
        while Double(spreads.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let mask = capacity - 1
        // Bucket by bucket, and in insertion order within a bucket: a counting sort, linear in the keys and the
        // capacity (which stays under three times the keys for the capacities used here).
        var starts = [Int](repeating: 0, count: capacity + 1)
        for spread in spreads { starts[(Int(spread) & mask) + 1] += 1 }
        for bucket in 0..<capacity { starts[bucket + 1] += starts[bucket] }
        var order = [Int](repeating: 0, count: spreads.count)
        for (index, spread) in spreads.enumerated() {
            let bucket = Int(spread) & mask
            order[starts[bucket]] = index
            starts[bucket] += 1
        }
        return order
    }

    /// The capacity of `new HashSet<>(first)` for `count` distinct keys.
    static func unionCapacity(_ count: Int) -> Int {
        var capacity = 1
        let wanted = max(Int(Double(count) / 0.75) + 1, 16)
        while capacity < wanted { capacity *= 2 }
        return capacity
    }

    /// As `order(_:capacity:)` for keys known to be distinct.
    static func order(unique: [String], capacity initial: Int) -> [String] {
        var capacity = initial
        while Double(unique.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let indexed = unique.enumerated().map { (bucket($0.element, capacity: capacity), $0.offset, $0.element) }
        return indexed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// `new HashMap<>()` filled with `keys`.
    static func mapOrder(_ keys: [String]) -> [String] { order(keys, capacity: 16) }

    /// `new HashSet<>(first)` then `addAll(second)`.
    static func unionOrder(_ first: [String], _ second: [String]) -> [String] {
        let firstCount = Set(first).count
        var capacity = 1
        let wanted = max(Int(Double(firstCount) / 0.75) + 1, 16)
        while capacity < wanted { capacity *= 2 }
        return order(first + second, capacity: capacity)
    }
}

/// Java-like equality of JSON values as everit holds them (Integer/Long vs BigDecimal/Double kept apart).
enum JavaValues {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return numbersEqual(x, y)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
        default: return false
        }
    }

    static func numbersEqual(_ x: JSONNumber, _ y: JSONNumber) -> Bool {
        if x.isIntegral != y.isIntegral { return false }
        if x.isIntegral {
            if let a = x.int64Value, let b = y.int64Value { return a == b }
            return x.text == y.text
        }
        return x.text == y.text
    }

    /// `Objects.equals` of two `default` values: org.json objects and arrays compare by identity, so two
    /// container defaults are never equal.
    static func defaultsEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.some(let x), .some(let y)):
            switch (x, y) {
            case (.array, _), (.object, _): return false
            default: return equal(x, y)
            }
        default: return false
        }
    }

    /// Set equality/containment of enum values (duplicates collapse).
    static func contains(_ values: [JSONValue], all others: [JSONValue]) -> Bool {
        others.allSatisfy { other in values.contains { equal($0, other) } }
    }
}

/// Exact decimal arithmetic for `multipleOf` (Confluent uses BigDecimal).
struct ExactDecimal {
    var negative: Bool
    var digits: [UInt8]  // most significant first, no leading zeros ([] is zero)
    var exponent: Int  // value = digits × 10^exponent

    init?(_ number: JSONNumber) {
        var text = Substring(number.text)
        negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(String(text[text.index(after: e)...]).replacingOccurrences("+", "")), abs(value) < 10_000
            else { return nil }
            exp = value
            text = text[..<e]
        }
        var all: [UInt8] = []
        var fraction = 0
        var seenPoint = false
        for c in text {
            if c == "." { seenPoint = true; continue }
            guard let d = c.wholeNumberValue else { return nil }
            all.append(UInt8(d))
            if seenPoint { fraction += 1 }
        }
        while let first = all.first, first == 0 { all.removeFirst() }
        digits = all
        exponent = exp - fraction
        if digits.isEmpty { negative = false }
    }

    var isZero: Bool { digits.isEmpty }

    /// Whether `self` is an integer multiple of `divisor` (nil when the numbers are too large to decide exactly).
    func isMultiple(of divisor: ExactDecimal) -> Bool? {
        if isZero { return true }
        if divisor.isZero { return nil }
        let common = min(exponent, divisor.exponent)
        let dividendDigits = digits + Array(repeating: 0, count: exponent - common)
        let divisorDigits = divisor.digits + Array(repeating: 0, count: divisor.exponent - common)
        guard divisorDigits.count <= 18, dividendDigits.count <= 20_000 else { return nil }
        var d: UInt64 = 0
        for digit in divisorDigits { d = d * 10 + UInt64(digit) }
        var remainder: UInt64 = 0
        for digit in dividendDigits { remainder = (remainder * 10 + UInt64(digit)) % d }
        return remainder == 0
    }

    /// BigDecimal `compareTo(...) == 0`: equal values whatever their scale (0.5 and 0.50).
    func numericallyEqual(_ other: ExactDecimal) -> Bool { digitsEqual(other) }

    private func digitsEqual(_ other: ExactDecimal) -> Bool {
        var a = self, b = other
        while let last = a.digits.last, last == 0 { a.digits.removeLast(); a.exponent += 1 }
        while let last = b.digits.last, last == 0 { b.digits.removeLast(); b.exponent += 1 }
        return a.negative == b.negative && a.digits == b.digits && a.exponent == b.exponent
    }

    var double: Double {
        var text = digits.isEmpty ? "0" : digits.map(String.init).joined()
        text += "e\(exponent)"
        return (negative ? -1 : 1) * (Double(text) ?? .nan)
    }
}
