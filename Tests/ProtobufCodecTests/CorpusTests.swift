import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Valid messages made by Python protobuf (upb): our JSON must equal `MessageToJson`'s, our encoding of
/// that JSON must equal the deterministic serialization, and the payload must validate.
@Suite struct CorpusTests {
    @Test func corpusHasEveryFile() throws {
        let entries = try CodecFixtures.entries("corpus.json")
        #expect(entries.count == 242)
        let files = Set(entries.compactMap { $0.string("file") })
        #expect(files == ["codec_proto3", "codec_proto2", "codec_editions", "codec_editions_file"])
    }

    @Test func everyPayloadValidates() throws {
        var cache = CodecFixtures.Cache()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            #expect(throws: Never.self, "\(entry.string("name") ?? "")") { try codec.validate(bytes) }
        }
    }

    @Test func decodedJSONEqualsPython() throws {
        var cache = CodecFixtures.Cache()
        var compared = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let name = entry.string("name") ?? ""
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            let expected = try JSONParser.parse(try #require(entry.string("json")))
            let actual = try codec.decodeToJSON(bytes)
            #expect(CodecFixtures.same(actual, expected), "\(name): \(actual.serialized()) != \(expected.serialized())")
            compared += 1
        }
        #expect(compared == 242)
    }

    @Test func encodedJSONEqualsPythonDeterministicBytes() throws {
        var cache = CodecFixtures.Cache()
        var compared = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let name = entry.string("name") ?? ""
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let json = try JSONParser.parse(try #require(entry.string("json")))
            let actual = try codec.encode(json: json)
            if let expected = entry.string("encoded") {
                if entry.bool("map_order") == true {
                    // upb's "deterministic" mode does not sort map keys; we do (as C++ does), so with
                    // two or more entries only the size and the content can be compared.
                    let python = CodecFixtures.bytes(hex: expected)
                    #expect(actual.count == python.count, "\(name)")
                    #expect(CodecFixtures.same(try codec.decodeToJSON(actual), try codec.decodeToJSON(python)), "\(name)")
                } else {
                    #expect(CodecFixtures.hex(actual) == expected, "\(name)")
                    compared += 1
                }
            } else {
                // Python rejects its own output for the largest float (3.4028235e+38 parses above
                // FLT_MAX as a double); we accept any number that rounds to a finite float, so our
                // encoding must at least decode back to the same JSON.
                #expect(entry.string("reparse_error") != nil)
                #expect(CodecFixtures.same(try codec.decodeToJSON(actual), json), "\(name)")
            }
        }
        #expect(compared == 154)
    }

    @Test func decodeThenEncodeIsStableForEveryPayload() throws {
        var cache = CodecFixtures.Cache()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let json = try codec.decodeToJSON(CodecFixtures.bytes(hex: try #require(entry.string("hex"))))
            let again = try codec.decodeToJSON(try codec.encode(json: json))
            #expect(CodecFixtures.same(json, again), "\(entry.string("name") ?? "")")
        }
    }
}
