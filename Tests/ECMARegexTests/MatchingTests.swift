import ECMARegex
import Testing

/// One row of a matching table: `pattern` searched for in `input` (unanchored, like RegExp.prototype.test).
struct MatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let input: String
    let expected: Bool

    init(_ pattern: String, _ input: String, _ expected: Bool) {
        self.pattern = pattern
        self.input = input
        self.expected = expected
    }

    var testDescription: String { "/\(pattern)/ on \(input.debugDescription) → \(expected)" }
}

private func check(_ row: MatchCase) throws {
    let regex = try ECMARegex(row.pattern)
    #expect(try regex.matches(row.input) == row.expected, "\(row.testDescription)")
}

/// ECMA-262 semantics, table by table; every row asserts the value RegExp.prototype.test gives with the `u` flag.
@Suite struct MatchingTests {
    static let literalsAndEscapes: [MatchCase] = [
        MatchCase("abc", "xxabcxx", true),
        MatchCase("abc", "ab c", false),
        MatchCase("", "", true),
        MatchCase("", "anything", true),
        MatchCase("X_", "a_X_3", true),
        MatchCase("X_", "a_x_3", false),  // case sensitive
        MatchCase("^\\t$", "\t", true),
        MatchCase("^\\t$", "\\t", false),
        MatchCase("^\\n\\r\\v\\f$", "\n\r\u{0B}\u{0C}", true),
        MatchCase("^\\0$", "\u{0}", true),
        MatchCase("^\\x41\\x7a$", "Az", true),
        MatchCase("^\\u00e9$", "é", true),
        MatchCase("^\\u00E9$", "e\u{301}", false),  // scalars, not grapheme clusters
        MatchCase("^e\\u0301$", "e\u{301}", true),
        MatchCase("^\\u{1F600}$", "😀", true),
        MatchCase("^\\u{0000041}$", "A", true),
        MatchCase("^\\uD83D\\uDE00$", "😀", true),  // a surrogate pair written as two escapes is one code point
        MatchCase("^\\cC$", "\u{3}", true),
        MatchCase("^\\cc$", "\u{3}", true),
        MatchCase("^\\cC$", "\\cC", false),
        MatchCase("^\\cJ$", "\n", true),
        MatchCase("^\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/$", "^$\\.*+?()[]{}|/", true),
        MatchCase("a.c", "abc", true),
        MatchCase("a.c", "a\nc", false),
        MatchCase("a.c", "a\rc", false),
        MatchCase("a.c", "a\u{2028}c", false),
        MatchCase("a.c", "a\u{2029}c", false),
        MatchCase("a.c", "a\u{85}c", true),
        MatchCase("^.$", "😀", true),  // one code point, not two UTF-16 units
        MatchCase("^..$", "😀", false),
        MatchCase("^.$", "é", true),
        MatchCase("日本", "こんにちは日本語", true),
    ]

    @Test(arguments: literalsAndEscapes) func literalsAndEscapesTable(_ row: MatchCase) throws { try check(row) }

    static let classes: [MatchCase] = [
        MatchCase("^[abc]+$", "abcabc", true),
        MatchCase("^[abc]+$", "abcd", false),
        MatchCase("^[^abc]+$", "xyz", true),
        MatchCase("^[^abc]$", "a", false),
        MatchCase("^[^abc]$", "\n", true),  // a negated class matches line terminators
        MatchCase("^[a-z0-9_-]+$", "snake_case-42", true),
        MatchCase("^[a-z]$", "é", false),
        MatchCase("[a-z]cole", "l'école", false),
        MatchCase("[a-z]cole", "l'ecole", true),
        MatchCase("^[-a]+$", "-a-", true),
        MatchCase("^[a-]+$", "-a-", true),
        MatchCase("^[\\-]$", "-", true),
        MatchCase("^[\\]]$", "]", true),
        MatchCase("^[\\b]$", "\u{8}", true),
        MatchCase("^[\\u{1F600}-\\u{1F64F}]$", "🙂", true),
        MatchCase("^[😀-😂]$", "😁", true),
        MatchCase("^[😀-😂]$", "😃", false),
        MatchCase("^[\\d\\s]+$", "1 2\t3", true),
        MatchCase("^[\\D]$", "x", true),
        MatchCase("^[\\W\\d]+$", "!9?", true),
        MatchCase("^[\\W\\d]+$", "!9?a", false),
        MatchCase("^[^\\W]+$", "abc", true),  // [^\W] is \w
        MatchCase("^[]$", "", false),  // the empty class matches nothing
        MatchCase("^[^]$", "\n", true),  // its complement matches everything
        MatchCase("^\\d$", "0", true),
        MatchCase("^\\d$", "\u{7C0}", false),  // NKO digit zero
        MatchCase("^\\d+$", "\u{9EA}\u{9E8}", false),  // Bengali digits
        MatchCase("^\\d+$", "\u{663}", false),  // Arabic-Indic digit three
        MatchCase("^\\D$", "\u{663}", true),
        MatchCase("^\\w$", "a", true),
        MatchCase("^\\w$", "_", true),
        MatchCase("^\\w$", "é", false),
        MatchCase("^\\W$", "é", true),
        MatchCase("\\wcole", "l'ecole", true),
        MatchCase("\\wcole", "l'école", false),
        MatchCase("\\wcole", "l'e\u{301}cole", false),
        MatchCase("^\\s$", " ", true),
        MatchCase("^\\s$", "\t", true),
        MatchCase("^\\s$", "\u{B}", true),
        MatchCase("^\\s$", "\u{C}", true),
        MatchCase("^\\s$", "\u{A0}", true),
        MatchCase("^\\s$", "\u{FEFF}", true),
        MatchCase("^\\s$", "\n", true),
        MatchCase("^\\s$", "\u{2029}", true),
        MatchCase("^\\s$", "\u{2003}", true),  // EM SPACE, Zs
        MatchCase("^\\s$", "\u{3000}", true),
        MatchCase("^\\s$", "\u{1}", false),
        MatchCase("^\\s$", "\u{2013}", false),  // EN DASH
        MatchCase("^\\s$", "\u{85}", false),  // NEL is not ECMA whitespace
        MatchCase("^\\S$", "\u{2013}", true),
        MatchCase("^\\S$", "\u{A0}", false),
    ]

    @Test(arguments: classes) func classesTable(_ row: MatchCase) throws { try check(row) }

    static let unicodeProperties: [MatchCase] = [
        MatchCase("\\p{Letter}cole", "l'ecole", true),
        MatchCase("\\p{Letter}cole", "l'école", true),
        MatchCase("\\p{Letter}cole", "L'ÉCOLE", false),
        MatchCase("^\\p{L}+$", "Ωμέγα", true),
        MatchCase("^\\p{L}+$", "abc1", false),
        MatchCase("^\\p{Lu}$", "É", true),
        MatchCase("^\\p{Lu}$", "é", false),
        MatchCase("^\\p{Ll}$", "é", true),
        MatchCase("^\\p{Lowercase_Letter}$", "ß", true),
        MatchCase("^\\p{Uppercase_Letter}$", "Σ", true),
        MatchCase("^\\p{Lt}$", "\u{1C5}", true),  // Dž
        MatchCase("^\\p{Lm}$", "\u{2B0}", true),
        MatchCase("^\\p{Lo}$", "日", true),
        MatchCase("^\\p{N}+$", "4²Ⅻ", true),
        MatchCase("^\\p{Nd}+$", "\u{9EA}\u{9E8}", true),
        MatchCase("^\\p{digit}+$", "42", true),
        MatchCase("^\\p{digit}+$", "\u{9EA}\u{9E8}", true),
        MatchCase("^\\p{digit}+$", "-%#", false),
        MatchCase("^\\p{Decimal_Number}$", "\u{663}", true),
        MatchCase("^\\p{Nl}$", "Ⅻ", true),
        MatchCase("^\\p{No}$", "²", true),
        MatchCase("^\\p{P}+$", "!?«»", true),
        MatchCase("^\\p{S}+$", "+$©", true),
        MatchCase("^\\p{Z}$", "\u{2028}", true),
        MatchCase("^\\p{Zs}$", "\u{A0}", true),
        MatchCase("^\\p{Cc}$", "\u{7}", true),
        MatchCase("^\\p{gc=Lu}$", "A", true),
        MatchCase("^\\p{General_Category=Letter}$", "ж", true),
        MatchCase("^\\P{L}$", "1", true),
        MatchCase("^\\P{L}$", "é", false),
        MatchCase("^[\\p{L}\\d]+$", "abc123é", true),
        MatchCase("^[^\\p{L}]+$", "123", true),
        MatchCase("^[^\\p{L}]+$", "12a", false),
        MatchCase("^[\\P{L}]$", "é", false),
        MatchCase("^[\\p{L}\\P{L}]$", "1", true),
        MatchCase("^[^\\p{L}\\P{L}]$", "a", false),
        MatchCase("^[\\P{Lu}\\P{Ll}]$", "a", true),
        MatchCase("^[^\\P{Lu}\\p{Nd}]$", "A", true),
        MatchCase("^[^\\P{Lu}\\p{Nd}]$", "a", false),
        MatchCase("^[\\p{Emoji}\\p{Emoji}\\P{Emoji}]$", "x", true),
        MatchCase("^\\p{ASCII}+$", "abc", true),
        MatchCase("^\\p{ASCII}+$", "abcé", false),
        MatchCase("^\\p{Any}$", "\u{10FFFF}", true),
        MatchCase("^\\p{Alphabetic}$", "é", true),
        MatchCase("^\\p{White_Space}$", "\u{85}", true),
        MatchCase("^\\p{Emoji}$", "😀", true),
    ]

    @Test(arguments: unicodeProperties) func unicodePropertiesTable(_ row: MatchCase) throws { try check(row) }

    static let anchorsAndBoundaries: [MatchCase] = [
        MatchCase("^abc$", "abc", true),
        MatchCase("^abc$", "abc\n", false),  // $ does not match before a trailing newline
        MatchCase("^abc$", "\nabc", false),  // no multiline flag
        MatchCase("^abc", "xabc", false),
        MatchCase("abc$", "abcx", false),
        MatchCase("a^b", "a^b", false),
        MatchCase("a$|^b", "ba", true),
        MatchCase("^$", "", true),
        MatchCase("^$", "x", false),
        MatchCase("\\bcat\\b", "a cat sat", true),
        MatchCase("\\bcat\\b", "concatenate", false),
        MatchCase("\\Bcat\\B", "concatenate", true),
        MatchCase("\\bé", "é", false),  // é is not an ASCII word character: no boundary before it
        MatchCase("\\b", "", false),
        MatchCase("\\B", "", true),
        MatchCase("^\\b\\w+\\b$", "word", true),
    ]

    @Test(arguments: anchorsAndBoundaries) func anchorsAndBoundariesTable(_ row: MatchCase) throws { try check(row) }

    static let groupsAndAlternation: [MatchCase] = [
        MatchCase("^(ab|cd)+$", "abcdab", true),
        MatchCase("^(ab|cd)+$", "abc", false),
        MatchCase("^(?:ab|cd)+$", "cdcd", true),
        MatchCase("^(a|ab)(c|bcd)(d*)$", "abcd", true),
        MatchCase("^(?:a|b|c)$", "b", true),
        MatchCase("^(?:a||b)$", "", true),
        MatchCase("^()$", "", true),
        MatchCase("^(?<year>\\d{4})-(?<month>\\d{2})$", "2024-05", true),
        MatchCase("^(?<year>\\d{4})-(?<month>\\d{2})$", "2024-5", false),
        MatchCase("^(?<$_é>a)\\k<$_é>$", "aa", true),
    ]

    @Test(arguments: groupsAndAlternation) func groupsAndAlternationTable(_ row: MatchCase) throws { try check(row) }

    static let quantifiers: [MatchCase] = [
        MatchCase("^a*$", "", true),
        MatchCase("^a*$", "aaa", true),
        MatchCase("^a+$", "", false),
        MatchCase("^a?b$", "b", true),
        MatchCase("^a?b$", "aab", false),
        MatchCase("^a{3}$", "aaa", true),
        MatchCase("^a{3}$", "aaaa", false),
        MatchCase("^a{2,}$", "a", false),
        MatchCase("^a{2,}$", "aaaaa", true),
        MatchCase("^a{2,3}$", "aaaa", false),
        MatchCase("^a{2,3}$", "aa", true),
        MatchCase("^a{0}$", "", true),
        MatchCase("^a{0}b$", "ab", false),
        MatchCase("^(ab){2}$", "abab", true),
        MatchCase("^(ab){2}$", "ab", false),
        MatchCase("^(?:ab){1,2}c$", "ababc", true),
        MatchCase("^(?:ab){1,2}c$", "abababc", false),
        MatchCase("[0-9]{2,}", "a31b", true),
        MatchCase("[0-9]{2,}", "answer 1", false),
        MatchCase("^.{1,255}$", String(repeating: "x", count: 255), true),
        MatchCase("^.{1,255}$", String(repeating: "x", count: 256), false),
        MatchCase("^\\d{1000}$", String(repeating: "7", count: 1000), true),
        MatchCase("^(?:a|b){100000}$", String(repeating: "ab", count: 50_000), true),
        // Lazy and greedy differ only in which match is found; backreferences and lookarounds observe it.
        MatchCase("^(a+?)(a*)\\1$", "aaaa", true),  // lazy: \1 = "a"
        MatchCase("^(a+)a*\\1$", "aaa", true),
        MatchCase("^(a+?)\\1$", "aaaa", true),
        MatchCase("(a+)b\\1", "aaaba", true),
        MatchCase("^(a+)x\\1$", "aaxa", false),
        MatchCase("^(a*?)(?=(a*))\\2$", "aaa", true),
        MatchCase("^(?=(a+?))\\1b", "aab", false),  // lookahead captures "a" lazily; then "a" "b" fails at "ab"
        MatchCase("^(?=(a+))\\1b", "aab", true),  // greedy capture "aa"
        MatchCase("^(a{1,3}?)(\\1)$", "aa", true),
        // An atomic lookahead keeps the first capture found: the greedy one takes three, the lazy one one.
        MatchCase("^(?=(a{1,3}))\\1-", "aaa-", true),
        MatchCase("^(?=(a{1,3}))\\1-", "aa-", true),
        MatchCase("^(?=(a{1,3}))\\1-", "aaaa-", false),
        MatchCase("^(?=(a{1,3}?))\\1-", "a-", true),
        MatchCase("^(?=(a{1,3}?))\\1-", "aa-", false),
        MatchCase("^(?=(a{2,}?))\\1-", "aaa-", false),
        MatchCase("^(?=(a{2,}))\\1-", "aaa-", true),
        MatchCase("^(?=(a*?))\\1b", "aab", false),
        MatchCase("^(?=(a??))\\1a", "a", true),
        MatchCase("^(?=(a?))\\1a", "a", false),
        MatchCase("^(?:x(a*?))+y\\1$", "xaaxy", true),  // last iteration's capture is ""
        MatchCase("<(.+)>", "<a><b>", true),
        MatchCase("^<(.+)>,\\1$", "<a><b>,a><b", true),  // greedy .+
        MatchCase("^<(.+?)>.*,\\1$", "<a><b>,a", true),  // lazy .+?
        MatchCase("^<(.+?)>.*,\\1$", "<a><b>,a><b", true),  // backtracks to the longer capture
        // Quantified groups that can match empty must not loop forever (ECMA's empty check).
        MatchCase("(a*)*b", "aaab", true),
        MatchCase("(a*)*b", "aaac", false),
        MatchCase("^(a*)*$", "aaa", true),
        MatchCase("^(a*)+$", "", true),
        MatchCase("^(?:a?)*$", "aaa", true),
        MatchCase("^(?:)*$", "", true),
        MatchCase("^(?:\\b)*x$", "x", true),
        MatchCase("^(a|)*\\1x$", "aax", true),  // the last iteration is "a"; an empty one would fail the check
        MatchCase("^(a*)+\\1$", "aa", true),
        MatchCase("^(?:(a)|b)*\\1$", "ab", true),  // group 1 is reset each iteration: undefined after "b"
        MatchCase("^(?:(a)|b)*\\1b$", "abb", true),
        MatchCase("^(?:(a)|b){2}\\1$", "aba", false),
        MatchCase("^(z)((a+)?(b+)?(c))*$", "zaacbbbcac", true),
        MatchCase("^(?:(a)|\\1b)+$", "aab", true),
    ]

    @Test(arguments: quantifiers) func quantifiersTable(_ row: MatchCase) throws { try check(row) }

    static let lookaroundsAndBackreferences: [MatchCase] = [
        MatchCase("foo(?=bar)", "foobar", true),
        MatchCase("foo(?=bar)", "foobaz", false),
        MatchCase("foo(?!bar)", "foobar", false),
        MatchCase("foo(?!bar)", "foobaz", true),
        MatchCase("^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z]).{8,}$", "Passw0rdX", true),
        MatchCase("^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z]).{8,}$", "password1", false),
        MatchCase("(?<=\\$)\\d+", "cost $42", true),
        MatchCase("(?<=\\$)\\d+", "cost 42", false),
        MatchCase("(?<!\\$)\\b\\d+", "$42", false),
        MatchCase("(?<!\\$)\\b\\d+", "$42 and 7", true),
        MatchCase("^.*(?<=\\.json)$", "schema.json", true),
        MatchCase("^.*(?<=\\.json)$", "schema.jsonl", false),
        MatchCase("(?<=^|,)b", "a,b", true),
        MatchCase("(?<=a(?=b)b)c", "abc", true),
        MatchCase("(?<=(?<!x)a)b", "xab", false),
        MatchCase("(?<=(?<!x)a)b", "yab", true),
        // A lookbehind is matched right to left: greedy groups fill from the right, and its backreference
        // to a group on its right (matched first) sees that group's capture.
        MatchCase("^\\d+(?<=(\\d+)(\\d+)) \\1\\.\\2$", "1053 1.053", true),
        MatchCase("^\\d+(?<=(\\d+)(\\d+)) \\1\\.\\2$", "1053 105.3", false),
        MatchCase("(?<=\\1(a))b", "aab", true),
        MatchCase("(?<=\\1(a))b", "bab", false),
        MatchCase("(?<=(a)\\1)b", "aab", true),  // \1 is matched before (a) going backward: it is empty there
        MatchCase("(?<=(a)\\1)b", "xab", true),
        MatchCase("(?<=(a)\\1)b", "ab", true),
        // Lookarounds are atomic: no backtracking into them.
        MatchCase("^(?=(a+))a*b\\1$", "aaaba", false),
        MatchCase("(?=(a+))a*b\\1", "baaabac", true),
        MatchCase("^(?=(a+))\\1$", "aaa", true),
        // Captures in a positive lookahead persist; in a negative one they are undefined after it.
        MatchCase("^(?=(\\w+))\\1:\\1$", "ab:ab", true),
        MatchCase("^(?!(a)b)\\1ac$", "ac", true),
        MatchCase("^(?!(a)b)\\1ac$", "aac", false),
        MatchCase("^(.)\\1$", "aa", true),
        MatchCase("^(.)\\1$", "ab", false),
        MatchCase("^(\\w+)\\s\\1$", "hello hello", true),
        MatchCase("^(\\w+)\\s\\1$", "hello world", false),
        MatchCase("^\\1(a)$", "a", true),  // a forward reference matches empty
        MatchCase("^(a\\1)$", "a", true),  // a reference inside its own group matches empty
        MatchCase("^(a)?\\1b$", "b", true),  // an unset group matches empty
        MatchCase("^(?<q>['\"]).*\\k<q>$", "'quoted'", true),
        MatchCase("^(?<q>['\"]).*\\k<q>$", "'quoted\"", false),
        MatchCase("^\\k<q>(?<q>x)$", "x", true),
        MatchCase("^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10$", "abcdefghijj", true),
        MatchCase("^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10$", "abcdefghija0", false),
        MatchCase("^(😀)\\1$", "😀😀", true),
    ]

    @Test(arguments: lookaroundsAndBackreferences)
    func lookaroundsAndBackreferencesTable(_ row: MatchCase) throws { try check(row) }

    /// Cases learned from the JSON-Schema-Test-Suite's pattern, patternProperties and ecmascript-regex tests.
    static let schemaSuiteStyle: [MatchCase] = [
        MatchCase("^a*$", "aaa", true),
        MatchCase("^a*$", "abc", false),
        MatchCase("a+", "xxaayy", true),
        MatchCase("f.*o", "foooooo", true),
        MatchCase("f.*o", "bar", false),
        MatchCase("a*", "", true),
        MatchCase("aaa*", "aa", true),
        MatchCase("aaa*", "a", false),
        MatchCase("[0-9]{2,}", "a31b", true),
        MatchCase("^\\d+$", "42", true),
        MatchCase("^\\d+$", "-%#", false),
        MatchCase("^\\p{digit}+$", "\u{9EA}\u{9E8}", true),
        MatchCase(
            "\\p{Letter}cole",
            "Les hivers de mon enfance \u{E9}taient des saisons longues. Nous vivions en trois lieux: l'\u{E9}cole",
            true),
        MatchCase("\\wcole", "Nous vivions en trois lieux: l'e\u{301}cole", false),
        MatchCase("\\p{Letter}cole", "L'\u{C9}COLE", false),
        MatchCase("\\p{Letter}cole", "l'e\u{301}cole", false),  // a combining mark is not a letter
    ]

    @Test(arguments: schemaSuiteStyle) func schemaSuiteStyleTable(_ row: MatchCase) throws { try check(row) }

    /// Straight-line patterns (single-scalar tests and greedy repetitions that need never give back) run as
    /// one forward pass over the UTF-8; the rows pin that pass to the machine's answers at its edges, next to
    /// near misses the machine still runs (a repetition followed by something it overlaps).
    static let straightLine: [MatchCase] = [
        MatchCase("^evt-[0-9a-f]{8}$", "evt-0000abcd", true),
        MatchCase("^evt-[0-9a-f]{8}$", "evt-0000abcde", false),
        MatchCase("^evt-[0-9a-f]{8}$", "evt-0000abc", false),
        MatchCase("^[A-Z]{2}-[0-9]{4}$", "AB-1234", true),
        MatchCase("^[A-Z]{2}-[0-9]{4}$", "ABC-1234", false),
        MatchCase("^c-[0-9]+$", "c-", false),
        MatchCase("^c-[0-9]+$", "c-12x", false),
        MatchCase("[0-9]{3}", "ab12x345", true),  // unanchored: restarts after a failed attempt
        MatchCase("[0-9]{3}$", "123a", false),
        MatchCase("a{2}b", "aaab", true),  // the repetition stops at its maximum; the search moves on
        MatchCase("^a{2}b", "aaab", false),
        MatchCase("^é+ü$", "ééü", true),  // multi-byte scalars
        MatchCase("^[^a]x", "éx", true),
        MatchCase("^.{2}$", "é😀", true),
        MatchCase("^.$", "\n", false),
        MatchCase("x*", "", true),
        MatchCase("^$", "", true),
        MatchCase("^a*a$", "aaa", true),  // overlapping: needs give-back, the machine runs it
        MatchCase("^[a-z]+[a-c]$", "xyzb", true),
        MatchCase("^[0-9]*[0-9]{2}$", "12345", true),
    ]

    @Test(arguments: straightLine) func straightLineTable(_ row: MatchCase) throws { try check(row) }

    @Test func oneRegexMatchesManyInputs() throws {
        let regex = try ECMARegex("^[a-z][a-z0-9_]*$")
        #expect(try regex.matches("user_id"))
        #expect(try !regex.matches("2fast"))
        #expect(try regex.matches("x"))
        #expect(try !regex.matches(""))
        #expect(try regex.matches("a1"))
    }

    @Test func regexesAreValuesComparedByPatternAndLimits() throws {
        let a = try ECMARegex("a+")
        let b = try ECMARegex("a+")
        let c = try ECMARegex("a*")
        var limits = ECMARegexLimits.default
        limits.maxSteps = 10
        let d = try ECMARegex("a+", limits: limits)
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
        #expect(Set([a, b, c, d]).count == 3)
        #expect(a.pattern == "a+")
    }

    @Test func aRegexIsUsableFromConcurrentTasks() async throws {
        let regex = try ECMARegex("^(\\w+)@(\\w+)\\.com$")
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask { try regex.matches(index.isMultiple(of: 2) ? "me\(index)@example.com" : "nope") }
            }
            var collected: [Bool] = []
            for try await result in group { collected.append(result) }
            return collected
        }
        #expect(results.filter { $0 }.count == 4)
    }
}
