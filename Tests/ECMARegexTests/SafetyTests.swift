import ECMARegex
import Testing

/// Hostile patterns and inputs end with a typed error instead of stalling, overflowing the stack or crashing.
@Suite struct SafetyTests {
    struct Hostile: Sendable, CustomTestStringConvertible {
        let pattern: String
        let input: String
        var testDescription: String { "/\(pattern)/ on \(input.count) characters" }
    }

    static let catastrophic: [Hostile] = [
        Hostile(pattern: "^(a+)+$", input: String(repeating: "a", count: 36) + "!"),
        Hostile(pattern: "(a+)+$", input: String(repeating: "a", count: 36) + "!"),
        Hostile(pattern: "(a|aa)+$", input: String(repeating: "a", count: 60) + "!"),
        Hostile(pattern: "(x+x+)+y", input: String(repeating: "x", count: 40)),
        Hostile(pattern: "(.*a){20}", input: String(repeating: "a", count: 60) + "b"),
        Hostile(pattern: "(a*)*b", input: String(repeating: "a", count: 40)),
        Hostile(pattern: "^(\\w+\\s?)*$", input: String(repeating: "word ", count: 12) + "!"),
        Hostile(pattern: "^(a|a?)+$", input: String(repeating: "a", count: 40) + "b"),
        Hostile(pattern: "(?<=!(a+)+)b", input: String(repeating: "a", count: 40) + "b"),
        Hostile(pattern: "^(?=(a+)+$)", input: String(repeating: "a", count: 40) + "!"),
        Hostile(pattern: "^((a+)\\2)+$", input: String(repeating: "a", count: 64) + "!"),
    ]

    @Test(arguments: catastrophic) func catastrophicBacktrackingHitsTheStepLimit(_ row: Hostile) throws {
        let regex = try ECMARegex(row.pattern)
        let error = #expect(throws: ECMARegexError.self, "\(row.testDescription)") { try regex.matches(row.input) }
        #expect(error?.kind == .stepLimit)
        #expect(error?.offset == nil)
        #expect(error?.description.hasPrefix("regular expression step limit reached:") == true)
    }

    @Test func theStepLimitIsConfigurable() throws {
        var limits = ECMARegexLimits.default
        limits.maxSteps = 50
        let regex = try ECMARegex("^[a-z]+$", limits: limits)
        #expect(try regex.matches("short"))
        let error = #expect(throws: ECMARegexError.self) { try regex.matches(String(repeating: "a", count: 100)) }
        #expect(error?.kind == .stepLimit)
        // The same input passes under the default limit.
        #expect(try ECMARegex("^[a-z]+$").matches(String(repeating: "a", count: 100)))
    }

    @Test func aCatastrophicPatternStillAnswersOnShortInputs() throws {
        let regex = try ECMARegex("^(a+)+$")
        #expect(try regex.matches("aaaa"))
        #expect(try !regex.matches("aaa!"))
    }

    @Test func linearPatternsHandleLongInputsWithinTheDefaultLimit() throws {
        let long = String(repeating: "ab", count: 100_000)
        #expect(try ECMARegex("^(?:a|b)*$").matches(long))
        #expect(try ECMARegex("^[ab]+$").matches(long))
        #expect(try ECMARegex("^(?:a|b)*c$").matches(long + "c"))
        #expect(try !ECMARegex("^[ab]+$").matches(long + "c"))
        #expect(try ECMARegex("ba$").matches(long + "a"))
    }

    @Test func tooLongInputsAreRefused() throws {
        var limits = ECMARegexLimits.default
        limits.maxInputLength = 10
        let regex = try ECMARegex("a", limits: limits)
        #expect(try regex.matches(String(repeating: "a", count: 10)))
        // Ten code points that are more than ten UTF-8 bytes are within the limit.
        #expect(try !regex.matches(String(repeating: "é", count: 10)))
        let error = #expect(throws: ECMARegexError.self) { try regex.matches(String(repeating: "é", count: 11)) }
        #expect(error?.kind == .inputTooLong)
        #expect(ECMARegexLimits.default.maxInputLength == 1 << 20)
    }

    @Test func tooLongPatternsAreRefused() throws {
        var limits = ECMARegexLimits.default
        limits.maxPatternLength = 8
        #expect(throws: Never.self) { try ECMARegex("😀😀😀😀😀😀😀😀", limits: limits) }
        let error = #expect(throws: ECMARegexError.self) { try ECMARegex("abcdefghi", limits: limits) }
        #expect(error?.kind == .tooComplex)
        #expect(ECMARegexLimits.default.maxPatternLength == 10_000)
    }

    @Test func tooLargeProgramsAreRefused() throws {
        var limits = ECMARegexLimits.default
        limits.maxNodes = 20
        #expect(throws: Never.self) { try ECMARegex("abc", limits: limits) }
        let error = #expect(throws: ECMARegexError.self) {
            try ECMARegex(String(repeating: "(a)", count: 20), limits: limits)
        }
        #expect(error?.kind == .tooComplex)
        // Counted repetitions are not unrolled: a large count costs no program size.
        #expect(throws: Never.self) { try ECMARegex("(?:ab){1,60000}", limits: limits) }
    }

    @Test func deepNestingIsRefusedWithoutRecursingDeeply() {
        let deep = String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000)
        let error = #expect(throws: ECMARegexError.self) { try ECMARegex(deep) }
        #expect(error?.kind == .tooComplex)
        let lookarounds = String(repeating: "(?=", count: 500) + String(repeating: ")", count: 500)
        #expect((#expect(throws: ECMARegexError.self) { try ECMARegex(lookarounds) })?.kind == .tooComplex)
        let nested = String(repeating: "(?:", count: 50) + "a" + String(repeating: ")*", count: 50)
        #expect(throws: Never.self) { try ECMARegex(nested) }
    }

    @Test func hugeCountsAreBoundedByTheStepLimit() throws {
        let regex = try ECMARegex("^a{99999999999999999999}$")
        let error = #expect(throws: ECMARegexError.self) { try regex.matches(String(repeating: "a", count: 2_000_000 / 2)) }
        #expect(error?.kind == .stepLimit)
        #expect(try !ECMARegex("^a{2147483648}$").matches("aaa"))
    }

    @Test func longAlternationsAndManyGroupsWork() throws {
        let words = (0..<500).map { "word\($0)" }
        let regex = try ECMARegex("^(?:" + words.joined(separator: "|") + ")$")
        #expect(try regex.matches("word499"))
        #expect(try !regex.matches("word500"))
        let groups = String(repeating: "(a)", count: 300)
        #expect(try ECMARegex("^" + groups + "\\300$").matches(String(repeating: "a", count: 301)))
    }
}
