import AvroCodec
import Testing

/// Byte vectors worked out by hand from the encoding rules of the Avro specification.
@Suite struct BinarySpecVectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        let schema: String
        let value: AvroValue
        let bytes: [UInt8]
        var description: String { "\(schema) \(bytes)" }
    }

    static let vectors: [Vector] = [
        Vector(schema: #""null""#, value: .null, bytes: []),
        Vector(schema: #""boolean""#, value: .boolean(false), bytes: [0x00]),
        Vector(schema: #""boolean""#, value: .boolean(true), bytes: [0x01]),
        Vector(schema: #""long""#, value: .long(0), bytes: [0x00]),
        Vector(schema: #""long""#, value: .long(-1), bytes: [0x01]),
        Vector(schema: #""long""#, value: .long(1), bytes: [0x02]),
        Vector(schema: #""long""#, value: .long(-2), bytes: [0x03]),
        Vector(schema: #""long""#, value: .long(2), bytes: [0x04]),
        Vector(schema: #""long""#, value: .long(-64), bytes: [0x7F]),
        Vector(schema: #""long""#, value: .long(64), bytes: [0x80, 0x01]),
        Vector(schema: #""long""#, value: .long(-65), bytes: [0x81, 0x01]),
        Vector(schema: #""long""#, value: .long(8192), bytes: [0x80, 0x80, 0x01]),
        Vector(
            schema: #""long""#,
            value: .long(.max),
            bytes: [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        ),
        Vector(
            schema: #""long""#,
            value: .long(.min),
            bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        ),
        Vector(schema: #""int""#, value: .int(-64), bytes: [0x7F]),
        Vector(schema: #""int""#, value: .int(64), bytes: [0x80, 0x01]),
        Vector(schema: #""int""#, value: .int(.max), bytes: [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        Vector(schema: #""int""#, value: .int(.min), bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        Vector(schema: #""float""#, value: .float(1.0), bytes: [0x00, 0x00, 0x80, 0x3F]),
        Vector(schema: #""float""#, value: .float(-2.5), bytes: [0x00, 0x00, 0x20, 0xC0]),
        Vector(
            schema: #""double""#,
            value: .double(1.0),
            bytes: [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F]
        ),
        Vector(schema: #""string""#, value: .string("foo"), bytes: [0x06, 0x66, 0x6F, 0x6F]),
        Vector(schema: #""string""#, value: .string(""), bytes: [0x00]),
        Vector(schema: #""string""#, value: .string("é"), bytes: [0x04, 0xC3, 0xA9]),
        Vector(schema: #""bytes""#, value: .bytes([0x01, 0xFF]), bytes: [0x04, 0x01, 0xFF]),
        Vector(
            schema: #"{"type":"array","items":"long"}"#,
            value: .array([.long(3), .long(27)]),
            bytes: [0x04, 0x06, 0x36, 0x00]
        ),
        Vector(schema: #"{"type":"array","items":"long"}"#, value: .array([]), bytes: [0x00]),
        Vector(
            schema: #"{"type":"map","values":"long"}"#,
            value: .map([AvroMapEntry("a", .long(1))]),
            bytes: [0x02, 0x02, 0x61, 0x02, 0x00]
        ),
        Vector(schema: #"["null","string"]"#, value: .union(branch: 0, value: .null), bytes: [0x00]),
        Vector(
            schema: #"["null","string"]"#,
            value: .union(branch: 1, value: .string("a")),
            bytes: [0x02, 0x02, 0x61]
        ),
        Vector(
            schema: #"{"type":"enum","name":"E","symbols":["A","B","C"]}"#,
            value: .enumeration(index: 2, symbol: "C"),
            bytes: [0x04]
        ),
        Vector(
            schema: #"{"type":"fixed","name":"F","size":3}"#,
            value: .fixed([0x0A, 0x0B, 0x0C]),
            bytes: [0x0A, 0x0B, 0x0C]
        ),
        // The record example of the specification: a long 27 and the string "foo".
        Vector(
            schema: #"{"type":"record","name":"test","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}"#,
            value: .record([.long(27), .string("foo")]),
            bytes: [0x36, 0x06, 0x66, 0x6F, 0x6F]
        ),
    ]

    @Test(arguments: vectors)
    func encodesToSpecBytes(_ vector: Vector) throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: vector.schema))
        #expect(try codec.encode(vector.value) == vector.bytes)
    }

    @Test(arguments: vectors)
    func decodesSpecBytes(_ vector: Vector) throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: vector.schema))
        try codec.validate(vector.bytes)
        #expect(try codec.decode(vector.bytes) == vector.value)
    }

    @Test func validatesAndDecodesFromRawBuffer() throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: #""string""#))
        let bytes: [UInt8] = [0x06, 0x66, 0x6F, 0x6F]
        let value = try bytes.withUnsafeBufferPointer { (buffer) throws(AvroError) -> AvroValue in
            try codec.validate(UnsafeRawBufferPointer(buffer))
            return try codec.decode(UnsafeRawBufferPointer(buffer))
        }
        #expect(value == .string("foo"))
    }

    @Test func encodeIntoAppendsAfterExistingBytes() throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: #""long""#))
        var out: [UInt8] = [0xAA]
        try codec.encode(.long(64), into: &out)
        try codec.encode(.long(-1), into: &out)
        #expect(out == [0xAA, 0x80, 0x01, 0x01])
    }
}
