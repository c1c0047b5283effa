/// A cache bounded by the memory its entries take, not by their count: a 100,000-field schema weighs what it
/// costs, so a few of them cannot push the process past its budget the way a count-bounded cache lets them.
///
/// Each entry carries a weight in bytes (an estimate its owner computes from the content's size). When the
/// total passes `budget`, the least recently used entries go until the total is at most three quarters of it;
/// an entry heavier than half the budget is not kept at all. Not thread-safe: owners keep it inside a `Mutex`.
struct WeightedCache<Key: Hashable, Value> {
    private struct Entry {
        var value: Value
        var weight: Int
        var stamp: UInt64
    }

    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private(set) var totalWeight = 0
    let budget: Int

    init(budget: Int) {
        self.budget = max(budget, 1 << 16)
    }

    var count: Int { entries.count }

    mutating func get(_ key: Key) -> Value? {
        guard var entry = entries[key] else { return nil }
        clock &+= 1
        entry.stamp = clock
        entries[key] = entry
        return entry.value
    }

    mutating func put(_ key: Key, _ value: Value, weight: Int) {
        remove(key)
        // Fixed per-entry overhead (dictionary slot, key, boxes) on top of the content's own estimate.
        let weight = max(weight, 0).addingReportingOverflow(256)
        guard !weight.overflow, weight.partialValue <= budget / 2 else { return }
        clock &+= 1
        entries[key] = Entry(value: value, weight: weight.partialValue, stamp: clock)
        totalWeight += weight.partialValue
        if totalWeight > budget { evict(to: budget / 4 * 3) }
    }

    mutating func remove(_ key: Key) {
        if let old = entries.removeValue(forKey: key) { totalWeight -= old.weight }
    }

    mutating func removeAll() {
        entries.removeAll()
        totalWeight = 0
    }

    /// Drops least recently used entries until the total weight is at most `target`.
    private mutating func evict(to target: Int) {
        let oldestFirst = entries.sorted { $0.value.stamp < $1.value.stamp }
        for (key, entry) in oldestFirst {
            if totalWeight <= target { break }
            entries[key] = nil
            totalWeight -= entry.weight
        }
    }
}
