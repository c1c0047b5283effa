import JSONSupport

/// Exact conversions between JSON number text and the two's-complement unscaled bytes of Avro's `decimal`
/// logical type. Nothing here goes through `Double`.
enum AvroDecimalText {
    /// The most significant digits a decimal may have in JSON (about 1,700 bytes of unscaled value). It keeps
    /// the quadratic base conversion cheap even when a schema declares an enormous precision.
    static let maxDigits = 4096

    /// A JSON number literal as `digits × 10^exponent`, with leading and trailing zeros of `digits` removed.
    struct Literal {
        var negative: Bool
        /// Significant decimal digits, most significant first, each 0...9; empty for zero.
        var digits: [UInt8]
        var exponent: Int

        /// Parses text that already matches the JSON number grammar; `nil` when the exponent is absurdly large.
        init?(_ text: String) {
            var negative = false
            var digits: [UInt8] = []
            var fractionDigits = 0
            var exponent = 0
            var exponentNegative = false
            enum Part { case integer, fraction, exponent }
            var part = Part.integer
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "-"):
                    if part == .exponent { exponentNegative = true } else { negative = true }
                case UInt8(ascii: "+"):
                    continue
                case UInt8(ascii: "."):
                    part = .fraction
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    part = .exponent
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let d = byte - UInt8(ascii: "0")
                    switch part {
                    case .integer:
                        if !(digits.isEmpty && d == 0) { digits.append(d) }
                    case .fraction:
                        if !(digits.isEmpty && d == 0) { digits.append(d) }
                        fractionDigits += 1
                    case .exponent:
                        exponent = exponent * 10 + Int(d)
                        if exponent > 1_000_000_000 { return nil }
                    }
                default:
                    return nil
                }
            }
            if digits.isEmpty {
                self.init(negative: negative, digits: [], exponent: 0)
                return
            }
            // Leading zeros of the fraction were dropped but still count as fraction digits: `0.05` is 5e-2.
            var e = (exponentNegative ? -exponent : exponent) - fractionDigits
            while let last = digits.last, last == 0 {
                digits.removeLast()
                e += 1
            }
            self.init(negative: negative, digits: digits, exponent: e)
        }

        init(negative: Bool, digits: [UInt8], exponent: Int) {
            self.negative = negative
            self.digits = digits
            self.exponent = exponent
        }
    }

    /// Why a decimal could not be converted; the caller adds the location.
    enum Problem: Error {
        case notANumber
        case tooManyFractionDigits(scale: Int)
        case tooManyDigits(precision: Int)
        case doesNotFit(size: Int)
        case tooLarge
    }

    /// The minimal big-endian two's-complement bytes of `text × 10^scale`, which must be an integer with at most
    /// `precision` digits. With `fixedSize`, the bytes are sign-extended to exactly that many.
    static func unscaledBytes(
        fromJSON text: String,
        precision: Int,
        scale: Int,
        fixedSize: Int?
    ) throws(Problem) -> [UInt8] {
        guard let literal = Literal(text) else { throw .tooLarge }
        var magnitude: [UInt32] = []
        if !literal.digits.isEmpty {
            let shift = literal.exponent + scale
            if shift < 0 { throw .tooManyFractionDigits(scale: scale) }
            let digitCount = literal.digits.count + shift
            if digitCount > precision { throw .tooManyDigits(precision: precision) }
            if digitCount > maxDigits { throw .tooLarge }
            magnitude = limbs(fromDigits: literal.digits + repeatElement(0, count: shift))
        }
        var bytes = twosComplement(magnitude: magnitude, negative: literal.negative)
        if let fixedSize {
            guard bytes.count <= fixedSize else { throw .doesNotFit(size: fixedSize) }
            let fill: UInt8 = (bytes.first ?? 0) & 0x80 != 0 ? 0xFF : 0x00
            bytes.insert(contentsOf: repeatElement(fill, count: fixedSize - bytes.count), at: 0)
        }
        return bytes
    }

    /// The decimal text of two's-complement big-endian `bytes` scaled by `10^-scale`, e.g. `12.34`, `-0.05`,
    /// `0.00`. Empty bytes read as zero. Fails when the unscaled value has more than `precision` digits.
    static func jsonText(fromUnscaled bytes: [UInt8], precision: Int, scale: Int) throws(Problem) -> String {
        // A value of n bytes has at most ceil(n × 2.41) digits; refuse inputs far beyond any sane precision.
        if bytes.count > maxDigits / 2 { throw .tooLarge }
        let negative = (bytes.first ?? 0) & 0x80 != 0
        var magnitudeBytes = bytes
        if negative {
            // Negate: invert and add one.
            var carry = true
            for i in magnitudeBytes.indices.reversed() {
                let inverted = ~magnitudeBytes[i]
                let (sum, overflow) = inverted.addingReportingOverflow(carry ? 1 : 0)
                magnitudeBytes[i] = sum
                carry = carry && overflow
            }
        }
        // Read as unsigned, the negation is the magnitude (also for 0x80 00…, which negates to itself).
        var digits = decimalDigits(of: limbs(fromBigEndian: magnitudeBytes))
        if digits.count > precision { throw .tooManyDigits(precision: precision) }
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    // MARK: - Base conversion on little-endian 32-bit limbs

    private static func limbs(fromDigits digits: [UInt8]) -> [UInt32] {
        var limbs: [UInt32] = []
        var index = 0
        while index < digits.count {
            let chunk = min(9, digits.count - index)
            var chunkValue: UInt32 = 0
            var multiplier: UInt32 = 1
            for k in 0..<chunk {
                chunkValue = chunkValue * 10 + UInt32(digits[index + k])
                multiplier *= 10
            }
            index += chunk
            // limbs = limbs × multiplier + chunkValue
            var carry = UInt64(chunkValue)
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * UInt64(multiplier) + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry != 0 { limbs.append(UInt32(carry)) }
        }
        return limbs
    }

    private static func limbs(fromBigEndian bytes: [UInt8]) -> [UInt32] {
        var limbs: [UInt32] = []
        var shift: UInt32 = 0
        var current: UInt32 = 0
        for byte in bytes.reversed() {
            current |= UInt32(byte) << shift
            shift += 8
            if shift == 32 {
                limbs.append(current)
                current = 0
                shift = 0
            }
        }
        if shift > 0 { limbs.append(current) }
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        return limbs
    }

    private static func decimalDigits(of limbs: [UInt32]) -> String {
        var limbs = limbs
        var chunks: [UInt32] = []
        while !limbs.isEmpty {
            var remainder: UInt64 = 0
            for i in limbs.indices.reversed() {
                let current = (remainder << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while let last = limbs.last, last == 0 { limbs.removeLast() }
        }
        guard let top = chunks.last else { return "0" }
        var text = String(top)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// Minimal big-endian two's complement of ±magnitude (at least one byte).
    private static func twosComplement(magnitude: [UInt32], negative: Bool) -> [UInt8] {
        var bytes: [UInt8] = [0]  // a leading sign byte, trimmed below
        for limb in magnitude.reversed() {
            bytes.append(UInt8(truncatingIfNeeded: limb >> 24))
            bytes.append(UInt8(truncatingIfNeeded: limb >> 16))
            bytes.append(UInt8(truncatingIfNeeded: limb >> 8))
            bytes.append(UInt8(truncatingIfNeeded: limb))
        }
        let isZero = magnitude.allSatisfy { $0 == 0 }
        if negative && !isZero {
            var carry = true
            for i in bytes.indices.reversed() {
                let (sum, overflow) = (~bytes[i]).addingReportingOverflow(carry ? 1 : 0)
                bytes[i] = sum
                carry = carry && overflow
            }
        }
        // Drop leading bytes that only repeat the sign.
        var start = 0
        while start + 1 < bytes.count {
            let b = bytes[start]
            let next = bytes[start + 1]
            if (b == 0x00 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) {
                start += 1
            } else {
                break
            }
        }
        return Array(bytes[start...])
    }
}

/// The specification's JSON form of bytes and fixed values: one code point U+0000...U+00FF per byte.
enum AvroByteString {
    static func string(from bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// The bytes of `string`, or nil when a code point is above U+00FF.
    static func bytes(from string: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}

/// The RFC 4122 text form of a 16-byte UUID, lower-case with dashes.
enum AvroUUIDText {
    private static let hex = Array("0123456789abcdef".utf8)

    static func string(from bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 16 bytes of `8-4-4-4-12` hex text (either case), or nil.
    static func bytes(from string: String) -> [UInt8]? {
        let utf8 = Array(string.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        var high: UInt8?
        for (i, c) in utf8.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return bytes
    }
}
