@testable import ProtobufCodec
import ProtobufSchema
import Testing

/// The fast validation walk may only say "valid" where the full validator says so too; whatever it
/// refuses goes to the full validator, so `validate` decides exactly as the full validator alone.
@Suite struct FastValidationTests {
    struct Tally {
        var fastAccepted = 0
        var fullAccepted = 0
        var checked = 0
    }

    /// Checks one payload; returns whether the fast walk accepted it.
    static func check(_ codec: ProtoMessageCodec, _ bytes: [UInt8], _ tally: inout Tally) {
        let fast = codec.fastAccepts(bytes)
        var full: ProtobufError?
        do { try codec.validateFully(bytes) } catch { full = error }
        var combined: ProtobufError?
        do { try codec.validate(bytes) } catch { combined = error }
        if fast { #expect(full == nil, "fast walk accepted \(CodecFixtures.hex(bytes)): \(String(describing: full))") }
        #expect(combined == full, "\(CodecFixtures.hex(bytes))")
        tally.checked += 1
        if fast { tally.fastAccepted += 1 }
        if full == nil { tally.fullAccepted += 1 }
    }

    @Test func corpusPayloadsDecideAlike() throws {
        var cache = CodecFixtures.Cache()
        var tally = Tally()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            Self.check(codec, CodecFixtures.bytes(hex: try #require(entry.string("hex"))), &tally)
        }
        #expect(tally.checked == 242)
        #expect(tally.fullAccepted == 242)
        // Most of the corpus is taken by the fast walk (the rest has required fields, groups or large numbers).
        #expect(tally.fastAccepted > 120, "\(tally.fastAccepted)")
    }

    @Test func everyTruncationDecidesAlike() throws {
        var cache = CodecFixtures.Cache()
        var tally = Tally()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            for end in 0...bytes.count { Self.check(codec, Array(bytes[..<end]), &tally) }
        }
        #expect(tally.fastAccepted > 0)
        #expect(tally.fullAccepted > tally.fastAccepted / 2)
    }

    @Test func seededMutationsDecideAlike() throws {
        var cache = CodecFixtures.Cache()
        var g = HostileMutationTests.Generator(state: 0x5EED_0F57)
        var tally = Tally()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let original = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            for _ in 0..<200 { Self.check(codec, HostileMutationTests.mutate(original, &g), &tally) }
        }
        #expect(tally.checked == 242 * 200)
        #expect(tally.fastAccepted > 1000, "\(tally.fastAccepted)")
        #expect(tally.fullAccepted > tally.fastAccepted)
    }

    @Test func tightDepthLimitsDecideAlike() throws {
        var tally = Tally()
        for depth in 0...3 {
            var limits = ProtoCodecLimits.default
            limits.maxDepth = depth
            var cache: [String: ProtoMessageCodec] = [:]
            for entry in try CodecFixtures.entries("corpus.json") {
                let file = try #require(entry.string("file"))
                let message = try #require(entry.string("message"))
                let key = file + "/" + message
                let codec = try cache[key] ?? CodecFixtures.codec(file, message, limits: limits)
                cache[key] = codec
                Self.check(codec, CodecFixtures.bytes(hex: try #require(entry.string("hex"))), &tally)
            }
        }
        #expect(tally.fullAccepted < tally.checked)
        #expect(tally.fastAccepted > 0)
    }
}
