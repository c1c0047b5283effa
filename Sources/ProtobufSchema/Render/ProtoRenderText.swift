import SwiftProtobuf

/// Literal formatting shared by the renderer: string escapes, scalar keywords, float spelling.
enum ProtoRenderText {
    /// The `.proto` keyword of a scalar field type, or nil for message, group and enum.
    static func scalarKeyword(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> String? {
        switch type {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        case .group, .message, .enum: nil
        }
    }

    /// A double-quoted literal for `bytes`. Printable ASCII stays as is (with `\"`, `\'` and `\\`
    /// escaped); common control characters use C escapes; everything else is a three-digit octal escape.
    /// With `keepUTF8`, well-formed multi-byte UTF-8 sequences are kept as they are (for `string` values).
    static func quoted(_ bytes: [UInt8], keepUTF8: Bool) -> String {
        var out = "\""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if keepUTF8, byte >= 0x80, let length = utf8SequenceLength(bytes, at: index) {
                out += String(decoding: bytes[index..<(index + length)], as: UTF8.self)
                index += length
                continue
            }
            out += escape(byte)
            index += 1
        }
        return out + "\""
    }

    /// A double-quoted literal for a `string` value.
    static func quoted(_ string: String) -> String {
        quoted(Array(string.utf8), keepUTF8: true)
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x22: return "\\\""
        case 0x27: return "\\'"
        case 0x5C: return "\\\\"
        case 0x20...0x7E: return String(UnicodeScalar(byte))
        default:
            let octal = String(byte, radix: 8)
            return "\\" + String(repeating: "0", count: max(0, 3 - octal.count)) + octal
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (a lead byte ≥ 0x80), if any.
    private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        let slice = Array(bytes[index..<(index + length)])
        guard slice.dropFirst().allSatisfy({ $0 & 0xC0 == 0x80 }) else { return nil }
        // Reject overlong forms and surrogates by round-tripping through the decoder.
        let decoded = String(decoding: slice, as: UTF8.self)
        return Array(decoded.utf8) == slice ? length : nil
    }

    /// A float or double option value as protoc reads it back: `inf`, `-inf`, `nan`, or the
    /// shortest decimal that round-trips.
    static func floating(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }

    /// Same for a 32-bit float.
    static func floating(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }

    /// `scope.name`, or `name` at the root.
    static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }

    /// The full name without its leading dot.
    static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}
