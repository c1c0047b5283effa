import AvroCodec
import JSONSupport
import Testing

/// Found by fuzzing (avro-decoders): binary data may repeat a map key. The decoders kept both entries, so the
/// value's JSON had a repeated member name, which no strict JSON reader (ours included) accepts. They now read
/// a map as Java's and libavro's readers do: one entry per key, where it first occurred, with the last value.
@Suite struct RepeatedMapKeyTests {
    static let schema = #"{"type":"map","values":"int"}"#
    /// One block of three entries: "k" → 0, "j" → 1, "k" → 2, then the end of the map.
    static let payload: [UInt8] = [0x06, 0x02, 0x6B, 0x00, 0x02, 0x6A, 0x02, 0x02, 0x6B, 0x04, 0x00]
    static let expected = AvroValue.map([AvroMapEntry("k", .int(2)), AvroMapEntry("j", .int(1))])

    @Test func theLastValueOfARepeatedKeyWins() throws {
        let schema = try AvroSchema(parsing: Self.schema)
        let codec = AvroDatumCodec(schema: schema)
        try codec.validate(Self.payload)
        let value = try codec.decode(Self.payload)
        #expect(value == Self.expected)
        let json = try schema.json(from: value, style: .avro)
        #expect(json.serialized() == #"{"k":2,"j":1}"#)
        #expect(try JSONParser.parse(json.serialized()) == json)
    }

    @Test func repeatedKeysAcrossBlocksToo() throws {
        // Two blocks of one entry each, both "k".
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: Self.schema))
        #expect(try codec.decode([0x02, 0x02, 0x6B, 0x00, 0x02, 0x02, 0x6B, 0x08, 0x00]) == .map([AvroMapEntry("k", .int(4))]))
    }

    @Test func theResolvingDecoderReadsThemTheSameWay() throws {
        let writer = try AvroSchema(parsing: Self.schema)
        let reader = try AvroSchema(parsing: #"{"type":"map","values":"long"}"#)
        let value = try AvroResolvingDecoder(writer: writer, reader: reader).decode(Self.payload)
        #expect(value == .map([AvroMapEntry("k", .long(2)), AvroMapEntry("j", .long(1))]))
    }

    @Test func largeMapsWithoutRepeatsAreKeptAsWritten() throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: Self.schema))
        let entries = (0..<40).map { AvroMapEntry("key\($0)", .int(Int32($0))) }
        #expect(try codec.decode(codec.encode(.map(entries))) == .map(entries))
        var repeated = entries
        repeated.append(AvroMapEntry("key3", .int(-1)))
        var expected = entries
        expected[3].value = .int(-1)
        #expect(try codec.decode(codec.encode(.map(repeated))) == .map(expected))
    }
}
