import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Hostile payloads with the Python runtime's verdict (ParseFromString succeeds and IsInitialized):
/// `validate` must agree on every one, and `decodeToJSON` must reject what `validate` rejects.
@Suite struct VerdictTests {
    @Test func validateAgreesWithPythonOnEveryPayload() throws {
        var cache = CodecFixtures.Cache()
        var accepted = 0
        var rejected = 0
        for entry in try CodecFixtures.entries("verdicts.json") {
            let name = entry.string("name") ?? ""
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            let expected = try #require(entry.bool("accept"))
            var ours = true
            do {
                try codec.validate(bytes)
            } catch {
                ours = false
                #expect(error.offset != nil, "\(name): \(error)")
            }
            #expect(ours == expected, "\(name) \(entry.string("hex") ?? "")")
            if expected { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted == 220)
        #expect(rejected == 776)
    }

    @Test func decodeRejectsWhatValidateRejects() throws {
        var cache = CodecFixtures.Cache()
        for entry in try CodecFixtures.entries("verdicts.json") where entry.bool("accept") == false {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            #expect(throws: ProtobufError.self, "\(entry.string("name") ?? "")") { try codec.decodeToJSON(bytes) }
        }
    }

    /// Accepted payloads decode, except where JSON has no form for a value: strings that are not
    /// UTF-8 in proto2 or editions NONE fields (Python prints those as a Python bytes repr, or fails),
    /// and an Any whose type a mutation renamed to one the schema lacks (Python's printer fails too).
    @Test func acceptedPayloadsDecodeUnlessAStringIsNotUTF8() throws {
        var cache = CodecFixtures.Cache()
        var failures: [String] = []
        for entry in try CodecFixtures.entries("verdicts.json") where entry.bool("accept") == true {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            do {
                _ = try codec.decodeToJSON(bytes)
            } catch {
                #expect(error.message.contains("UTF-8") || error.code == .invalidValue || error.code == .unknownType, "\(entry.string("name") ?? ""): \(error)")
                failures.append(entry.string("name") ?? "")
            }
        }
        #expect(failures.contains("proto2-string-not-utf8"))
        #expect(failures.contains("editions-unverified-not-utf8"))
        #expect(failures.contains("editions-file-loose-map"))
        #expect(!failures.contains("proto3-bytes-not-utf8-ok"))
    }
}
