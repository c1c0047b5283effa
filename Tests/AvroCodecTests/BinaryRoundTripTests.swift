import AvroCodec
import Testing

@Suite struct BinaryRoundTripTests {
    private func codec(_ text: String, limits: AvroLimits = .default) throws -> AvroDatumCodec {
        AvroDatumCodec(schema: try AvroSchema(parsing: text), limits: limits)
    }

    /// Encodes, validates, decodes and re-encodes; returns the bytes.
    @discardableResult
    private func roundTrip(_ codec: AvroDatumCodec, _ value: AvroValue) throws -> [UInt8] {
        let bytes = try codec.encode(value)
        try codec.validate(bytes)
        let decoded = try codec.decode(bytes)
        #expect(decoded == value)
        #expect(try codec.encode(decoded) == bytes)
        return bytes
    }

    static let everyTypeSchema = #"""
        {"type":"record","name":"Everything","namespace":"t","fields":[
          {"name":"n","type":"null"},
          {"name":"b","type":"boolean"},
          {"name":"i","type":"int"},
          {"name":"l","type":"long"},
          {"name":"f","type":"float"},
          {"name":"d","type":"double"},
          {"name":"by","type":"bytes"},
          {"name":"s","type":"string"},
          {"name":"a","type":{"type":"array","items":"string"}},
          {"name":"m","type":{"type":"map","values":"long"}},
          {"name":"e","type":{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","DIAMONDS","CLUBS"]}},
          {"name":"fx","type":{"type":"fixed","name":"Md5","size":4}},
          {"name":"u","type":["null","string","Suit"]},
          {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}},
          {"name":"date","type":{"type":"int","logicalType":"date"}},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
          {"name":"uuid","type":{"type":"string","logicalType":"uuid"}},
          {"name":"dur","type":{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}}
        ]}
        """#

    static let everyTypeValue: AvroValue = .record([
        .null,
        .boolean(true),
        .int(-123_456),
        .long(9_876_543_210),
        .float(3.5),
        .double(-0.125),
        .bytes([0x00, 0xFF, 0x7F]),
        .string("héllo wörld ✓ 𝄞"),
        .array([.string("a"), .string(""), .string("ccc")]),
        .map([AvroMapEntry("one", .long(1)), AvroMapEntry("minus", .long(-1))]),
        .enumeration(index: 3, symbol: "CLUBS"),
        .fixed([1, 2, 3, 4]),
        .union(branch: 2, value: .enumeration(index: 1, symbol: "HEARTS")),
        .record([.int(7)]),
        .int(19_000),
        .long(1_700_000_000_000_000),
        .bytes([0x04, 0xD2]),
        .string("123e4567-e89b-12d3-a456-426614174000"),
        .fixed([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]),
    ])

    @Test func everyTypeRoundTrips() throws {
        let c = try codec(Self.everyTypeSchema)
        let bytes = try roundTrip(c, Self.everyTypeValue)
        // 0+1+3+5+4+8+4+23+9+14+1+4+2+1+3+8+3+37+12 bytes, field by field
        #expect(bytes.count == 142)
    }

    @Test func extremeNumbersRoundTrip() throws {
        let c = try codec(
            #"{"type":"record","name":"N","fields":[{"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"}]}"#
        )
        try roundTrip(c, .record([.int(.min), .long(.min), .float(-.infinity), .double(.greatestFiniteMagnitude)]))
        try roundTrip(c, .record([.int(.max), .long(.max), .float(.leastNonzeroMagnitude), .double(-0.0)]))
    }

    static let linkedList = #"""
        {"type":"record","name":"Node","fields":[
          {"name":"value","type":"long"},
          {"name":"next","type":["null","Node"]}
        ]}
        """#

    private static func list(_ values: [Int64]) -> AvroValue {
        var tail: AvroValue = .union(branch: 0, value: .null)
        for v in values.reversed() {
            tail = .union(branch: 1, value: .record([.long(v), tail]))
        }
        guard case .union(_, let head) = tail else { return .null }
        return head
    }

    @Test func recursiveLinkedListRoundTrips() throws {
        let c = try codec(Self.linkedList)
        let bytes = try roundTrip(c, Self.list([1, 2, 3]))
        // value 1, branch 1, value 2, branch 1, value 3, branch 0
        #expect(bytes == [0x02, 0x02, 0x04, 0x02, 0x06, 0x00])
        // Each node nests a record and a union: 60 nodes fit the default depth of 128, 100 need more.
        try roundTrip(c, Self.list(Array(0..<60)))
        let deep = try codec(Self.linkedList, limits: AvroLimits(maxDepth: 1_000))
        try roundTrip(deep, Self.list(Array(0..<100)))
    }

    @Test func recursiveTreeThroughArraysAndMapsRoundTrips() throws {
        let c = try codec(
            #"{"type":"record","name":"Tree","fields":[{"name":"label","type":"string"},{"name":"kids","type":{"type":"array","items":"Tree"}},{"name":"byName","type":{"type":"map","values":"Tree"}}]}"#
        )
        let leaf: AvroValue = .record([.string("leaf"), .array([]), .map([])])
        let tree: AvroValue = .record([
            .string("root"),
            .array([leaf, .record([.string("mid"), .array([leaf]), .map([])])]),
            .map([AvroMapEntry("x", leaf)]),
        ])
        try roundTrip(c, tree)
    }

    @Test func nestedUnionsRoundTrip() throws {
        let c = try codec(
            #"["null",{"type":"array","items":["int","string",{"type":"map","values":["null","double"]}]},{"type":"record","name":"R","fields":[{"name":"u","type":["string","R","null"]}]}]"#
        )
        try roundTrip(c, .union(branch: 0, value: .null))
        try roundTrip(
            c,
            .union(
                branch: 1,
                value: .array([
                    .union(branch: 0, value: .int(5)),
                    .union(branch: 1, value: .string("s")),
                    .union(
                        branch: 2,
                        value: .map([
                            AvroMapEntry("k", .union(branch: 1, value: .double(2.5))),
                            AvroMapEntry("z", .union(branch: 0, value: .null)),
                        ])
                    ),
                ])
            )
        )
        try roundTrip(
            c,
            .union(
                branch: 2,
                value: .record([.union(branch: 1, value: .record([.union(branch: 0, value: .string("deep"))]))])
            )
        )
    }

    @Test func emptyCollectionsAndEmptyRecordRoundTrip() throws {
        let c = try codec(
            #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"null"}},{"name":"m","type":{"type":"map","values":"bytes"}},{"name":"e","type":{"type":"record","name":"Empty","fields":[]}}]}"#
        )
        let bytes = try roundTrip(c, .record([.array([]), .map([]), .record([])]))
        #expect(bytes == [0x00, 0x00])
        let nulls = try roundTrip(c, .record([.array([.null, .null, .null]), .map([]), .record([])]))
        #expect(nulls == [0x06, 0x00, 0x00])
    }

    @Test func mapKeepsEntryOrderAndLargeCollections() throws {
        let c = try codec(#"{"type":"map","values":"int"}"#)
        let entries = (0..<500).map { AvroMapEntry("key\(499 - $0)", .int(Int32($0))) }
        try roundTrip(c, .map(entries))
        let arrays = try codec(#"{"type":"array","items":"double"}"#)
        try roundTrip(arrays, .array((0..<1000).map { .double(Double($0) / 3) }))
    }

    @Test func largeStringAndBytesRoundTrip() throws {
        let c = try codec(#"{"type":"record","name":"R","fields":[{"name":"s","type":"string"},{"name":"b","type":"bytes"}]}"#)
        let text = String(repeating: "abcdefgh✓", count: 2_000)
        let blob = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bytes = try roundTrip(c, .record([.string(text), .bytes(blob)]))
        #expect(bytes.count == 3 + text.utf8.count + 3 + blob.count)
    }
}
