import Foundation

/// Every regular expression the engine uses (`pattern`, `patternProperties`, `format: regex`) goes through this
/// one type. It is Foundation's NSRegularExpression for now; swapping in the ECMA-262 engine (`ECMARegex`) is a
/// change to this file only.
struct PatternMatcher: Sendable, Hashable {
    let pattern: String
    private let regex: NSRegularExpression

    init(_ pattern: String) throws(JSONSchemaError) {
        self.pattern = pattern
        do {
            regex = try NSRegularExpression(pattern: Self.translate(pattern), options: [])
        } catch {
            throw JSONSchemaError(message: "is not a valid regular expression: \(pattern)", pointer: "")
        }
    }

    /// Unanchored search, as ECMA-262 `RegExp.prototype.test`.
    func matches(_ text: String) throws -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    static func == (lhs: PatternMatcher, rhs: PatternMatcher) -> Bool { lhs.pattern == rhs.pattern }
    func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// ECMA-262 classes that ICU spells differently: `\d` and `\w` are ASCII-only in ECMA-262.
    private static func translate(_ pattern: String) -> String {
        var out = ""
        var escaped = false
        for c in pattern {
            if escaped {
                switch c {
                case "d": out += "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += "[A-Za-z0-9_]"
                case "W": out += "[^A-Za-z0-9_]"
                default: out += "\\"; out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out += "\\" }
        return out
    }
}
