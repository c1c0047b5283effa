import Foundation
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf

/// The Protobuf rows of accord-bench, each an operation done by ours and by a peer on the same bytes
/// (records of `accord.bench.Order`, bench/bench.proto, generated once from a fixed seed and written to
/// one file of length-prefixed records that every process reads into memory before timing):
///
/// | row | ours | like-for-like peer (C++ libprotobuf, bench/cpp/proto_peer.cc, its own process) |
/// |---|---|---|
/// | proto-validate | `validate` (checks bytes against the schema, builds nothing) | `cpp-skip`: `WireFormatLite::SkipMessage` |
/// | proto-parse | `decode` → `ProtoMessage` | `cpp-dynamic` (DynamicMessage, reused), `cpp-generated` (protoc --cpp_out, reused) |
/// | proto-encode | `encode(ProtoMessage)` → bytes | `SerializeToArray` of DynamicMessage (`cpp-dynamic`) and generated (`cpp-generated`) |
/// | proto-to-json | `decodeToJSON` + compact JSON text | `cpp-json`: generated `ParseFromArray` + `MessageToJsonString` |
///
/// Reference rows: protobuf-c (in-process, `protobuf_c_message_unpack`/`_pack`) and Python protobuf on
/// upb (`upb-from-python`, a subprocess; Python's interpreter cost is in its figures).
final class ProtoBench {
    static let descriptorSetPath = "bench/bench.pb"
    static let protoDir = "bench"
    static let protoFile = "bench.proto"
    static let messageName = "accord.bench.Order"
    static let upbScript = "bench/upb_bench.py"
    /// `id`: folded into the parse checksums by every peer.
    static let idField = 14

    let codec: ProtoMessageCodec
    /// The records as read back from `recordsPath` (the file the peers read).
    let records: RecordSet
    let recordArrays: [[UInt8]]
    /// The records parsed into in-memory messages once, before timing (as every encode peer does).
    let messages: [ProtoMessage]
    let corrupt: CorruptSet
    let protobufC: ProtoCBench
    let cpp: LinePeer?
    let upb: UpbPeer?
    let recordsPath: String
    let corruptPath: String
    let minSeconds: Double
    /// The to-json folds (of text lengths) of ours and of cpp-json, checked equivalent before timing:
    /// the JSON values are the same though a few texts differ in length (`334.0` against `334`).
    private var jsonChecksums: (ours: UInt64, cpp: UInt64)?
    /// What was checked before timing, for the report.
    private(set) var checks: [String] = []

    /// Generates and encodes the records, writes them (and the corrupted set) to files, starts the C++
    /// peer on them, and checks that every peer reads them as we do: the same bytes back, the same JSON
    /// text, the same verdicts on corrupted records. `python` nil leaves upb out; `cppPeer` nil the C++ peer.
    init(count: Int, seed: UInt64, python: String?, cppPeer: String?, minSeconds: Double) throws(BenchFailure) {
        self.minSeconds = minSeconds
        let schema: ProtoSchema
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.descriptorSetPath))
            schema = try ProtoSchema(descriptorSet: try Google_Protobuf_FileDescriptorSet(serializedBytes: data))
            codec = try ProtoMessageCodec(schema: schema, messageName: Self.messageName)
        } catch {
            throw BenchFailure("\(Self.descriptorSetPath): \(error)")
        }
        var generator = ProtoOrderGenerator(seed: seed)
        var generated = RecordSet()
        for index in 0..<count {
            let document = generator.next(id: 2_000_000_011 &+ Int64(index) &* 7919)
            do {
                let bytes = try codec.encode(json: document)
                guard try codec.encode(json: try codec.decodeToJSON(bytes)) == bytes else {
                    throw BenchFailure("record \(index) does not round-trip")
                }
                generated.append(bytes)
            } catch {
                throw BenchFailure("protobuf record \(index): \(error)")
            }
        }

        // One file of length-prefixed records for every process; ours reads it back like the peers.
        let directory = NSTemporaryDirectory()
        recordsPath = directory + "accord-bench-proto-\(getpid()).bin"
        corruptPath = directory + "accord-bench-proto-corrupt-\(getpid()).bin"
        try FastavroPeer.writeRecords(generated, to: recordsPath)
        records = try readRecords(recordsPath)
        guard records.storage == generated.storage, records.count == generated.count else {
            throw BenchFailure("\(recordsPath) does not read back as written")
        }
        corrupt = CorruptSet(valid: Array(records.record(0)))
        try FastavroPeer.writeRecords(corrupt.records, to: corruptPath)

        var arrays: [[UInt8]] = []
        var messages: [ProtoMessage] = []
        for index in 0..<records.count {
            let bytes = Array(records.record(index))
            do {
                let message = try codec.decode(bytes)
                guard try codec.encode(message) == bytes else {
                    throw BenchFailure("record \(index) does not serialize back from its message")
                }
                guard message.scalarBits(fieldNumber: Self.idField) != nil else {
                    throw BenchFailure("record \(index) has no id")
                }
                messages.append(message)
            } catch let error as BenchFailure {
                throw error
            } catch {
                throw BenchFailure("protobuf record \(index): \(error)")
            }
            arrays.append(bytes)
        }
        recordArrays = arrays
        self.messages = messages

        do {
            protobufC = try ProtoCBench(descriptors: try ProtoCDescriptors(schema: schema), messageName: Self.messageName)
        } catch let error as BenchFailure {
            throw error
        } catch {
            throw BenchFailure("protobuf-c: \(error)")
        }
        try protobufC.prebuild(records)

        if let cppPeer {
            cpp = try LinePeer(name: "C++", executable: cppPeer,
                               arguments: [Self.protoDir, Self.protoFile, Self.messageName, recordsPath, corruptPath])
        } else {
            cpp = nil
        }
        if let python {
            upb = UpbPeer(python: python, script: Self.upbScript, descriptorSetPath: Self.descriptorSetPath,
                          messageName: Self.messageName, recordsPath: recordsPath, minSeconds: minSeconds)
        } else {
            upb = nil
        }
        try checkPeers()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: recordsPath)
        try? FileManager.default.removeItem(atPath: corruptPath)
    }

    var summary: String {
        let total = records.storage.count
        return "\(records.count) records of \(Self.messageName) (\(Self.protoDir)/\(Self.protoFile)), \(total) bytes "
            + "(mean \(fixed(bytesPerRecord, places: 1)) bytes/record)"
            + (cpp.map { "; C++ peer: libprotobuf \($0.banner.split(separator: "=").last ?? "?")" } ?? "")
    }

    var bytesPerRecord: Double { Double(records.storage.count) / Double(max(records.count, 1)) }

    // MARK: ours, one pass each, folding what the peers fold

    private func oursValidate() -> UInt64? {
        let codec = codec
        return records.storage.withUnsafeBytes { buffer -> UInt64? in
            var h = foldSeed
            for span in records.spans {
                let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                guard (try? codec.validate(slice)) != nil else { return nil }
                h = fold(h, UInt64(span.length))
            }
            return h
        }
    }

    private func oursParse() -> UInt64? {
        var h = foldSeed
        for bytes in recordArrays {
            guard let message = try? codec.decode(bytes), let id = message.scalarBits(fieldNumber: Self.idField) else { return nil }
            h = fold(h, id)
        }
        return h
    }

    private func oursEncode() -> UInt64? {
        var h = foldSeed
        for message in messages {
            guard let bytes = try? codec.encode(message), let last = bytes.last else { return nil }
            h = fold(fold(h, UInt64(bytes.count)), UInt64(last))
        }
        return h
    }

    /// Bytes to JSON text (compact), into one reused buffer, as the C++ peer prints into one reused string.
    private func oursToJSON(_ text: inout [UInt8]) -> UInt64? {
        var h = foldSeed
        for bytes in recordArrays {
            guard let value = try? codec.decodeToJSON(bytes) else { return nil }
            text.removeAll(keepingCapacity: true)
            value.write(into: &text)
            h = fold(h, UInt64(text.count))
        }
        return h
    }

    // MARK: checks before timing

    /// Ours' verdict (accepted?) for each corrupted record, for one operation.
    private func oursVerdicts(_ operation: String) -> [Bool] {
        corrupt.records.spans.indices.map { index in
            let bytes = Array(corrupt.records.record(index))
            switch operation {
            case "validate": return (try? codec.validate(bytes)) != nil
            case "parse": return (try? codec.decode(bytes)) != nil
            default: return (try? codec.decodeToJSON(bytes)) != nil
            }
        }
    }

    /// The peers must read the records as we do and reject what we reject: the same JSON text for every
    /// record, the same verdict on every corrupted record (wire-level corruptions for `cpp-skip`, which
    /// does not look inside length-delimited fields; all of them for the parsers).
    private func checkPeers() throws(BenchFailure) {
        let wire = corrupt.kinds.indices.filter { corrupt.kinds[$0].level == .wire }
        let allIndexes = Array(corrupt.kinds.indices)
        func compare(_ peer: String, _ operation: String, _ theirs: [Bool], _ indexes: [Int]) throws(BenchFailure) {
            let ours = oursVerdicts(operation)
            guard theirs.count == ours.count else { throw BenchFailure("\(peer): \(theirs.count) verdicts for \(ours.count) records") }
            for index in indexes where ours[index] != theirs[index] {
                throw BenchFailure("corrupted record \(index) (\(corrupt.kinds[index].name)): ours "
                    + "\(ours[index] ? "accepts" : "rejects") it (\(operation)), \(peer) "
                    + "\(theirs[index] ? "accepts" : "rejects") it")
            }
            let extra = Set(allIndexes).subtracting(indexes).sorted().filter { ours[$0] != theirs[$0] }
            checks.append("\(peer) vs ours (\(operation)): the same verdict on \(indexes.count) corrupted/control records"
                + (extra.isEmpty ? "" : "; on \(extra.count) more it differs, as expected: "
                    + extra.map { "\(corrupt.kinds[$0].name) (ours \(ours[$0] ? "accepts" : "rejects"), \(peer) \(theirs[$0] ? "accepts" : "rejects"))" }
                        .joined(separator: ", ")))
        }
        if let cpp {
            try compare("cpp-skip", "validate", try cpp.verdicts("cpp-skip"), wire)
            try compare("cpp-dynamic", "parse", try cpp.verdicts("cpp-dynamic-parse"), allIndexes)
            try compare("cpp-generated", "parse", try cpp.verdicts("cpp-generated-parse"), allIndexes)
            try compare("cpp-json", "to-json", try cpp.verdicts("cpp-json"), allIndexes)
            // The same JSON text, byte for byte, or the to-json row would not compare like with like.
            let theirs = try cpp.jsonTexts(path: NSTemporaryDirectory() + "accord-bench-json-\(getpid()).txt")
            guard theirs.count == recordArrays.count else { throw BenchFailure("cpp-json printed \(theirs.count) texts") }
            var differing: [Int] = []
            var textsDiffer = 0
            var oursLengths = foldSeed
            var theirLengths = foldSeed
            for (index, bytes) in recordArrays.enumerated() {
                var text: [UInt8] = []
                guard let value = try? codec.decodeToJSON(bytes) else { throw BenchFailure("ours cannot print record \(index)") }
                value.write(into: &text)
                oursLengths = fold(oursLengths, UInt64(text.count))
                theirLengths = fold(theirLengths, UInt64(theirs[index].utf8.count))
                if text == Array(theirs[index].utf8) { continue }
                textsDiffer += 1
                // C++ prints a map's entries in its hash order, ours in key order (as on the wire), and a
                // double with an integral value as `334` where ours (like Python's json_format) prints
                // `334.0`: the same JSON value, member by member, number by number.
                guard let parsed = try? JSONParser.parse(theirs[index]), sameJSON(parsed, value) else {
                    differing.append(index)
                    continue
                }
            }
            if let first = differing.first {
                var text: [UInt8] = []
                (try? codec.decodeToJSON(recordArrays[first]))?.write(into: &text)
                throw BenchFailure("JSON differs on \(differing.count) records; record \(first):\n  ours: "
                    + String(decoding: text, as: UTF8.self) + "\n  C++:  " + theirs[first])
            }
            jsonChecksums = (ours: oursLengths, cpp: theirLengths)
            checks.append("cpp-json prints the same JSON value as ours for all \(recordArrays.count) records "
                + "(the same text for \(recordArrays.count - textsDiffer); on \(textsDiffer) the text differs only in the order of "
                + "map entries, C++'s hash order against ours' key order, or in `334` (C++) against `334.0` (ours, as Python's json_format))")
            checks.append("cpp-dynamic and cpp-generated re-serialize every record byte for byte (deterministic mode, checked in the peer)")
        }
        // protobuf-c (a reference row) rejects a known field with the wrong wire type, which protobuf's
        // parsers keep as an unknown field: it is held to the corruptions only, the controls reported.
        let corruptions = wire.filter { !corrupt.kinds[$0].name.hasPrefix("control") }
        try compare("protobuf-c", "parse", protobufC.accepts(corrupt.records), corruptions)
    }

    // MARK: units

    func units() -> [BenchUnit] {
        let count = records.count
        let minSeconds = minSeconds
        let size = bytesPerRecord
        var text: [UInt8] = []
        text.reserveCapacity(4096)
        var units: [BenchUnit] = []
        func ours(_ pass: @escaping () -> UInt64?) -> () throws(BenchFailure) -> Measured {
            { () throws(BenchFailure) -> Measured in try timedFigure(records: count, minSeconds: minSeconds, pass) }
        }
        let validate = ours { [unowned self] in oursValidate() }
        let parse = ours { [unowned self] in oursParse() }
        let encode = ours { [unowned self] in oursEncode() }
        let toJSON = ours { [unowned self] in oursToJSON(&text) }
        if let cpp {
            let jsonChecksums = jsonChecksums
            func peer(_ name: String) -> () throws(BenchFailure) -> Measured {
                { () throws(BenchFailure) -> Measured in
                    let result = try cpp.run(name, records: count, minSeconds: minSeconds)
                    // cpp-json's fold is of its own text lengths; the check before timing showed its texts
                    // mean what ours do, so its expected fold stands for ours' (anything else still fails).
                    if name == "cpp-json", let jsonChecksums, result.checksum == jsonChecksums.cpp {
                        return Measured(rate: result.rate, checksum: jsonChecksums.ours)
                    }
                    return Measured(rate: result.rate, checksum: result.checksum)
                }
            }
            units += [
                BenchUnit(row: "proto-validate", peer: "cpp-skip", reference: false, bytesPerRecord: size, ours: validate, theirs: peer("cpp-skip")),
                BenchUnit(row: "proto-parse", peer: "cpp-dynamic", reference: false, bytesPerRecord: size, ours: parse, theirs: peer("cpp-dynamic-parse")),
                BenchUnit(row: "proto-parse", peer: "cpp-generated", reference: false, bytesPerRecord: size, ours: parse, theirs: peer("cpp-generated-parse")),
                BenchUnit(row: "proto-encode", peer: "cpp-dynamic", reference: false, bytesPerRecord: size, ours: encode, theirs: peer("cpp-dynamic-encode")),
                BenchUnit(row: "proto-encode", peer: "cpp-generated", reference: false, bytesPerRecord: size, ours: encode, theirs: peer("cpp-generated-encode")),
                BenchUnit(row: "proto-to-json", peer: "cpp-json", reference: false, bytesPerRecord: size, ours: toJSON, theirs: peer("cpp-json")),
            ]
        }
        let protobufC = protobufC
        let records = records
        units += [
            BenchUnit(row: "proto-parse", peer: "protobuf-c", reference: true, bytesPerRecord: size, ours: parse,
                      theirs: { () throws(BenchFailure) -> Measured in
                          try timedFigure(records: count, minSeconds: minSeconds) { protobufC.unpackAll(records) } }),
            BenchUnit(row: "proto-encode", peer: "protobuf-c", reference: true, bytesPerRecord: size, ours: encode,
                      theirs: { () throws(BenchFailure) -> Measured in
                          try timedFigure(records: count, minSeconds: minSeconds) { protobufC.packAll() } }),
        ]
        if let upb {
            units += [
                BenchUnit(row: "proto-parse", peer: "upb-from-python", reference: true, bytesPerRecord: size, ours: parse,
                          theirs: { () throws(BenchFailure) -> Measured in try upb.run("parse") }),
                BenchUnit(row: "proto-encode", peer: "upb-from-python", reference: true, bytesPerRecord: size, ours: encode,
                          theirs: { () throws(BenchFailure) -> Measured in try upb.run("serialize") }),
            ]
        }
        return units
    }
}

/// Records that every parser must reject (or, the controls, accept) alike: a valid record with a
/// corruption appended or cut off. `wire` corruptions break the wire format itself (any reader, even a
/// skipper, must notice); `schema` ones are well-formed on the wire but wrong for the schema (invalid
/// UTF-8 in a proto3 string, a broken sub-message), which only a reader that looks inside fields sees.
struct CorruptSet {
    enum Level { case wire, schema }
    struct Kind {
        let name: String
        let level: Level
    }
    var records = RecordSet()
    var kinds: [Kind] = []

    init(valid r: [UInt8]) {
        func add(_ name: String, _ level: Level, _ bytes: [UInt8]) {
            records.append(bytes)
            kinds.append(Kind(name: name, level: level))
        }
        add("truncated last varint", .wire, Array(r.dropLast()))
        add("wire type 7", .wire, r + [0x0F])
        add("wire type 6", .wire, r + [0x0E])
        add("stray end-group", .wire, r + [0x0C])
        add("unclosed group", .wire, r + [0x0B])
        add("length past the end", .wire, r + [0x7A, 0x64, 0x61, 0x62, 0x63])
        add("tag 0", .wire, r + [0x00])
        add("11-byte varint", .wire, r + [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01])
        add("truncated fixed64", .wire, r + [0x31, 1, 2, 3])
        add("control: unknown varint field 15 (accepted)", .wire, r + [0x78, 0x01])
        add("control: int32 field 1 sent as length-delimited (unknown, accepted)", .wire, r + [0x0A, 0x01, 0x00])
        add("invalid UTF-8 in string field 3", .schema, r + [0x1A, 0x02, 0xC3, 0x28])
        add("sub-message field 7 holding a truncated varint", .schema, r + [0x3A, 0x02, 0x20, 0xFF])
        add("sub-message field 7 with a string running past its end", .schema, r + [0x3A, 0x02, 0x0A, 0x05])
    }
}

/// Reads a file written by `FastavroPeer.writeRecords` into one buffer.
func readRecords(_ path: String) throws(BenchFailure) -> RecordSet {
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchFailure("cannot read \(path)") }
    let bytes = [UInt8](data)
    func u32(_ at: Int) throws(BenchFailure) -> Int {
        guard at + 4 <= bytes.count else { throw BenchFailure("\(path) is truncated") }
        return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }
    var records = RecordSet()
    let count = try u32(0)
    var offset = 4
    for _ in 0..<count {
        let length = try u32(offset)
        offset += 4
        guard offset + length <= bytes.count else { throw BenchFailure("\(path) is truncated") }
        records.append(Array(bytes[offset..<(offset + length)]))
        offset += length
    }
    return records
}

/// Whether two JSON values are the same: objects member by member regardless of order, numbers by value.
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.number(let x), .number(let y)): return x.text == y.text || (Double(x.text).map { $0 == Double(y.text) } ?? false)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
    case (.object(let x), .object(let y)):
        guard x.members.count == y.members.count else { return false }
        var other: [String: JSONValue] = [:]
        for member in y.members { other[member.key] = member.value }
        return x.members.allSatisfy { member in other[member.key].map { sameJSON(member.value, $0) } ?? false }
    default: return false
    }
}
