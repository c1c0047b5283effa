/// A pattern that is a straight line of single-scalar tests and greedy repetitions of one, where each
/// repetition is followed by something that cannot match what it repeats (`^evt-[0-9a-f]{8}$`, `^[A-Z]{2}-[0-9]+$`).
/// Giving back a repeated scalar could then never let the rest match, so the pattern never backtracks: it runs
/// as one forward pass per start position, over the string's UTF-8 in place, with nothing allocated. Steps are
/// counted as the machine counts them and stop at the same limit.
struct LinearProgram: Sendable {
    enum Step: Sendable {
        case one(ScalarTest)
        case repeatOne(ScalarTest, min: Int, max: Int)
    }

    /// How one search ended.
    enum Outcome {
        case matched, failed, stepLimit
    }

    let steps: [Step]
    let sets: [CharSet]
    /// For each step, which ASCII scalars its test accepts (bit c of `low` for c < 64, of `high` for 64 ≤ c < 128):
    /// ASCII input is then tested with a shift and a mask, without reading a character set.
    let ascii: [(low: UInt64, high: UInt64)]
    /// The pattern starts with `^`: only position 0 is tried.
    let anchoredStart: Bool
    /// The pattern ends with `$`: a match must end at the end of the input.
    let anchoredEnd: Bool

    /// The straight-line form of `program`, or nil when it has any other instruction or a repetition that
    /// could need to give back.
    init?(_ program: Program) {
        let code = program.code
        guard case .match? = code.last else { return nil }
        var index = 0
        var anchoredStart = false
        if case .assertStart? = code.first {
            anchoredStart = true
            index = 1
        }
        var steps: [Step] = []
        var anchoredEnd = false
        while index < code.count - 1 {
            switch code[index] {
            case .one(let test, backward: false):
                steps.append(.one(test))
            case .repeatOne(let test, let min, let max, greedy: true, backward: false):
                steps.append(.repeatOne(test, min: min, max: max))
            case .assertEnd where index == code.count - 2:
                anchoredEnd = true
            default:
                return nil
            }
            index += 1
        }
        for position in steps.indices {
            guard case .repeatOne(let repeated, _, _) = steps[position], position + 1 < steps.count else { continue }
            switch steps[position + 1] {
            case .one(let next):
                guard Self.disjoint(repeated, next, program.sets) else { return nil }
            case .repeatOne(let next, let min, _):
                guard min > 0, Self.disjoint(repeated, next, program.sets) else { return nil }
            }
        }
        self.steps = steps
        self.sets = program.sets
        self.ascii = steps.map { step in
            let test: ScalarTest
            switch step {
            case .one(let t): test = t
            case .repeatOne(let t, _, _): test = t
            }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for c in UInt32(0)..<128 where test.accepts(c, program.sets) {
                if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
            }
            return (low, high)
        }
        self.anchoredStart = anchoredStart
        self.anchoredEnd = anchoredEnd
    }

    /// Whether no scalar passes both tests, as far as can be told cheaply (false when unsure).
    private static func disjoint(_ a: ScalarTest, _ b: ScalarTest, _ sets: [CharSet]) -> Bool {
        switch (a, b) {
        case (.char(let x), .char(let y)): return x != y
        case (.char(let x), .set(let s)), (.set(let s), .char(let x)): return !sets[s].contains(x)
        case (.set(let s), .set(let t)):
            let first = sets[s]
            let second = sets[t]
            guard !first.negated, !second.negated, first.properties.isEmpty, second.properties.isEmpty else { return false }
            for r in first.ranges {
                for q in second.ranges where r.overlaps(q) { return false }
            }
            return true
        default: return false
        }
    }

    /// Searches `utf8` (valid UTF-8, as every Swift string is) like the machine's unanchored search.
    func search(_ utf8: UnsafeBufferPointer<UInt8>, maxSteps: Int) -> Outcome {
        var count = 0
        var start = 0
        while true {
            switch attempt(utf8, from: start, steps: &count, maxSteps: maxSteps) {
            case .matched: return .matched
            case .stepLimit: return .stepLimit
            case .failed: break
            }
            if anchoredStart || start >= utf8.count { return .failed }
            start += Self.decode(utf8, at: start).length
        }
    }

    /// Whether step `index` (whose test is `test`) accepts `scalar`: by the ASCII masks for ASCII.
    @inline(__always)
    private func accepts(_ index: Int, _ test: ScalarTest, _ scalar: UInt32) -> Bool {
        if scalar < 64 { return ascii[index].low & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return ascii[index].high & (1 << UInt64(scalar - 64)) != 0 }
        return test.accepts(scalar, sets)
    }

    private func attempt(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, steps count: inout Int, maxSteps: Int) -> Outcome {
        let n = utf8.count
        var position = start
        for (index, step) in steps.enumerated() {
            count += 1
            if count > maxSteps { return .stepLimit }
            switch step {
            case .one(let test):
                guard position < n else { return .failed }
                let (scalar, length) = Self.decode(utf8, at: position)
                guard accepts(index, test, scalar) else { return .failed }
                position += length
            case .repeatOne(let test, let min, let max):
                var taken = 0
                while taken < max, position < n {
                    let (scalar, length) = Self.decode(utf8, at: position)
                    guard accepts(index, test, scalar) else { break }
                    position += length
                    taken += 1
                }
                count += taken
                if count > maxSteps { return .stepLimit }
                if taken < min { return .failed }
            }
        }
        if anchoredEnd && position != n { return .failed }
        return .matched
    }

    /// The scalar starting at `index` and its length in bytes; a truncated sequence (which valid UTF-8 never
    /// has) reads as U+FFFD of the bytes that remain.
    @inline(__always)
    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
        let b0 = utf8[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let length = b0 >= 0xF0 ? 4 : (b0 >= 0xE0 ? 3 : 2)
        guard index + length <= utf8.count else { return (0xFFFD, utf8.count - index) }
        var scalar = UInt32(b0) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
        for k in 1..<length { scalar = scalar << 6 | (UInt32(utf8[index + k]) & 0x3F) }
        return (scalar, length)
    }
}

extension ScalarTest {
    /// Whether scalar `c` passes this test; `sets` are the program's character sets.
    @inline(__always)
    func accepts(_ c: UInt32, _ sets: [CharSet]) -> Bool {
        switch self {
        case .char(let expected): return c == expected
        case .any: return !CharSet.isLineTerminator(c)
        case .set(let index): return sets[index].contains(c)
        }
    }
}

extension ECMARegexError {
    /// The error of a match that took more than `maxSteps` steps.
    static func stepLimit(_ maxSteps: Int) -> ECMARegexError {
        ECMARegexError(
            kind: .stepLimit,
            message: "Matching took more than \(maxSteps) steps; the pattern backtracks too much on this input.",
            offset: nil)
    }
}
