// Avro's binary and JSON decoders on any payload of any schema. Input: schema text, a 0 byte, a mode byte, the
// payload. Mode bit 0: 0 binary, 1 JSON; bit 1: JSON style avro (union-wrapped) or plain.
// Whatever decodes must encode again and read back to the same value (binary, avro-style JSON; plain JSON when it
// can be written); validate and decode must agree.
import AvroCodec
import JSONSupport

/// JSON writes every NaN as "NaN", so a NaN's payload bits do not survive it.
func quietNaNs(_ value: AvroValue) -> AvroValue {
    switch value {
    case .float(let x) where x.isNaN: .float(.nan)
    case .double(let x) where x.isNaN: .double(.nan)
    case .array(let items): .array(items.map(quietNaNs))
    case .record(let fields): .record(fields.map(quietNaNs))
    case .map(let entries): .map(entries.map { AvroMapEntry($0.key, quietNaNs($0.value)) })
    case .union(let branch, let inner): .union(branch: branch, value: quietNaNs(inner))
    default: value
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let split = input.firstIndex(of: 0), split + 1 < input.count else { return 0 }
    let text = String(decoding: input[..<split], as: UTF8.self)
    guard let schema = try? AvroSchema(parsing: text) else { return 0 }
    let mode = input[split + 1]
    let payload = Array(input[(split + 2)...])
    let codec = AvroDatumCodec(schema: schema)
    let value: AvroValue
    if mode & 1 == 0 {
        let decoded = Result { () throws(AvroError) in try codec.decode(payload) }
        let validated = Result { () throws(AvroError) in try codec.validate(payload) }
        switch (decoded, validated) {
        case (.success(let v), .success): value = v
        case (.failure, .failure): return 0
        case (.success, .failure(let error)): fatalError("decode accepts what validate refuses: \(error)")
        case (.failure(let error), .success): fatalError("validate accepts what decode refuses: \(error)")
        }
    } else {
        guard let json = try? JSONParser.parse(payload),
            let v = try? schema.value(fromJSON: json, style: mode & 2 == 0 ? .plain : .avro)
        else { return 0 }
        value = v
    }
    do {
        let bytes = try codec.encode(value)
        try codec.validate(bytes)
        let back = try codec.decode(bytes)
        if let difference = firstDifference(back, value) { fatalError("binary round trip differs at \(difference)") }
        let json = try schema.json(from: value, style: .avro)
        let fromJSON = try schema.value(fromJSON: JSONParser.parse(json.serialized()), style: .avro)
        if let difference = firstDifference(quietNaNs(fromJSON), quietNaNs(value)) {
            fatalError("JSON round trip differs at \(difference)")
        }
        // Plain JSON may refuse a value with a typed error (a decimal beyond its precision has no number form);
        // what it writes must read back.
        if let plain = try? schema.json(from: value, style: .plain) {
            _ = try schema.value(fromJSON: JSONParser.parse(plain.serialized()), style: .plain)
        }
    } catch {
        fatalError("a decoded value does not round-trip: \(error)")
    }
    return 0
}
