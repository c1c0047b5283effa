import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

@Suite struct LimitTests {
    /// `n` nested Recursive.child messages.
    static func nest(_ n: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<n {
            var length: [UInt8] = []
            var v = bytes.count
            while v >= 0x80 {
                length.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            length.append(UInt8(v))
            bytes = [0x0A] + length + bytes
        }
        return bytes
    }

    @Test func defaultDepthIsProtobufs100() throws {
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Recursive")
        #expect(ProtoCodecLimits.default.maxDepth == 100)
        try codec.validate(Self.nest(100))
        _ = try codec.decodeToJSON(Self.nest(100))
        #expect(throws: ProtobufError.self) { try codec.validate(Self.nest(101)) }
        #expect(throws: ProtobufError.self) { try codec.decodeToJSON(Self.nest(101)) }
    }

    @Test(arguments: [0, 1, 5])
    func customDepth(_ depth: Int) throws {
        let codec = try CodecFixtures.codec(
            "codec_proto3", "codec.p3.Recursive", limits: ProtoCodecLimits(maxDepth: depth))
        try codec.validate(Self.nest(depth))
        #expect {
            try codec.validate(Self.nest(depth + 1))
        } throws: { error in
            (error as? ProtobufError)?.code == .limitExceeded
        }
    }

    @Test func deepJSONIsLimitedOnEncode() throws {
        let codec = try CodecFixtures.codec(
            "codec_proto3", "codec.p3.Recursive", limits: ProtoCodecLimits(maxDepth: 3))
        var json = JSONValue.object(JSONObject())
        for _ in 0..<3 { json = .object(JSONObject(["child": json])) }
        #expect(try codec.encode(json: json) == Self.nest(3))
        json = .object(JSONObject(["child": json]))
        #expect {
            _ = try codec.encode(json: json)
        } throws: { error in
            (error as? ProtobufError)?.code == .limitExceeded
        }
    }

    @Test func messageSizeLimit() throws {
        let codec = try CodecFixtures.codec(
            "codec_proto3", "codec.p3.Scalars", limits: ProtoCodecLimits(maxMessageBytes: 4))
        try codec.validate([0x08, 0x01, 0x10, 0x02])
        #expect {
            try codec.validate([0x08, 0x01, 0x10, 0x02, 0x18])
        } throws: { error in
            (error as? ProtobufError)?.code == .limitExceeded
        }
        #expect(throws: ProtobufError.self) {
            _ = try codec.encode(json: try JSONParser.parse(#"{"fString": "hello"}"#))
        }
    }

    @Test func collectionLimit() throws {
        let codec = try CodecFixtures.codec(
            "codec_proto3", "codec.p3.Repeated", limits: ProtoCodecLimits(maxCollectionCount: 2))
        let three: [UInt8] = [0x1A, 0x03, 0x01, 0x02, 0x03]
        try codec.validate(three)
        #expect(throws: ProtobufError.self) { try codec.decodeToJSON(three) }
        #expect(throws: ProtobufError.self) {
            _ = try codec.encode(json: try JSONParser.parse(#"{"rInt32": [1, 2, 3]}"#))
        }
        #expect(try codec.decodeToJSON([0x1A, 0x02, 0x01, 0x02]) == .object(JSONObject(["rInt32": .array([.integer(1), .integer(2)])])))
    }

    /// Limits above 500 are lowered to 500: deeper recursion overflowed the test threads' stacks in
    /// debug builds at about 1,000 levels.
    @Test func hugeDepthSettingIsCapped() throws {
        let codec = try CodecFixtures.codec(
            "codec_proto3", "codec.p3.Recursive", limits: ProtoCodecLimits(maxDepth: 1_000_000))
        try codec.validate(Self.nest(500))
        _ = try codec.decodeToJSON(Self.nest(500))
        #expect(throws: ProtobufError.self) { try codec.validate(Self.nest(501)) }
        #expect(throws: ProtobufError.self) { try codec.decodeToJSON(Self.nest(501)) }
        var json = JSONValue.object(JSONObject())
        for _ in 0..<500 { json = .object(JSONObject(["child": json])) }
        #expect(try codec.encode(json: json) == Self.nest(500))
        json = .object(JSONObject(["child": json]))
        #expect(throws: ProtobufError.self) { _ = try codec.encode(json: json) }
    }
}
