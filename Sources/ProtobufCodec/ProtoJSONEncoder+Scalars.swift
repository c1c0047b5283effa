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

    /// A JSON number or string as an integer of `type`: integral numbers (1e3 and 5.0 included) or
    /// decimal strings, in the type's range.
    func integer(_ json: JSONValue, _ type: ProtoFieldType) throws(ProtobufError) -> IntegerValue {
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
        case .number(let n): value = n.doubleValue
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
            guard let bytes = ProtoBase64.decode(s) else {
                throw ProtobufError(.invalidValue, "\"\(s)\" is not base64", jsonPointer: "")
            }
            if omitDefault && bytes.isEmpty { return }
            if writeTag { tag(number, 2) }
            varint(UInt64(bytes.count))
            out.append(contentsOf: bytes)
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
