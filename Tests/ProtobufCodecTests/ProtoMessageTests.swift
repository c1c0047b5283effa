import JSONSupport
@testable import ProtobufCodec
import ProtobufSchema
import Testing

/// `ProtoMessage`: decoding into memory and serializing again must give exactly the bytes the JSON
/// encoder gives for the same message, and the JSON conversions must agree with the JSON entry points.
@Suite struct ProtoMessageTests {
    struct Tally {
        var decoded = 0
        var refused = 0
        /// Payloads with a JSON form, and those of them whose two encodings are the same bytes.
        var withJSON = 0
        var sameBytes = 0
    }

    /// Checks one payload.
    ///
    /// The message keeps what the JSON mapping normalizes (NaN payloads, a `NullValue` number other
    /// than 0, a `Value` without a kind, a wrapper or `Any` with its value written out as zero or
    /// empty), as protobuf runtimes do when they parse and serialize again. Where the two encodings
    /// differ they must therefore mean the same JSON, and re-encoding that JSON must give the JSON
    /// path's bytes.
    static func check(_ codec: ProtoMessageCodec, _ bytes: [UInt8], _ label: String, _ tally: inout Tally) throws {
        var validateError: ProtobufError?
        do { try codec.validate(bytes) } catch { validateError = error }
        let message: ProtoMessage
        do {
            message = try codec.decode(bytes)
        } catch {
            #expect(validateError == error, "\(label): decode and validate disagree")
            tally.refused += 1
            return
        }
        tally.decoded += 1
        #expect(validateError == nil, "\(label)")
        #expect(message.messageName == codec.messageName)
        let encoded = try codec.encode(message)
        // Serializing is stable: the bytes decode to a message that serializes to the same bytes.
        #expect(try codec.encode(try codec.decode(encoded)) == encoded, "\(label)")
        guard let json = try? codec.decodeToJSON(bytes) else { return }
        tally.withJSON += 1
        let viaJSON = try codec.encode(json: json)
        if encoded == viaJSON {
            tally.sameBytes += 1
        } else {
            let again = try codec.decodeToJSON(encoded)
            #expect(CodecFixtures.same(again, json), "\(label): \(CodecFixtures.hex(bytes))")
            #expect(try codec.encode(json: again) == viaJSON, "\(label)")
        }
        #expect(CodecFixtures.same(try codec.json(message), json), "\(label)")
        #expect(try codec.encode(try codec.message(json: json)) == viaJSON, "\(label)")
    }

    @Test func corpusSerializesAsPythonAndTheJSONEncoderDo() throws {
        var cache = CodecFixtures.Cache()
        var tally = Tally()
        var asPython = 0
        for entry in try CodecFixtures.entries("corpus.json") {
            let name = entry.string("name") ?? ""
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let bytes = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            try Self.check(codec, bytes, name, &tally)
            // The corpus payloads are Python's (upb) serializations of its messages: parsing and
            // serializing them again gives them back, except where upb leaves map entries unsorted.
            if entry.bool("map_order") != true {
                #expect(CodecFixtures.hex(try codec.encode(try codec.decode(bytes))) == CodecFixtures.hex(bytes), "\(name)")
                asPython += 1
            }
        }
        #expect(tally.decoded == 242)
        #expect(tally.withJSON == 242)
        #expect(asPython == 160, "\(asPython)")
        // Only a few corpus messages hold something the JSON mapping normalizes.
        #expect(tally.sameBytes > 220, "\(tally.sameBytes)")
    }

    @Test func truncationsAndMutationsSerializeAsTheJSONEncoderWrites() throws {
        var cache = CodecFixtures.Cache()
        var g = HostileMutationTests.Generator(state: 0x0005_E41A)
        var tally = Tally()
        for entry in try CodecFixtures.entries("corpus.json") {
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let original = CodecFixtures.bytes(hex: try #require(entry.string("hex")))
            var inputs: [[UInt8]] = []
            for end in stride(from: 0, through: original.count, by: 3) { inputs.append(Array(original[..<end])) }
            for _ in 0..<40 { inputs.append(HostileMutationTests.mutate(original, &g)) }
            for bytes in inputs { try Self.check(codec, bytes, entry.string("name") ?? "", &tally) }
        }
        #expect(tally.decoded > 2_000, "\(tally.decoded)")
        #expect(tally.refused > 1_000, "\(tally.refused)")
        #expect(tally.sameBytes * 10 > tally.withJSON * 9, "\(tally.sameBytes) of \(tally.withJSON)")
    }

    @Test func jsonInputsGiveTheSameMessageAsTheirBytes() throws {
        var cache = CodecFixtures.Cache()
        var compared = 0
        for entry in try CodecFixtures.entries("json_inputs.json") {
            guard let file = entry.string("file"), let name = entry.string("message"), let text = entry.string("json")
            else { continue }
            let codec = try cache.codec(file, name)
            let json = try JSONParser.parse(text)
            guard let bytes = try? codec.encode(json: json) else {
                #expect(throws: ProtobufError.self) { try codec.message(json: json) }
                continue
            }
            let message = try codec.message(json: json)
            #expect(try codec.encode(message) == bytes, "\(text)")
            compared += 1
        }
        #expect(compared > 10, "\(compared)")
    }

    /// Map entries out of key order, with a repeated key, a missing key and a missing value: written
    /// sorted, the last duplicate winning, absent key and value as defaults (as the JSON path does).
    @Test func mapEntriesAreSortedDeduplicatedAndCompleted() throws {
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Maps")
        // map<int32, string> int_string = 2: entries {3:"c"}, {1:"a"}, {3:"z"}, {value "k"} (key 0), {1} (value "").
        let payload: [UInt8] = [
            0x12, 0x05, 0x08, 0x03, 0x12, 0x01, 0x63,
            0x12, 0x05, 0x08, 0x01, 0x12, 0x01, 0x61,
            0x12, 0x05, 0x08, 0x03, 0x12, 0x01, 0x7A,
            0x12, 0x03, 0x12, 0x01, 0x6B,
            0x12, 0x02, 0x08, 0x01,
        ]
        let encoded = try codec.encode(try codec.decode(payload))
        #expect(
            encoded == [
                0x12, 0x05, 0x08, 0x00, 0x12, 0x01, 0x6B,
                0x12, 0x04, 0x08, 0x01, 0x12, 0x00,
                0x12, 0x05, 0x08, 0x03, 0x12, 0x01, 0x7A,
            ])
        var tally = Tally()
        try Self.check(codec, payload, "maps", &tally)
        #expect(tally.sameBytes == 1)
    }

    /// A sub-message of 128 bytes or more gets a two-byte length, moved into place after the content.
    @Test func longSubMessagesGetWideLengths() throws {
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Nested")
        for length in [126, 127, 128, 129, 300, 20_000] {
            let name = [UInt8](repeating: 0x41, count: length)
            var child: [UInt8] = [0x08, 0x07, 0x12]
            var n = length
            while n >= 0x80 {
                child.append(UInt8(n & 0x7F) | 0x80)
                n >>= 7
            }
            child.append(UInt8(n))
            child += name
            var payload: [UInt8] = [0x1A]
            n = child.count
            while n >= 0x80 {
                payload.append(UInt8(n & 0x7F) | 0x80)
                n >>= 7
            }
            payload.append(UInt8(n))
            payload += child
            #expect(try codec.encode(try codec.decode(payload)) == payload, "\(length)")
            var tally = Tally()
            try Self.check(codec, payload, "nested \(length)", &tally)
            #expect(tally.sameBytes == 1)
        }
    }

    /// Numbers that fit in 32 bits (zero-extended, or negative and sign-extended) take one word, others
    /// two; strings take one word and their bytes; a sub-message one word before its fields.
    @Test func valuesTakeOneWordUnlessTheyNeed64Bits() throws {
        let nested = try CodecFixtures.codec("codec_proto3", "codec.p3.Nested")
        let cases: [([UInt8], Int, Int)] = [
            ([0x08, 0x07], 1, 8),
            ([0x08, 0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 1, 8),  // -5
            ([0x08, 0x80, 0x80, 0x80, 0x80, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 1, 8),  // Int32.min
            ([0x12, 0x03, 0x61, 0x62, 0x63], 1, 11),
            ([0x12, 0x01, 0x78, 0x1A, 0x02, 0x08, 0x01], 3, 25),
        ]
        for (bytes, words, storage) in cases {
            let message = try nested.decode(bytes)
            #expect(message.words.count == words, "\(bytes)")
            #expect(message.storageBytes == storage, "\(bytes)")
            #expect(try nested.encode(message) == bytes, "\(bytes)")
        }
        let scalars = try CodecFixtures.codec("codec_proto3", "codec.p3.Scalars")
        // f_int64 = 4: Int64.min and UInt32.max + 1 need a second word; f_double = 1: always 64 bits.
        for bytes: [UInt8] in [
            [0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
            [0x20, 0x80, 0x80, 0x80, 0x80, 0x10],
            [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F],
        ] {
            let message = try scalars.decode(bytes)
            #expect(message.words.count == 2, "\(bytes)")
            #expect(try scalars.encode(message) == bytes)
        }
    }

    @Test func aMessageOfAnotherCodecIsRefused() throws {
        let nested = try CodecFixtures.codec("codec_proto3", "codec.p3.Nested")
        let other = try CodecFixtures.codec("codec_proto3", "codec.p3.Nested")
        let message = try nested.decode([0x08, 0x07])
        #expect(try nested.encode(message) == [0x08, 0x07])
        #expect(throws: ProtobufError.self) { try other.encode(message) }
        #expect(throws: ProtobufError.self) { try other.json(message) }
        let error = try #require(throws: ProtobufError.self) { try nested.decode([0x08]) }
        #expect(error.code == .truncatedData)
    }

    @Test func encodingRespectsTheSizeLimit() throws {
        var limits = ProtoCodecLimits.default
        limits.maxMessageBytes = 8
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Nested", limits: limits)
        let message = try codec.decode([0x12, 0x04, 0x41, 0x42, 0x43, 0x44])
        #expect(try codec.encode(message) == [0x12, 0x04, 0x41, 0x42, 0x43, 0x44])
        let error = try #require(throws: ProtobufError.self) {
            try codec.decode([0x12, 0x08, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48])
        }
        #expect(error.code == .limitExceeded)
    }
}
