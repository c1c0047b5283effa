import SwiftProtobuf

/// A field's default value as FIELD_SAME_DEFAULT compares it: text for string and bytes, exact integers
/// (bools and enum numbers included), and reals that remember whether they are 32-bit.
enum DefaultValue: CustomStringConvertible {
    case text(String, isBytes: Bool)
    case integer(negative: Bool, magnitude: UInt64)
    case real(Double, isFloat: Bool)

    var isZero: Bool {
        switch self {
        case .text(let s, _): s.isEmpty
        case .integer(_, let magnitude): magnitude == 0
        case .real(let d, _): d.bitPattern == 0
        }
    }

    var description: String {
        switch self {
        case .text(let s, let isBytes): isBytes ? "bytes \"\(s)\"" : "\"\(s)\""
        case .integer(let negative, let magnitude): negative ? "-\(magnitude)" : "\(magnitude)"
        case .real(let d, _): "\(d)"
        }
    }

    /// Equality as buf decides it: texts compare as texts (a text never equals a number), NaN equals NaN,
    /// a 32-bit and a 64-bit real compare at 32-bit precision, numbers of different types by value.
    static func same(_ a: DefaultValue, _ b: DefaultValue) -> Bool {
        switch (a, b) {
        case (.text(let x, _), .text(let y, _)): return x == y
        case (.text, _), (_, .text): return false
        case (.real(let x, let xf), .real(let y, let yf)):
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
            return xf != yf ? Float(x) == Float(y) : x == y
        case (.integer(let xn, let xm), .integer(let yn, let ym)):
            return (xm == 0 && ym == 0) || (xn == yn && xm == ym)
        case (.integer(let n, let m), .real(let d, _)), (.real(let d, _), .integer(let n, let m)):
            if d.isNaN { return false }
            let value = Double(m) * (n ? -1 : 1)
            return value == d
        }
    }
}

extension ProtoModel {
    /// The default a singular scalar or enum field has: its `default_value`, or the zero value (the first
    /// value for an enum).
    func defaultValue(_ field: FieldProto) -> DefaultValue {
        let text = field.defaultValue
        let has = field.hasDefaultValue
        switch field.type {
        case .string: return .text(has ? text : "", isBytes: false)
        case .bytes: return .text(has ? Self.unescapeC(text) : "", isBytes: true)
        case .bool: return .integer(negative: false, magnitude: has && text == "true" ? 1 : 0)
        case .float, .double:
            return .real(has ? Self.parseReal(text) : 0, isFloat: field.type == .float)
        case .enum:
            let values = enumNode(field.typeName)?.descriptor.value ?? []
            let number: Int32
            if has, let value = values.first(where: { $0.name == text }) {
                number = value.number
            } else {
                number = values.first?.number ?? 0
            }
            return .integer(negative: number < 0, magnitude: UInt64(number.magnitude))
        case .int32, .int64, .sint32, .sint64, .sfixed32, .sfixed64, .uint32, .uint64, .fixed32, .fixed64:
            guard has else { return .integer(negative: false, magnitude: 0) }
            if text.hasPrefix("-") {
                return .integer(negative: true, magnitude: UInt64(text.dropFirst()) ?? 0)
            }
            return .integer(negative: false, magnitude: UInt64(text) ?? 0)
        case .message, .group:
            return .integer(negative: false, magnitude: 0)
        }
    }

    static func parseReal(_ text: String) -> Double {
        switch text {
        case "inf": .infinity
        case "-inf": -.infinity
        case "nan": .nan
        default: Double(text) ?? 0
        }
    }

    /// Undoes protoc's C escaping of a bytes default (`\n`, `\"`, `\\`, octal `\ooo`, hex `\xHH`).
    /// The result holds each byte as one Unicode scalar of the same value, which is enough to compare.
    static func unescapeC(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var bytes = Array(text.utf8)[...]
        func scalar(_ v: UInt32) -> Unicode.Scalar { Unicode.Scalar(v) ?? "?" }
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "\\"), let e = bytes.popFirst() else {
                out.append(scalar(UInt32(b)))
                continue
            }
            switch e {
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "x"):
                var value: UInt32 = 0
                var count = 0
                while count < 2, let h = bytes.first, let d = hexDigit(h) {
                    value = value * 16 + d
                    bytes.removeFirst()
                    count += 1
                }
                out.append(scalar(value))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(e - UInt8(ascii: "0"))
                var count = 1
                while count < 3, let o = bytes.first, o >= UInt8(ascii: "0"), o <= UInt8(ascii: "7") {
                    value = value * 8 + UInt32(o - UInt8(ascii: "0"))
                    bytes.removeFirst()
                    count += 1
                }
                out.append(scalar(value & 0xFF))
            default:
                out.append(scalar(UInt32(e)))
            }
        }
        return String(out)
    }

    private static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
