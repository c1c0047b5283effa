import AvroCodec

/// SplitMix64, so the generated records depend on the seed alone.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Varied values of `bench/record.avsc` (`accord.bench.Order`), in field order:
/// id, customer, email, quantity, price, paid, tags, counters, status, address{street, city, zip},
/// note (["null","string"]), checksum (32 bytes).
struct OrderGenerator {
    private var rng: SeededGenerator

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    private static let firstNames = ["Ada", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Zoë", "José"]
    private static let lastNames = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Müller"]
    private static let tags = ["gift", "express", "fragile", "b2b", "promo", "returning", "vip", "bulk", "eco", "international"]
    private static let counterKeys = ["views", "clicks", "retries", "items", "coupons", "emails", "sessions"]
    private static let streets = ["Main Street", "Rue de Rivoli", "Baker Street", "Königsallee", "Calle Mayor", "Nevsky Prospekt"]
    private static let cities = ["Springfield", "Paris", "London", "Düsseldorf", "Madrid", "Saint Petersburg", "Zürich"]
    private static let statuses = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"]

    private mutating func pick(_ items: [String]) -> String {
        items[Int.random(in: 0..<items.count, using: &rng)]
    }

    mutating func next(id: Int64) -> AvroValue {
        let first = pick(Self.firstNames)
        let last = pick(Self.lastNames)
        let tagCount = Int.random(in: 0...5, using: &rng)
        let tags = (0..<tagCount).map { _ in AvroValue.string(pick(Self.tags)) }
        var counters: [AvroMapEntry] = []
        for key in Self.counterKeys.shuffled(using: &rng).prefix(Int.random(in: 0...4, using: &rng)) {
            counters.append(AvroMapEntry(key, .long(Int64.random(in: 0...1_000_000, using: &rng))))
        }
        let statusIndex = Int.random(in: 0..<Self.statuses.count, using: &rng)
        let note: AvroValue = Bool.random(using: &rng)
            ? .union(branch: 0, value: .null)
            : .union(branch: 1, value: .string("Please leave at the door #\(Int.random(in: 1...999, using: &rng))"))
        let checksum = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return .record([
            .long(id),
            .string("\(first) \(last)"),
            .string("\(first.lowercased()).\(last.lowercased())@example.com"),
            .int(Int32.random(in: 1...500, using: &rng)),
            .double(Double(Int.random(in: 99...999_999, using: &rng)) / 100),
            .boolean(Bool.random(using: &rng)),
            .array(tags),
            .map(counters),
            .enumeration(index: statusIndex, symbol: Self.statuses[statusIndex]),
            .record([
                .string("\(Int.random(in: 1...300, using: &rng)) \(pick(Self.streets))"),
                .string(pick(Self.cities)),
                .int(Int32.random(in: 1000...99999, using: &rng)),
            ]),
            note,
            .bytes(checksum),
        ])
    }
}
