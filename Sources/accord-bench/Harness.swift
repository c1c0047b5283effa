import Foundation

/// One figure: records per second, and the checksum its passes folded (nil where the peer has none).
struct Measured {
    var rate: Double
    var checksum: UInt64?
}

/// One comparison of the interleaved harness: a row (the operation) with ours and one peer doing it on
/// the same records. Each round runs every unit once, in a random order, and ours and the peer back to
/// back (which of the two goes first is random too), so that the ratio of the round compares figures
/// taken under the same load.
struct BenchUnit {
    let row: String
    let peer: String
    /// A reference row: kept for context, not the like-for-like peer (Python runtimes, protobuf-c).
    let reference: Bool
    /// Mean bytes of one record on the wire (input of validate/parse/to-json, output of encode).
    let bytesPerRecord: Double
    let ours: () throws(BenchFailure) -> Measured
    let theirs: () throws(BenchFailure) -> Measured
}

/// The samples of one unit, one per round.
struct UnitSamples {
    var ours: [Double] = []
    var peer: [Double] = []
    var ratios: [Double] = []
}

/// FNV-1a over 64-bit words: the fold every peer computes of its results (see bench/cpp/proto_peer.cc).
@inline(__always) func fold(_ h: UInt64, _ v: UInt64) -> UInt64 { (h ^ v) &* 0x100_0000_01B3 }
let foldSeed: UInt64 = 0xCBF2_9CE4_8422_2325

/// Records per second of `pass` (which handles `records` records and returns its fold, nil on failure)
/// timed in this process after a warm-up of `minSeconds / 4` (at least one pass), as the peers do in
/// theirs; whole passes until at least `minSeconds` have elapsed. Every pass must give the same fold.
func timedFigure(records: Int, minSeconds: Double, _ pass: () -> UInt64?) throws(BenchFailure) -> Measured {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    let warm = clock.now
    repeat {
        guard pass() != nil else { throw BenchFailure("a pass failed during warm-up") }
    } while seconds(warm.duration(to: clock.now)) < minSeconds / 4
    var checksum: UInt64 = 0
    var passes = 0
    let start = clock.now
    var elapsed = 0.0
    repeat {
        guard let h = pass() else { throw BenchFailure("a pass failed") }
        if passes > 0 && h != checksum { throw BenchFailure("two passes gave different checksums") }
        checksum = h
        passes += 1
        elapsed = seconds(start.duration(to: clock.now))
    } while elapsed < minSeconds
    return Measured(rate: Double(passes * records) / elapsed, checksum: checksum)
}

/// Runs one round of `units` in a random order; appends to `samples`. Fails when ours and a peer fold
/// different checksums (they did not compute the same thing).
func runRound(_ units: [BenchUnit], samples: inout [String: UnitSamples], rng: inout SeededGenerator) throws(BenchFailure) {
    for unit in units.shuffled(using: &rng) {
        let oursFirst = Bool.random(using: &rng)
        var ours: Measured
        var theirs: Measured
        do throws(BenchFailure) {
            if oursFirst {
                ours = try unit.ours()
                theirs = try unit.theirs()
            } else {
                theirs = try unit.theirs()
                ours = try unit.ours()
            }
        } catch {
            throw BenchFailure("\(unit.row) vs \(unit.peer): \(error.description)")
        }
        if let a = ours.checksum, let b = theirs.checksum, a != b {
            throw BenchFailure("\(unit.row): ours folds checksum \(String(a, radix: 16)), \(unit.peer) "
                + "\(String(b, radix: 16)); they did not compute the same results")
        }
        let key = unit.row + " " + unit.peer
        samples[key, default: UnitSamples()].ours.append(ours.rate)
        samples[key, default: UnitSamples()].peer.append(theirs.rate)
        samples[key, default: UnitSamples()].ratios.append(ours.rate / theirs.rate)
    }
}

/// The machine the figures come from: CPU model, core count, load average, the CPUs this process may
/// run on (what `taskset` left it; peers it starts inherit the mask).
func machineDescription() -> [String] {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "unknown"
    let cores = ProcessInfo.processInfo.processorCount
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let allowed = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        .map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) } ?? "?"
    return [
        "CPU: \(model), \(cores) logical cores; this run pinned to CPU(s) \(allowed) (peers inherit the mask)",
        "load average: \(loadAverage())",
        "kernel: \((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?")",
    ]
}

func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// The table, BENCH lines and Markdown of interleaved units.
struct ProtoReport {
    let units: [BenchUnit]
    let samples: [String: UnitSamples]
    let records: Int
    let bytesPerRecord: Double

    struct Row {
        let unit: BenchUnit
        let ours: Double
        let peer: Double
        let ratio: Double
        let min: Double
        let max: Double
        let rounds: Int
    }

    var rows: [Row] {
        units.compactMap { unit in
            guard let s = samples[unit.row + " " + unit.peer], let ours = median(s.ours), let peer = median(s.peer),
                  let ratio = median(s.ratios), let low = s.ratios.min(), let high = s.ratios.max()
            else { return nil }
            return Row(unit: unit, ours: ours, peer: peer, ratio: ratio, min: low, max: high, rounds: s.ratios.count)
        }
    }

    private func mbps(_ rate: Double) -> String { fixed(rate * bytesPerRecord / 1e6, places: 1) }
    private func ns(_ rate: Double) -> String { fixed(1e9 / rate, places: 0) }

    func table() -> [String] {
        var lines = [padded("row", 15, left: true) + padded("peer", 18, left: true)
            + padded("ours rec/s", 12) + padded("MB/s", 8) + padded("ns/rec", 8)
            + padded("peer rec/s", 12) + padded("MB/s", 8) + padded("ns/rec", 8)
            + padded("ratio", 8) + "  min–max"]
        for row in rows {
            lines.append(padded(row.unit.row, 15, left: true) + padded(row.unit.peer + (row.unit.reference ? "*" : ""), 18, left: true)
                + padded(grouped(row.ours), 12) + padded(mbps(row.ours), 8) + padded(ns(row.ours), 8)
                + padded(grouped(row.peer), 12) + padded(mbps(row.peer), 8) + padded(ns(row.peer), 8)
                + padded(fixed(row.ratio, places: 2), 8) + "  " + fixed(row.min, places: 2) + "–" + fixed(row.max, places: 2)
                + (row.ratio < 1 ? "  (ours slower)" : ""))
        }
        lines.append("* reference row (not a like-for-like runtime): protobuf-c in this process; upb through Python")
        return lines
    }

    func benchLines() -> [String] {
        rows.map { row in
            "BENCH \(row.unit.row) ours=\(Int(row.ours.rounded())) \(row.unit.peer)=\(Int(row.peer.rounded())) "
                + "ratio=\(fixed(row.ratio, places: 2)) min=\(fixed(row.min, places: 2)) max=\(fixed(row.max, places: 2))"
        }
    }

    func markdown() -> [String] {
        var md = ["| row | peer | ours records/s | ours MB/s | ours ns/record | peer records/s | peer MB/s | peer ns/record | ratio ours/peer (median of rounds) | min–max | rounds |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
        for row in rows {
            let peer = row.unit.reference ? "\(row.unit.peer) (reference)" : "**\(row.unit.peer)**"
            md.append("| \(row.unit.row) | \(peer) | \(grouped(row.ours)) | \(mbps(row.ours)) | \(ns(row.ours)) | "
                + "\(grouped(row.peer)) | \(mbps(row.peer)) | \(ns(row.peer)) | \(fixed(row.ratio, places: 2))"
                + (row.ratio < 1 ? " (ours slower)" : "") + " | \(fixed(row.min, places: 2))–\(fixed(row.max, places: 2)) | \(row.rounds) |")
        }
        return md
    }
}
