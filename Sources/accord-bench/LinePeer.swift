import Foundation

/// A peer in its own process for the whole run (the C++ libprotobuf peer, bench/cpp/proto_peer.cc; the
/// Java Avro peer, bench/java/AvroPeer.java), started once, that loads the same records file and answers
/// one command at a time over a pipe, so that its figures interleave with ours while it stays warm. It
/// times itself, inside its process, after its own warm-up; what each peer name does is described in
/// its source.
final class LinePeer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []
    /// `ready protobuf=<version>` as the peer printed it.
    private(set) var banner = ""

    let name: String

    init(name: String, executable: String, arguments: [String]) throws(BenchFailure) {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw BenchFailure("cannot start \(name) peer \(executable): \(error) (bench/run.sh builds it)")
        }
        banner = try readLine()
        guard banner.hasPrefix("ready") else { throw BenchFailure("\(name) peer: unexpected start-up output \(banner)") }
    }

    deinit {
        send("quit")
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    private func readLine() throws(BenchFailure) -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                throw BenchFailure("the \(name) peer exited (status \(process.isRunning ? -1 : process.terminationStatus))")
            }
            buffered.append(contentsOf: chunk)
        }
    }

    /// One timed figure of `peer`: records per second and the checksum of one pass.
    func run(_ peer: String, records: Int, minSeconds: Double) throws(BenchFailure) -> (rate: Double, checksum: UInt64) {
        send("run \(peer) \(minSeconds)")
        let line = try readLine()
        var fields: [Substring: Substring] = [:]
        for word in line.split(separator: " ").dropFirst(2) {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard line.hasPrefix("ok \(peer) "), let passes = fields["passes"].flatMap({ Double($0) }),
              let seconds = fields["seconds"].flatMap({ Double($0) }), seconds > 0,
              let checksum = fields["checksum"].flatMap({ UInt64($0, radix: 16) })
        else {
            throw BenchFailure("\(name) peer: unexpected answer to run \(peer): \(line)")
        }
        return (passes * Double(records) / seconds, checksum)
    }

    /// Whether `peer` accepts each corrupted record, in file order (the first `limit` only, when given).
    func verdicts(_ peer: String, limit: Int? = nil) throws(BenchFailure) -> [Bool] {
        send("reject \(peer)" + (limit.map { " \($0)" } ?? ""))
        let line = try readLine()
        let words = line.split(separator: " ")
        guard words.count >= 2, words[0] == "reject", words[1] == peer else {
            throw BenchFailure("\(name) peer: unexpected answer to reject \(peer): \(line)")
        }
        return words.dropFirst(2).map { $0 == "1" }
    }

    /// MessageToJsonString of every record, one text each.
    func jsonTexts(path: String) throws(BenchFailure) -> [String] {
        send("json \(path)")
        let line = try readLine()
        guard line == "json \(path)", let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchFailure("\(name) peer: unexpected answer to json: \(line)")
        }
        try? FileManager.default.removeItem(atPath: path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
