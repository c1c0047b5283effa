import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Timestamp, Duration and FieldMask forms at their edges.
@Suite struct WellKnownTests {
    static func codec() throws -> ProtoMessageCodec {
        try CodecFixtures.codec("codec_proto3", "codec.p3.WellKnown")
    }

    /// ts (1) with the given seconds and nanos, as a sub-message.
    static func timestamp(_ seconds: Int64, _ nanos: Int32, field: UInt8 = 0x0A) -> [UInt8] {
        var body: [UInt8] = []
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                body.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            body.append(UInt8(v))
        }
        if seconds != 0 {
            body.append(0x08)
            varint(UInt64(bitPattern: seconds))
        }
        if nanos != 0 {
            body.append(0x10)
            varint(UInt64(bitPattern: Int64(nanos)))
        }
        return [field, UInt8(body.count)] + body
    }

    @Test(arguments: [
        (Int64(0), Int32(0), "1970-01-01T00:00:00Z"),
        (1, 500_000_000, "1970-01-01T00:00:01.500Z"),
        (-1, 999_999_999, "1969-12-31T23:59:59.999999999Z"),
        (951_782_400, 123_000, "2000-02-29T00:00:00.000123Z"),
        (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
        (253_402_300_799, 999_000_000, "9999-12-31T23:59:59.999Z"),
    ])
    func timestampPrints(_ seconds: Int64, _ nanos: Int32, _ text: String) throws {
        let codec = try Self.codec()
        let bytes = Self.timestamp(seconds, nanos)
        #expect(try codec.decodeToJSON(bytes) == .object(JSONObject(["ts": .string(text)])))
        #expect(try codec.encode(json: .object(JSONObject(["ts": .string(text)]))) == bytes)
    }

    @Test(arguments: [(Int64(-62_135_596_801), Int32(0)), (253_402_300_800, 0), (0, -1), (0, 1_000_000_000)])
    func timestampOutOfRangeHasNoJSON(_ seconds: Int64, _ nanos: Int32) throws {
        let codec = try Self.codec()
        let bytes = Self.timestamp(seconds, nanos)
        try codec.validate(bytes)
        #expect {
            _ = try codec.decodeToJSON(bytes)
        } throws: { error in
            let e = try #require(error as? ProtobufError)
            return e.code == .invalidValue && e.protoPath == ".ts"
        }
    }

    @Test(arguments: [
        ("2024-02-29T12:30:45+02:00", "2024-02-29T10:30:45Z"),
        ("2024-01-01T00:00:00.1-00:30", "2024-01-01T00:30:00.100Z"),
        ("1999-12-31T23:59:59.000000001Z", "1999-12-31T23:59:59.000000001Z"),
    ])
    func timestampOffsetsAreNormalized(_ input: String, _ printed: String) throws {
        let codec = try Self.codec()
        let bytes = try codec.encode(json: .object(JSONObject(["ts": .string(input)])))
        #expect(try codec.decodeToJSON(bytes) == .object(JSONObject(["ts": .string(printed)])))
    }

    @Test(arguments: [
        "2024-13-01T00:00:00Z", "2024-01-01t00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z",
        "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00+0100",
        "0000-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00", "2024-01-01T00:00:00Zjunk", "",
    ])
    func badTimestampsAreRejected(_ text: String) throws {
        let codec = try Self.codec()
        #expect {
            _ = try codec.encode(json: .object(JSONObject(["ts": .string(text)])))
        } throws: { error in
            (error as? ProtobufError)?.jsonPointer == "/ts"
        }
    }

    @Test(arguments: [
        ("0s", Int64(0), Int32(0)), ("1.500s", 1, 500_000_000), ("-1.500s", -1, -500_000_000),
        ("-0.000001s", 0, -1000), ("315576000000s", 315_576_000_000, 0), ("0.000000001s", 0, 1),
    ])
    func durationsRoundTrip(_ text: String, _ seconds: Int64, _ nanos: Int32) throws {
        let codec = try Self.codec()
        let bytes = Self.timestamp(seconds, nanos, field: 0x12)
        #expect(try codec.encode(json: .object(JSONObject(["dur": .string(text)]))) == bytes)
        #expect(try codec.decodeToJSON(bytes) == .object(JSONObject(["dur": .string(text)])))
    }

    @Test func durationInputsPrintWithThreeSixOrNineDigits() throws {
        let codec = try Self.codec()
        let bytes = try codec.encode(json: .object(JSONObject(["dur": .string("1.5s")])))
        #expect(try codec.decodeToJSON(bytes) == .object(JSONObject(["dur": .string("1.500s")])))
    }

    @Test func durationWithMixedSignsHasNoJSON() throws {
        let codec = try Self.codec()
        #expect(throws: ProtobufError.self) { try codec.decodeToJSON(Self.timestamp(1, -5, field: 0x12)) }
    }

    @Test func fieldMaskPathsMapBothWays() throws {
        let codec = try Self.codec()
        let json = JSONValue.object(JSONObject(["mask": .string("fooBar,a.bC")]))
        let bytes = try codec.encode(json: json)
        #expect(bytes == [0x7A, 0x10, 0x0A, 0x07] + Array("foo_bar".utf8) + [0x0A, 0x05] + Array("a.b_c".utf8))
        #expect(try codec.decodeToJSON(bytes) == json)
        // A path that would not come back unchanged has no JSON form.
        let upper: [UInt8] = [0x7A, 0x05, 0x0A, 0x03] + Array("aBc".utf8)
        #expect(throws: ProtobufError.self) { try codec.decodeToJSON(upper) }
    }

    @Test func anyWithTypeMissingFromSchemaFails() throws {
        let codec = try Self.codec()
        let url = Array("type.googleapis.com/x.Y".utf8)
        let any: [UInt8] = [0x0A, UInt8(url.count)] + url
        let bytes: [UInt8] = [0x8A, 0x01, UInt8(any.count)] + any
        #expect {
            _ = try codec.decodeToJSON(bytes)
        } throws: { error in
            let e = try #require(error as? ProtobufError)
            return e.code == .unknownType && e.protoPath == ".any.type_url"
        }
    }
}
