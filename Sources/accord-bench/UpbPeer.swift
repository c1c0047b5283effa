import Foundation

/// Runs `bench/upb_bench.py` (Python protobuf on its upb runtime) as a subprocess over the same
/// encoded records, in the format `FastavroPeer.writeRecords` writes.
struct UpbPeer {
    let python: String
    let script: String
    let descriptorSetPath: String
    let messageName: String
    let recordsPath: String
    let minSeconds: Double

    /// One run of the script: its parse and serialize rates in records per second.
    func run() throws(BenchFailure) -> (parse: Double, serialize: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, descriptorSetPath, messageName, recordsPath, String(minSeconds)]
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
        var parse: Double?
        var serialize: Double?
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let number = Double(parts[1]) else { continue }
            if parts[0] == "upb-parse" { parse = number }
            if parts[0] == "upb-serialize" { serialize = number }
        }
        guard let parse, let serialize else { throw BenchFailure("unexpected output from \(script): \(text)") }
        return (parse, serialize)
    }
}
