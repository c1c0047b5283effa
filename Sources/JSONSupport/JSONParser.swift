/// Why and where a JSON text could not be read.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset into the input where the problem was found.
    public var offset: Int
    /// 1-based line and column of `offset`.
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String {
        "invalid JSON at line \(line), column \(column) (byte \(offset)): \(message)"
    }
}

/// Limits that keep a hostile document from exhausting memory or the stack.
public struct JSONParseLimits: Sendable, Hashable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// Largest number of members or elements in one object or array.
    public var maxContainerCount: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 256, maxContainerCount: Int = 1 << 20) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxContainerCount = maxContainerCount
    }

    public static let `default` = JSONParseLimits()
}

/// A strict RFC 8259 reader: one value, no trailing garbage, no duplicate keys, no comments,
/// and bounded size, depth and container counts.
public struct JSONParser {
    /// The input, read in place (every read is behind an explicit check against `bytes.count`).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let limits: JSONParseLimits
    /// Members and elements of the containers being read, innermost last: each container's own array is then
    /// allocated once, at its exact size, when it closes.
    private var memberStack: [JSONMember] = []
    private var elementStack: [JSONValue] = []
    /// A hash of each name in `memberStack`, so that the duplicate check of a small object compares strings
    /// only when their hashes agree.
    private var keyHashes: [UInt64] = []

    /// Parses `text` as a single JSON value.
    public static func parse(_ text: String, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        let inPlace = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer, limits: limits) }
        }
        if let inPlace { return try inPlace.get() }
        return try parse(Array(text.utf8), limits: limits)
    }

    /// Parses UTF-8 `bytes` as a single JSON value.
    public static func parse(_ bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer, limits: limits) }
        }
        return try result.get()
    }

    private static func parse(buffer bytes: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, limits: limits)
        if bytes.count > limits.maxBytes {
            throw parser.error("document is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for b in bytes[..<offset] {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONParseError(offset: offset, line: line, column: column, message: message)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("expected a value but found the end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw error("expected a value but found \(describeCurrent())")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let utf8 = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in utf8 {
            guard index < bytes.count, bytes[index] == expected else {
                throw error("invalid literal; expected '\(literal)'", at: start)
            }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error("nesting deeper than the limit of \(limits.maxDepth)") }
        index += 1  // {
        let base = memberStack.count
        // Duplicate names: a linear scan while the object is small, a set once it grows.
        var seen = Set<String>()
        var usingSet = false
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject([]))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes but found \(describeCurrent())")
            }
            let keyStart = index
            let key = try parseString()
            let keyHash = nameHash(from: keyStart + 1, to: index - 1)
            let duplicate: Bool
            let count = memberStack.count - base
            if usingSet {
                duplicate = !seen.insert(key).inserted
            } else if count < 16 {
                var found = false
                for i in base..<memberStack.count
                where (keyHashes[i] == keyHash || keyHashes[i] == 0 || keyHash == 0) && memberStack[i].key == key {
                    found = true
                    break
                }
                duplicate = found
            } else {
                seen.reserveCapacity(count * 2)
                for member in memberStack[base...] { seen.insert(member.key) }
                usingSet = true
                duplicate = !seen.insert(key).inserted
            }
            if duplicate {
                throw error("duplicate member name \"\(key)\"", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after member name but found \(describeCurrent())")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            memberStack.append(JSONMember(key, value))
            keyHashes.append(keyHash)
            if memberStack.count - base > limits.maxContainerCount {
                throw error("object has more than \(limits.maxContainerCount) members")
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                let members = Self.moveTop(of: &memberStack, from: base, leaving: JSONMember("", .null))
                keyHashes.removeLast(keyHashes.count - base)
                return .object(JSONObject(members))
            }
            throw error("expected ',' or '}' but found \(describeCurrent())")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error("nesting deeper than the limit of \(limits.maxDepth)") }
        index += 1  // [
        let base = elementStack.count
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            let element = try parseValue(depth: depth)
            elementStack.append(element)
            if elementStack.count - base > limits.maxContainerCount {
                throw error("array has more than \(limits.maxContainerCount) elements")
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                let elements = Self.moveTop(of: &elementStack, from: base, leaving: JSONValue.null)
                return .array(elements)
            }
            throw error("expected ',' or ']' but found \(describeCurrent())")
        }
    }

    /// Removes `stack[base...]` and returns it as an array of its exact size. The elements are moved, not
    /// copied: their slots are refilled with `filler` (a value without references, so dropping it is free), which
    /// saves a retain and a release per string, array and object that the container holds.
    private static func moveTop<Element>(of stack: inout [Element], from base: Int, leaving filler: Element) -> [Element] {
        let count = stack.count - base
        guard count > 0 else { return [] }
        let moved = stack.withUnsafeMutableBufferPointer { source -> [Element]? in
            guard let start = source.baseAddress?.advanced(by: base) else { return nil }
            return [Element](unsafeUninitializedCapacity: count) { destination, initialized in
                guard let target = destination.baseAddress else { return }
                target.moveInitialize(from: start, count: count)
                start.initialize(repeating: filler, count: count)
                initialized = count
            }
        }
        guard let moved else {
            let copy = Array(stack[base...])
            stack.removeLast(count)
            return copy
        }
        stack.removeLast(count)
        return moved
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw error("numbers may not have leading zeros", at: start)
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("expected a digit after the decimal point", at: start)
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("expected a digit in the exponent", at: start)
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index - start > 1024 { throw error("number literal longer than 1024 characters", at: start) }
        return JSONNumber(validatedText: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// A hash of the member name written between `start` and `end` (never 0) when it is plain ASCII with no
    /// escape, or 0 for any other name. Two such names are equal by `==` exactly when their bytes are, so
    /// different hashes prove them different; an escaped or non-ASCII name can equal a differently spelled one
    /// (canonical equivalence: U+212A KELVIN SIGN == "K"), so 0 means "compare the strings". The hash is only a
    /// filter (equal hashes still compare), so it is cheap: length, first and last byte, and the byte sum.
    private func nameHash(from start: Int, to end: Int) -> UInt64 {
        guard start < end else { return 1 }
        var sum: UInt32 = 0
        var union: UInt8 = 0
        var backslashes: UInt32 = 0
        for i in start..<end {
            let b = bytes[i]
            sum &+= UInt32(b)
            union |= b
            backslashes &+= b == UInt8(ascii: "\\") ? 1 : 0
        }
        if union >= 0x80 || backslashes != 0 { return 0 }
        let length = UInt64(truncatingIfNeeded: end - start) & 0xFFFF
        return (length | UInt64(bytes[start]) << 16 | UInt64(bytes[end - 1]) << 24 | UInt64(sum) << 32) | 1
    }

    private func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1  // opening quote
        // Fast path: a string without escapes is its own bytes (already checked as UTF-8 while scanning).
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let value = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
                index += 1
                return value
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b < 0x80 {
                index += 1
            } else {
                index += try validateUTF8Sequence(at: index)
            }
        }
        var out: [UInt8] = []
        out.append(contentsOf: bytes[(start + 1)..<index])
        var runStart = index
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<index])
                try parseEscape(into: &out)
                runStart = index
                continue
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) must be escaped in a string") }
            if b < 0x80 {
                index += 1
                continue
            }
            let length = try validateUTF8Sequence(at: index)
            index += length
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks one multi-byte UTF-8 sequence (`UTF8Sequence`), saying why a bad one is bad.
    private func validateUTF8Sequence(at i: Int) throws(JSONParseError) -> Int {
        switch UTF8Sequence.check(bytes, at: i) {
        case .valid(let length): return length
        case .invalidLead: throw error("invalid UTF-8 byte 0x\(String(bytes[i], radix: 16))", at: i)
        case .truncated: throw error("truncated UTF-8 sequence", at: i)
        case .invalidContinuation: throw error("invalid UTF-8 sequence", at: i)
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1  // backslash
        guard index < bytes.count else { throw error("unterminated escape sequence", at: start) }
        let c = bytes[index]
        index += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: start)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("unpaired surrogate \\u\(String(scalar, radix: 16))", at: start) }
                index += 2
                let low = try parseHex4(escapeStart: start)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("unpaired surrogate \\u\(String(scalar, radix: 16))", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error("unpaired surrogate \\u\(String(scalar, radix: 16))", at: start)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid code point", at: start) }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw error("invalid escape sequence", at: start)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
