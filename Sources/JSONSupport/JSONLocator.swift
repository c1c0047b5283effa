/// Where a value stands in JSON text: for reports that point at the line and column of a node (CI annotations),
/// without keeping positions in every parsed value.
public enum JSONLocator {
    /// The 1-based line and column (in characters) where the value at `pointer` starts in `bytes`; nil when
    /// the text has no such value or is not well-formed on the way there. Bounded: one pass over the text,
    /// no recursion.
    public static func position(of pointer: String, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        guard let tokens = tokens(of: pointer), let offset = offset(of: tokens, in: bytes) else { return nil }
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// RFC 6901 tokens (`~1` is `/`, `~0` is `~`); nil when `pointer` is neither empty nor starts with `/`.
    static func tokens(of pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { raw in
            var token = ""
            var escaped = false
            for character in raw {
                if escaped {
                    token.append(character == "1" ? "/" : character == "0" ? "~" : character)
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    token.append(character)
                }
            }
            return token
        }
    }

    static func offset(of tokens: [String], in bytes: [UInt8]) -> Int? {
        var index = skipSpace(bytes, 0)
        for token in tokens {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index = skipSpace(bytes, index + 1)
                var found = false
                while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                    guard let (key, afterKey) = string(bytes, index) else { return nil }
                    index = skipSpace(bytes, afterKey)
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index = skipSpace(bytes, index + 1)
                    if key == token {
                        found = true
                        break
                    }
                    guard let next = skipValue(bytes, index) else { return nil }
                    index = skipSpace(bytes, next)
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index = skipSpace(bytes, index + 1) }
                }
                guard found else { return nil }
            case UInt8(ascii: "["):
                guard let wanted = Int(token), wanted >= 0 else { return nil }
                index = skipSpace(bytes, index + 1)
                var position = 0
                while position < wanted {
                    guard index < bytes.count, bytes[index] != UInt8(ascii: "]"), let next = skipValue(bytes, index) else {
                        return nil
                    }
                    index = skipSpace(bytes, next)
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
                    index = skipSpace(bytes, index + 1)
                    position += 1
                }
                guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else { return nil }
            default:
                return nil
            }
        }
        return index < bytes.count ? index : nil
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// The string starting at `start` (decoded) and the offset after its closing quote.
    private static func string(_ bytes: [UInt8], _ start: Int) -> (String, Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var index = start + 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard index < bytes.count else { return nil }
        // Decoding the literal with the full parser keeps escapes exactly as the schema's parser reads them.
        guard case .string(let text)? = try? JSONParser.parse(Array(bytes[start...index])) else { return nil }
        return (text, index + 1)
    }

    /// The offset just after the value starting at `start`.
    private static func skipValue(_ bytes: [UInt8], _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return string(bytes, start)?.1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            var inString = false
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return index + 1 }
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D]
                .contains(bytes[index])
            {
                index += 1
            }
            return index
        }
    }
}
