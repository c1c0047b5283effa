/// One token of `.proto` text.
struct ProtoToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier, integer, float, string, symbol, end
    }

    var kind: Kind
    /// The token as written (for strings: including the quotes).
    var text: String
    /// For string literals: the bytes after escapes are resolved.
    var bytes: [UInt8]
    /// 0-based line and column (columns count bytes; a tab advances to the next multiple of 8, as protoc does).
    var line: Int
    var column: Int
    var endColumn: Int

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isIdentifier(_ s: String) -> Bool { kind == .identifier && text == s }
}

/// Splits `.proto` text into tokens on demand, as protoc's tokenizer does: `//` and `/* */` comments, identifiers,
/// decimal/hex/octal integers, floats, single- or double-quoted strings with C escapes, and one-byte symbols.
/// Like protoc's tokenizer it records a lexical error in `errors` and goes on with the best token it can make;
/// only the token limit is thrown.
struct ProtoLexer {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 0
    private var column = 0
    private(set) var tokenCount = 0
    private let maxTokens: Int
    private var previous: ProtoToken?
    /// Lexical errors not yet taken by the parser, in the order found.
    var errors: [ProtobufError] = []

    init(bytes: [UInt8], file: String, maxTokens: Int) {
        self.bytes = bytes
        self.file = file
        self.maxTokens = maxTokens
    }

    private var current: UInt8 { index < bytes.count ? bytes[index] : 0 }
    private var atEnd: Bool { index >= bytes.count }

    private func peek(_ offset: Int) -> UInt8 {
        let i = index + offset
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func advance() {
        guard index < bytes.count else { return }
        let c = bytes[index]
        index += 1
        if c == UInt8(ascii: "\n") {
            line += 1
            column = 0
        } else if c == UInt8(ascii: "\t") {
            column += 8 - column % 8
        } else {
            column += 1
        }
    }

    private mutating func error(_ message: String, line: Int? = nil, column: Int? = nil) {
        errors.append(
            ProtobufError(
                .invalidSchema,
                message,
                location: .init(file: file, line: (line ?? self.line) + 1, column: (column ?? self.column) + 1)
            )
        )
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isOctal(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }

    static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }

    static func hexValue(_ c: UInt8) -> UInt32 {
        if isDigit(c) { return UInt32(c - 0x30) }
        if c >= 0x61 && c <= 0x66 { return UInt32(c - 0x61 + 10) }
        if c >= 0x41 && c <= 0x46 { return UInt32(c - 0x41 + 10) }
        return 0
    }

    private static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
    }

    /// The next token, or `.end` at the end of input.
    mutating func next() throws(ProtobufError) -> ProtoToken {
        while true {
            while !atEnd && Self.isWhitespace(current) { advance() }
            if atEnd { break }
            if current == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while !atEnd && current != UInt8(ascii: "\n") { advance() }
                continue
            }
            if current == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let startLine = line, startColumn = column
                advance()
                advance()
                while true {
                    if atEnd {
                        error("End-of-file inside block comment.")
                        error("  Comment started here.", line: startLine, column: startColumn)
                        break
                    }
                    if current == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                        advance()
                        advance()
                        break
                    }
                    if current == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                        advance()
                        error("\"/*\" inside block comment.  Block comments cannot be nested.")
                        continue
                    }
                    advance()
                }
                continue
            }
            if current < 0x20 {
                // protoc skips the whole run of control characters (whitespace included) after the first.
                error("Invalid control characters encountered in text.")
                while !atEnd && current < 0x20 { advance() }
                continue
            }
            break
        }
        tokenCount += 1
        if tokenCount > maxTokens {
            throw ProtobufError(
                .limitExceeded,
                "the file has more than \(maxTokens) tokens",
                location: .init(file: file, line: line + 1, column: column + 1)
            )
        }
        let startLine = line, startColumn = column, start = index
        var token: ProtoToken
        if atEnd {
            token = ProtoToken(kind: .end, text: "", bytes: [], line: line, column: column, endColumn: column)
            previous = token
            return token
        }
        let c = current
        var kind: ProtoToken.Kind
        var decoded: [UInt8] = []
        if Self.isLetter(c) {
            while !atEnd && (Self.isLetter(current) || Self.isDigit(current)) { advance() }
            kind = .identifier
        } else if c == UInt8(ascii: "0") {
            advance()
            kind = lexNumber(startedWithZero: true, startedWithDot: false)
        } else if c == UInt8(ascii: ".") && Self.isDigit(peek(1)) {
            if let previous, previous.kind == .identifier, previous.line == line, previous.endColumn == column {
                error("Need space between identifier and decimal point.")
            }
            advance()
            kind = lexNumber(startedWithZero: false, startedWithDot: true)
        } else if Self.isDigit(c) {
            advance()
            kind = lexNumber(startedWithZero: false, startedWithDot: false)
        } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            advance()
            decoded = lexString(delimiter: c)
            kind = .string
        } else {
            if c >= 0x80 {
                error("Interpreting non ascii codepoint \(c).")
            }
            advance()
            kind = .symbol
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        token = ProtoToken(
            kind: kind, text: text, bytes: decoded, line: startLine, column: startColumn, endColumn: column
        )
        previous = token
        return token
    }

    private mutating func lexNumber(startedWithZero: Bool, startedWithDot: Bool) -> ProtoToken.Kind {
        var isFloat = false
        if startedWithZero && (current == UInt8(ascii: "x") || current == UInt8(ascii: "X")) {
            advance()
            if !Self.isHex(current) { error("\"0x\" must be followed by hex digits.") }
            while Self.isHex(current) { advance() }
        } else if startedWithZero && Self.isDigit(current) {
            while Self.isOctal(current) { advance() }
            if Self.isDigit(current) {
                error("Numbers starting with leading zero must be in octal.")
                while Self.isDigit(current) { advance() }
            }
        } else {
            if startedWithDot {
                isFloat = true
                while Self.isDigit(current) { advance() }
            } else {
                while Self.isDigit(current) { advance() }
                if current == UInt8(ascii: ".") {
                    advance()
                    isFloat = true
                    while Self.isDigit(current) { advance() }
                }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                advance()
                isFloat = true
                if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") { advance() }
                if !Self.isDigit(current) { error("\"e\" must be followed by exponent.") }
                while Self.isDigit(current) { advance() }
            }
        }
        if Self.isLetter(current) {
            error("Need space between number and identifier.")
        } else if current == UInt8(ascii: ".") {
            error(
                isFloat
                    ? "Already saw decimal point or exponent; can't have another one."
                    : "Hex and octal numbers must be integers."
            )
        }
        return isFloat ? .float : .integer
    }

    /// Reads a string literal after its opening quote and returns its bytes with escapes resolved.
    private mutating func lexString(delimiter: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        while true {
            if atEnd {
                error("Unexpected end of string.")
                return out
            }
            let c = current
            if c == UInt8(ascii: "\n") {
                error("Multiline strings are not allowed. Did you miss a \"?.")
                return out
            }
            if c == delimiter {
                advance()
                return out
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                advance()
                continue
            }
            advance()
            let e = current
            switch e {
            case UInt8(ascii: "a"): out.append(7); advance()
            case UInt8(ascii: "b"): out.append(8); advance()
            case UInt8(ascii: "f"): out.append(12); advance()
            case UInt8(ascii: "n"): out.append(10); advance()
            case UInt8(ascii: "r"): out.append(13); advance()
            case UInt8(ascii: "t"): out.append(9); advance()
            case UInt8(ascii: "v"): out.append(11); advance()
            case UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                out.append(e)
                advance()
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = UInt32(e - 0x30)
                advance()
                for _ in 0..<2 where Self.isOctal(current) {
                    code = code * 8 + UInt32(current - 0x30)
                    advance()
                }
                out.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                advance()
                guard Self.isHex(current) else {
                    error("Expected hex digits for escape sequence.")
                    continue
                }
                var code = Self.hexValue(current)
                advance()
                if Self.isHex(current) {
                    code = code * 16 + Self.hexValue(current)
                    advance()
                }
                out.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                advance()
                guard var scalar = readUnicodeEscape(long: e == UInt8(ascii: "U")) else { continue }
                if scalar >= 0xD800 && scalar < 0xDC00 && current == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "u")
                    && (2..<6).allSatisfy({ Self.isHex(peek($0)) })
                {
                    var trail: UInt32 = 0
                    for k in 2..<6 { trail = trail * 16 + Self.hexValue(peek(k)) }
                    if trail >= 0xDC00 && trail < 0xE000 {
                        for _ in 0..<6 { advance() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10 | (trail - 0xDC00))
                    }
                }
                Self.appendUTF8(scalar, to: &out)
            default:
                error("Invalid escape sequence in string literal.")
            }
        }
    }

    private mutating func readUnicodeEscape(long: Bool) -> UInt32? {
        if long {
            // Eight hex digits up to 0010ffff.
            var value: UInt32 = 0
            var ok = current == UInt8(ascii: "0") && peek(1) == UInt8(ascii: "0")
                && (peek(2) == UInt8(ascii: "0") || peek(2) == UInt8(ascii: "1"))
            if ok { ok = (3..<8).allSatisfy { Self.isHex(peek($0)) } }
            guard ok else {
                error("Expected eight hex digits up to 10ffff for \\U escape sequence")
                return nil
            }
            for _ in 0..<8 {
                value = value * 16 + Self.hexValue(current)
                advance()
            }
            return value
        }
        guard (0..<4).allSatisfy({ Self.isHex(peek($0)) }) else {
            error("Expected four hex digits for \\u escape sequence.")
            while Self.isHex(current) { advance() }
            return nil
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            value = value * 16 + Self.hexValue(current)
            advance()
        }
        return value
    }

    /// Appends a code point as UTF-8 the way protoc does (lone surrogates are encoded as three bytes).
    static func appendUTF8(_ cp: UInt32, to out: inout [UInt8]) {
        switch cp {
        case 0..<0x80:
            out.append(UInt8(cp))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (cp >> 6)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (cp >> 12)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        default:
            out.append(UInt8(0xF0 | ((cp >> 18) & 0x07)))
            out.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        }
    }

    /// protoc's `ParseInteger`: decimal, `0x` hex or leading-zero octal, at most `max`; nil when out of range.
    static func parseInteger(_ text: String, max: UInt64) -> UInt64? {
        var digits = Substring(text)
        var base: UInt64 = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            base = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0") {
            base = 8
        }
        var result: UInt64 = 0
        for c in digits.utf8 {
            let d = UInt64(hexValue(c))
            guard isHex(c), d < base else { return nil }
            let (m, o1) = result.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            result = s
        }
        return result <= max ? result : nil
    }
}
