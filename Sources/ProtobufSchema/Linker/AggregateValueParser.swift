import SwiftProtobuf

/// Reads an aggregate option value (`{ a: 1 b { c: "x" } }`, protobuf text format) against a message type and
/// encodes it as protoc's dynamic message would serialize it: fields in number order, repeated scalars packed
/// when the field is packed, implicit-presence fields left out when they hold their default.
struct AggregateValueParser {
    struct Failure: Error {
        var message: String
    }

    let builder: FileBuilder
    let tokens: [ProtoToken]
    let maxDepth: Int
    var index = 0

    init(builder: FileBuilder, tokens: [ProtoToken], maxDepth: Int) {
        self.builder = builder
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    var token: ProtoToken? { index < tokens.count ? tokens[index] : nil }

    func lookingAt(_ text: String) -> Bool {
        guard let token else { return false }
        return token.kind != .string && token.text == text
    }

    mutating func tryConsume(_ text: String) -> Bool {
        if lookingAt(text) {
            index += 1
            return true
        }
        return false
    }

    mutating func consume(_ text: String) throws(Failure) {
        guard tryConsume(text) else {
            throw Failure(message: "Expected \"\(text)\", found \"\(token?.text ?? "")\".")
        }
    }

    /// Parses the whole token list as one message of `type`.
    mutating func parseTop(_ type: OptionMessageInfo) throws(Failure) -> [UInt8] {
        let records = try parseMessage(type, closing: nil, depth: 1)
        return WireRecord.encode(records)
    }

    private struct Collected {
        var info: OptionFieldInfo
        var records: [WireRecord.Payload] = []
        /// Raw encodings of packable values, for packing.
        var packed: [UInt8] = []
        var count = 0
    }

    mutating func parseMessage(_ type: OptionMessageInfo, closing: String?, depth: Int) throws(Failure)
        -> [WireRecord]
    {
        if depth > maxDepth { throw Failure(message: "Message is too deep") }
        let fields = builder.optionFields(of: type)
        var collected: [Int32: Collected] = [:]
        var oneofsSet: [Int32: String] = [:]
        while true {
            if let closing {
                if tryConsume(closing) { break }
                if token == nil { throw Failure(message: "Expected \"\(closing)\".") }
            } else if token == nil {
                break
            }
            guard let nameToken = token else { break }
            var info: OptionFieldInfo
            var displayName: String
            if tryConsume("[") {
                var name = ""
                while let t = token, !(t.kind == .symbol && t.text == "]") {
                    name += t.text
                    index += 1
                }
                try consume("]")
                displayName = name
                if name.contains("/") {
                    // An expanded google.protobuf.Any: `[type.googleapis.com/pkg.Msg] { ... }`.
                    guard type.fullName == "google.protobuf.Any", collected.isEmpty else {
                        throw Failure(message: "Expanded Any syntax is only allowed for a google.protobuf.Any message.")
                    }
                    return try parseExpandedAny(url: name, closing: closing, depth: depth)
                }
                switch builder.optionExtension(name, relativeTo: type.fullName) {
                case .success(let ext) where ext.isExtension && ext.containingType == type.fullName:
                    info = ext
                default:
                    throw Failure(message: "Extension \"\(name)\" is not defined or is not an extension of \"\(type.fullName)\".")
                }
            } else {
                guard nameToken.kind == .identifier else {
                    throw Failure(message: "Expected identifier, got: \(nameToken.text)")
                }
                index += 1
                displayName = nameToken.text
                if let found = fields[nameToken.text] {
                    info = found
                } else if let found = fields[nameToken.text.lowercased()], found.type == .group,
                    found.typeName.split(separator: ".").last.map(String.init) == nameToken.text
                {
                    info = found
                } else {
                    throw Failure(
                        message: "Message type \"\(type.fullName)\" has no field named \"\(nameToken.text)\"."
                    )
                }
            }
            let isMessage = info.type == .message || info.type == .group
            if isMessage {
                _ = tryConsume(":")
            } else {
                guard tryConsume(":") else {
                    throw Failure(message: "Expected \":\", found \"\(token?.text ?? "")\".")
                }
            }
            var entry = collected[info.number] ?? Collected(info: info)
            if !info.isRepeated && entry.count > 0 {
                throw Failure(message: "Non-repeated field \"\(displayName)\" is specified multiple times.")
            }
            if let oneof = info.inOneof, !info.isExtension {
                if let other = oneofsSet[oneof], other != info.name {
                    throw Failure(message: "Field \"\(info.name)\" is specified along with field \"\(other)\", another member of oneof.")
                }
                oneofsSet[oneof] = info.name
            }
            if info.isRepeated && tryConsume("[") {
                if !tryConsume("]") {
                    repeat {
                        try parseValue(info, into: &entry, depth: depth)
                    } while tryConsume(",")
                    try consume("]")
                }
            } else {
                try parseValue(info, into: &entry, depth: depth)
            }
            collected[info.number] = entry
            if !tryConsume(";") { _ = tryConsume(",") }
        }
        for field in fields.values where field.isRequired && collected[field.number] == nil {
            throw Failure(message: "Message missing required fields: \(field.name)")
        }
        var records: [WireRecord] = []
        let messageSet = type.descriptor.options.messageSetWireFormat
        for number in collected.keys.sorted() {
            guard let entry = collected[number] else { continue }
            if messageSet && entry.info.isExtension {
                // MessageSet items: group 1 { type_id = 2; message = 3 }.
                for payload in entry.records {
                    records.append(
                        .init(number: 1, payload: .group([.init(number: 2, payload: .varint(UInt64(number))), .init(number: 3, payload: payload)]))
                    )
                }
            } else if entry.info.isPacked {
                if entry.count > 0 { records.append(.init(number: number, payload: .bytes(entry.packed))) }
            } else {
                for payload in entry.records { records.append(.init(number: number, payload: payload)) }
            }
        }
        return records
    }

    /// The rest of an Any written as `[prefix/full.Name] { fields }`: `type_url` and the packed message.
    private mutating func parseExpandedAny(url: String, closing: String?, depth: Int) throws(Failure) -> [WireRecord] {
        let parts = url.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["type.googleapis.com", "type.googleprod.com"].contains(parts[0]),
            case .success((let full, let symbol)) = builder.symbols.find(parts[1], from: builder.scope),
            symbol.kind == .message, let inner = builder.optionMessage(named: full)
        else {
            throw Failure(message: "Could not find type \"\(url)\" stored in google.protobuf.Any.")
        }
        _ = tryConsume(":")
        let close: String
        if tryConsume("{") {
            close = "}"
        } else if tryConsume("<") {
            close = ">"
        } else {
            throw Failure(message: "Expected \"{\", found \"\(token?.text ?? "")\".")
        }
        let value = try parseMessage(inner, closing: close, depth: depth + 1)
        _ = tryConsume(";") || tryConsume(",")
        if let closing {
            guard tryConsume(closing) else { throw Failure(message: "Expected \"\(closing)\".") }
        } else if token != nil {
            throw Failure(message: "Expected end of the Any value.")
        }
        return [
            .init(number: 1, payload: .bytes(Array(url.utf8))),
            .init(number: 2, payload: .bytes(WireRecord.encode(value))),
        ]
    }

    private mutating func parseValue(_ info: OptionFieldInfo, into entry: inout Collected, depth: Int) throws(Failure) {
        entry.count += 1
        switch info.type {
        case .message, .group:
            let close: String
            if tryConsume("{") {
                close = "}"
            } else if tryConsume("<") {
                close = ">"
            } else {
                throw Failure(message: "Expected \"{\", found \"\(token?.text ?? "")\".")
            }
            guard let type = builder.optionMessage(named: info.typeName) else {
                throw Failure(message: "Unknown message type \"\(info.typeName)\".")
            }
            let records = try parseMessage(type, closing: close, depth: depth + 1)
            entry.records.append(info.type == .group ? .group(records) : .bytes(WireRecord.encode(records)))
        case .string, .bytes:
            guard let t = token, t.kind == .string else {
                throw Failure(message: "Expected string, got: \(token?.text ?? "")")
            }
            var bytes: [UInt8] = []
            while let t = token, t.kind == .string {
                bytes += t.bytes
                index += 1
            }
            if !info.hasPresence && !info.isRepeated && bytes.isEmpty { return }
            entry.records.append(.bytes(bytes))
        default:
            let payload = try parseScalar(info)
            if !info.hasPresence && !info.isRepeated && Self.isZero(payload) { return }
            if info.isPacked {
                var raw: [UInt8] = []
                WireRecord(number: 1, payload: payload).encode(into: &raw)
                raw.removeFirst()  // drop the one-byte tag of field 1
                entry.packed += raw
            }
            entry.records.append(payload)
        }
    }

    static func isZero(_ payload: WireRecord.Payload) -> Bool {
        switch payload {
        case .varint(let v): v == 0
        case .fixed32(let v): v == 0
        case .fixed64(let v): v == 0
        default: false
        }
    }

    private mutating func parseScalar(_ info: OptionFieldInfo) throws(Failure) -> WireRecord.Payload {
        let negative = tryConsume("-")
        guard let t = token else { throw Failure(message: "Unexpected end of value.") }
        switch info.type {
        case .bool:
            index += 1
            if !negative {
                switch t.text {
                case "true", "True", "t", "1": return .varint(1)
                case "false", "False", "f", "0": return .varint(0)
                default: break
                }
            }
            throw Failure(message: "Invalid value for boolean field \"\(info.name)\". Value: \"\(t.text)\".")
        case .float, .double:
            index += 1
            var value: Double
            switch t.kind {
            case .integer:
                value = ProtoLexer.parseInteger(t.text, max: .max).map(Double.init) ?? ProtoNumberText.parseFloat(t.text)
            case .float:
                value = ProtoNumberText.parseFloat(t.text)
            case .identifier where ["inf", "infinity"].contains(t.text.lowercased()):
                value = .infinity
            case .identifier where t.text.lowercased() == "nan":
                value = .nan
            default:
                throw Failure(message: "Expected double, got: \(t.text)")
            }
            if negative { value = -value }
            return info.type == .float
                ? .fixed32(ProtoNumberText.safeFloat(value).bitPattern) : .fixed64(value.bitPattern)
        case .enum:
            index += 1
            let values = builder.optionEnum(named: info.typeName)?.value ?? []
            if t.kind == .identifier && !negative {
                guard let v = values.first(where: { $0.name == t.text }) else {
                    throw Failure(message: "Unknown enumeration value of \"\(t.text)\" for field \"\(info.name)\".")
                }
                return .varint(UInt64(bitPattern: Int64(v.number)))
            }
            guard t.kind == .integer, let magnitude = ProtoLexer.parseInteger(t.text, max: UInt64(Int32.max) + 1) else {
                throw Failure(message: "Expected integer or identifier, got: \(t.text)")
            }
            let number = negative ? -Int64(magnitude) : Int64(magnitude)
            guard number <= Int64(Int32.max) else { throw Failure(message: "Integer out of range (\(t.text))") }
            return .varint(UInt64(bitPattern: number))
        default:
            index += 1
            guard t.kind == .integer else { throw Failure(message: "Expected integer, got: \(t.text)") }
            let signed = [.int32, .sint32, .sfixed32, .int64, .sint64, .sfixed64].contains(info.type)
            let is32 = [.int32, .sint32, .sfixed32, .uint32, .fixed32].contains(info.type)
            if negative && !signed { throw Failure(message: "Expected integer, got: -") }
            var max: UInt64 = signed ? (is32 ? UInt64(Int32.max) : UInt64(Int64.max)) : (is32 ? UInt64(UInt32.max) : .max)
            if negative { max += 1 }
            guard let magnitude = ProtoLexer.parseInteger(t.text, max: max) else {
                throw Failure(message: "Integer out of range (\(negative ? "-" : "")\(t.text))")
            }
            let bits: UInt64 = negative ? 0 &- magnitude : magnitude
            return Self.encodeInteger(bits, type: info.type)
        }
    }

    /// Encodes a two's-complement 64-bit value as a field of `type`.
    static func encodeInteger(_ bits: UInt64, type: FieldProto.TypeEnum) -> WireRecord.Payload {
        let signed = Int64(bitPattern: bits)
        switch type {
        case .sint32:
            let v = Int32(truncatingIfNeeded: signed)
            return .varint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        case .sint64:
            return .varint(UInt64(bitPattern: (signed << 1) ^ (signed >> 63)))
        case .sfixed32, .fixed32:
            return .fixed32(UInt32(truncatingIfNeeded: bits))
        case .sfixed64, .fixed64:
            return .fixed64(bits)
        case .int32:
            return .varint(UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: signed))))
        default:
            return .varint(bits)
        }
    }
}
