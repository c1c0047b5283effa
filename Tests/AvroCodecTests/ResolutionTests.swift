@testable import AvroCodec
import JSONSupport
import Testing

/// Builds writer bytes with the primitive writer.
struct WriterBytes {
    var writer = AvroBinaryWriter()
    func done() -> [UInt8] { writer.bytes }
    func long(_ v: Int64) -> WriterBytes { var c = self; c.writer.writeLong(v); return c }
    func int(_ v: Int32) -> WriterBytes { var c = self; c.writer.writeInt(v); return c }
    func float(_ v: Float) -> WriterBytes { var c = self; c.writer.writeFloat(v); return c }
    func string(_ v: String) -> WriterBytes { var c = self; c.writer.writeString(v); return c }
    func bytes(_ v: [UInt8]) -> WriterBytes { var c = self; c.writer.writeBytes(v); return c }
    func raw(_ v: [UInt8]) -> WriterBytes { var c = self; c.writer.writeRaw(v); return c }
}

enum ResolutionSupport {
    static func decoder(_ writer: String, _ reader: String) throws -> AvroResolvingDecoder {
        try AvroResolvingDecoder(writer: AvroSchema(parsing: writer), reader: AvroSchema(parsing: reader))
    }

    static func initError(_ writer: String, _ reader: String) throws -> AvroError? {
        let w = try AvroSchema(parsing: writer)
        let r = try AvroSchema(parsing: reader)
        return JSONTestSupport.error { () throws(AvroError) in _ = try AvroResolvingDecoder(writer: w, reader: r) }
    }

    static func decodeError(_ decoder: AvroResolvingDecoder, _ bytes: [UInt8]) -> AvroError? {
        JSONTestSupport.error { () throws(AvroError) in _ = try decoder.decode(bytes) }
    }
}

@Suite struct ResolutionPromotionTests {
    typealias R = ResolutionSupport

    static let promotions: [(String, String, [UInt8], AvroValue)] = [
        ("\"int\"", "\"long\"", WriterBytes().int(-3).done(), .long(-3)),
        ("\"int\"", "\"float\"", WriterBytes().int(16_777_217).done(), .float(16_777_216)),
        ("\"int\"", "\"double\"", WriterBytes().int(7).done(), .double(7)),
        ("\"long\"", "\"float\"", WriterBytes().long(1 << 40).done(), .float(1_099_511_627_776)),
        ("\"long\"", "\"double\"", WriterBytes().long(-5).done(), .double(-5)),
        ("\"float\"", "\"double\"", WriterBytes().float(0.5).done(), .double(0.5)),
        ("\"string\"", "\"bytes\"", WriterBytes().string("hé").done(), .bytes([0x68, 0xC3, 0xA9])),
        ("\"bytes\"", "\"string\"", WriterBytes().bytes([0x68, 0x69]).done(), .string("hi")),
        ("\"int\"", "\"int\"", [0x96, 0x01], .int(75)),
    ]

    @Test(arguments: promotions)
    func promotion(writer: String, reader: String, bytes: [UInt8], expected: AvroValue) throws {
        #expect(try R.decoder(writer, reader).decode(bytes) == expected)
    }

    @Test func bytesReadAsStringMustBeUTF8() throws {
        let error = R.decodeError(try R.decoder("\"bytes\"", "\"string\""), [0x02, 0xC3, 0x28])
        #expect(error?.code == .invalidData)
        #expect(error?.offset == 0)
    }

    @Test func narrowingIsUnresolvable() throws {
        let error = try R.initError("\"long\"", "\"int\"")
        #expect(error?.code == .unresolvable)
        #expect(error?.pointer == JSONPointer.root)
        #expect(error?.message == "writer type long cannot be read as reader type int")
        #expect(try R.initError("\"double\"", "\"float\"")?.code == .unresolvable)
        #expect(try R.initError("\"string\"", #"{"type":"array","items":"string"}"#)?.code == .unresolvable)
    }

    @Test func trailingAndTruncatedBytes() throws {
        let decoder = try R.decoder("\"int\"", "\"long\"")
        let trailing = R.decodeError(decoder, [0x02, 0x00])
        #expect(trailing?.code == .invalidData)
        #expect(trailing?.offset == 1)
        #expect(R.decodeError(decoder, [0x80])?.code == .truncatedData)
    }

    @Test func decimalsMustAgreeOnPrecisionAndScale() throws {
        let d42 = #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#
        let d43 = #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":3}"#
        #expect(try R.initError(d42, d43)?.code == .unresolvable)
        #expect(try R.decoder(d42, "\"bytes\"").decode([0x04, 0x04, 0xD2]) == .bytes([0x04, 0xD2]))
    }
}

@Suite struct ResolutionRecordTests {
    typealias R = ResolutionSupport

    static let writer = #"""
        {"type":"record","name":"Person","namespace":"v1","fields":[
          {"name":"id","type":"long"},
          {"name":"nick","type":"string"},
          {"name":"old","type":{"type":"array","items":"int"}},
          {"name":"age","type":"int"}
        ]}
        """#

    static let reader = #"""
        {"type":"record","name":"Person","namespace":"v2","fields":[
          {"name":"age","type":"long"},
          {"name":"id","type":"long"},
          {"name":"nickname","type":"string","aliases":["nick"]},
          {"name":"email","type":["null","string"],"default":null},
          {"name":"tags","type":{"type":"array","items":"string"},"default":["a","b"]}
        ]}
        """#

    static let bytes = WriterBytes().long(42).string("bo").long(2).int(1).int(2).long(0).int(30).done()

    @Test func addedRemovedRenamedAndReorderedFields() throws {
        let value = try R.decoder(Self.writer, Self.reader).decode(Self.bytes)
        #expect(
            value
                == .record([
                    .long(30), .long(42), .string("bo"), .union(branch: 0, value: .null),
                    .array([.string("a"), .string("b")]),
                ])
        )
    }

    @Test func skippedFieldsAreStillChecked() throws {
        // The skipped array claims 5 items but the data ends.
        let bytes = WriterBytes().long(42).string("bo").long(5).int(1).done()
        let error = R.decodeError(try R.decoder(Self.writer, Self.reader), bytes)
        #expect(error?.code == .truncatedData)
        #expect(error?.dataPath == ".old[1]")
    }

    @Test func missingFieldWithoutDefaultIsUnresolvable() throws {
        let reader = #"{"type":"record","name":"Person","fields":[{"name":"id","type":"long"},{"name":"email","type":"string"}]}"#
        let error = try R.initError(Self.writer, reader)
        #expect(error?.code == .unresolvable)
        #expect(error?.pointer?.description == "/fields/1")
        #expect(error?.message.contains("\"email\"") == true)
    }

    @Test func recordNamesMatchUnqualifiedOrByAlias() throws {
        let renamed = #"{"type":"record","name":"Human","aliases":["v1.Person"],"fields":[{"name":"id","type":"long"}]}"#
        let bytes = WriterBytes().long(1).string("").long(0).int(0).done()
        #expect(try R.decoder(Self.writer, renamed).decode(bytes) == .record([.long(1)]))
        let other = #"{"type":"record","name":"Human","fields":[{"name":"id","type":"long"}]}"#
        let error = try R.initError(Self.writer, other)
        #expect(error?.code == .unresolvable)
        #expect(error?.message.contains("names differ") == true)
    }

    @Test func recursiveSchemaResolves() throws {
        let writer = #"{"type":"record","name":"LongList","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","LongList"]}]}"#
        let reader = #"""
            {"type":"record","name":"LongList","fields":[
              {"name":"value","type":"long"},
              {"name":"label","type":"string","default":"-"},
              {"name":"next","type":["null","LongList"]}]}
            """#
        // 1 -> 2 -> null
        let bytes = WriterBytes().int(1).long(1).int(2).long(0).done()
        let value = try R.decoder(writer, reader).decode(bytes)
        let tail = AvroValue.record([.long(2), .string("-"), .union(branch: 0, value: .null)])
        #expect(value == .record([.long(1), .string("-"), .union(branch: 1, value: tail)]))
    }

    @Test func deepRecursionIsBounded() throws {
        let schema = #"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}"#
        var w = WriterBytes()
        for _ in 0..<1000 { w = w.long(1) }
        let error = R.decodeError(try R.decoder(schema, schema), w.long(0).done())
        #expect(error?.code == .limitExceeded)
    }
}

@Suite struct ResolutionEnumAndUnionTests {
    typealias R = ResolutionSupport

    static let writerEnum = #"{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS","JOKER"]}"#

    @Test func enumSymbolsResolveByName() throws {
        let reader = #"{"type":"enum","name":"Suit","symbols":["HEARTS","SPADES","OTHER"],"default":"OTHER"}"#
        let decoder = try R.decoder(Self.writerEnum, reader)
        #expect(try decoder.decode([0x00]) == .enumeration(index: 1, symbol: "SPADES"))
        #expect(try decoder.decode([0x02]) == .enumeration(index: 0, symbol: "HEARTS"))
        #expect(try decoder.decode([0x04]) == .enumeration(index: 2, symbol: "OTHER"))
        #expect(R.decodeError(decoder, [0x06])?.code == .invalidData)
    }

    @Test func unknownSymbolWithoutDefaultFailsWhenRead() throws {
        let writer = #"{"type":"record","name":"Card","fields":[{"name":"suits","type":{"type":"array","items":\#(Self.writerEnum)}}]}"#
        let reader = #"{"type":"record","name":"Card","fields":[{"name":"suits","type":{"type":"array","items":{"type":"enum","name":"Suit","symbols":["SPADES","HEARTS"]}}}]}"#
        let decoder = try R.decoder(writer, reader)
        #expect(try decoder.decode([0x04, 0x00, 0x02, 0x00]) == .record([.array([.enumeration(index: 0, symbol: "SPADES"), .enumeration(index: 1, symbol: "HEARTS")])]))
        let error = R.decodeError(decoder, [0x04, 0x00, 0x04, 0x00, 0x00])
        #expect(error?.code == .unresolvable)
        #expect(error?.dataPath == ".suits[1]")
        #expect(error?.offset == 2)
        #expect(error?.message.contains("\"JOKER\"") == true)
    }

    @Test func enumAndFixedNamesAndSizes() throws {
        #expect(try R.initError(Self.writerEnum, #"{"type":"enum","name":"Color","symbols":["SPADES"]}"#)?.code == .unresolvable)
        let aliased = #"{"type":"enum","name":"Color","aliases":["Suit"],"symbols":["SPADES","HEARTS","JOKER"]}"#
        #expect(try R.decoder(Self.writerEnum, aliased).decode([0x04]) == .enumeration(index: 2, symbol: "JOKER"))
        let f2 = #"{"type":"fixed","name":"F","size":2}"#
        #expect(try R.initError(f2, #"{"type":"fixed","name":"F","size":3}"#)?.message.contains("size") == true)
        #expect(try R.decoder(f2, #"{"type":"fixed","name":"x.F","size":2}"#).decode([0x01, 0x02]) == .fixed([1, 2]))
    }

    @Test func writerUnionIntoNonUnionFailsOnlyForUnreadableBranch() throws {
        let decoder = try R.decoder(#"["null","int"]"#, "\"long\"")
        #expect(try decoder.decode([0x02, 0x04]) == .long(2))
        let error = R.decodeError(decoder, [0x00])
        #expect(error?.code == .unresolvable)
        #expect(error?.message == "writer type null cannot be read as reader type long")
        // No branch readable at all: init fails.
        #expect(try R.initError(#"["null","boolean"]"#, "\"long\"")?.code == .unresolvable)
    }

    @Test func nonUnionIntoReaderUnion() throws {
        #expect(try R.decoder("\"string\"", #"["null","string"]"#).decode([0x02, 0x61]) == .union(branch: 1, value: .string("a")))
        // No exact long branch: the first promotable branch (float) wins over double.
        #expect(try R.decoder("\"int\"", #"["null","string","float","double"]"#).decode([0x04]) == .union(branch: 2, value: .float(2)))
        // An exact branch wins over an earlier promotable one.
        #expect(try R.decoder("\"int\"", #"["long","int"]"#).decode([0x04]) == .union(branch: 1, value: .int(2)))
        let error = try R.initError("\"boolean\"", #"["null","string"]"#)
        #expect(error?.code == .unresolvable)
        #expect(error?.message.contains("no branch of reader union") == true)
    }

    @Test func namedTypeIntoReaderUnion() throws {
        let writer = #"{"type":"record","name":"a.Point","fields":[{"name":"x","type":"int"}]}"#
        let reader = #"""
            ["null",
             {"type":"record","name":"b.Point","fields":[{"name":"y","type":"int"}]},
             {"type":"record","name":"c.Point","fields":[{"name":"x","type":"long"}]}]
            """#
        // b.Point matches by short name but cannot be resolved (no field x, y has no default); c.Point can.
        #expect(try R.decoder(writer, reader).decode([0x06]) == .union(branch: 2, value: .record([.long(3)])))
    }

    @Test func unionToUnionByBranch() throws {
        let decoder = try R.decoder(#"["int","string","null"]"#, #"["null","string","long"]"#)
        #expect(try decoder.decode([0x00, 0x08]) == .union(branch: 2, value: .long(4)))
        #expect(try decoder.decode([0x02, 0x02, 0x7A]) == .union(branch: 1, value: .string("z")))
        #expect(try decoder.decode([0x04]) == .union(branch: 0, value: .null))
        #expect(R.decodeError(decoder, [0x06])?.code == .invalidData)
    }

    @Test func collectionLimitsApply() throws {
        let w = #"{"type":"map","values":"null"}"#
        let decoder = try AvroResolvingDecoder(
            writer: AvroSchema(parsing: w),
            reader: AvroSchema(parsing: w),
            limits: AvroLimits(maxCollectionCount: 2)
        )
        #expect(try decoder.decode([0x04, 0x02, 0x61, 0x02, 0x62, 0x00]) == .map([AvroMapEntry("a", .null), AvroMapEntry("b", .null)]))
        let error = R.decodeError(decoder, [0x06, 0x02, 0x61, 0x02, 0x62, 0x02, 0x63, 0x00])
        #expect(error?.code == .limitExceeded)
        // A negative block count carries a byte size.
        #expect(try decoder.decode([0x01, 0x04, 0x02, 0x61, 0x00]) == .map([AvroMapEntry("a", .null)]))
    }
}
