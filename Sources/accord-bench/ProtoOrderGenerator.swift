import Foundation
import JSONSupport

/// Varied proto3 JSON documents of `accord.bench.Order` (bench/bench.proto): every field set on most
/// records, the `payment` oneof alternating between its members, map keys in sorted order (so every
/// runtime writes the entries in the same order and the records round-trip byte for byte).
struct ProtoOrderGenerator {
    private var rng: SeededGenerator

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    private static let names = ["Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Zoë Müller", "José Ñúñez"]
    private static let tags = ["gift", "express", "fragile", "b2b", "promo", "returning", "vip", "bulk", "eco", "international"]
    private static let counterKeys = ["clicks", "coupons", "emails", "items", "retries", "sessions", "views"]
    private static let streets = ["Main Street", "Rue de Rivoli", "Baker Street", "Königsallee", "Calle Mayor"]
    private static let cities = ["Springfield", "Paris", "London", "Düsseldorf", "Madrid", "Zürich"]
    private static let statuses = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"]

    private mutating func pick(_ items: [String]) -> String {
        items[Int.random(in: 0..<items.count, using: &rng)]
    }

    mutating func next(id: Int64) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("id", .string(String(id))),
            JSONMember("quantity", .integer(Int32.random(in: 1...500, using: &rng))),
            JSONMember("balanceDelta", .string(String(Int64.random(in: -5_000_000...5_000_000, using: &rng)))),
            JSONMember("customer", .string(pick(Self.names))),
            JSONMember("checksum", .string(Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString())),
            JSONMember("paid", .bool(Bool.random(using: &rng))),
            JSONMember("price", .double(Double(Int.random(in: 99...999_999, using: &rng)) / 100)),
            JSONMember("address", .object(JSONObject([
                "street": .string("\(Int.random(in: 1...300, using: &rng)) \(pick(Self.streets))"),
                "city": .string(pick(Self.cities)),
                "zip": .string(String(Int.random(in: 10000...99999, using: &rng))),
                "floor": .integer(Int32.random(in: 0...40, using: &rng)),
            ]))),
            JSONMember("itemIds", .array((0..<Int.random(in: 1...8, using: &rng)).map { _ in
                .integer(Int32.random(in: 1...2_000_000, using: &rng))
            })),
            JSONMember("tags", .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in .string(pick(Self.tags)) })),
        ]
        if Bool.random(using: &rng) {
            members.append(JSONMember("cardToken", .string("tok_" + String(UInt64.random(in: 0 ... .max, using: &rng), radix: 36))))
        } else {
            members.append(JSONMember("voucherId", .string(String(Int64.random(in: 1...1 << 40, using: &rng)))))
        }
        let keys = Self.counterKeys.shuffled(using: &rng).prefix(Int.random(in: 0...4, using: &rng)).sorted()
        members.append(JSONMember("counters", .object(JSONObject(keys.map {
            JSONMember($0, .string(String(Int64.random(in: 0...1_000_000, using: &rng))))
        }))))
        members.append(JSONMember("status", .string(pick(Self.statuses))))
        return .object(JSONObject(members))
    }
}
