import Foundation

/// Runs `bench/upb_bench.py` (Python protobuf on its upb runtime) as a subprocess over the same
/// encoded records, in the format `FastavroPeer.writeRecords` writes: a reference row "from Python"
/// (interpreter overhead included in every record), not a like-for-like runtime.
struct UpbPeer {
    let python: String
    let script: String
    let descriptorSetPath: String
    let messageName: String
    let recordsPath: String
    let minSeconds: Double

    /// One run of the script for `mode` (`parse` or `serialize`): its rate in records per second (timed
    /// inside the script after its warm-up) and its checksum.
    func run(_ mode: String) throws(BenchFailure) -> Measured {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, descriptorSetPath, messageName, recordsPath, String(minSeconds), mode]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw BenchFailure("cannot start \(python) \(script): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(script) exited with status \(process.terminationStatus): \(text)")
        }
        var rate: Double?
        var checksum: UInt64?
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0] == "upb-\(mode)" { rate = Double(parts[1]) }
            if parts[0] == "upb-\(mode)-checksum" { checksum = UInt64(parts[1], radix: 16) }
        }
        guard let rate, let checksum else { throw BenchFailure("unexpected output from \(script): \(text)") }
        return Measured(rate: rate, checksum: checksum)
    }
}
