// accord-serde-bench: what the serializer library adds to a plain encode or decode, and what the registry path
// of `accord validate` adds to the local-schema path. `make bench` (bench/run.sh) starts a release
// `accord serve` on a free loopback port and runs this against it:
//
//   accord-serde-bench --registry http://127.0.0.1:PORT --accord PATH/accord [--messages N] [--rounds R]
//                      [--lines N]
//
// Every row works on the same records (bench/record.avsc and bench/bench.proto, generated once from one seed);
// rows are interleaved round by round, and each prints the median with the min and max over the rounds.
import AccordClient
import AccordSerializers
import AvroCodec
import Foundation
import JSONSupport
import SwiftProtobuf

struct Options {
    var registry = ""
    var accord: String?
    var messages = 200_000
    var rounds = 7
    var lines = 1_000_000
    var schemaPath = "bench/record.avsc"

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--registry": options.registry = value
            case "--accord": options.accord = value
            case "--schema": options.schemaPath = value
            case "--messages": guard let n = Int(value), n > 0 else { return nil }; options.messages = n
            case "--rounds": guard let n = Int(value), n > 0 else { return nil }; options.rounds = n
            case "--lines": guard let n = Int(value), n >= 0 else { return nil }; options.lines = n
            default: return nil
            }
            index += 2
        }
        return options.registry.isEmpty ? nil : options
    }
}

/// The Avro record of bench/record.avsc as a Swift value.
struct BenchOrder: Codable {
    enum Status: String, Codable { case PENDING, PAID, SHIPPED, DELIVERED, CANCELLED }
    struct Address: Codable {
        var street: String
        var city: String
        var zip: Int32
    }
    var id: Int64
    var customer: String
    var email: String
    var quantity: Int32
    var price: Double
    var paid: Bool
    var tags: [String]
    var counters: [String: Int64]
    var status: Status
    var address: Address
    var note: String?
    var checksum: Data
}

/// A small deterministic generator (SplitMix64), so every run measures the same records.
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<(4 + int(8))).map { _ in letters[int(letters.count)] })
    }

    mutating func avroOrder(_ index: Int) -> BenchOrder {
        let statuses: [BenchOrder.Status] = [.PENDING, .PAID, .SHIPPED, .DELIVERED, .CANCELLED]
        return BenchOrder(
            id: 1_000_000_007 &+ Int64(index) &* 7919, customer: word() + " " + word(), email: word() + "@example.com",
            quantity: Int32(int(100)), price: Double(int(100_000)) / 100, paid: int(2) == 0,
            tags: (0..<int(4)).map { _ in word() }, counters: Dictionary(uniqueKeysWithValues: (0..<int(3)).map { ("c\($0)", Int64(int(1000))) }),
            status: statuses[int(statuses.count)], address: .init(street: word(), city: word(), zip: Int32(int(99_999))),
            note: int(2) == 0 ? nil : word(), checksum: Data((0..<16).map { _ in UInt8(truncatingIfNeeded: next()) }))
    }

    mutating func protoOrder(_ index: Int) -> Accord_Bench_Order {
        var order = Accord_Bench_Order()
        order.id = 1_000_000_007 &+ Int64(index) &* 7919
        order.quantity = Int32(int(100))
        order.balanceDelta = Int64(int(20_000)) - 10_000
        order.customer = word() + " " + word()
        order.checksum = Data((0..<16).map { _ in UInt8(truncatingIfNeeded: next()) })
        order.paid = int(2) == 0
        order.price = Double(int(100_000)) / 100
        order.address.street = word()
        order.address.city = word()
        order.address.zip = String(int(99_999))
        order.itemIds = (0..<int(6)).map { _ in Int32(int(1_000_000)) }
        order.tags = (0..<int(4)).map { _ in word() }
        if int(2) == 0 { order.cardToken = word() } else { order.voucherID = Int64(int(1_000_000)) }
        order.counters = Dictionary(uniqueKeysWithValues: (0..<int(3)).map { ("c\($0)", Int64(int(1000))) })
        order.status = Accord_Bench_Order.Status(rawValue: 1 + int(5)) ?? .pending
        return order
    }
}

/// One measured row: a name, what it does, and the nanoseconds per message of each round.
final class Row {
    let name: String
    let work: () async throws -> Int
    var samples: [Double] = []
    init(_ name: String, _ work: @escaping () async throws -> Int) {
        self.name = name
        self.work = work
    }
}

func measure(_ rows: [Row], rounds: Int) async throws {
    for _ in 0..<rounds {
        for row in rows {
            let start = DispatchTime.now().uptimeNanoseconds
            let count = try await row.work()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            row.samples.append(elapsed / Double(count))
        }
    }
}

func report(_ title: String, _ rows: [Row], baseline: Row) {
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let base = median(baseline.samples)
    print("\n\(title)")
    print("  row".padding(toLength: 62, withPad: " ", startingAt: 0) + "ns/msg median [min, max]    vs first row")
    for row in rows {
        let m = median(row.samples)
        let figures = String(format: "%8.1f [%.1f, %.1f]", m, row.samples.min() ?? 0, row.samples.max() ?? 0)
        let ratio = String(format: "%+.1f%% (%+.1f ns)", (m / base - 1) * 100, m - base)
        print("  " + row.name.padding(toLength: 60, withPad: " ", startingAt: 0) + figures.padding(toLength: 28, withPad: " ", startingAt: 0) + ratio)
    }
}

func run() async throws {
    guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
        FileHandle.standardError.write(Data("usage: accord-serde-bench --registry URL [--accord PATH] [--messages N] [--rounds R] [--lines N]\n".utf8))
        exit(2)
    }
    let schemaText = try String(contentsOfFile: options.schemaPath, encoding: .utf8)
    let protoText = try String(contentsOfFile: "bench/bench.proto", encoding: .utf8)
    let client = SchemaRegistryClient(configuration: RegistryClientConfiguration(baseURL: options.registry))
    var generator = Generator(state: 42)
    let orders = (0..<options.messages).map { generator.avroOrder($0) }
    let protos = (0..<options.messages).map { generator.protoOrder($0) }
    let schema = try AvroSchema(parsing: schemaText)
    let codec = AvroDatumCodec(schema: schema)
    let encoder = AvroValueEncoder(schema: schema)
    let values = try orders.map { try encoder.encode($0) }

    let avro = try await AvroSerializer<BenchOrder>(client: client, schema: schemaText)
    let proto = try await ProtobufSerializer<Accord_Bench_Order>(client: client, schema: protoText)
    let protoUnchecked = try await ProtobufSerializer<Accord_Bench_Order>(
        client: client, schema: protoText, options: SerializerOptions(checkPayloads: false))
    // Warm-up: the first message of each registers the schema; after it, the counters must stand still.
    let framed = try await avro.serialize(orders[0], topic: "bench-avro")
    _ = try await proto.serialize(protos[0], topic: "bench-proto")
    _ = try await protoUnchecked.serialize(protos[0], topic: "bench-proto")
    let boundAvro = try await avro.bound(topic: "bench-avro")
    let boundProto = try await protoUnchecked.bound(topic: "bench-proto")
    let deserializer = try await AvroDeserializer<BenchOrder>(client: client)
    _ = try await deserializer.deserialize(framed, topic: "bench-avro")
    let warmRequests = client.requests
    let warmParses = avro.schemaParses + proto.schemaParses + deserializer.schemaParses

    var sink = 0
    let avroRows = [
        Row("raw: AvroDatumCodec.encode(AvroValue)") {
            for value in values { sink &+= try codec.encode(value).count }
            return values.count
        },
        Row("serializer: AvroSerializer.serialize(avro: AvroValue), warm") {
            for value in values { sink &+= try await avro.serialize(avro: value, topic: "bench-avro").count }
            return values.count
        },
        Row("serializer bound to the topic: serialize(avro: AvroValue)") {
            for value in values { sink &+= try boundAvro.serialize(avro: value).count }
            return values.count
        },
        Row("raw Codable: AvroValueEncoder + AvroDatumCodec.encode") {
            for order in orders { sink &+= try codec.encode(try encoder.encode(order)).count }
            return orders.count
        },
        Row("serializer Codable: AvroSerializer.serialize(Codable), warm") {
            for order in orders { sink &+= try await avro.serialize(order, topic: "bench-avro").count }
            return orders.count
        },
    ]
    let protoRows = [
        Row("raw: SwiftProtobuf Message.serializedBytes()") {
            for message in protos { sink &+= (try message.serializedBytes() as [UInt8]).count }
            return protos.count
        },
        Row("serializer: ProtobufSerializer.serialize, warm, no check") {
            for message in protos { sink &+= try await protoUnchecked.serialize(message, topic: "bench-proto").count }
            return protos.count
        },
        Row("serializer bound to the topic, no check") {
            for message in protos { sink &+= try boundProto.serialize(message).count }
            return protos.count
        },
        Row("serializer: ProtobufSerializer.serialize, warm, checked") {
            for message in protos { sink &+= try await proto.serialize(message, topic: "bench-proto").count }
            return protos.count
        },
    ]
    let frames = try await orders.asyncMap { try await avro.serialize($0, topic: "bench-avro") }
    let avroDecoder = AvroValueDecoder(schema: schema)
    let decodeRows = [
        Row("raw: AvroDatumCodec.decode + AvroValueDecoder (payload)") {
            for frame in frames { sink &+= Int(try avroDecoder.decode(BenchOrder.self, from: try codec.decode(Array(frame[5...]))).quantity) }
            return frames.count
        },
        Row("deserializer: AvroDeserializer.deserialize, warm") {
            for frame in frames { sink &+= Int(try await deserializer.deserialize(frame, topic: "bench-avro").quantity) }
            return frames.count
        },
    ]
    try await measure(avroRows + protoRows + decodeRows, rounds: options.rounds)
    print("accord-serde-bench: \(options.messages) messages per row, \(options.rounds) interleaved rounds")
    report("Avro serialize (bench/record.avsc)", avroRows, baseline: avroRows[0])
    report("  the same, Codable rows against the Codable raw row", Array(avroRows[3...]), baseline: avroRows[3])
    report("Protobuf serialize (bench/bench.proto)", protoRows, baseline: protoRows[0])
    report("Avro deserialize (bench/record.avsc)", decodeRows, baseline: decodeRows[0])
    let afterParses = avro.schemaParses + proto.schemaParses + deserializer.schemaParses
    print("\nregistry requests during the measured rows: \(client.requests - warmRequests); schema parses: \(afterParses - warmParses)")

    // Cold deserializer: a new client and deserializer per message (fetch by id, parse, compile), against warm.
    var cold: [Double] = []
    var coldRequests = 0
    for _ in 0..<20 {
        let fresh = SchemaRegistryClient(configuration: RegistryClientConfiguration(baseURL: options.registry))
        let start = DispatchTime.now().uptimeNanoseconds
        let reader = try await AvroDeserializer<BenchOrder>(client: fresh)
        sink &+= Int(try await reader.deserialize(framed, topic: "bench-avro").quantity)
        cold.append(Double(DispatchTime.now().uptimeNanoseconds - start))
        coldRequests += fresh.requests
    }
    cold.sort()
    print(String(format: "deserializer cold (new client, first message): median %.0f µs [%.0f, %.0f], %d registry requests per cold start",
                 cold[cold.count / 2] / 1000, cold[0] / 1000, cold[cold.count - 1] / 1000, coldRequests / 20))
    if let accord = options.accord, options.lines > 0 {
        try await validateLines(accord: accord, options: options, frames: frames)
    }
    if sink == 42 { print("") }
}

/// `accord validate --registry … --lines` against `accord validate --schema … --lines` on the same file of
/// framed messages (hex, one per line), three interleaved runs each.
func validateLines(accord: String, options: Options, frames: [[UInt8]]) async throws {
    let path = NSTemporaryDirectory() + "accord-serde-bench-\(getpid()).hex"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var text = ""
    text.reserveCapacity(options.lines * 200)
    let digits = Array("0123456789abcdef")
    for index in 0..<options.lines {
        for byte in frames[index % frames.count] {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        text.append("\n")
    }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let runs: [(String, [String])] = [
        ("accord validate --schema record.avsc --framing confluent --lines", ["validate", "--schema", options.schemaPath, "--framing", "confluent", "--lines", "--input", path]),
        ("accord validate --registry URL --lines", ["validate", "--registry", options.registry, "--lines", "--input", path]),
    ]
    var seconds: [[Double]] = Array(repeating: [], count: runs.count)
    for _ in 0..<3 {
        for (index, run) in runs.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: accord)
            process.arguments = run.1
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            try process.run()
            process.waitUntilExit()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard process.terminationStatus == 0 else { throw BenchError("\(run.0) exited \(process.terminationStatus)") }
            seconds[index].append(elapsed)
        }
    }
    print("\naccord validate on \(options.lines) framed messages (hex lines, one file, 3 interleaved runs each)")
    let base = seconds[0].sorted()[1]
    for (index, run) in runs.enumerated() {
        let sorted = seconds[index].sorted()
        let rate = Double(options.lines) / sorted[1]
        print(String(format: "  %@ %10.0f msg/s  median %.2f s [%.2f, %.2f]  %+.1f%%", run.0.padding(toLength: 64, withPad: " ", startingAt: 0), rate, sorted[1], sorted[0], sorted[2], (sorted[1] / base - 1) * 100))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("accord-serde-bench: \(error)\n".utf8))
    exit(1)
}
