/// One field occurrence in protobuf wire format, as protoc's `UnknownFieldSet` holds interpreted options.
struct WireRecord: Sendable, Equatable {
    enum Payload: Sendable, Equatable {
        case varint(UInt64)
        case fixed32(UInt32)
        case fixed64(UInt64)
        case bytes([UInt8])
        case group([WireRecord])
    }

    var number: Int32
    var payload: Payload

    func encode(into out: inout [UInt8]) {
        let n = UInt64(UInt32(bitPattern: number))
        switch payload {
        case .varint(let v):
            WireRecord.putVarint(n << 3, &out)
            WireRecord.putVarint(v, &out)
        case .fixed32(let v):
            WireRecord.putVarint(n << 3 | 5, &out)
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
        case .fixed64(let v):
            WireRecord.putVarint(n << 3 | 1, &out)
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        case .bytes(let b):
            WireRecord.putVarint(n << 3 | 2, &out)
            WireRecord.putVarint(UInt64(b.count), &out)
            out += b
        case .group(let records):
            WireRecord.putVarint(n << 3 | 3, &out)
            for r in records { r.encode(into: &out) }
            WireRecord.putVarint(n << 3 | 4, &out)
        }
    }

    static func encode(_ records: [WireRecord]) -> [UInt8] {
        var out: [UInt8] = []
        for r in records { r.encode(into: &out) }
        return out
    }

    static func putVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Parses `bytes` as a sequence of fields; nil if it is not well-formed (e.g. a string payload).
    static func parse(_ bytes: [UInt8]) -> [WireRecord]? {
        var i = 0
        guard let records = parse(bytes, &i, endGroup: nil, depth: 0), i == bytes.count else { return nil }
        return records
    }

    private static func parse(_ bytes: [UInt8], _ i: inout Int, endGroup: Int32?, depth: Int) -> [WireRecord]? {
        guard depth < 64 else { return nil }
        var records: [WireRecord] = []
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count && shift < 64 {
                let b = bytes[i]
                i += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let key = varint(), key >> 3 > 0, key >> 3 <= UInt64(Int32.max) else { return nil }
            let number = Int32(key >> 3)
            switch key & 7 {
            case 0:
                guard let v = varint() else { return nil }
                records.append(.init(number: number, payload: .varint(v)))
            case 1:
                guard i + 8 <= bytes.count else { return nil }
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
                i += 8
                records.append(.init(number: number, payload: .fixed64(v)))
            case 2:
                guard let len = varint(), len <= UInt64(bytes.count - i) else { return nil }
                records.append(.init(number: number, payload: .bytes(Array(bytes[i..<(i + Int(len))]))))
                i += Int(len)
            case 3:
                guard let inner = parse(bytes, &i, endGroup: number, depth: depth + 1) else { return nil }
                records.append(.init(number: number, payload: .group(inner)))
            case 4:
                return number == endGroup ? records : nil
            case 5:
                guard i + 4 <= bytes.count else { return nil }
                var v: UInt32 = 0
                for k in 0..<4 { v |= UInt32(bytes[i + k]) << (8 * UInt32(k)) }
                i += 4
                records.append(.init(number: number, payload: .fixed32(v)))
            default:
                return nil
            }
        }
        return endGroup == nil ? records : nil
    }
}
