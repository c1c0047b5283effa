import AvroCodec
import JSONSupport
import Testing

@Suite struct JSONLogicalTypeTests {
    typealias S = JSONTestSupport

    static let decimalBytes = #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#
    static let decimalFixed = #"{"type":"fixed","name":"D","size":3,"logicalType":"decimal","precision":6,"scale":3}"#

    /// (plain JSON number, unscaled two's-complement bytes) for decimal(4, 2) on bytes.
    static let bytesCases: [(String, [UInt8])] = [
        ("12.34", [0x04, 0xD2]),
        ("-12.34", [0xFB, 0x2E]),
        ("0.00", [0x00]),
        ("-0.01", [0xFF]),
        ("1.28", [0x00, 0x80]),
        ("-1.28", [0x80]),
        ("-1.29", [0xFF, 0x7F]),
        ("99.99", [0x27, 0x0F]),
    ]

    @Test(arguments: bytesCases)
    func decimalOnBytes(text: String, bytes: [UInt8]) throws {
        let schema = try S.schema(Self.decimalBytes)
        #expect(try schema.value(fromJSON: try S.json(text), style: .plain) == .bytes(bytes))
        #expect(try schema.json(from: .bytes(bytes), style: .plain).serialized() == text)
        // The avro style keeps the bytes string.
        #expect(try schema.json(from: .bytes(bytes), style: .avro) == .string(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))))
    }

    @Test func decimalParsingIsExact() throws {
        let schema = try S.schema(Self.decimalBytes)
        #expect(try schema.value(fromJSON: try S.json("12.340"), style: .plain) == .bytes([0x04, 0xD2]))
        #expect(try schema.value(fromJSON: try S.json("1234e-2"), style: .plain) == .bytes([0x04, 0xD2]))
        #expect(try schema.value(fromJSON: try S.json("12"), style: .plain) == .bytes([0x04, 0xB0]))
        let tooPreciseInput = try S.json("1.234")
        let tooPrecise = S.error { () throws(AvroError) in _ = try schema.value(fromJSON: tooPreciseInput, style: .plain) }
        #expect(tooPrecise?.message.contains("more than 2 digits after the point") == true)
        let tooManyInput = try S.json("123.45")
        let tooMany = S.error { () throws(AvroError) in _ = try schema.value(fromJSON: tooManyInput, style: .plain) }
        #expect(tooMany?.message.contains("more than 4 significant digits") == true)
        let hugeInput = try S.json("1e999999999999")
        let huge = S.error { () throws(AvroError) in _ = try schema.value(fromJSON: hugeInput, style: .plain) }
        #expect(huge?.code == .invalidValue)
        // Writing a value beyond the precision fails too.
        let over = S.error { () throws(AvroError) in _ = try schema.json(from: .bytes([0x01, 0x86, 0xA0]), style: .plain) }
        #expect(over?.code == .invalidValue)
    }

    @Test func decimalOnFixedIsSignExtended() throws {
        let schema = try S.schema(Self.decimalFixed)
        #expect(try schema.value(fromJSON: try S.json("-1.5"), style: .plain) == .fixed([0xFF, 0xFA, 0x24]))
        #expect(try schema.value(fromJSON: try S.json("1.5"), style: .plain) == .fixed([0x00, 0x05, 0xDC]))
        #expect(try schema.json(from: .fixed([0xFF, 0xFA, 0x24]), style: .plain).serialized() == "-1.500")
        #expect(try schema.json(from: .fixed([0x00, 0x00, 0x05]), style: .plain).serialized() == "0.005")
    }

    @Test func uuidAndTimestamps() throws {
        let fixedUUID = try S.schema(#"{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}"#)
        let bytes: [UInt8] = [0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00]
        let text = "123e4567-e89b-12d3-a456-426614174000"
        #expect(try fixedUUID.json(from: .fixed(bytes), style: .plain) == .string(text))
        #expect(try fixedUUID.value(fromJSON: .string(text.uppercased()), style: .plain) == .fixed(bytes))
        let stringUUID = try S.schema(#"{"type":"string","logicalType":"uuid"}"#)
        #expect(try stringUUID.json(from: .string(text), style: .plain) == .string(text))
        let timestamp = try S.schema(#"{"type":"long","logicalType":"timestamp-millis"}"#)
        #expect(try timestamp.json(from: .long(1_700_000_000_000), style: .plain).serialized() == "1700000000000")
        let date = try S.schema(#"{"type":"int","logicalType":"date"}"#)
        #expect(try date.value(fromJSON: .integer(19_000), style: .plain) == .int(19_000))
    }
}

@Suite struct JSONHostileInputTests {
    typealias S = JSONTestSupport

    static let schemaText = #"""
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},
          {"name":"qty","type":"int"},
          {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
             {"name":"price","type":"double"},
             {"name":"tag","type":["null","string",{"type":"enum","name":"Kind","symbols":["A","B"]}]}]}}},
          {"name":"raw","type":{"type":"fixed","name":"Two","size":2}}
        ]}
        """#

    /// (style, JSON input, expected pointer, message fragment)
    static let cases: [(AvroJSONStyle, String, String, String)] = [
        (.avro, #"[]"#, "", "expected an object"),
        (.avro, #"{"id":"1","qty":1,"items":[],"raw":"ab"}"#, "/id", "expected an integer"),
        (.avro, #"{"id":1,"qty":1.5,"items":[],"raw":"ab"}"#, "/qty", "expected an integer"),
        (.avro, #"{"id":1,"qty":2147483648,"items":[],"raw":"ab"}"#, "/qty", "expected an integer"),
        (.avro, #"{"id":92233720368547758070,"qty":1,"items":[],"raw":"ab"}"#, "/id", "expected an integer"),
        (.avro, #"{"id":1,"qty":1,"items":[{"price":1e999,"tag":null}],"raw":"ab"}"#, "/items/0/price", "range of a double"),
        (.avro, #"{"id":1,"qty":1,"items":[],"raw":"abc"}"#, "/raw", "2 code points"),
        (.avro, #"{"id":1,"qty":1,"items":[],"raw":"a\u0100"}"#, "/raw", "code points"),
        (.avro, #"{"id":1,"qty":1,"items":[]}"#, "", "missing field \"raw\""),
        (.plain, #"{"id":1,"qty":1,"items":[]}"#, "", "missing field \"raw\""),
        (.avro, #"{"id":1,"qty":1,"items":[],"raw":"ab","extra":0}"#, "/extra", "has no field \"extra\""),
        (.plain, #"{"id":1,"qty":1,"items":[],"raw":"ab","extra":0}"#, "/extra", "has no field \"extra\""),
        (.avro, #"{"id":1,"qty":1,"items":[{"price":1,"tag":{"int":1}}],"raw":"ab"}"#, "/items/0/tag/int", "not a branch"),
        (.avro, #"{"id":1,"qty":1,"items":[{"price":1,"tag":{"Kind":"A"}}],"raw":"ab"}"#, "/items/0/tag/Kind", "not a branch"),
        (.avro, #"{"id":1,"qty":1,"items":[{"price":1,"tag":"x"}],"raw":"ab"}"#, "/items/0/tag", "expected null or an object"),
        (.avro, #"{"id":1,"qty":1,"items":[{"price":1,"tag":{"shop.Kind":"C"}}],"raw":"ab"}"#, "/items/0/tag/shop.Kind", "one of the symbols"),
        (.plain, #"{"id":1,"qty":1,"items":[{"price":1,"tag":5}],"raw":"ab"}"#, "/items/0/tag", "no branch of union"),
    ]

    @Test(arguments: 0..<cases.count)
    func rejectedWithPointer(index: Int) throws {
        let (style, text, pointer, fragment) = Self.cases[index]
        let schema = try S.schema(Self.schemaText)
        let input = try S.json(text)
        let error = S.error { () throws(AvroError) in _ = try schema.value(fromJSON: input, style: style) }
        #expect(error?.code == .invalidValue)
        #expect(error?.pointer?.description == pointer)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test func validInputOfTheHostileSchemaIsRead() throws {
        let schema = try S.schema(Self.schemaText)
        let avro = try S.json(#"{"id":1,"qty":2,"items":[{"price":1.5,"tag":{"shop.Kind":"B"}}],"raw":"ab"}"#)
        let value = try schema.value(fromJSON: avro, style: .avro)
        #expect(
            value
                == .record([
                    .long(1), .int(2),
                    .array([.record([.double(1.5), .union(branch: 2, value: .enumeration(index: 1, symbol: "B"))])]),
                    .fixed([0x61, 0x62]),
                ])
        )
        let plain = try schema.json(from: value, style: .plain)
        #expect(plain.serialized() == #"{"id":1,"qty":2,"items":[{"price":1.5,"tag":"B"}],"raw":"ab"}"#)
        // In plain style the string branch comes before the enum, so "B" reads back as a string.
        #expect(
            try schema.value(fromJSON: plain, style: .plain)
                == .record([
                    .long(1), .int(2), .array([.record([.double(1.5), .union(branch: 1, value: .string("B"))])]),
                    .fixed([0x61, 0x62]),
                ])
        )
    }

    @Test func valuesThatDoNotFitTheSchemaAreRejectedOnOutput() throws {
        let schema = try S.schema(Self.schemaText)
        let wrong = AvroValue.record([.int(1), .int(2), .array([]), .fixed([0, 0])])
        let error = S.error { () throws(AvroError) in _ = try schema.json(from: wrong, style: .avro) }
        #expect(error?.code == .invalidValue)
        #expect(error?.pointer?.description == "/id")
    }

    @Test func deepNestingIsBounded() throws {
        let schema = try S.schema(#"{"type":"array","items":{"type":"array","items":"null"}}"#)
        let recursive = try S.schema(
            #"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}"#
        )
        var json = JSONValue.object(JSONObject([JSONMember("next", .null)]))
        for _ in 0..<200 { json = .object(JSONObject([JSONMember("next", .object(JSONObject([JSONMember("L", json)])))])) }
        let input = json
        let error = S.error { () throws(AvroError) in _ = try recursive.value(fromJSON: input, style: .avro) }
        #expect(error?.code == .limitExceeded)
        #expect(try schema.value(fromJSON: try S.json("[[null]]"), style: .avro) == .array([.array([.null])]))
    }
}
