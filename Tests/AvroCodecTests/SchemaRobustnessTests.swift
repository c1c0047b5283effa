import AvroCodec
import JSONSupport
import Testing

/// Damaged schemas are rejected with an error, never a crash, and whatever parses can be written out.
@Suite struct SchemaRobustnessTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func exercise(_ bytes: [UInt8]) -> Bool {
        do {
            let schema = try AvroSchema(parsing: String(decoding: bytes, as: UTF8.self))
            _ = schema.canonicalForm
            _ = schema.fingerprint(.rabin)
            let normalized = schema.normalizedForm
            return (try? AvroSchema(parsing: normalized).normalizedForm) == normalized
        } catch {
            return error.code == .invalidSchema || error.code == .invalidJSON || error.code == .limitExceeded
        }
    }

    @Test(arguments: SchemaFixtures.validSchemas)
    func truncationsAndMutations(_ c: SchemaFixtures.ValidCase) {
        let bytes = Array(c.schema.serialized().utf8)
        var failures = 0
        for end in 0..<bytes.count where !exercise(Array(bytes[..<end])) { failures += 1 }
        var rng = SplitMix(state: c.name.utf8.reduce(UInt64(bytes.count)) { $0 &* 31 &+ UInt64($1) })
        let alphabet = Array(#"{}[]:,"\ 0123456789.-eEabcnultrsfx"#.utf8) + [0x00, 0xC3, 0xFF]
        for _ in 0..<200 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !mutated.isEmpty {
                let i = Int.random(in: 0..<mutated.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: mutated[i] = alphabet.randomElement(using: &rng) ?? 0
                case 1: mutated.remove(at: i)
                default: mutated.insert(alphabet.randomElement(using: &rng) ?? 0, at: i)
                }
            }
            if !exercise(mutated) {
                failures += 1
                Issue.record("failed on \(String(decoding: mutated, as: UTF8.self))")
            }
        }
        #expect(failures == 0)
    }
}
