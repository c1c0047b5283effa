import ECMARegex
import Testing

/// `matches(utf8:)` and `utf8Matcher` answer exactly as `matches(_:)` on the same text: straight-line patterns
/// (run on the bytes), others (run on scalars), non-ASCII input, and the step and input-length limits.
@Suite struct UTF8MatchingTests {
    private func outcome(_ body: () throws(ECMARegexError) -> Bool) -> String {
        do { return try body() ? "match" : "no match" } catch { return "\(error.kind)" }
    }

    @Test func sameAnswersAsOnStrings() throws {
        let patterns = [
            "^evt-[0-9a-f]{8}$", "^[A-Z]{2}-[0-9]{4}$", "^c-[0-9]+$", "[é]+", "^.{2}$", "^\\w+$", "(a|b)*c", "^(a+)+$",
            "\\p{L}", "^[^a-z]*$", "x", "",
        ]
        let inputs = [
            "evt-0000abcd", "evt-0000ABCD", "AB-1234", "AB-12345", "c-", "c-42", "café", "éé", "ab", "a\n", "日本",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "ccc", "", "😀😀", "ABC-1",
        ]
        let tight = ECMARegexLimits(maxSteps: 200, maxInputLength: 3)
        for limits in [ECMARegexLimits.default, tight] {
            for pattern in patterns {
                let regex = try ECMARegex(pattern, limits: limits)
                let matcher = regex.utf8Matcher
                for input in inputs {
                    let expected = outcome { () throws(ECMARegexError) in try regex.matches(input) }
                    let bytes = Array(input.utf8)
                    let direct = bytes.withUnsafeBufferPointer { buffer in
                        outcome { () throws(ECMARegexError) in try regex.matches(utf8: buffer) }
                    }
                    let held = bytes.withUnsafeBufferPointer { buffer in
                        outcome { () throws(ECMARegexError) in try matcher.matches(utf8: buffer) }
                    }
                    #expect(direct == expected, "/\(pattern)/ on \(input)")
                    #expect(held == expected, "/\(pattern)/ on \(input)")
                }
            }
        }
    }
}
