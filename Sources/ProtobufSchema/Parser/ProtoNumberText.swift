import Foundation

/// Number and string text exactly as protoc writes it into descriptors (default values, escapes, JSON names).
enum ProtoNumberText {
    /// A float token's value (the lexer only produces valid decimal forms).
    static func parseFloat(_ text: String) -> Double {
        Double(text) ?? 0
    }

    /// protoc's `SimpleDtoa`: `%.15g`, or `%.17g` when that does not read back exactly; `inf`, `-inf`, `nan`.
    static func simpleDtoa(_ value: Double) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        if value.isNaN { return "nan" }
        let short = String(format: "%.15g", value)
        if Double(short) == value { return short }
        return String(format: "%.17g", value)
    }

    /// protoc's `SimpleFtoa`: `%.6g`, or `%.9g` when that does not read back exactly as a float.
    static func simpleFtoa(_ value: Float) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        if value.isNaN { return "nan" }
        let short = String(format: "%.6g", Double(value))
        if let parsed = Float(short), parsed == value, parsed.isNormal || parsed == 0 { return short }
        return String(format: "%.9g", Double(value))
    }

    /// protoc's `SafeDoubleToFloat`: values that print as the largest float become it, larger ones infinities.
    static func safeFloat(_ value: Double) -> Float {
        let maxRounded = 3.4028235677973366e+38
        if value > Double(Float.greatestFiniteMagnitude) {
            return value <= maxRounded ? .greatestFiniteMagnitude : .infinity
        }
        if value < -Double(Float.greatestFiniteMagnitude) {
            return value >= -maxRounded ? -.greatestFiniteMagnitude : -.infinity
        }
        return Float(value)
    }

    /// C-style escaping as absl's `CEscape` does it: `\n \r \t \" \' \\` and three-digit octal for other bytes
    /// outside printable ASCII.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            switch b {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x22: out += "\\\""
            case 0x27: out += "\\'"
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "\\" + String(b >> 6) + String((b >> 3) & 7) + String(b & 7)
            }
        }
        return out
    }

    static func asciiUpper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        guard c.value >= 0x61 && c.value <= 0x7A, let up = Unicode.Scalar(c.value - 32) else { return c }
        return up
    }

    static func asciiLower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        guard c.value >= 0x41 && c.value <= 0x5A, let low = Unicode.Scalar(c.value + 32) else { return c }
        return low
    }

    /// protoc's `EnumValueToPascalCase`.
    static func enumValuePascalCase(_ name: String) -> String {
        var out = ""
        var nextUpper = true
        for c in name.unicodeScalars {
            if c == "_" {
                nextUpper = true
            } else {
                out.unicodeScalars.append(nextUpper ? asciiUpper(c) : asciiLower(c))
                nextUpper = false
            }
        }
        return out
    }

    /// protoc's `ToCamelCase(name, lower_first: false)` (map entry names are this plus `Entry`).
    static func upperCamel(_ name: String) -> String {
        var out = ""
        var capitalizeNext = true
        for c in name.unicodeScalars {
            if c == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                out.unicodeScalars.append(asciiUpper(c))
                capitalizeNext = false
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Whether `text` is a protobuf identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, ProtoLexer.isLetter(first) else { return false }
        return text.utf8.allSatisfy { ProtoLexer.isLetter($0) || ProtoLexer.isDigit($0) }
    }
}
