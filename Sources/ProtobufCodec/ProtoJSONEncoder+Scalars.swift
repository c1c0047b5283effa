import JSONSupport
import ProtobufSchema

/// A map key parsed from its JSON object key, ordered as protobuf's deterministic output orders keys.
enum ProtoMapKey: Comparable {
    case signed(Int64)
    case unsigned(UInt64)
    case bool(Bool)
    case string(String)

    init(_ text: String, _ type: ProtoFieldType) throws(ProtobufError) {
        switch type {
        case .string: self = .string(text)
        case .bool:
            switch text {
            case "true": self = .bool(true)
            case "false": self = .bool(false)
            default: throw ProtobufError(.invalidValue, "map key \"\(text)\" is not true or false", jsonPointer: "")
            }
        case .uint32, .fixed32, .uint64, .fixed64:
            guard let v = ProtoJSONEncoder.integerText(text, signed: false), case .unsigned(let u) = v,
                type.isInt64Family || u <= UInt64(UInt32.max)
            else { throw ProtobufError(.invalidValue, "map key \"\(text)\" is not a \(type) value", jsonPointer: "") }
            self = .unsigned(u)
        default:
            guard let v = ProtoJSONEncoder.integerText(text, signed: true), case .signed(let s) = v,
                type.isInt64Family || (s >= Int64(Int32.min) && s <= Int64(Int32.max))
            else { throw ProtobufError(.invalidValue, "map key \"\(text)\" is not a \(type) value", jsonPointer: "") }
            self = .signed(s)
        }
    }

    static func < (a: ProtoMapKey, b: ProtoMapKey) -> Bool {
        switch (a, b) {
        case (.signed(let x), .signed(let y)): x < y
        case (.unsigned(let x), .unsigned(let y)): x < y
        case (.bool(let x), .bool(let y)): !x && y
        case (.string(let x), .string(let y)): x.utf8.lexicographicallyPrecedes(y.utf8)
        default: false
        }
    }

    func write(into encoder: inout ProtoJSONEncoder, field: ProtoFieldPlan) {
        encoder.tag(field.number, field.type.wireType)
        switch self {
        case .string(let s):
            var s = s
            encoder.varint(UInt64(s.utf8.count))
            s.withUTF8 { encoder.out.append(contentsOf: $0) }
        case .bool(let b): encoder.varint(b ? 1 : 0)
        case .signed(let v): encoder.signed(v, field.type)
        case .unsigned(let v): encoder.unsigned(v, field.type)
        }
    }
}

extension ProtoJSONEncoder {
    enum IntegerValue {
        case signed(Int64)
        case unsigned(UInt64)
    }

    /// An integer written as text: an optional sign and decimal digits.
    static func integerText(_ text: String, signed: Bool) -> IntegerValue? {
        var s = Substring(text)
        if s.first == "+" { s = s.dropFirst() }
        guard !s.isEmpty, !s.hasPrefix("+") else { return nil }
        if signed {
            return Int64(s).map { .signed($0) }
        }
        return UInt64(s).map { .unsigned($0) }
    }

    /// Plain decimal text (an optional '-' and 1 to 19 digits) as sign and magnitude; nil for anything
    /// else, which then takes the general path.
    @inline(__always)
    static func plainDecimal(_ text: String) -> (negative: Bool, magnitude: UInt64)? {
        var text = text
        return text.withUTF8 { (b) -> (negative: Bool, magnitude: UInt64)? in
            var i = 0
            let negative = b.count > 0 && b[0] == UInt8(ascii: "-")
            if negative { i = 1 }
            let digits = b.count &- i
            guard digits >= 1 && digits <= 19 else { return nil }
            var v: UInt64 = 0
            while i < b.count {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v &* 10 &+ UInt64(d)
                i &+= 1
            }
            return (negative, v)
        }
    }

    /// A JSON number or string as an integer of `type`: integral numbers (1e3 and 5.0 included) or
    /// decimal strings, in the type's range.
    func integer(_ json: JSONValue, _ type: ProtoFieldType) throws(ProtobufError) -> IntegerValue {
        let text: String
        switch json {
        case .string(let s): text = s
        case .number(let n): text = n.text
        default: throw kindError("a number or a string for \(type)", json)
        }
        if let (negative, magnitude) = Self.plainDecimal(text) {
            switch type {
            case .int32, .sint32, .sfixed32, .enumeration:
                if negative ? magnitude <= 0x8000_0000 : magnitude <= 0x7FFF_FFFF {
                    return .signed(negative ? 0 &- Int64(magnitude) : Int64(magnitude))
                }
            case .uint32, .fixed32:
                if !negative && magnitude <= 0xFFFF_FFFF { return .unsigned(magnitude) }
            case .uint64, .fixed64:
                if !negative { return .unsigned(magnitude) }
            default:
                if negative ? magnitude <= 0x8000_0000_0000_0000 : magnitude <= 0x7FFF_FFFF_FFFF_FFFF {
                    return .signed(negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude))
                }
            }
        }
        return try integerSlow(json, type)
    }

    @inline(never)
    func integerSlow(_ json: JSONValue, _ type: ProtoFieldType) throws(ProtobufError) -> IntegerValue {
        let signed: Bool
        let min: Int64
        let max: UInt64
        switch type {
        case .int32, .sint32, .sfixed32, .enumeration: (signed, min, max) = (true, Int64(Int32.min), UInt64(Int32.max))
        case .uint32, .fixed32: (signed, min, max) = (false, 0, UInt64(UInt32.max))
        case .uint64, .fixed64: (signed, min, max) = (false, 0, UInt64.max)
        default: (signed, min, max) = (true, Int64.min, UInt64(Int64.max))
        }
        var parsed: IntegerValue?
        switch json {
        case .string(let text):
            parsed = Self.integerText(text, signed: signed)
        case .number(let n):
            if n.isIntegral {
                parsed = Self.integerText(n.text, signed: signed)
            } else {
                let d = n.doubleValue
                if d.rounded() == d {
                    if signed, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 {
                        parsed = .signed(Int64(d))
                    } else if !signed, d >= 0, d < 1.8446744073709551616e19 {
                        parsed = .unsigned(UInt64(d))
                    }
                }
            }
        default:
            throw kindError("a number or a string for \(type)", json)
        }
        switch parsed {
        case .signed(let v)? where v >= min && (v < 0 || UInt64(v) <= max): return .signed(v)
        case .unsigned(let v)? where v <= max: return .unsigned(v)
        default:
            throw ProtobufError(.invalidValue, "\(json.serialized()) is not a \(type) value", jsonPointer: "")
        }
    }

    /// A JSON number, or "NaN", "Infinity", "-Infinity" or a numeric string, as a double; for float
    /// fields the value must round to a finite float (so the largest float printed in its shortest
    /// form, 3.4028235e+38, is accepted, which Python's parser rejects as above FLT_MAX).
    func floating(_ json: JSONValue, isFloat: Bool) throws(ProtobufError) -> Double {
        let value: Double
        switch json {
        case .number(let n): value = Self.plainDouble(n.text) ?? n.doubleValue
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text):
            guard !text.isEmpty, text.utf8.allSatisfy({ Self.isNumberByte($0) }), let d = Double(text) else {
                throw ProtobufError(.invalidValue, "\"\(text)\" is not a number", jsonPointer: "")
            }
            value = d
        default:
            throw kindError("a number", json)
        }
        if !value.isFinite || (isFloat && !Float(value).isFinite) {
            throw ProtobufError(
                .invalidValue, "\(json.serialized()) is out of range for \(isFloat ? "float" : "double")",
                jsonPointer: "")
        }
        return value
    }

    /// Powers of ten that a double holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `-?digits(.digits)?` with at most 15 digits in all, converted exactly (an integer below 2^53
    /// divided by an exact power of ten is correctly rounded); nil for anything else.
    @inline(__always)
    static func plainDouble(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { (b) -> Double? in
            var i = 0
            let negative = b.count > 0 && b[0] == UInt8(ascii: "-")
            if negative { i = 1 }
            var mantissa: UInt64 = 0
            var digits = 0
            var fraction = -1
            while i < b.count {
                let c = b[i]
                let d = c &- UInt8(ascii: "0")
                if d < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                    if fraction >= 0 { fraction &+= 1 }
                } else if c == UInt8(ascii: ".") && fraction < 0 {
                    fraction = 0
                } else {
                    return nil
                }
                i &+= 1
            }
            guard digits >= 1 && digits <= 15 && fraction != 0 else { return nil }
            var v = Double(mantissa)
            if fraction > 0 { v /= exactPowersOfTen[fraction] }
            return negative ? -v : v
        }
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
            || b == UInt8(ascii: "E") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
    }

    mutating func signed(_ v: Int64, _ type: ProtoFieldType) {
        switch type {
        case .sint32:
            let x = Int32(truncatingIfNeeded: v)
            varint(UInt64(UInt32(bitPattern: (x << 1) ^ (x >> 31))))
        case .sint64: varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        case .sfixed32: fixed32(UInt32(bitPattern: Int32(truncatingIfNeeded: v)))
        case .sfixed64: fixed64(UInt64(bitPattern: v))
        default: varint(UInt64(bitPattern: v))
        }
    }

    mutating func unsigned(_ v: UInt64, _ type: ProtoFieldType) {
        switch type {
        case .fixed32: fixed32(UInt32(truncatingIfNeeded: v))
        case .fixed64: fixed64(v)
        default: varint(v)
        }
    }

    /// One scalar value, with its tag unless it is an element of a packed block; `omitDefault` drops
    /// default values (fields without presence).
    mutating func scalar(_ field: ProtoFieldPlan, _ json: JSONValue, writeTag: Bool, omitDefault: Bool) throws(ProtobufError) {
        let number = field.number
        switch field.type {
        case .string:
            guard case .string(var s) = json else { throw kindError("a string", json) }
            if omitDefault && s.isEmpty { return }
            if writeTag { tag(number, 2) }
            varint(UInt64(s.utf8.count))
            s.withUTF8 { out.append(contentsOf: $0) }
        case .bytes:
            guard case .string(let s) = json else { throw kindError("a base64 string", json) }
            guard let count = ProtoBase64.decodedCount(s) else {
                throw ProtobufError(.invalidValue, "\"\(s)\" is not base64", jsonPointer: "")
            }
            if omitDefault && count == 0 { return }
            if writeTag { tag(number, 2) }
            varint(UInt64(count))
            guard ProtoBase64.decode(s, appendingTo: &out) else {
                throw ProtobufError(.invalidValue, "\"\(s)\" is not base64", jsonPointer: "")
            }
        case .bool:
            guard case .bool(let b) = json else { throw kindError("true or false", json) }
            if omitDefault && !b { return }
            if writeTag { tag(number, 0) }
            varint(b ? 1 : 0)
        case .double:
            let d = try floating(json, isFloat: false)
            if omitDefault && d.bitPattern == 0 { return }
            if writeTag { tag(number, 1) }
            fixed64(d.bitPattern)
        case .float:
            let f = Float(try floating(json, isFloat: true))
            if omitDefault && f.bitPattern == 0 { return }
            if writeTag { tag(number, 5) }
            fixed32(f.bitPattern)
        case .enumeration:
            let v = try enumNumber(field, json)
            if omitDefault && v == 0 { return }
            if writeTag { tag(number, 0) }
            varint(UInt64(bitPattern: Int64(v)))
        case .message:
            throw ProtobufError(.invalidValue, "message field written as a scalar", jsonPointer: "")
        default:
            switch try integer(json, field.type) {
            case .signed(let v):
                if omitDefault && v == 0 { return }
                if writeTag { tag(number, field.type.wireType) }
                signed(v, field.type)
            case .unsigned(let v):
                if omitDefault && v == 0 { return }
                if writeTag { tag(number, field.type.wireType) }
                unsigned(v, field.type)
            }
        }
    }

    /// An enum value by name, or by number (any int32 for open enums, declared numbers for closed ones).
    func enumNumber(_ field: ProtoFieldPlan, _ json: JSONValue) throws(ProtobufError) -> Int32 {
        let e = program.enums[field.enumIndex]
        switch json {
        case .null where e.isNullValue:
            return 0
        case .string(let name):
            if let v = e.numberByName[name] { return v }
            throw ProtobufError(.invalidValue, "\"\(name)\" is not a value of \(e.fullName)", jsonPointer: "")
        case .number:
            guard case .signed(let v) = try integer(json, .enumeration) else {
                throw ProtobufError(.invalidValue, "\(json.serialized()) is not an enum number", jsonPointer: "")
            }
            let n = Int32(truncatingIfNeeded: v)
            if e.isClosed && e.nameByNumber[n] == nil {
                throw ProtobufError(.invalidValue, "\(n) is not a value of closed enum \(e.fullName)", jsonPointer: "")
            }
            return n
        default:
            throw kindError("an enum name or number", json)
        }
    }
}
