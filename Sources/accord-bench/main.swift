// accord-bench: records per second of our Avro binary codec against libavro (in-process, through CAvro)
// and fastavro (a Python subprocess), on the same encoded records of bench/record.avsc; and of our
// Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (a subprocess, left out
// with --no-fastavro like fastavro) on records of bench/bench.proto (ProtoBench.swift).
// `make bench` runs it through bench/run.sh. Rounds interleave the three; each figure is a median.
import AvroCodec
import Foundation

func fail(_ failure: BenchFailure) -> Never {
    FileHandle.standardError.write(Data("accord-bench: \(failure.description)\n".utf8))
    exit(1)
}

func runBenchmark() throws(BenchFailure) {
    let options: BenchOptions
    switch BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .success(let parsed): options = parsed
    case .failure(let failure): throw failure
    }

    guard let schemaText = try? String(contentsOfFile: options.schemaPath, encoding: .utf8) else {
        throw BenchFailure("cannot read \(options.schemaPath)")
    }
    let schema: AvroSchema
    do {
        schema = try AvroSchema(parsing: schemaText)
    } catch {
        throw BenchFailure("\(options.schemaPath): \(error)")
    }
    let codec = AvroDatumCodec(schema: schema)

    // Generate and encode the records once; check our own round trip on every one.
    var generator = OrderGenerator(seed: options.seed)
    var values: [AvroValue] = []
    var records = RecordSet()
    for index in 0..<options.records {
        let value = generator.next(id: 1_000_000_007 &+ Int64(index) &* 7919)
        do {
            let bytes = try codec.encode(value)
            guard try codec.decode(bytes) == value else { throw BenchFailure("record \(index) does not round-trip") }
            records.append(bytes)
        } catch {
            throw BenchFailure("record \(index): \(error)")
        }
        values.append(value)
    }

    // libavro must produce the very same bytes, or comparing speeds would be meaningless.
    let libavro = try LibAvroBench(json: schemaText)
    try libavro.prebuild(values)
    for index in 0..<records.count where libavro.encoded(index).map({ $0[...] == records.record(index) }) != true {
        throw BenchFailure("libavro encodes record \(index) differently from our codec")
    }
    guard libavro.decodeAllVerifying(records) == records.count else {
        throw BenchFailure("libavro does not read the records back to values of the same size")
    }

    var fastavro: FastavroPeer?
    let recordsPath = NSTemporaryDirectory() + "accord-bench-\(getpid()).bin"
    if let script = options.fastavroScript {
        try FastavroPeer.writeRecords(records, to: recordsPath)
        fastavro = FastavroPeer(
            python: options.python, script: script, schemaPath: options.schemaPath,
            recordsPath: recordsPath, minSeconds: options.minSeconds
        )
    }
    defer { try? FileManager.default.removeItem(atPath: recordsPath) }
    let proto = try ProtoBench(
        count: options.records, seed: options.seed ^ 0x0B0F,
        python: options.fastavroScript == nil ? nil : options.python, minSeconds: options.minSeconds
    )

    let totalBytes = records.storage.count
    print("accord-bench: \(records.count) records of \(options.schemaPath), \(totalBytes) bytes "
        + "(mean \(fixed(Double(totalBytes) / Double(max(records.count, 1)), places: 1)) bytes/record), "
        + "\(options.rounds) rounds, ≥ \(options.minSeconds) s per figure")
    print("accord-bench: \(proto.summary)")

    var samples: [String: [Double]] = [:]
    func measure(_ name: String, _ pass: () -> Int?) throws(BenchFailure) {
        guard let rate = recordsPerSecond(records: records.count, minSeconds: options.minSeconds, pass) else {
            throw BenchFailure("\(name) failed")
        }
        samples[name, default: []].append(rate)
    }

    let count = records.count
    for round in 1...options.rounds {
        let failure = records.storage.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> BenchFailure? in
            do throws(BenchFailure) {
                try measure("ours-validate") {
                    for span in records.spans {
                        let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                        guard (try? codec.validate(slice)) != nil else { return nil }
                    }
                    return count
                }
                try measure("ours-decode") {
                    var fields = 0
                    for span in records.spans {
                        let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                        guard case .record(let decoded)? = try? codec.decode(slice) else { return nil }
                        fields &+= decoded.count
                    }
                    return fields
                }
            } catch {
                return error
            }
            return nil
        }
        if let failure {
            throw failure
        }
        try measure("ours-encode") {
            var output: [UInt8] = []
            output.reserveCapacity(1024)
            var total = 0
            for value in values {
                output.removeAll(keepingCapacity: true)
                guard (try? codec.encode(value, into: &output)) != nil else { return nil }
                total &+= output.count
            }
            return total
        }
        try measure("libavro-decode") { libavro.decodeAll(records) }
        try measure("libavro-encode") { libavro.encodeAll() }
        if let fastavro {
            let rates = try fastavro.run()
            samples["fastavro-read", default: []].append(rates.read)
            samples["fastavro-write", default: []].append(rates.write)
        }
        try proto.measureRound(measure) { samples[$0, default: []].append($1) }
        FileHandle.standardError.write(Data("  round \(round)/\(options.rounds) done\n".utf8))
    }

    var medians: [String: Double] = [:]
    for (name, values) in samples {
        medians[name] = median(values)
    }

    print("")
    print(padded("figure", 22, left: true) + padded("records/s (median)", 20) + "   rounds")
    for name in ["ours-validate", "ours-decode", "ours-encode", "libavro-decode", "libavro-encode", "fastavro-read", "fastavro-write"] + ProtoBench.figures {
        guard let value = medians[name], let all = samples[name] else { continue }
        print(padded(name, 22, left: true) + padded(grouped(value), 20) + "   " + all.map(grouped).joined(separator: " "))
    }

    struct Comparison {
        let label: String
        let ours: String
        let peerKey: String
        let peer: String
        let target: Double?
    }
    let comparisons = [
        Comparison(label: "avro-validate", ours: "ours-validate", peerKey: "fastavro", peer: "fastavro-read", target: 30),
        Comparison(label: "avro-validate", ours: "ours-validate", peerKey: "libavro", peer: "libavro-decode", target: 5),
        Comparison(label: "avro-decode", ours: "ours-decode", peerKey: "libavro", peer: "libavro-decode", target: 1),
        Comparison(label: "avro-decode", ours: "ours-decode", peerKey: "fastavro", peer: "fastavro-read", target: nil),
        Comparison(label: "avro-encode", ours: "ours-encode", peerKey: "libavro", peer: "libavro-encode", target: 1),
        Comparison(label: "avro-encode", ours: "ours-encode", peerKey: "fastavro", peer: "fastavro-write", target: nil),
    ] + ProtoBench.comparisons.map { Comparison(label: $0.0, ours: $0.1, peerKey: $0.2, peer: $0.3, target: $0.4) }
    print("")
    print(padded("comparison", 46, left: true) + padded("ratio", 9) + "   target")
    var lines: [String] = []
    for comparison in comparisons {
        guard let ours = medians[comparison.ours], let peer = medians[comparison.peer], peer > 0 else { continue }
        let ratio = ours / peer
        let verdict = comparison.target.map { padded("≥ \(fixed($0, places: 0))×", 6, left: true) + (ratio >= $0 ? "met" : "MISSED") } ?? "—"
        print(padded("\(comparison.ours) vs \(comparison.peer)", 46, left: true)
            + padded(fixed(ratio, places: 1) + "×", 9) + "   " + verdict)
        lines.append("BENCH \(comparison.label) ours=\(Int(ours.rounded())) \(comparison.peerKey)=\(Int(peer.rounded())) "
            + "ratio=\(fixed(ratio, places: 1))")
    }
    print("")
    for line in lines {
        print(line)
    }
}

do {
    try runBenchmark()
} catch {
    fail(error)
}
