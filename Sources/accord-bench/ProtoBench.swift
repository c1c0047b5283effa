import Foundation
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf

/// The Protobuf rows of accord-bench: our ProtoMessageCodec (validate, decode to JSON, encode from JSON)
/// against protobuf-c (unpack, pack; in-process) and Python protobuf on upb (parse, serialize; a
/// subprocess), on the same records of `accord.bench.Order` (bench/bench.proto, loaded from bench/bench.pb).
final class ProtoBench {
    static let descriptorSetPath = "bench/bench.pb"
    static let messageName = "accord.bench.Order"
    static let upbScript = "bench/upb_bench.py"

    let codec: ProtoMessageCodec
    let records: RecordSet
    /// The same records as separate arrays, for the `[UInt8]` decode entry point.
    let recordArrays: [[UInt8]]
    let documents: [JSONValue]
    let protobufC: ProtoCBench
    let upb: UpbPeer?
    private let recordsPath: String

    /// Generates and encodes the records, and checks that protobuf-c and upb read and re-encode them to
    /// the same bytes. `python` nil leaves the upb peer out.
    init(count: Int, seed: UInt64, python: String?, minSeconds: Double) throws(BenchFailure) {
        let schema: ProtoSchema
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.descriptorSetPath))
            schema = try ProtoSchema(descriptorSet: try Google_Protobuf_FileDescriptorSet(serializedBytes: data))
            codec = try ProtoMessageCodec(schema: schema, messageName: Self.messageName)
        } catch {
            throw BenchFailure("\(Self.descriptorSetPath): \(error)")
        }
        var generator = ProtoOrderGenerator(seed: seed)
        var records = RecordSet()
        var arrays: [[UInt8]] = []
        var documents: [JSONValue] = []
        for index in 0..<count {
            let document = generator.next(id: 2_000_000_011 &+ Int64(index) &* 7919)
            do {
                let bytes = try codec.encode(json: document)
                try codec.validate(bytes)
                guard try codec.encode(json: try codec.decodeToJSON(bytes)) == bytes else {
                    throw BenchFailure("record \(index) does not round-trip")
                }
                records.append(bytes)
                arrays.append(bytes)
            } catch {
                throw BenchFailure("protobuf record \(index): \(error)")
            }
            documents.append(document)
        }
        self.records = records
        recordArrays = arrays
        self.documents = documents

        do {
            protobufC = try ProtoCBench(descriptors: try ProtoCDescriptors(schema: schema), messageName: Self.messageName)
        } catch let error as BenchFailure {
            throw error
        } catch {
            throw BenchFailure("protobuf-c: \(error)")
        }
        try protobufC.prebuild(records)

        recordsPath = NSTemporaryDirectory() + "accord-bench-proto-\(getpid()).bin"
        if let python {
            try FastavroPeer.writeRecords(records, to: recordsPath)
            upb = UpbPeer(python: python, script: Self.upbScript, descriptorSetPath: Self.descriptorSetPath,
                          messageName: Self.messageName, recordsPath: recordsPath, minSeconds: minSeconds)
        } else {
            upb = nil
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: recordsPath)
    }

    var summary: String {
        let total = records.storage.count
        return "\(records.count) records of \(Self.messageName) (\(Self.descriptorSetPath)), \(total) bytes "
            + "(mean \(fixed(Double(total) / Double(max(records.count, 1)), places: 1)) bytes/record)"
    }

    /// One round: every Protobuf figure once, each through `measure` (records per second into the table).
    func measureRound(
        _ measure: (String, () -> Int?) throws(BenchFailure) -> Void,
        record: (String, Double) -> Void
    ) throws(BenchFailure) {
        let count = records.count
        let codec = codec
        let failure = records.storage.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> BenchFailure? in
            do throws(BenchFailure) {
                try measure("pb-ours-validate") {
                    for span in records.spans {
                        let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                        guard (try? codec.validate(slice)) != nil else { return nil }
                    }
                    return count
                }
            } catch {
                return error
            }
            return nil
        }
        if let failure {
            throw failure
        }
        try measure("pb-ours-decode") {
            var members = 0
            for bytes in recordArrays {
                guard case .object(let object)? = try? codec.decodeToJSON(bytes) else { return nil }
                members &+= object.members.count
            }
            return members
        }
        try measure("pb-ours-encode") {
            var total = 0
            for document in documents {
                guard let bytes = try? codec.encode(json: document) else { return nil }
                total &+= bytes.count
            }
            return total
        }
        try measure("protobuf-c-unpack") { protobufC.unpackAll(records) }
        try measure("protobuf-c-pack") { protobufC.packAll() }
        if let upb {
            let rates = try upb.run()
            record("upb-parse", rates.parse)
            record("upb-serialize", rates.serialize)
        }
    }

    /// Table rows, in order.
    static let figures = ["pb-ours-validate", "pb-ours-decode", "pb-ours-encode", "protobuf-c-unpack", "protobuf-c-pack",
                          "upb-parse", "upb-serialize"]

    /// (BENCH label, ours, peer key, peer figure, target ratio).
    static let comparisons: [(String, String, String, String, Double?)] = [
        ("proto-validate", "pb-ours-validate", "protobuf-c", "protobuf-c-unpack", 4),
        ("proto-validate", "pb-ours-validate", "upb", "upb-parse", 5),
        ("proto-decode", "pb-ours-decode", "protobuf-c", "protobuf-c-unpack", nil),
        ("proto-decode", "pb-ours-decode", "upb", "upb-parse", nil),
        ("proto-encode", "pb-ours-encode", "upb", "upb-serialize", 1),
        ("proto-encode", "pb-ours-encode", "protobuf-c", "protobuf-c-pack", nil),
    ]
}
