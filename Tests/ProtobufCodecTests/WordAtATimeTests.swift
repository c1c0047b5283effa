@testable import ProtobufCodec
import Testing

/// The word-at-a-time checks of the fast paths (UTF-8 with an ASCII skip, packed varint blocks) decide
/// exactly as a byte-by-byte reference.
@Suite struct WordAtATimeTests {
    /// Swift's own UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF).
    static func reference(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { ProtoUTF8.isValid($0) }
    }

    @Test func utf8AgreesWithSwiftOnEveryTwoAndThreeByteSequence() {
        var checked = 0
        var valid = 0
        // ASCII before the sequence (0, 3, 7, 8 and 13 bytes: inside, at and across an 8-byte word)
        // and after it, so that every branch of the ASCII skip meets every lead byte.
        for prefix in [0, 3, 7, 8, 13] {
            for suffix in [0, 1, 9] {
                let before = [UInt8](repeating: 0x61, count: prefix)
                let after = [UInt8](repeating: 0x62, count: suffix)
                for b0 in 0x80...0xFF {
                    for b1 in 0...0xFF {
                        let two = before + [UInt8(b0), UInt8(b1)] + after
                        #expect(Self.isValid(two) == Self.reference(two), "\(two)")
                        checked += 1
                        if Self.reference(two) { valid += 1 }
                    }
                }
            }
        }
        for b0 in 0xE0...0xFF {
            for b1 in 0...0xFF {
                for b2 in [0x00, 0x7F, 0x80, 0xA5, 0xBF, 0xC0, 0xFF] {
                    for tail in [[], [0x80], [0x41], [0x90, 0x80], [0x80, 0x80, 0x80]] as [[UInt8]] {
                        let bytes = [0x7A, UInt8(b0), UInt8(b1), UInt8(b2)] + tail
                        #expect(Self.isValid(bytes) == Self.reference(bytes), "\(bytes)")
                        checked += 1
                        if Self.reference(bytes) { valid += 1 }
                    }
                }
            }
        }
        #expect(checked == 5 * 3 * 128 * 256 + 32 * 256 * 7 * 5)
        #expect(valid > 10_000)
    }

    @Test func utf8AgreesWithSwiftOnSeededMixedText() {
        var g = HostileMutationTests.Generator(state: 0x0055_7F08)
        let pieces: [[UInt8]] = [
            Array("Zoë Müller".utf8), Array("José Ñúñez".utf8), Array("Königsallee".utf8), Array("日本語".utf8),
            Array("😀".utf8), Array("plain ascii words".utf8), [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x82], [0x80], [0xFF],
        ]
        var valid = 0
        var invalid = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<g.below(6) { bytes += pieces[g.below(pieces.count)] }
            if !bytes.isEmpty && g.below(4) == 0 { bytes[g.below(bytes.count)] = UInt8(truncatingIfNeeded: g.next()) }
            if !bytes.isEmpty && g.below(4) == 0 { bytes.removeLast(g.below(min(3, bytes.count) + 1)) }
            let expected = Self.reference(bytes)
            #expect(Self.isValid(bytes) == expected, "\(bytes)")
            if expected { valid += 1 } else { invalid += 1 }
        }
        #expect(valid > 2_000)
        #expect(invalid > 2_000)
    }

    /// A packed `repeated int64` block (field 4 of codec.p3.Repeated) of `block`.
    static func packedPayload(_ block: [UInt8]) -> [UInt8] {
        [0x22, UInt8(block.count)] + block
    }

    @Test func packedVarintBlocksDecideAsTheFullValidator() throws {
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Repeated")
        var tally = FastValidationTests.Tally()
        // Runs of 9 continuation bytes (a 10-byte varint, allowed) and 10 (refused) at every offset
        // of an 8-byte word, between and after other varints.
        for lead in 0..<12 {
            for run in [8, 9, 10, 11, 17] {
                var block = [UInt8](repeating: 0x05, count: lead)
                block += [UInt8](repeating: 0x81, count: run) + [0x01]
                block += [0x7F, 0x80, 0x01]
                FastValidationTests.check(codec, Self.packedPayload(block), &tally)
                let fast = codec.fastAccepts(Self.packedPayload(block))
                #expect(fast == (run <= 9), "lead \(lead) run \(run)")
            }
        }
        // Seeded blocks, mostly continuation bytes so that long runs are common.
        var g = HostileMutationTests.Generator(state: 0x9ACC_ED00)
        for _ in 0..<20_000 {
            let count = g.below(40)
            var block: [UInt8] = []
            for _ in 0..<count {
                let high = g.below(5) != 0
                block.append(UInt8(truncatingIfNeeded: g.next()) & 0x7F | (high ? 0x80 : 0))
            }
            FastValidationTests.check(codec, Self.packedPayload(block), &tally)
        }
        #expect(tally.fastAccepted > 1_000, "\(tally.fastAccepted)")
        #expect(tally.fullAccepted < tally.checked)
    }
}
