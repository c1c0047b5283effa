/// The comparison's memo, from schema pairs to their differences (`nil` while the pair is being compared): open
/// addressing with a multiplicative hash of the two node indexes. The comparison memoises every pair it compares,
/// and `Dictionary`'s seeded hashing of a `PairKey` cost more than comparing two small schemas. Node indexes are
/// dense and chosen by the loader, not by the input, so they spread well without a seed.
struct PairTable {
    /// For each slot, the original's node index doubled plus one for the original graph, or -1 for an empty slot.
    private var originals: [Int]
    private var updates: [Int]
    /// For each slot, whether its pair is being compared (its differences are not known yet).
    private var pending: [Bool]
    private var differences: [[RawDifference]]
    private var mask: Int
    private(set) var count = 0

    /// A table sized for about `expected` pairs before it grows.
    init(expected: Int = 8) {
        var capacity = 16
        while capacity < expected * 2 && capacity < 1 << 24 { capacity *= 2 }
        originals = Array(repeating: -1, count: capacity)
        updates = Array(repeating: 0, count: capacity)
        pending = Array(repeating: false, count: capacity)
        differences = Array(repeating: [], count: capacity)
        mask = capacity - 1
    }

    private static func packed(_ node: SideNode) -> Int { node.id &* 2 &+ (node.inOriginal ? 1 : 0) }

    private func home(_ original: Int, _ update: Int) -> Int {
        var hash = UInt64(bitPattern: Int64(original)) &* 0x9E37_79B9_7F4A_7C15
        hash ^= UInt64(bitPattern: Int64(update)) &* 0xC2B2_AE3D_27D4_EB4F
        hash ^= hash >> 31
        return Int(truncatingIfNeeded: hash) & mask
    }

    /// The slot holding the pair, or the empty slot where it would go.
    private func position(_ original: Int, _ update: Int) -> Int {
        var index = home(original, update)
        while originals[index] != -1 {
            if originals[index] == original && updates[index] == update { return index }
            index = (index + 1) & mask
        }
        return index
    }

    /// `nil` for a pair not met yet, `.some(nil)` for one being compared, else its differences.
    subscript(key: PairKey) -> [RawDifference]?? {
        let index = position(Self.packed(key.original), Self.packed(key.update))
        if originals[index] == -1 { return nil }
        return .some(pending[index] ? nil : differences[index])
    }

    /// Marks a pair as being compared.
    mutating func start(_ key: PairKey) { store(key, pending: true, []) }

    /// Records a pair's differences.
    mutating func finish(_ key: PairKey, _ found: [RawDifference]) { store(key, pending: false, found) }

    private mutating func store(_ key: PairKey, pending isPending: Bool, _ found: [RawDifference]) {
        let original = Self.packed(key.original)
        let update = Self.packed(key.update)
        var index = position(original, update)
        if originals[index] == -1 {
            if (count + 1) * 2 > originals.count {
                grow()
                index = position(original, update)
            }
            count += 1
            originals[index] = original
            updates[index] = update
        }
        pending[index] = isPending
        differences[index] = found
    }

    private mutating func grow() {
        let old = (originals, updates, pending, differences)
        let capacity = originals.count * 2
        originals = Array(repeating: -1, count: capacity)
        updates = Array(repeating: 0, count: capacity)
        pending = Array(repeating: false, count: capacity)
        differences = Array(repeating: [], count: capacity)
        mask = capacity - 1
        for slot in old.0.indices where old.0[slot] != -1 {
            let index = position(old.0[slot], old.1[slot])
            originals[index] = old.0[slot]
            updates[index] = old.1[slot]
            pending[index] = old.2[slot]
            differences[index] = old.3[slot]
        }
    }

    /// Every pair compared and its differences, in no particular order.
    func forEachCompared(_ body: (PairKey, [RawDifference]) -> Void) {
        for slot in originals.indices where originals[slot] != -1 && !pending[slot] {
            let key = PairKey(
                original: SideNode(inOriginal: originals[slot] & 1 == 1, id: originals[slot] >> 1),
                update: SideNode(inOriginal: updates[slot] & 1 == 1, id: updates[slot] >> 1))
            body(key, differences[slot])
        }
    }
}
