/// An object schema's properties by name, found through the Java hash of the name (`JavaHashOrder.spread`), which
/// the loader computes anyway for the reporting order: comparing two objects looks every property of each up in
/// the other, and hashing each name again with `Dictionary`'s seeded hash cost more than the rest of the lookup.
///
/// Java hashes are easy to make collide, so a table whose probes would grow long (names built to share a hash)
/// is kept as a `Dictionary` instead: a lookup never walks more than `maxProbes` slots.
struct PropertyIndex {
    private enum Storage {
        /// Open addressing on the low bits of the spread hash: for each slot, the entry's position plus one
        /// (0 for an empty slot).
        case probed(slots: [Int32], mask: Int, longestProbe: Int)
        case hashed([String: Int])
    }

    /// Longer probes than this make the index a `Dictionary`.
    static let maxProbes = 16

    private var names: [String] = []
    private var spreads: [UInt32] = []
    private var schemas: [NodeID] = []
    private var storage = Storage.probed(slots: [], mask: 0, longestProbe: 0)

    init() {}

    /// An index of properties with their spread hashes, or `nil` when a name is given twice.
    init?(distinct names: [String], spreads: [UInt32], schemas: [NodeID]) {
        self.names = names
        self.spreads = spreads
        self.schemas = schemas
        guard !names.isEmpty else { return }
        guard names.count < Int(Int32.max / 2) else {
            guard let positions = Self.dictionary(names) else { return nil }
            storage = .hashed(positions)
            return
        }
        var capacity = 8
        while capacity < names.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        var slots = [Int32](repeating: 0, count: capacity)
        var longest = 0
        for index in names.indices {
            var slot = Int(spreads[index]) & mask
            var probe = 0
            while slots[slot] != 0 {
                let other = Int(slots[slot]) - 1
                if spreads[other] == spreads[index] && names[other] == names[index] { return nil }
                probe += 1
                if probe > Self.maxProbes {
                    guard let positions = Self.dictionary(names) else { return nil }
                    storage = .hashed(positions)
                    return
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(index + 1)
            longest = max(longest, probe)
        }
        storage = .probed(slots: slots, mask: mask, longestProbe: longest)
    }

    /// Each name's position, or `nil` when a name is given twice.
    private static func dictionary(_ names: [String]) -> [String: Int]? {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(names.count)
        for (index, name) in names.enumerated() where positions.updateValue(index, forKey: name) != nil {
            return nil
        }
        return positions
    }

    /// The schema of the property `name`, whose spread hash is `spread`.
    func schema(_ name: String, spread: UInt32) -> NodeID? {
        switch storage {
        case .probed(let slots, let mask, let longest):
            guard !slots.isEmpty else { return nil }
            var slot = Int(spread) & mask
            for _ in 0...longest {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                if spreads[entry - 1] == spread && names[entry - 1] == name { return schemas[entry - 1] }
                slot = (slot + 1) & mask
            }
            return nil
        case .hashed(let positions):
            return positions[name].map { schemas[$0] }
        }
    }
}
