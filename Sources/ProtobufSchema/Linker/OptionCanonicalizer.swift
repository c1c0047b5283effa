import SwiftProtobuf

/// protoc writes descriptor sets after re-reading each file's descriptor as a dynamic message that knows every
/// extension of the compilation, dropping source-retention options (`StripSourceRetentionOptions`). The effect on
/// an options message: fields in number order, several occurrences of a singular message option merged into one,
/// the last occurrence of a singular scalar kept, repeated scalars packed or not as declared, implicit-presence
/// zeros dropped, unknown fields last. This reproduces it on wire records.
struct OptionCanonicalizer {
    let builder: FileBuilder
    /// Extensions of the compilation by extendee and number.
    let extensions: [String: [Int32: OptionFieldInfo]]

    init(builder: FileBuilder) {
        self.builder = builder
        var byExtendee: [String: [Int32: OptionFieldInfo]] = [:]
        for (name, symbol) in builder.symbols.symbols where symbol.kind == .extensionField {
            guard let info = builder.extensionInfo(name, symbol) else { continue }
            byExtendee[info.containingType, default: [:]][info.number] = info
        }
        extensions = byExtendee
    }

    func canonicalize(_ records: [WireRecord], type typeName: String, depth: Int = 0) -> [WireRecord] {
        guard depth < 64, let type = builder.optionMessage(named: typeName) else { return records }
        var fields: [Int32: OptionFieldInfo] = [:]
        for info in builder.optionFields(of: type).values { fields[info.number] = info }
        for (number, info) in extensions[typeName] ?? [:] { fields[number] = info }
        var known: [Int32: [WireRecord]] = [:]
        var unknown: [WireRecord] = []
        for record in records {
            if let info = fields[record.number], Self.wireTypeFits(record.payload, info) {
                known[record.number, default: []].append(record)
            } else {
                unknown.append(record)
            }
        }
        var out: [WireRecord] = []
        for number in known.keys.sorted() {
            guard let info = fields[number], let list = known[number], !info.sourceRetention else { continue }
            out += canonicalField(info, list, depth: depth)
        }
        return out + unknown
    }

    private func canonicalField(_ info: OptionFieldInfo, _ list: [WireRecord], depth: Int) -> [WireRecord] {
        let n = info.number
        switch info.type {
        case .message, .group:
            let contents: [[WireRecord]] = list.map { record in
                switch record.payload {
                case .bytes(let b): WireRecord.parse(b) ?? []
                case .group(let g): g
                default: []
                }
            }
            let messages = info.isRepeated ? contents : [contents.flatMap { $0 }]
            return messages.map { inner in
                let canonical = canonicalize(inner, type: info.typeName, depth: depth + 1)
                return WireRecord(
                    number: n,
                    payload: info.type == .group ? .group(canonical) : .bytes(WireRecord.encode(canonical))
                )
            }
        case .string, .bytes:
            let kept = info.isRepeated ? list : Array(list.suffix(1))
            if !info.isRepeated && !info.hasPresence, case .bytes(let b)? = kept.first?.payload, b.isEmpty { return [] }
            return kept
        default:
            var values: [WireRecord.Payload] = []
            for record in list {
                if case .bytes(let packed) = record.payload {
                    values += Self.unpack(packed, type: info.type)
                } else {
                    values.append(record.payload)
                }
            }
            if !info.isRepeated {
                guard let last = values.last else { return [] }
                if !info.hasPresence && AggregateValueParser.isZero(last) { return [] }
                return [WireRecord(number: n, payload: last)]
            }
            if info.isPacked {
                guard !values.isEmpty else { return [] }
                var raw: [UInt8] = []
                for v in values {
                    var one: [UInt8] = []
                    WireRecord(number: 1, payload: v).encode(into: &one)
                    raw += one.dropFirst()
                }
                return [WireRecord(number: n, payload: .bytes(raw))]
            }
            return values.map { WireRecord(number: n, payload: $0) }
        }
    }

    static func wireTypeFits(_ payload: WireRecord.Payload, _ info: OptionFieldInfo) -> Bool {
        switch (payload, info.type) {
        case (.bytes, .message), (.bytes, .string), (.bytes, .bytes), (.group, .group): return true
        case (.bytes, _): return info.isRepeated && info.isScalarPackable
        case (.varint, .int32), (.varint, .int64), (.varint, .uint32), (.varint, .uint64), (.varint, .sint32),
            (.varint, .sint64), (.varint, .bool), (.varint, .enum):
            return true
        case (.fixed32, .fixed32), (.fixed32, .sfixed32), (.fixed32, .float): return true
        case (.fixed64, .fixed64), (.fixed64, .sfixed64), (.fixed64, .double): return true
        default: return false
        }
    }

    /// The values of a packed repeated scalar.
    static func unpack(_ bytes: [UInt8], type: FieldProto.TypeEnum) -> [WireRecord.Payload] {
        var values: [WireRecord.Payload] = []
        var i = 0
        switch type {
        case .fixed32, .sfixed32, .float:
            while i + 4 <= bytes.count {
                var v: UInt32 = 0
                for k in 0..<4 { v |= UInt32(bytes[i + k]) << (8 * UInt32(k)) }
                values.append(.fixed32(v))
                i += 4
            }
        case .fixed64, .sfixed64, .double:
            while i + 8 <= bytes.count {
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
                values.append(.fixed64(v))
                i += 8
            }
        default:
            while i < bytes.count {
                var v: UInt64 = 0
                var shift: UInt64 = 0
                while i < bytes.count && shift < 64 {
                    let b = bytes[i]
                    i += 1
                    v |= UInt64(b & 0x7F) << shift
                    if b < 0x80 { break }
                    shift += 7
                }
                values.append(.varint(v))
            }
        }
        return values
    }
}
