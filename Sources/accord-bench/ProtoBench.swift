import Foundation
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf

/// The Protobuf rows of accord-bench: our ProtoMessageCodec (validate, decode to JSON, encode from JSON,
/// and parse to / serialize from an in-memory `ProtoMessage`) against protobuf-c (unpack, pack;
/// in-process) and Python protobuf on upb (parse, serialize; a subprocess), on the same records of
/// `accord.bench.Order` (bench/bench.proto, loaded from bench/bench.pb).
///
/// What each row times: `pb-ours-encode-json` JSON tree → bytes; `pb-ours-parse-msg` bytes →
/// `ProtoMessage` (validated and merged); `pb-ours-serialize-msg` `ProtoMessage` → bytes, which is what
/// upb's `SerializeToString` and protobuf-c's pack do (from a message parsed before timing starts).
final class ProtoBench {
    static let descriptorSetPath = "bench/bench.pb"
    static let messageName = "accord.bench.Order"
    static let upbScript = "bench/upb_bench.py"

    let codec: ProtoMessageCodec
    let records: RecordSet
    /// The same records as separate arrays, for the `[UInt8]` decode entry point.
    let recordArrays: [[UInt8]]
    let documents: [JSONValue]
    /// The records parsed into in-memory messages once, before timing (as upb_bench.py and protobuf-c do).
    let messages: [ProtoMessage]
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
        var messages: [ProtoMessage] = []
        for index in 0..<count {
            let document = generator.next(id: 2_000_000_011 &+ Int64(index) &* 7919)
            do {
                let bytes = try codec.encode(json: document)
                try codec.validate(bytes)
                guard try codec.encode(json: try codec.decodeToJSON(bytes)) == bytes else {
                    throw BenchFailure("record \(index) does not round-trip")
                }
                let message = try codec.decode(bytes)
                guard try codec.encode(message) == bytes else {
                    throw BenchFailure("record \(index) does not serialize back from its message")
                }
                messages.append(message)
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
        self.messages = messages

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
        try measure("pb-ours-encode-json") {
            var total = 0
            for document in documents {
                guard let bytes = try? codec.encode(json: document) else { return nil }
                total &+= bytes.count
            }
            return total
        }
        try measure("pb-ours-parse-msg") {
            var fields = 0
            for bytes in recordArrays {
                guard let message = try? codec.decode(bytes) else { return nil }
                fields &+= message.messageName.utf8.count
            }
            return fields
        }
        let messages = messages
        try measure("pb-ours-serialize-msg") {
            var total = 0
            for message in messages {
                guard let bytes = try? codec.encode(message) else { return nil }
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
    static let figures = ["pb-ours-validate", "pb-ours-decode", "pb-ours-encode-json", "pb-ours-parse-msg",
                          "pb-ours-serialize-msg", "protobuf-c-unpack", "protobuf-c-pack", "upb-parse", "upb-serialize"]

    /// (BENCH label, ours, peer key, peer figure, target ratio).
    static let comparisons: [(String, String, String, String, Double?)] = [
        ("proto-validate", "pb-ours-validate", "protobuf-c", "protobuf-c-unpack", 4),
        ("proto-validate", "pb-ours-validate", "upb", "upb-parse", 5),
        ("proto-decode", "pb-ours-decode", "protobuf-c", "protobuf-c-unpack", nil),
        ("proto-decode", "pb-ours-decode", "upb", "upb-parse", nil),
        // Like for like with upb's SerializeToString and protobuf-c's pack: an in-memory message to bytes.
        ("proto-encode-message", "pb-ours-serialize-msg", "upb", "upb-serialize", 1),
        ("proto-encode-message", "pb-ours-serialize-msg", "protobuf-c", "protobuf-c-pack", nil),
        // From a JSON tree (parsing JSON text not included), which the peers do not do.
        ("proto-encode-json", "pb-ours-encode-json", "upb", "upb-serialize", nil),
        ("proto-encode-json", "pb-ours-encode-json", "protobuf-c", "protobuf-c-pack", nil),
        ("proto-parse-message", "pb-ours-parse-msg", "upb", "upb-parse", nil),
    ]
}
