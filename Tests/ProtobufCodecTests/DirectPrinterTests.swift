import JSONSupport
@testable import ProtobufCodec
import ProtobufSchema
import Testing

/// The direct printer (JSON straight from the bytes) must give exactly what the general path (merged
/// tree, then printer) gives, or hand the payload over: on the corpus, and on every truncation and
/// single-byte substitution of each corpus payload.
@Suite struct DirectPrinterTests {
    @Test func directPathAgreesWithGeneralPath() throws {
        var cache = CodecFixtures.Cache()
        var direct = 0
        var mutated = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            if let json = codec.directJSON(bytes) {
                direct += 1
                #expect(json == (try codec.generalJSON(bytes)), "\(entry.string("name") ?? "")")
            }
            var variants: [[UInt8]] = (0..<bytes.count).map { Array(bytes[..<$0]) }
            for i in bytes.indices {
                for b: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF, bytes[i] ^ 0x08] {
                    var copy = bytes
                    copy[i] = b
                    variants.append(copy)
                }
            }
            for variant in variants {
                guard let json = codec.directJSON(variant) else { continue }
                mutated += 1
                let general = Result { () throws(ProtobufError) in try codec.generalJSON(variant) }
                #expect((try? general.get()) == json, "\(entry.string("name") ?? ""): \(CodecFixtures.hex(variant))")
            }
        }
        #expect(direct > 100)
        #expect(mutated > 1000)
    }
}
