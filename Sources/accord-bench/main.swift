// accord-bench: records per second of our Avro binary codec against libavro (in-process, through CAvro)
// and fastavro (a Python subprocess), on the same encoded records of bench/record.avsc; and of our
// Protobuf codec against protobuf-c (in-process) and Python protobuf on upb (a subprocess, left out
// with --no-fastavro like fastavro) on records of bench/bench.proto (ProtoBench.swift).
// Protobuf compares like with like against C++ libprotobuf (bench/cpp/proto_peer.cc, its own process): see
// ProtoBench.swift and Harness.swift. `make bench` runs it through bench/run.sh. Rounds interleave
// everything; every Protobuf comparison is the median of per-round ratios, with their min and max.
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
    try FastavroPeer.writeRecords(records, to: recordsPath)
    if let script = options.fastavroScript {
        fastavro = FastavroPeer(
            python: options.python, script: script, schemaPath: options.schemaPath,
            recordsPath: recordsPath, minSeconds: options.minSeconds
        )
    }
    defer { try? FileManager.default.removeItem(atPath: recordsPath) }
    let machine = machineDescription()
    let loadBefore = loadAverage()
    for line in machine {
        print("accord-bench: \(line)")
    }
    let proto = try ProtoBench(
        count: options.records, seed: options.seed ^ 0x0B0F,
        python: options.fastavroScript == nil ? nil : options.python, cppPeer: options.cppPeer,
        minSeconds: options.minSeconds
    )
    for check in proto.checks {
        print("accord-bench: checked: \(check)")
    }
    var avroJava: AvroJavaBench?
    if let classpath = options.javaClasspath {
        // The Java peer reads the records file; ours uses the same bytes, read back from it.
        guard try readRecords(recordsPath).storage == records.storage else { throw BenchFailure("\(recordsPath) does not read back") }
        avroJava = try AvroJavaBench(java: options.java, classpath: classpath, schemaPath: options.schemaPath,
                                     recordsPath: recordsPath, records: records, codec: codec)
        print("accord-bench: Java peer: \(avroJava?.peer.banner ?? "")")
        for check in avroJava?.checks ?? [] {
            print("accord-bench: checked: \(check)")
        }
    }
    let protoUnits = proto.units()
        + (avroJava?.units(codec: codec, records: records, values: values, minSeconds: options.minSeconds) ?? [])
    var unitSamples: [String: UnitSamples] = [:]
    var orderRNG = SeededGenerator(seed: options.seed ^ 0x5EED)

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
        try runRound(protoUnits, samples: &unitSamples, rng: &orderRNG)
        FileHandle.standardError.write(Data("  round \(round)/\(options.rounds) done\n".utf8))
    }

    var medians: [String: Double] = [:]
    for (name, values) in samples {
        medians[name] = median(values)
    }

    print("")
    print(padded("figure", 22, left: true) + padded("records/s (median)", 20) + "   rounds")
    for name in ["ours-validate", "ours-decode", "ours-encode", "libavro-decode", "libavro-encode", "fastavro-read", "fastavro-write"] {
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
    ]
    print("")
    print(padded("comparison", 46, left: true) + padded("ratio", 9) + "   target")
    var lines: [String] = []
    for comparison in comparisons {
        guard let ours = medians[comparison.ours], let peer = medians[comparison.peer], peer > 0 else { continue }
        let ratio = ours / peer
        // The figures of one round were taken in the same round: per-round ratios give the spread.
        let perRound = zip(samples[comparison.ours] ?? [], samples[comparison.peer] ?? []).map { $0 / $1 }
        let verdict = comparison.target.map { padded("≥ \(fixed($0, places: 0))×", 6, left: true) + (ratio >= $0 ? "met" : "MISSED") } ?? "—"
        print(padded("\(comparison.ours) vs \(comparison.peer)", 46, left: true)
            + padded(fixed(ratio, places: 1) + "×", 9) + "   " + verdict)
        lines.append("BENCH \(comparison.label) ours=\(Int(ours.rounded())) \(comparison.peerKey)=\(Int(peer.rounded())) "
            + "ratio=\(fixed(ratio, places: 2)) min=\(fixed(perRound.min() ?? 0, places: 2)) max=\(fixed(perRound.max() ?? 0, places: 2))")
    }

    let report = ProtoReport(units: protoUnits, samples: unitSamples, records: proto.records.count,
                             bytesPerRecord: proto.bytesPerRecord)
    print("")
    print("Like with like (Protobuf: \(proto.summary)); \(options.rounds) rounds, units in random order each round,")
    print("each figure timed inside its own process after warm-up, ≥ \(options.minSeconds) s; ratio = ours/peer per round")
    for line in report.table() {
        print(line)
    }
    lines += report.benchLines()
    print("")
    for line in lines {
        print(line)
    }
    let loadAfter = loadAverage()
    print("accord-bench: load average before \(loadBefore), after \(loadAfter)")

    if let path = options.resultsPath {
        guard options.rounds >= 9 else { throw BenchFailure("--results needs at least 9 rounds") }
        var md: [String] = ["# accord-bench results", ""]
        md.append("Written by `make bench` (bench/run.sh → accord-bench). Regenerate with `make bench`; figures from one run.")
        md.append("")
        md.append("- command: `\(options.command ?? "accord-bench")`")
        md.append("- accord-bench arguments: `\(CommandLine.arguments.dropFirst().joined(separator: " "))`")
        for line in machine {
            md.append("- \(line)")
        }
        md.append("- load average before \(loadBefore), after \(loadAfter) (shared machine: other jobs ran alongside)")
        md.append("- \(options.rounds) rounds; ≥ \(options.minSeconds) s per figure after a warm-up of a quarter of that; \(options.records) records per set")
        md.append("")
        md.append("## Like with like: Protobuf against C++ libprotobuf, Avro against Java Avro")
        md.append("")
        let avroMean: String = fixed(Double(totalBytes) / Double(max(records.count, 1)), places: 1)
        let javaBanner: String = avroJava.map { "; Java peer: " + String($0.peer.banner.dropFirst("ready ".count)) } ?? ""
        md.append("Protobuf: \(proto.summary). Avro: \(records.count) records of \(options.schemaPath), mean \(avroMean) bytes/record\(javaBanner).")
        md.append("")
        md.append("Every row: ours and the peer in the same round, one right after the other (which first is random), "
            + "rows in random order each round; each figure timed inside its own process after a warm-up. "
            + "The ratio is the median of the per-round ratios ours/peer (above 1: ours faster).")
        md.append("")
        md.append(contentsOf: report.markdown())
        md.append("")
        md.append("Checked before timing:")
        md.append("")
        for check in proto.checks + (avroJava?.checks ?? []) {
            md.append("- \(check)")
        }
        md.append("- ours and every peer fold their results into the same checksum each round (compared; a mismatch fails the run)")
        md.append("")
        md.append("## Avro (legacy rows: medians of separately timed figures; per-round ratios give min/max)")
        md.append("")
        md.append("| row | peer | ours records/s | peer records/s | ratio (median of figures) | min–max per round |")
        md.append("|---|---|---:|---:|---:|---|")
        for comparison in comparisons {
            guard let ours = medians[comparison.ours], let peer = medians[comparison.peer], peer > 0 else { continue }
            let perRound = zip(samples[comparison.ours] ?? [], samples[comparison.peer] ?? []).map { $0 / $1 }
            md.append("| \(comparison.label) | \(comparison.peerKey) (\(comparison.peer)) | \(grouped(ours)) | \(grouped(peer)) | "
                + "\(fixed(ours / peer, places: 2)) | \(fixed(perRound.min() ?? 0, places: 2))–\(fixed(perRound.max() ?? 0, places: 2)) |")
        }
        md.append("")
        md.append("## BENCH lines")
        md.append("")
        md.append("```")
        md.append(contentsOf: lines)
        md.append("```")
        md.append("")
        guard FileManager.default.createFile(atPath: path, contents: Data(md.joined(separator: "\n").utf8)) else {
            throw BenchFailure("cannot write \(path)")
        }
        print("accord-bench: wrote \(path)")
    }
}

do {
    try runBenchmark()
} catch {
    fail(error)
}
