import ECMARegex
import Testing

/// A pattern ECMA-262 rejects in Unicode mode (or this engine does not implement), with the error's kind and
/// the code-point offset it points at.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let kind: ECMARegexError.Kind
    let offset: Int?

    init(_ pattern: String, _ kind: ECMARegexError.Kind, at offset: Int?) {
        self.pattern = pattern
        self.kind = kind
        self.offset = offset
    }

    var testDescription: String { "/\(pattern)/ → \(kind) at \(offset.map(String.init) ?? "-")" }
}

@Suite struct ErrorTests {
    static let syntaxErrors: [ErrorCase] = [
        // Unbalanced parentheses and brackets.
        ErrorCase("(abc", .syntax, at: 0),
        ErrorCase("abc)", .syntax, at: 3),
        ErrorCase("a(b(c)", .syntax, at: 1),
        ErrorCase("((a)", .syntax, at: 0),
        ErrorCase("(?:a", .syntax, at: 0),
        ErrorCase("[abc", .syntax, at: 0),
        ErrorCase("x[a\\]", .syntax, at: 1),
        ErrorCase("]", .syntax, at: 0),
        ErrorCase("}", .syntax, at: 0),
        // Nothing to repeat, and malformed quantifiers.
        ErrorCase("*a", .syntax, at: 0),
        ErrorCase("+", .syntax, at: 0),
        ErrorCase("?", .syntax, at: 0),
        ErrorCase("a|*", .syntax, at: 2),
        ErrorCase("a**", .syntax, at: 2),
        ErrorCase("a+*", .syntax, at: 2),
        ErrorCase("x{2}{3}", .syntax, at: 4),
        ErrorCase("{", .syntax, at: 0),
        ErrorCase("a{", .syntax, at: 1),
        ErrorCase("a{1", .syntax, at: 1),
        ErrorCase("a{1,", .syntax, at: 1),
        ErrorCase("a{,5}", .syntax, at: 1),
        ErrorCase("a{3,1}", .syntax, at: 1),
        ErrorCase("^*", .syntax, at: 1),
        ErrorCase("$+", .syntax, at: 1),
        ErrorCase("\\b+", .syntax, at: 2),
        ErrorCase("\\B{1}", .syntax, at: 2),
        ErrorCase("(?=a)*", .syntax, at: 5),
        ErrorCase("(?!a){2}", .syntax, at: 5),
        ErrorCase("(?<=a)+", .syntax, at: 6),
        // Ranges.
        ErrorCase("[z-a]", .syntax, at: 1),
        ErrorCase("ab[0-9z-a]", .syntax, at: 6),
        ErrorCase("[\\d-z]", .syntax, at: 1),
        ErrorCase("[a-\\w]", .syntax, at: 1),
        // Escapes that Unicode mode forbids.
        ErrorCase("\\a", .syntax, at: 0),
        ErrorCase("x\\e", .syntax, at: 1),
        ErrorCase("\\-", .syntax, at: 0),
        ErrorCase("\\c1", .syntax, at: 0),
        ErrorCase("\\x4", .syntax, at: 0),
        ErrorCase("\\u12", .syntax, at: 0),
        ErrorCase("\\u{110000}", .syntax, at: 0),
        ErrorCase("\\u{}", .syntax, at: 0),
        ErrorCase("\\01", .syntax, at: 0),
        ErrorCase("a\\", .syntax, at: 1),
        ErrorCase("[\\B]", .syntax, at: 1),
        ErrorCase("[\\1]", .syntax, at: 1),
        ErrorCase("\\p{Foo}", .syntax, at: 0),
        ErrorCase("\\p{letter}", .syntax, at: 0),
        ErrorCase("\\p{L", .syntax, at: 0),
        ErrorCase("\\pL", .syntax, at: 0),
        ErrorCase("\\p{gc=Foo}", .syntax, at: 0),
        // Groups and references.
        ErrorCase("(?x)", .syntax, at: 0),
        ErrorCase("(?<1a>x)", .syntax, at: 3),
        ErrorCase("(?<>x)", .syntax, at: 0),
        ErrorCase("(?<a>x)(?<a>y)", .syntax, at: 7),
        ErrorCase("\\2(a)", .syntax, at: 0),
        ErrorCase("\\k<nope>", .syntax, at: 0),
        ErrorCase("(?<a>x)\\k<b>", .syntax, at: 7),
        ErrorCase("(?<a>.)\\k", .syntax, at: 7),
        // Offsets count code points, not UTF-16 units or bytes.
        ErrorCase("😀😀(", .syntax, at: 2),
        ErrorCase("é[z-a]", .syntax, at: 2),
        // Valid ECMA-262 this engine does not implement.
        ErrorCase("\\p{Script=Greek}", .unsupported, at: 0),
        ErrorCase("a\\p{sc=Latin}", .unsupported, at: 1),
        ErrorCase("\\p{Extended_Pictographic}", .unsupported, at: 0),
        ErrorCase("(?i:a)", .unsupported, at: 0),
    ]

    @Test(arguments: syntaxErrors) func rejected(_ row: ErrorCase) {
        let error = #expect(throws: ECMARegexError.self, "\(row.testDescription)") { try ECMARegex(row.pattern) }
        #expect(error?.kind == row.kind, "\(row.testDescription)")
        #expect(error?.offset == row.offset, "\(row.testDescription)")
        #expect(error?.message.isEmpty == false)
    }

    @Test func descriptionsNameTheKindTheOffsetAndTheProblem() {
        let error = #expect(throws: ECMARegexError.self) { try ECMARegex("a{3,1}") }
        #expect(error?.description == "regular expression syntax error at offset 1: Numbers out of order in the {3,1} quantifier.")
        let unmatched = #expect(throws: ECMARegexError.self) { try ECMARegex("(a") }
        #expect(unmatched?.description == "regular expression syntax error at offset 0: Unterminated group: '(' has no matching ')'.")
    }

    @Test func patternsThatLookWrongButAreValid() throws {
        // Each of these is accepted by ECMA-262 in Unicode mode.
        for pattern in ["", "()", "(?:)", "a{0}", "[]", "[^]", "\\/", "[\\-]", "a{1,1}", "(?<a>x)\\k<a>", "\\0", "[\\0]"] {
            #expect(throws: Never.self, "\(pattern)") { try ECMARegex(pattern) }
        }
    }
}
