/// The parsed pattern.
indirect enum Node {
    case empty
    case char(UInt32)
    case any
    case set(CharSet)
    case sequence([Node])
    case alternation([Node])
    /// A capturing group, numbered from 1.
    case group(Node, index: Int)
    case assertStart
    case assertEnd
    case wordBoundary(negated: Bool)
    case look(Node, behind: Bool, negative: Bool)
    case backreference(Int)
    case namedBackreference(String, offset: Int)
    /// `groups` are the capturing groups inside `node`, reset at the start of every iteration.
    case repetition(Node, min: Int, max: Int, greedy: Bool, groups: Range<Int>)
}

/// A recursive-descent parser of ECMA-262 Pattern in Unicode mode, with bounded nesting.
struct Parser {
    static let maxDepth = 100
    /// Counted-repetition bounds larger than this are treated as this (the step limit ends such matches long before).
    static let maxCount = 1 << 30

    private let s: [UInt32]
    private var i = 0
    private var depth = 0
    /// Capturing groups in the whole pattern, counted before parsing so `\10` can be told from `\1` `0`.
    private let totalGroups: Int
    private(set) var groupCount = 0
    private(set) var groupNames: [String: Int] = [:]

    init(_ scalars: [UInt32]) {
        s = scalars
        totalGroups = Parser.countGroups(scalars)
    }

    mutating func parse() throws(ECMARegexError) -> Node {
        let node = try parseDisjunction()
        if i < s.count {
            // parseDisjunction stops only at the end or at a ')' it did not open.
            throw syntax("Unmatched ')'.", at: i)
        }
        return node
    }

    // MARK: - Helpers

    private func syntax(_ message: String, at offset: Int) -> ECMARegexError {
        ECMARegexError(kind: .syntax, message: message, offset: offset)
    }

    private func peek(_ ahead: Int = 0) -> UInt32? {
        let j = i + ahead
        return j < s.count ? s[j] : nil
    }

    private func at(_ ahead: Int, _ character: Character) -> Bool {
        guard let value = peek(ahead), let ascii = character.asciiValue else { return false }
        return value == UInt32(ascii)
    }

    private static func isDigit(_ value: UInt32?) -> Bool {
        guard let value else { return false }
        return value >= 0x30 && value <= 0x39
    }

    private static func hexValue(_ value: UInt32?) -> UInt32? {
        guard let value else { return nil }
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x41 + 10
        case 0x61...0x66: return value - 0x61 + 10
        default: return nil
        }
    }

    private static func isSyntaxCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x5E, 0x24, 0x5C, 0x2E, 0x2A, 0x2B, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x7C: true  // ^$\.*+?()[]{}|
        default: false
        }
    }

    /// Counts capturing groups: `(` not followed by `?`, and `(?<name>`, outside classes and escapes.
    private static func countGroups(_ s: [UInt32]) -> Int {
        var count = 0
        var j = 0
        var inClass = false
        while j < s.count {
            let c = s[j]
            if c == 0x5C {  // backslash
                j += 2
                continue
            }
            if inClass {
                if c == 0x5D { inClass = false }
            } else if c == 0x5B {
                inClass = true
            } else if c == 0x28 {
                if j + 1 < s.count, s[j + 1] == 0x3F {
                    if j + 3 < s.count, s[j + 2] == 0x3C, s[j + 3] != 0x3D, s[j + 3] != 0x21 { count += 1 }
                } else {
                    count += 1
                }
            }
            j += 1
        }
        return count
    }

    // MARK: - Disjunction, alternative, term

    private mutating func parseDisjunction() throws(ECMARegexError) -> Node {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            throw ECMARegexError(
                kind: .tooComplex, message: "The pattern nests groups deeper than \(Parser.maxDepth) levels.",
                offset: i)
        }
        var alternatives = [try parseAlternative()]
        while at(0, "|") {
            i += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(ECMARegexError) -> Node {
        var terms: [Node] = []
        while let c = peek(), c != 0x7C, c != 0x29 {  // | )
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .sequence(terms)
        }
    }

    private mutating func parseTerm() throws(ECMARegexError) -> Node {
        let start = i
        guard let c = peek() else { return .empty }
        let groupsBefore = groupCount
        let atom: Node
        switch c {
        case 0x5E:  // ^
            i += 1
            try rejectQuantifier(after: "^")
            return .assertStart
        case 0x24:  // $
            i += 1
            try rejectQuantifier(after: "$")
            return .assertEnd
        case 0x5C where at(1, "b") || at(1, "B"):
            let negated = at(1, "B")
            i += 2
            try rejectQuantifier(after: negated ? "\\B" : "\\b")
            return .wordBoundary(negated: negated)
        case 0x28:  // (
            if at(1, "?") {
                if at(2, "=") || at(2, "!") || (at(2, "<") && (at(3, "=") || at(3, "!"))) {
                    let behind = at(2, "<")
                    let negative = at(behind ? 3 : 2, "!")
                    i += behind ? 4 : 3
                    let body = try parseDisjunction()
                    try expectClose(openedAt: start)
                    try rejectQuantifier(after: "a lookaround assertion")
                    return .look(body, behind: behind, negative: negative)
                } else if at(2, ":") {
                    i += 3
                    let body = try parseDisjunction()
                    try expectClose(openedAt: start)
                    atom = body
                } else if at(2, "<") {
                    i += 3
                    let name = try parseGroupName(start: start)
                    groupCount += 1
                    let index = groupCount
                    if groupNames[name] != nil {
                        throw syntax("The group name '\(name)' is used twice.", at: start)
                    }
                    groupNames[name] = index
                    let body = try parseDisjunction()
                    try expectClose(openedAt: start)
                    atom = .group(body, index: index)
                } else if let flag = peek(2), flag == 0x69 || flag == 0x6D || flag == 0x73 || flag == 0x2D {
                    throw ECMARegexError(
                        kind: .unsupported, message: "Pattern modifiers such as (?i:…) are not supported.",
                        offset: start)
                } else {
                    throw syntax("Invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'.", at: start)
                }
            } else {
                i += 1
                groupCount += 1
                let index = groupCount
                let body = try parseDisjunction()
                try expectClose(openedAt: start)
                atom = .group(body, index: index)
            }
        case 0x2A, 0x2B, 0x3F:  // * + ?
            throw syntax("Nothing to repeat before '\(Character(Unicode.Scalar(UInt8(c))))'.", at: start)
        case 0x7B:  // {
            throw syntax("Nothing to repeat before '{' (a literal brace must be escaped as \\{).", at: start)
        case 0x7D:
            throw syntax("Lone '}' (a literal brace must be escaped as \\}).", at: start)
        case 0x5D:
            throw syntax("Lone ']' (a literal bracket must be escaped as \\]).", at: start)
        case 0x5B:  // [
            atom = .set(try parseClass())
        case 0x2E:  // .
            i += 1
            atom = .any
        case 0x5C:
            atom = try parseAtomEscape()
        default:
            i += 1
            atom = .char(c)
        }
        return try parseQuantifier(atom, groups: (groupsBefore + 1)..<(groupCount + 1))
    }

    private mutating func expectClose(openedAt start: Int) throws(ECMARegexError) {
        guard at(0, ")") else { throw syntax("Unterminated group: '(' has no matching ')'.", at: start) }
        i += 1
    }

    /// Assertions are not quantifiable in Unicode mode.
    private func rejectQuantifier(after what: String) throws(ECMARegexError) {
        guard let c = peek() else { return }
        if c == 0x2A || c == 0x2B || c == 0x3F || (c == 0x7B && quantifierBraceEnd() != nil) {
            throw syntax("Nothing to repeat: \(what) cannot be quantified.", at: i)
        }
    }

    /// If a `{n}`, `{n,}` or `{n,m}` starts at `i`, the index after its `}`.
    private func quantifierBraceEnd() -> Int? {
        var j = i + 1
        var digits = 0
        while j < s.count, Parser.isDigit(s[j]) { j += 1; digits += 1 }
        guard digits > 0, j < s.count else { return nil }
        if s[j] == 0x2C {
            j += 1
            while j < s.count, Parser.isDigit(s[j]) { j += 1 }
        }
        guard j < s.count, s[j] == 0x7D else { return nil }
        return j + 1
    }

    private mutating func readCount() -> Int {
        var value = 0
        while let c = peek(), Parser.isDigit(c) {
            value = min(value * 10 + Int(c - 0x30), Parser.maxCount)
            i += 1
        }
        return value
    }

    private mutating func parseQuantifier(_ atom: Node, groups: Range<Int>) throws(ECMARegexError) -> Node {
        guard let c = peek() else { return atom }
        let start = i
        let lower: Int
        let upper: Int
        switch c {
        case 0x2A:
            i += 1
            (lower, upper) = (0, Int.max)
        case 0x2B:
            i += 1
            (lower, upper) = (1, Int.max)
        case 0x3F:
            i += 1
            (lower, upper) = (0, 1)
        case 0x7B:
            guard quantifierBraceEnd() != nil else {
                throw syntax("Incomplete quantifier: '{' must be {n}, {n,} or {n,m} (a literal brace must be escaped).", at: start)
            }
            i += 1
            let n = readCount()
            if at(0, ",") {
                i += 1
                if at(0, "}") {
                    (lower, upper) = (n, Int.max)
                } else {
                    let m = readCount()
                    if m < n {
                        throw syntax("Numbers out of order in the {\(n),\(m)} quantifier.", at: start)
                    }
                    (lower, upper) = (n, m)
                }
            } else {
                (lower, upper) = (n, n)
            }
            i += 1  // }
        default:
            return atom
        }
        var greedy = true
        if at(0, "?") {
            greedy = false
            i += 1
        }
        if let next = peek(), next == 0x2A || next == 0x2B || next == 0x3F || (next == 0x7B && quantifierBraceEnd() != nil) {
            throw syntax("Nothing to repeat: a quantifier cannot follow a quantifier.", at: i)
        }
        return .repetition(atom, min: lower, max: upper, greedy: greedy, groups: groups)
    }

    private mutating func parseGroupName(start: Int) throws(ECMARegexError) -> String {
        var name = ""
        while let c = peek(), c != 0x3E {  // >
            guard let scalar = Unicode.Scalar(c) else { throw syntax("Invalid group name.", at: i) }
            let first = name.isEmpty
            let valid =
                c == 0x24 || c == 0x5F
                || (first ? scalar.properties.isIDStart : (scalar.properties.isIDContinue || c == 0x200C || c == 0x200D))
            guard valid else { throw syntax("Invalid character in a group name.", at: i) }
            name.unicodeScalars.append(scalar)
            i += 1
        }
        guard at(0, ">"), !name.isEmpty else { throw syntax("Invalid group name: expected '<name>'.", at: start) }
        i += 1
        return name
    }

    // MARK: - Escapes

    /// `\` outside a class (not `\b`/`\B`, handled as assertions).
    private mutating func parseAtomEscape() throws(ECMARegexError) -> Node {
        let start = i
        i += 1
        guard let c = peek() else { throw syntax("'\\' at the end of the pattern.", at: start) }
        switch c {
        case 0x31...0x39:  // 1-9
            let n = readCount()
            guard n <= totalGroups else {
                throw syntax("The backreference \\\(n) names a group that does not exist.", at: start)
            }
            return .backreference(n)
        case 0x6B:  // k
            i += 1
            guard at(0, "<") else { throw syntax("Invalid named reference: expected \\k<name>.", at: start) }
            i += 1
            let name = try parseGroupName(start: start)
            return .namedBackreference(name, offset: start)
        default:
            if let set = try parseClassEscapeSet(start: start) { return .set(set) }
            return .char(try parseCharacterEscape(start: start, inClass: false))
        }
    }

    /// `\d \D \s \S \w \W \p{…} \P{…}` at `i` (just after the backslash), or nil.
    private mutating func parseClassEscapeSet(start: Int) throws(ECMARegexError) -> CharSet? {
        guard let c = peek() else { return nil }
        switch c {
        case 0x64: i += 1; return CharSet(ranges: CharSet.digitRanges)
        case 0x44: i += 1; return CharSet(ranges: CharSet.complement(CharSet.digitRanges))
        case 0x73: i += 1; return CharSet(ranges: CharSet.spaceRanges)
        case 0x53: i += 1; return CharSet(ranges: CharSet.complement(CharSet.spaceRanges))
        case 0x77: i += 1; return CharSet(ranges: CharSet.wordRanges)
        case 0x57: i += 1; return CharSet(ranges: CharSet.complement(CharSet.wordRanges))
        case 0x70, 0x50:
            let test = try parseProperty(start: start)
            return CharSet(ranges: [], properties: [test])
        default: return nil
        }
    }

    private mutating func parseProperty(start: Int) throws(ECMARegexError) -> PropertyTest {
        let negated = peek() == 0x50
        i += 1
        guard at(0, "{") else { throw syntax("Invalid property escape: expected \\p{Name}.", at: start) }
        i += 1
        var text = ""
        while let c = peek(), c != 0x7D {
            let ok = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || Parser.isDigit(c) || c == 0x5F || c == 0x3D
            guard ok, let scalar = Unicode.Scalar(c) else {
                throw syntax("Invalid character in a property name.", at: i)
            }
            text.unicodeScalars.append(scalar)
            i += 1
        }
        guard at(0, "}"), !text.isEmpty else { throw syntax("Invalid property escape: expected \\p{Name}.", at: start) }
        i += 1
        switch UnicodeProperty.lookup(text) {
        case .found(let property): return PropertyTest(property: property, negated: negated)
        case .unsupported(let message):
            throw ECMARegexError(kind: .unsupported, message: message + ".", offset: start)
        case .unknown:
            throw syntax("Unknown Unicode property '\(text)'.", at: start)
        }
    }

    /// A CharacterEscape at `i` (just after the backslash): control escapes, `\cX`, `\0`, `\xHH`, `\u…`, identity.
    private mutating func parseCharacterEscape(start: Int, inClass: Bool) throws(ECMARegexError) -> UInt32 {
        guard let c = peek() else { throw syntax("'\\' at the end of the pattern.", at: start) }
        i += 1
        switch c {
        case 0x74: return 0x09  // t
        case 0x6E: return 0x0A  // n
        case 0x76: return 0x0B  // v
        case 0x66: return 0x0C  // f
        case 0x72: return 0x0D  // r
        case 0x63:  // c
            guard let letter = peek(), (letter >= 0x41 && letter <= 0x5A) || (letter >= 0x61 && letter <= 0x7A) else {
                throw syntax("Invalid control escape: \\c must be followed by an ASCII letter.", at: start)
            }
            i += 1
            return letter % 32
        case 0x30:  // 0
            if Parser.isDigit(peek()) {
                throw syntax("Invalid escape: octal escapes are not allowed in Unicode mode.", at: start)
            }
            return 0
        case 0x78:  // x
            guard let high = Parser.hexValue(peek()), let low = Parser.hexValue(peek(1)) else {
                throw syntax("Invalid escape: \\x must be followed by two hex digits.", at: start)
            }
            i += 2
            return high * 16 + low
        case 0x75:  // u
            return try parseUnicodeEscape(start: start)
        case 0x2F:  // /
            return c
        case 0x2D where inClass:  // -
            return c
        default:
            if Parser.isSyntaxCharacter(c) { return c }
            let shown = Unicode.Scalar(c).map { String(Character($0)) } ?? "?"
            throw syntax("Invalid escape '\\\(shown)' in Unicode mode.", at: start)
        }
    }

    /// After `\u`: `{H…}` or `HHHH`, joining a surrogate pair written as two escapes.
    private mutating func parseUnicodeEscape(start: Int) throws(ECMARegexError) -> UInt32 {
        if at(0, "{") {
            i += 1
            var value: UInt32 = 0
            var digits = 0
            while let digit = Parser.hexValue(peek()) {
                value = value * 16 + digit
                digits += 1
                i += 1
                if value > CharSet.maxCodePoint {
                    throw syntax("Invalid Unicode escape: \\u{…} is above 10FFFF.", at: start)
                }
            }
            guard digits > 0, at(0, "}") else {
                throw syntax("Invalid Unicode escape: expected \\u{hex digits}.", at: start)
            }
            i += 1
            return value
        }
        guard let value = fourHex(at: i) else {
            throw syntax("Invalid Unicode escape: expected \\uHHHH or \\u{…}.", at: start)
        }
        i += 4
        if value >= 0xD800, value <= 0xDBFF, at(0, "\\"), at(1, "u"), let low = fourHex(at: i + 2),
            low >= 0xDC00, low <= 0xDFFF
        {
            i += 6
            return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        return value
    }

    private func fourHex(at j: Int) -> UInt32? {
        guard j + 4 <= s.count else { return nil }
        var value: UInt32 = 0
        for k in j..<(j + 4) {
            guard let digit = Parser.hexValue(s[k]) else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    // MARK: - Classes

    private enum ClassAtom {
        case char(UInt32)
        case set(CharSet)
    }

    private mutating func parseClass() throws(ECMARegexError) -> CharSet {
        let open = i
        i += 1
        var negated = false
        if at(0, "^") {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var properties: [PropertyTest] = []
        func add(_ atom: ClassAtom) {
            switch atom {
            case .char(let c): ranges.append(c...c)
            case .set(let set):
                // Sets from class escapes are never negated: \D, \S, \W are complemented ranges.
                ranges.append(contentsOf: set.ranges)
                properties.append(contentsOf: set.properties)
            }
        }
        while true {
            guard let c = peek() else { throw syntax("Unterminated character class: '[' has no matching ']'.", at: open) }
            if c == 0x5D {
                i += 1
                break
            }
            let first = i
            let atom = try parseClassAtom()
            if at(0, "-"), let after = peek(1), after != 0x5D {
                i += 1
                let second = try parseClassAtom()
                guard case .char(let low) = atom, case .char(let high) = second else {
                    throw syntax("Invalid character class range: a class escape cannot bound a range.", at: first)
                }
                guard low <= high else { throw syntax("Range out of order in character class.", at: first) }
                ranges.append(low...high)
            } else {
                add(atom)
            }
        }
        return CharSet(ranges: ranges, properties: properties, negated: negated)
    }

    private mutating func parseClassAtom() throws(ECMARegexError) -> ClassAtom {
        let start = i
        guard let c = peek() else { throw syntax("Unterminated character class.", at: start) }
        guard c == 0x5C else {
            i += 1
            return .char(c)
        }
        i += 1
        guard let e = peek() else { throw syntax("'\\' at the end of the pattern.", at: start) }
        switch e {
        case 0x62:  // b: backspace inside a class
            i += 1
            return .char(0x08)
        case 0x31...0x39, 0x42, 0x6B:  // digits, B, k
            throw syntax("Invalid escape inside a character class.", at: start)
        default:
            if let set = try parseClassEscapeSet(start: start) { return .set(set) }
            return .char(try parseCharacterEscape(start: start, inClass: true))
        }
    }
}
