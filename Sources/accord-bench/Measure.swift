/// Encoded records back to back in one buffer, with where each one starts and how long it is.
struct RecordSet {
    var storage: [UInt8] = []
    var spans: [(start: Int, length: Int)] = []

    var count: Int { spans.count }

    mutating func append(_ record: [UInt8]) {
        spans.append((storage.count, record.count))
        storage.append(contentsOf: record)
    }

    func record(_ index: Int) -> ArraySlice<UInt8> {
        let span = spans[index]
        return storage[span.start..<(span.start + span.length)]
    }
}

/// Records per second of `pass`, which handles `records` records each call; repeats whole passes until
/// at least `minSeconds` have elapsed. Returns nil when a pass reports failure (nil).
func recordsPerSecond(records: Int, minSeconds: Double, _ pass: () -> Int?) -> Double? {
    let clock = ContinuousClock()
    let start = clock.now
    var passes = 0
    var sink = 0
    while true {
        guard let result = pass() else { return nil }
        sink &+= result
        passes += 1
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds >= minSeconds {
            // `sink` keeps the optimizer from discarding the work; it is never zero for real records.
            return sink == 0 && records > 0 ? nil : Double(passes * records) / seconds
        }
    }
}

/// The middle value (mean of the two middle values for an even count); nil for no values.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `1234567` → `"1,234,567"`.
func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var result = ""
    for (offset, character) in digits.reversed().enumerated() {
        if offset > 0 && offset % 3 == 0 {
            result.append(",")
        }
        result.append(character)
    }
    return String(result.reversed())
}

/// Fixed-point text with `places` decimals, without Foundation formatting.
func fixed(_ value: Double, places: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<places {
        scale *= 10
    }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(abs(scaled % Int(scale)))
    let padded = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
    return places == 0 ? "\(whole)" : "\(whole).\(padded)"
}

func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
    let pad = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + pad : pad + text
}
