// accord-jsonschema-bench: JSON Schema validation from bytes to verdict, ours next to ajv (Node, Debian's
// node-ajv: JSON.parse plus a compiled validator) and, labelled "from Python", jsonschema-rs and jsonschema
// (json.loads plus a compiled validator, with the interpreter's own per-message cost measured by an empty
// validator and printed beside them). `make bench` runs it:
//
//   accord-jsonschema-bench [--schema PATH] [--records N] [--rounds R] [--passes P] [--only compat|ours]
//
// `--only ours` runs only our validation row (no peers, no compatibility), for profiling it.
// `--only compat` runs only the last benchmark (JSON Schema compatibility, no peers), for profiling it. That
// benchmark prints the wall-clock time of a check and, beside it, the thread's CPU time (steadier when other
// work shares the machine).
// Every row validates the same lines (an order event of 15 top-level fields with nested objects, arrays,
// enums and patterns; formats off), generated once from one seed and written to one file each peer reads.
// Each row's loop is timed inside its own process, after a warm-up pass and compilation, so start-up is not
// counted. Rounds run the rows in a random order; each prints the median of its per-round rate and of the
// per-round ratio ours/peer, with min and max. Every row must find every record valid, and a set of corrupted
// records every row must reject, or the run fails.
import Foundation
import JSONSchemaCompatibility
import JSONSchemaEngine
import JSONSupport
import SchemaCompatibility

struct Options {
    var schemaPath = "bench/jsonschema/order-event.schema.json"
    var peersFolder = "bench/jsonschema"
    var records = 20_000
    var rounds = 9
    var passes = 5
    /// Only the compatibility benchmark (no validation rows, no peers).
    var compatOnly = false
    /// Only our validation row (no peers, no compatibility benchmark).
    var oursOnly = false

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--schema": options.schemaPath = value
            case "--peers": options.peersFolder = value
            case "--records": guard let n = Int(value), n > 0 else { return nil }; options.records = n
            case "--rounds": guard let n = Int(value), n > 0 else { return nil }; options.rounds = n
            case "--passes": guard let n = Int(value), n > 0 else { return nil }; options.passes = n
            case "--only":
                switch value {
                case "compat": options.compatOnly = true
                case "ours": options.oursOnly = true
                default: return nil
                }
            default: return nil
            }
            index += 2
        }
        return options
    }
}

/// A deterministic generator (SplitMix64), so every run validates the same records.
struct Seeded {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

func record(_ index: Int, _ random: inout Seeded) -> String {
    let items = (0..<(1 + random.below(4))).map { _ in
        #"{"sku":"\#(random.pick(["AB", "CD", "XY"]))-\#(1000 + random.below(9000))","quantity":\#(1 + random.below(5)),"unitPrice":\#(random.below(10000)).\#(random.below(100))}"#
    }
    let discount = random.below(3) == 0 ? "null" : "\(random.below(50))"
    let notes = random.below(2) == 0 ? "null" : #""leave at the door, ring \#(random.below(9)) times""#
    return #"{"eventId":"evt-\#(String(format: "%08x", UInt32(truncatingIfNeeded: random.next())))","type":"\#(random.pick(["ORDER_PLACED", "ORDER_PAID", "ORDER_SHIPPED"]))","occurredAt":"2026-12-0\#(1 + random.below(9))T10:\#(10 + random.below(50)):00Z","orderId":\#(index + 1),"customer":{"id":"c-\#(random.below(100000))","email":"user\#(random.below(1000))@example.com","tier":"\#(random.pick(["STANDARD", "GOLD", "PLATINUM"]))"},"currency":"\#(random.pick(["EUR", "USD", "GBP"]))","total":\#(random.below(100000)).\#(random.below(100)),"discount":\#(discount),"items":[\#(items.joined(separator: ","))],"shipping":{"street":"\#(random.below(300)) Main Street","city":"\#(random.pick(["Ghent", "Oslo", "Zürich", "Lyon"]))","postcode":"\#(1000 + random.below(9000))","country":"\#(random.pick(["BE", "NO", "CH", "FR"]))"},"channel":"\#(random.pick(["WEB", "APP", "STORE"]))","giftWrap":\#(random.below(2) == 0),"notes":\#(notes),"tags":["t\#(random.below(5))","u\#(random.below(5))"],"version":1}"#
}

/// Records each row must reject: a wrong pattern, an unknown enum value, a missing field, an extra field, a
/// wrong type, a duplicate in a uniqueItems array, a negative quantity, a bad nested field.
let corrupted = [
    #"{"eventId":"evt-XYZ","type":"ORDER_PAID","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_LOST","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1,"extra":true}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","orderId":"1","customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","tags":["a","a"],"version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":-1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"NO"},"channel":"WEB","version":1}"#,
    #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","occurredAt":"x","orderId":1,"customer":{"id":"c-1","tier":"GOLD"},"currency":"EUR","total":1,"items":[{"sku":"AB-1234","quantity":1,"unitPrice":1}],"shipping":{"city":"Oslo","country":"Norway"},"channel":"WEB","version":1}"#,
]

struct Row {
    var name: String
    var label: String
    var run: () throws -> (messages: Int, seconds: Double, valid: Int)
}

func shell(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("\(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func parsePeer(_ output: String) throws -> (Int, Double, Int) {
    let parts = output.split(whereSeparator: \.isWhitespace)
    guard parts.count == 3, let messages = Int(parts[0]), let seconds = Double(parts[1]), let valid = Int(parts[2]) else {
        throw BenchError("unexpected peer output: \(output)")
    }
    return (messages, seconds, valid)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func main() throws {
    guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
        FileHandle.standardError.write(
            Data("usage: accord-jsonschema-bench [--schema PATH] [--records N] [--rounds R] [--passes P] [--only compat|ours]\n".utf8))
        exit(2)
    }
    if options.compatOnly {
        try compatibilityBenchmark(rounds: options.rounds)
        return
    }
    let schemaText = try String(contentsOfFile: options.schemaPath, encoding: .utf8)
    let compiled = try CompiledJSONSchema(try JSONParser.parse(schemaText))
    var random = Seeded(state: 42)
    let lines = (0..<options.records).map { record($0, &random) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-jsonschema-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let dataPath = folder.appendingPathComponent("records.jsonl").path
    let badPath = folder.appendingPathComponent("corrupted.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: dataPath, atomically: true, encoding: .utf8)
    try (corrupted.joined(separator: "\n") + "\n").write(toFile: badPath, atomically: true, encoding: .utf8)
    let byteCount = lines.reduce(0) { $0 + $1.utf8.count }
    let encoded = lines.map { Array($0.utf8) }

    func ours(_ records: [[UInt8]], passes: Int) throws -> (Int, Double, Int) {
        var valid = 0
        for bytes in records { _ = try compiled.isValid(json: bytes) }  // warm-up
        let start = ContinuousClock.now
        for _ in 0..<passes {
            for bytes in records where try compiled.isValid(json: bytes) { valid += 1 }
        }
        let elapsed = ContinuousClock.now - start
        return (records.count * passes, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, valid)
    }
    if options.oursOnly {
        let bad = try ours(corrupted.map { Array($0.utf8) }, passes: 1)
        guard bad.2 == 0 else { throw BenchError("ours accepted \(bad.2) corrupted records") }
        var rates: [Double] = []
        for _ in 0..<options.rounds {
            let (messages, seconds, valid) = try ours(encoded, passes: options.passes)
            guard valid == messages else { throw BenchError("ours found \(valid) of \(messages) records valid") }
            rates.append(Double(messages) / seconds)
        }
        print(String(format: "ours only: %.0f msg/s median (min %.0f, max %.0f)", median(rates), rates.min() ?? 0, rates.max() ?? 0))
        return
    }
    let node = ["NODE_PATH": "/usr/share/nodejs"]
    let ajvScript = options.peersFolder + "/ajv_bench.js"
    let pyScript = options.peersFolder + "/py_bench.py"
    let passes = String(options.passes)
    let rows: [Row] = [
        Row(name: "ours", label: "ours (Swift, bytes → compiled validator)") { try ours(encoded, passes: options.passes) },
        Row(name: "ajv", label: "ajv 6 (Node, JSON.parse + compiled validator)") {
            try parsePeer(try shell(["node", ajvScript, options.schemaPath, dataPath, passes], environment: node))
        },
        Row(name: "py-jsonschema-rs", label: "jsonschema-rs from Python (json.loads + validator)") {
            try parsePeer(try shell(["python3", pyScript, "jsonschema-rs", options.schemaPath, dataPath, passes]))
        },
        Row(name: "py-jsonschema", label: "jsonschema from Python (json.loads + validator)") {
            try parsePeer(try shell(["python3", pyScript, "jsonschema", options.schemaPath, dataPath, "1"]))
        },
        Row(name: "py-empty", label: "Python's own cost: json.loads + an empty validator") {
            try parsePeer(try shell(["python3", pyScript, "empty", options.schemaPath, dataPath, passes]))
        },
    ]

    // Every row rejects every corrupted record and accepts every generated one.
    let badOurs = try ours(corrupted.map { Array($0.utf8) }, passes: 1)
    guard badOurs.2 == 0 else { throw BenchError("ours accepted \(badOurs.2) corrupted records") }
    for (peer, command, environment) in [
        ("ajv", ["node", ajvScript, options.schemaPath, badPath, "1"], node),
        ("py-jsonschema-rs", ["python3", pyScript, "jsonschema-rs", options.schemaPath, badPath, "1"], [:]),
        ("py-jsonschema", ["python3", pyScript, "jsonschema", options.schemaPath, badPath, "1"], [:]),
    ] {
        let (_, _, valid) = try parsePeer(try shell(command, environment: environment))
        guard valid == 0 else { throw BenchError("\(peer) accepted \(valid) corrupted records") }
    }

    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
        .first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) } ?? "?"
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    print("machine: \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(load)")
    print("records: \(options.records) order events, \(byteCount / options.records) bytes on average, \(options.passes) passes a round, \(options.rounds) rounds in random order")

    var rates: [String: [Double]] = [:]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<options.rounds {
        for row in rows.shuffled(using: &generator) {
            let (messages, seconds, valid) = try row.run()
            let expected = row.name == "py-jsonschema" ? options.records : options.records * options.passes
            guard valid == expected, messages == expected else {
                throw BenchError("\(row.name) found \(valid) of \(messages) records valid, expected \(expected)")
            }
            rates[row.name, default: []].append(Double(messages) / seconds)
        }
    }
    let oursRates = rates["ours"] ?? []
    for row in rows {
        let rowRates = rates[row.name] ?? []
        let perSecond = median(rowRates)
        let mbPerSecond = perSecond * Double(byteCount) / Double(options.records) / 1e6
        print(String(format: "%-60@ %12.0f msg/s %8.1f MB/s %9.0f ns/msg", row.label as NSString, perSecond, mbPerSecond, 1e9 / perSecond))
    }
    for peer in ["ajv", "py-jsonschema-rs", "py-jsonschema"] {
        let ratios = zip(oursRates, rates[peer] ?? []).map { $0 / $1 }
        print(
            String(
                format: "BENCH jsonschema-validate ours=%.0f %@=%.0f ratio=%.2f (min %.2f, max %.2f)", median(oursRates), peer as NSString,
                median(rates[peer] ?? []), median(ratios), ratios.min() ?? 0, ratios.max() ?? 0))
    }

    try compatibilityBenchmark(rounds: options.rounds)
}

/// Compatibility: a 200-property schema against 100 earlier versions, BACKWARD_TRANSITIVE.
func compatibilityBenchmark(rounds: Int) throws {
    func version(_ count: Int) -> JSONValue {
        var properties = JSONObject()
        for index in 0..<count {
            properties["p\(index)"] = .object(JSONObject(["type": .string(index % 3 == 0 ? "integer" : "string")]))
        }
        return .object(
            JSONObject([
                "type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false),
                "required": .array([.string("p0")]),
            ]))
    }
    let history = (100..<200).map { (schema: version($0), references: [String: JSONValue]()) }
    let new = version(200)
    var times: [Double] = []
    var cpuTimes: [Double] = []
    for _ in 0..<rounds {
        let cpuStart = threadCPUMilliseconds()
        let start = ContinuousClock.now
        let found = try JSONSchemaCompatibilityChecker.check(
            new: new, newReferences: [:], history: history, level: .backwardTransitive, policy: .strict)
        let elapsed = ContinuousClock.now - start
        cpuTimes.append(threadCPUMilliseconds() - cpuStart)
        guard found.isEmpty else { throw BenchError("the compatibility benchmark's schemas are not compatible: \(found.prefix(2))") }
        times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    print(
        String(
            format: "BENCH jsonschema-compat-200x100 ms=%.2f (min %.2f, max %.2f) ours only: BACKWARD_TRANSITIVE, 200 properties, 100 earlier versions; thread CPU ms=%.2f (min %.2f, max %.2f)",
            median(times), times.min() ?? 0, times.max() ?? 0, median(cpuTimes), cpuTimes.min() ?? 0, cpuTimes.max() ?? 0))
}

/// This thread's CPU time so far, in milliseconds: on a loaded machine it moves less than the wall clock.
func threadCPUMilliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("accord-jsonschema-bench: \(error)\n".utf8))
    exit(1)
}
