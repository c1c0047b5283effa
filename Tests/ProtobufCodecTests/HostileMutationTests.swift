import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Seeded mutations of every corpus payload and JSON document: nothing crashes, every failure is a
/// located `ProtobufError`, and validate and decode agree on what is malformed.
@Suite struct HostileMutationTests {
    /// SplitMix64, so runs are reproducible.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static func mutate(_ input: [UInt8], _ g: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0...g.below(3) {
            if bytes.isEmpty {
                bytes.append(UInt8(truncatingIfNeeded: g.next()))
                continue
            }
            let at = g.below(bytes.count)
            switch g.below(6) {
            case 0: bytes[at] ^= UInt8(1) << UInt8(g.below(8))
            case 1: bytes.removeSubrange(at...)
            case 2: bytes.insert([0x80, 0xFF, 0x0C, 0x0B, 0x00, 0x7F][g.below(6)], at: at)
            case 3: bytes.remove(at: at)
            case 4: bytes[at] = UInt8(truncatingIfNeeded: g.next())
            default:
                // Duplicate a slice: repeated fields and merged sub-messages.
                let end = min(bytes.count, at + 1 + g.below(16))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: g.below(bytes.count))
            }
        }
        return bytes
    }

    @Test func mutatedPayloadsNeverCrash() throws {
        var cache = CodecFixtures.Cache()
        var g = Generator(state: 0x5EED_0001)
        var accepted = 0
        var rejected = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let original = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            for _ in 0..<40 {
                let bytes = Self.mutate(original, &g)
                var valid = true
                do {
                    try codec.validate(bytes)
                } catch {
                    valid = false
                    #expect(error.offset != nil, "\(error)")
                }
                do {
                    let json = try codec.decodeToJSON(bytes)
                    #expect(valid, "decode accepted what validate rejected: \(CodecFixtures.hex(bytes))")
                    // What decodes must encode again and decode to the same JSON.
                    let again = try codec.decodeToJSON(try codec.encode(json: json))
                    #expect(CodecFixtures.same(json, again), "\(CodecFixtures.hex(bytes))")
                } catch {
                    if valid {
                        // Only values JSON cannot hold may fail after validation.
                        #expect(
                            error.message.contains("UTF-8") || error.code == .invalidValue
                                || error.code == .unknownType, "\(error) \(CodecFixtures.hex(bytes))")
                    }
                }
                if valid { accepted += 1 } else { rejected += 1 }
            }
        }
        #expect(accepted + rejected == 242 * 40)
        #expect(accepted > 500)
        #expect(rejected > 4000)
    }

    @Test func everyPrefixOfEveryPayloadIsHandled() throws {
        var cache = CodecFixtures.Cache()
        for entry in try CodecFixtures.entries("corpus.json").prefix(60) {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            for end in 0..<bytes.count {
                let prefix = Array(bytes[..<end])
                let validated = (try? codec.validate(prefix)) != nil
                let decoded = (try? codec.decodeToJSON(prefix)) != nil
                #expect(!decoded || validated)
            }
        }
    }

    @Test func mutatedJSONNeverCrashes() throws {
        var cache = CodecFixtures.Cache()
        var g = Generator(state: 0x5EED_0002)
        let replacements: [JSONValue] = [
            .null, .bool(true), .string(""), .string("NaN"), .string("x"), .integer(-1),
            .number(JSONNumber(validatedText: "1e400")), .number(JSONNumber(validatedText: "18446744073709551616")),
            .number(JSONNumber(validatedText: "0.5")), .array([.null]), .object(JSONObject(["@type": .integer(1)])),
        ]
        func mutate(_ v: JSONValue, _ g: inout Generator, depth: Int) -> JSONValue {
            if g.below(5) == 0 { return replacements[g.below(replacements.count)] }
            switch v {
            case .object(var o) where !o.isEmpty:
                let i = g.below(o.count)
                o.members[i].value = mutate(o.members[i].value, &g, depth: depth + 1)
                if g.below(8) == 0 { o.members[i].key += "_" }
                return .object(o)
            case .array(var a) where !a.isEmpty:
                let i = g.below(a.count)
                a[i] = mutate(a[i], &g, depth: depth + 1)
                return .array(a)
            default:
                return replacements[g.below(replacements.count)]
            }
        }
        var failures = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let json = try JSONParser.parse(try #require(entry.string("json")))
            for _ in 0..<20 {
                do {
                    let bytes = try codec.encode(json: mutate(json, &g, depth: 0))
                    try codec.validate(bytes)
                } catch {
                    #expect(error.jsonPointer != nil, "\(error)")
                    failures += 1
                }
            }
        }
        #expect(failures > 1000)
    }
}
