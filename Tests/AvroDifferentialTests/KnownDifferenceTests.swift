import AvroCodec
import CAvro
import Testing

/// Where libavro (Apache Avro C 1.11, Debian libavro-dev) is known to differ from the Avro specification,
/// or cannot take part in a differential comparison. Those cases are kept out of the generated
/// comparisons and checked here against the specification with hand-written expected bytes instead:
///
/// - Logical types: libavro parses the `logicalType` attribute and then ignores it, so it neither checks
///   nor interprets `decimal`, `uuid`, `date`, timestamps… Their encoding is that of the underlying type.
/// - Enums: libavro holds an enum value as an index only (`avro_value_set_enum` takes an int) and does not
///   range-check the index it reads, so it cannot tell a symbol from an out-of-range position.
/// - NaN: NaN is unequal to itself (in Swift's `==`, so also in `AvroValue ==`, and in libavro's
///   `avro_value_equal`). Floats are compared by bit pattern; the encoding is the raw IEEE 754 bits.
/// - Zero-size values: libavro cannot write or read a `fixed` of size 0, nor hold an array of
///   empty records; the specification allows both.
extension LibavroSuites {
    @Suite
    struct KnownLibavroDifferenceTests {
        private func codec(_ json: String) throws -> AvroDatumCodec {
            AvroDatumCodec(schema: try AvroSchema(parsing: json))
        }

        private func roundTrip(_ json: String, _ value: AvroValue, expectHex: String) throws {
            let codec = try codec(json)
            let bytes = try codec.encode(value)
            #expect(hex(bytes) == expectHex)
            #expect(firstDifference(try codec.decode(bytes), value) == nil)
        }

        @Test func dateIsAnIntOfDays() throws {
            // 2022-01-08 is day 19000: zigzag 38000 = f0 a8 02.
            try roundTrip(#"{"type":"int","logicalType":"date"}"#, .int(19000), expectHex: "f0a802")
        }

        @Test func timestampMillisIsALong() throws {
            try roundTrip(
                #"{"type":"long","logicalType":"timestamp-millis"}"#, .long(1_700_000_000_000),
                expectHex: "80a0abfef962"
            )
        }

        @Test func timeMillisIsAnInt() throws {
            // 12:34:56.789 = 45296789 ms.
            try roundTrip(#"{"type":"int","logicalType":"time-millis"}"#, .int(45_296_789), expectHex: "aab2992b")
        }

        @Test func decimalBytesAreTheUnscaledTwosComplementBigEndian() throws {
            let schema = #"{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}"#
            // 123.45 → 12345 = 0x3039; -1.00 → -100 = 0x9c.
            try roundTrip(schema, .bytes([0x30, 0x39]), expectHex: "043039")
            try roundTrip(schema, .bytes([0x9C]), expectHex: "029c")
        }

        @Test func decimalFixedIsWrittenWithoutALength() throws {
            let schema = #"{"type":"fixed","name":"Money","size":4,"logicalType":"decimal","precision":8,"scale":2}"#
            try roundTrip(schema, .fixed([0xFF, 0xFF, 0xFF, 0x9C]), expectHex: "ffffff9c")
        }

        @Test func uuidIsAString() throws {
            try roundTrip(
                #"{"type":"string","logicalType":"uuid"}"#, .string("123e4567-e89b-12d3-a456-426614174000"),
                expectHex: "48" + "31323365343536372d653839622d313264332d613435362d343236363134313734303030"
            )
        }

        @Test func libavroEncodesLogicalTypesAsTheirUnderlyingType() throws {
            let json = #"{"type":"int","logicalType":"date"}"#
            let reference = try LibAvroSchema(json: json)
            #expect(hex(try reference.encode(.int(19000))) == "f0a802")
            #expect(hex(try codec(json).encode(.int(19000))) == "f0a802")
        }

        private static let letters = #"{"type":"enum","name":"Letter","symbols":["A","B","C"]}"#

        @Test func enumIsThePositionOfItsSymbol() throws {
            try roundTrip(Self.letters, .enumeration(index: 0, symbol: "A"), expectHex: "00")
            try roundTrip(Self.letters, .enumeration(index: 2, symbol: "C"), expectHex: "04")
        }

        @Test func enumPositionPastTheLastSymbolIsRejected() throws {
            // Position 3 of a three-symbol enum: the specification has no symbol for it.
            #expect(throws: AvroError.self) { try codec(Self.letters).decode([0x06]) }
            #expect(throws: AvroError.self) { try codec(Self.letters).validate([0x06]) }
        }

        @Test func libavroAcceptsAnEnumPositionPastTheLastSymbol() throws {
            let reference = try LibAvroSchema(json: Self.letters)
            let read = try reference.decode([0x06])
            #expect(read == .enumeration(index: 3, symbol: "?"))
        }

        @Test func doubleNaNIsItsRawBits() throws {
            let codec = try codec(#""double""#)
            let bytes = try codec.encode(.double(.nan))
            #expect(hex(bytes) == "000000000000f87f")
            guard case .double(let back) = try codec.decode(bytes) else {
                Issue.record("not a double")
                return
            }
            #expect(back.bitPattern == Double.nan.bitPattern)
            // A NaN payload survives the round trip.
            let payload = Double(bitPattern: 0x7FF8_0000_0000_BEEF)
            #expect(hex(try codec.encode(.double(payload))) == "efbe00000000f87f")
        }

        @Test func floatNaNIsItsRawBits() throws {
            try roundTrip(#""float""#, .float(.nan), expectHex: "0000c07f")
            try roundTrip(#""float""#, .float(-0.0), expectHex: "00000080")
        }

        @Test func nanIsNotEqualToItselfSoValuesAreComparedByBits() throws {
            #expect(AvroValue.double(.nan) != AvroValue.double(.nan))
            #expect(firstDifference(.double(.nan), .double(.nan)) == nil)
            #expect(firstDifference(.double(0.0), .double(-0.0)) != nil)

            // libavro's own equality says the same NaN value is not equal to itself.
            let reference = try LibAvroSchema(json: #""double""#)
            var first = avro_value_t()
            var second = avro_value_t()
            try check("avro_generic_value_new", cavro_generic_value_new(reference.iface, &first))
            defer { cavro_value_decref(&first) }
            try check("avro_generic_value_new", cavro_generic_value_new(reference.iface, &second))
            defer { cavro_value_decref(&second) }
            try check("set_double", cavro_value_set_double(&first, .nan))
            try check("set_double", cavro_value_set_double(&second, .nan))
            #expect(avro_value_equal(&first, &second) == 0)
            try check("set_double", cavro_value_set_double(&second, 1.5))
            try check("set_double", cavro_value_set_double(&first, 1.5))
            #expect(avro_value_equal(&first, &second) != 0)
        }

        @Test func zeroSizeFixedIsWrittenAsNothing() throws {
            let json = #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"Empty","size":0}},{"name":"b","type":"int"}]}"#
            try roundTrip(json, .record([.fixed([]), .int(-1)]), expectHex: "01")
        }

        @Test func arrayOfEmptyRecordsIsJustItsCount() throws {
            let json = #"{"type":"array","items":{"type":"record","name":"Nothing","fields":[]}}"#
            try roundTrip(json, .array([.record([]), .record([]), .record([])]), expectHex: "0600")
        }

        @Test func libavroCannotHoldAnArrayOfEmptyRecords() throws {
            let reference = try LibAvroSchema(json: #"{"type":"array","items":{"type":"record","name":"Nothing","fields":[]}}"#)
            #expect(throws: LibAvroError.self) { try reference.encode(.array([.record([])])) }
        }
    }
}
