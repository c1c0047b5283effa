import AvroCodec
import Testing

/// Seeded random mutations of a valid datum: nothing crashes, validate and decode agree, every error
/// is located, and whatever decodes re-encodes stably.
@Suite struct HostileMutationTests {
    /// SplitMix64: a small deterministic generator so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        let edits = Int.random(in: 1...3, using: &rng)
        for _ in 0..<edits {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            case 3 where !bytes.isEmpty:
                bytes.remove(at: position)
            case 4 where !bytes.isEmpty:
                bytes[position] = [0x00, 0x01, 0x7F, 0x80, 0xFF][Int.random(in: 0..<5, using: &rng)]
            default:
                bytes.removeLast(Int.random(in: 0...min(4, bytes.count), using: &rng))
            }
        }
        return bytes
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mutatedInputsNeverCrash(seed: UInt64) throws {
        let codec = AvroDatumCodec(
            schema: try AvroSchema(parsing: HostileBinaryInputTests.complexSchema),
            limits: AvroLimits(maxDepth: 32, maxCollectionCount: 10_000, maxLength: 1 << 16, maxValues: 100_000)
        )
        let valid = try codec.encode(HostileBinaryInputTests.complexValue)
        var rng = SeededGenerator(state: seed)
        var rejected = 0
        var accepted = 0
        for round in 0..<1_500 {
            let input = Self.mutate(valid, using: &rng)
            var validateError: AvroError?
            var decoded: AvroValue?
            do { try codec.validate(input) } catch { validateError = error }
            do { decoded = try codec.decode(input) } catch {
                #expect(error == validateError, "round \(round): \(input)")
                let offset = try #require(error.offset, "round \(round)")
                #expect(offset >= 0 && offset <= input.count, "round \(round)")
                #expect(error.dataPath != nil, "round \(round)")
                rejected += 1
            }
            if let decoded {
                #expect(validateError == nil, "round \(round): \(input)")
                let again = try codec.encode(decoded)
                #expect(try codec.encode(try codec.decode(again)) == again, "round \(round)")
                accepted += 1
            }
        }
        #expect(rejected + accepted == 1_500)
        #expect(rejected > 500)
    }
}
