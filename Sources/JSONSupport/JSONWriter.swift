/// How `JSONValue.serialized` lays out its text.
public struct JSONWriteOptions: Sendable, Hashable {
    /// Sort object members by key instead of keeping document order.
    public var sortedKeys: Bool
    /// Indent nested values by this many spaces; `nil` writes compact JSON with no whitespace.
    public var indent: Int?

    public init(sortedKeys: Bool = false, indent: Int? = nil) {
        self.sortedKeys = sortedKeys
        self.indent = indent
    }

    public static let compact = JSONWriteOptions()
    public static let pretty = JSONWriteOptions(indent: 2)
}

extension JSONValue {
    /// The value as JSON text. Strings are written as UTF-8 with only `"`, `\` and control characters escaped.
    public func serialized(_ options: JSONWriteOptions = .compact) -> String {
        var out: [UInt8] = []
        write(into: &out, options: options, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends this value's JSON text to `out`.
    public func write(into out: inout [UInt8], options: JSONWriteOptions = .compact, level: Int = 0) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, options, level + 1)
                element.write(into: &out, options: options, level: level + 1)
            }
            if !elements.isEmpty { Self.newline(&out, options, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let members = options.sortedKeys ? object.sortedMembers : object.members
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, options, level + 1)
                JSONValue.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if options.indent != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(into: &out, options: options, level: level + 1)
            }
            if !members.isEmpty { Self.newline(&out, options, level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ options: JSONWriteOptions, _ level: Int) {
        guard let indent = options.indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    /// Appends `s` as a quoted JSON string.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0xF))
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
