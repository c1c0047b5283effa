import Foundation

/// Runs `bench/fastavro_bench.py` as a subprocess over the same encoded records.
struct FastavroPeer {
    let python: String
    let script: String
    let schemaPath: String
    let recordsPath: String
    let minSeconds: Double

    /// Writes `records` in the script's input format: u32 LE count, then u32 LE length + bytes per record.
    static func writeRecords(_ records: RecordSet, to path: String) throws(BenchFailure) {
        var data = [UInt8]()
        data.reserveCapacity(records.storage.count + 4 * (records.count + 1))
        func appendU32(_ value: Int) {
            let word = UInt32(truncatingIfNeeded: value)
            for shift in stride(from: 0, to: 32, by: 8) {
                data.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        appendU32(records.count)
        for index in 0..<records.count {
            let record = records.record(index)
            appendU32(record.count)
            data.append(contentsOf: record)
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(data)) else {
            throw BenchFailure("cannot write \(path)")
        }
    }

    /// One run of the script: its reader and writer rates in records per second.
    func run() throws(BenchFailure) -> (read: Double, write: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, schemaPath, recordsPath, String(minSeconds)]
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
        var read: Double?
        var write: Double?
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let number = Double(parts[1]) else { continue }
            if parts[0] == "fastavro-read" { read = number }
            if parts[0] == "fastavro-write" { write = number }
        }
        guard let read, let write else { throw BenchFailure("unexpected output from \(script): \(text)") }
        return (read, write)
    }
}
