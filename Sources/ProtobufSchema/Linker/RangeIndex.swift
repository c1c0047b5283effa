/// Half-open number ranges (`start..<end`) with lookups that stay fast for hostile inputs with many ranges,
/// while reporting the same range protoc's linear scans report for ordinary ones.
struct RangeIndex {
    /// Declaration order.
    let ranges: [(start: Int64, end: Int64, index: Int)]
    /// Sorted by start, built only for many ranges.
    private let sorted: [(start: Int64, end: Int64, index: Int)]
    /// The largest end among `sorted[0...k]`.
    private let prefixMaxEnd: [Int64]
    static let linearLimit = 64

    init(_ pairs: [(Int32, Int32)]) {
        self.init(wide: pairs.map { (Int64($0.0), Int64($0.1)) })
    }

    init(wide pairs: [(Int64, Int64)]) {
        ranges = pairs.enumerated().map { ($0.element.0, $0.element.1, $0.offset) }
        if ranges.count > Self.linearLimit {
            sorted = ranges.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
            var running = Int64.min
            prefixMaxEnd = sorted.map {
                running = max(running, $0.end)
                return running
            }
        } else {
            sorted = []
            prefixMaxEnd = []
        }
    }

    /// The first range (declaration order) overlapping `start..<end`; a single number is `n..<n+1`.
    /// Finding one is O(log n); when there is one (an error), collecting the first costs one scan.
    func firstOverlapping(start: Int64, end: Int64) -> Int? {
        if sorted.isEmpty {
            return ranges.first { $0.end > start && end > $0.start }?.index
        }
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid].start < end { low = mid + 1 } else { high = mid }
        }
        guard low > 0, prefixMaxEnd[low - 1] > start else { return nil }
        return sorted[..<low].filter { $0.end > start }.map(\.index).min()
    }

    func first(containing number: Int32) -> Int? {
        firstOverlapping(start: Int64(number), end: Int64(number) + 1)
    }

    /// The first pair (i, j), i < j in declaration order, of overlapping ranges, as protoc's nested loops find
    /// it; for many ranges, some overlapping pair.
    func firstOverlap() -> (Int, Int)? {
        if sorted.isEmpty {
            for i in ranges.indices {
                for j in (i + 1)..<max(i + 1, ranges.count)
                where ranges[i].end > ranges[j].start && ranges[j].end > ranges[i].start {
                    return (i, j)
                }
            }
            return nil
        }
        for k in 1..<sorted.count where sorted[k].start < prefixMaxEnd[k - 1] {
            let other = sorted[..<k].first { $0.end > sorted[k].start }?.index ?? sorted[k - 1].index
            return (min(other, sorted[k].index), max(other, sorted[k].index))
        }
        return nil
    }
}
