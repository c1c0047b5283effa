// Differential: our Avro binary decoder against libavro (Apache Avro C) on the payloads we accept. Input: 8
// bytes seeding the differential tests' schema generator (a record of primitives, records, enums, fixed,
// arrays, maps and unions; none of libavro's known differences), then the payload. When we decode a value,
// libavro must read the same bytes to the same value, and both must encode that value to the same bytes.
// Payloads we refuse are not given to libavro: it leaks on truncated input (see the differential tests); nor
// are map keys with a NUL, which libavro cuts short.
// With ACCORD_FUZZ_SEEDS=DIR the target writes seed inputs (generated values, encoded by libavro) and exits.
import AvroCodec
import CAvro
import Foundation

/// The schema of the last seed: consecutive inputs often share it, and libavro's schema is costly to build.
nonisolated(unsafe) var cached: (seed: UInt64, codec: AvroDatumCodec, reference: LibAvroSchema)?

func schemaFor(seed: UInt64) -> (AvroDatumCodec, LibAvroSchema)? {
    if let cached, cached.seed == seed { return (cached.codec, cached.reference) }
    var generator = SchemaGenerator(seed: seed)
    let json = generator.rootSchema()
    guard let schema = try? AvroSchema(parsing: json) else { fatalError("generated schema refused: \(json)") }
    guard let reference = try? LibAvroSchema(json: json) else { fatalError("libavro refused \(json)") }
    let codec = AvroDatumCodec(schema: schema)
    cached = (seed, codec, reference)
    return (codec, reference)
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["ACCORD_FUZZ_SEEDS"] else { return 0 }
    for index in 0..<200 {
        let seed = 0xACC0_2D00_0000_0000 &+ UInt64(index) &* 0x1_0000_0001
        guard let (codec, reference) = schemaFor(seed: seed) else { continue }
        var values = ValueGenerator(schema: codec.schema, seed: seed ^ 0x5EED)
        guard let payload = try? reference.encode(values.value()) else { continue }
        let bytes = withUnsafeBytes(of: seed.littleEndian) { Array($0) } + payload
        _ = FileManager.default.createFile(atPath: "\(directory)/generated-\(index)", contents: Data(bytes))
    }
    exit(0)
}

/// libavro keeps map keys as C strings, so a key with a NUL is cut short there (a known difference).
func hasNULInMapKey(_ value: AvroValue) -> Bool {
    switch value {
    case .map(let entries): entries.contains { $0.key.utf8.contains(0) || hasNULInMapKey($0.value) }
    case .array(let items), .record(let items): items.contains(where: hasNULInMapKey)
    case .union(_, let inner): hasNULInMapKey(inner)
    default: false
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard input.count >= 8 else { return 0 }
    var seed: UInt64 = 0
    for (shift, byte) in input.prefix(8).enumerated() { seed |= UInt64(byte) << (8 * shift) }
    guard let (codec, reference) = schemaFor(seed: seed) else { return 0 }
    let payload = Array(input.dropFirst(8))
    guard let ours = try? codec.decode(payload), !hasNULInMapKey(ours) else { return 0 }
    let theirs: AvroValue
    do {
        theirs = try reference.decode(payload)
    } catch {
        fatalError("we accept what libavro refuses (\(error)): \(hex(payload))")
    }
    if let difference = firstDifference(ours, theirs) {
        fatalError("we read \(hex(payload)) differently from libavro at \(difference)")
    }
    do {
        let ourBytes = try codec.encode(ours)
        let theirBytes = try reference.encode(ours)
        if ourBytes != theirBytes { fatalError("encodings differ: ours \(hex(ourBytes)), libavro \(hex(theirBytes))") }
    } catch {
        fatalError("a decoded value does not encode: \(error)")
    }
    return 0
}
