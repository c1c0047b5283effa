import AccordSerializers
import AvroCodec
import Foundation
import Testing

/// `Codable` values to and from `AvroValue`s of a schema, without a registry: every mapping the serializers
/// rely on, and the field path of every refusal.
@Suite struct AvroCodableTests {
    func schema(_ text: String) throws -> AvroSchema { try AvroSchema(parsing: text) }

    func roundTrip<T: Codable & Equatable>(_ value: T, _ schemaText: String) throws -> AvroValue {
        let schema = try schema(schemaText)
        let avro = try AvroValueEncoder(schema: schema).encode(value)
        // Through the binary codec too: what a consumer reads is what was written.
        let codec = AvroDatumCodec(schema: schema)
        let read = try codec.decode(try codec.encode(avro))
        #expect(try AvroValueDecoder(schema: schema).decode(T.self, from: read) == value)
        return avro
    }

    @Test func decimalsAreUnscaledTwosComplementInBytesAndFixed() throws {
        struct Money: Codable, Equatable { var amount: Decimal }
        let bytes = #"{"type":"record","name":"M","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":2}}]}"#
        let cases: [(String, [UInt8])] = [
            ("0", [0x00]), ("1.27", [0x7F]), ("1.28", [0x00, 0x80]), ("-1.28", [0x80]), ("-1.29", [0xFF, 0x7F]),
            ("-0.01", [0xFF]), ("123456789012345678.99", [0x00, 0xAB, 0x54, 0xA9, 0x8C, 0xEB, 0x1F, 0x0A, 0xDB]),
        ]
        for (text, expected) in cases {
            let value = try roundTrip(Money(amount: try #require(Decimal(string: text))), bytes)
            #expect(value == .record([.bytes(expected)]), "\(text)")
        }
        let fixed = #"{"type":"record","name":"M","fields":[{"name":"amount","type":{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":9,"scale":3}}]}"#
        #expect(try roundTrip(Money(amount: -1), fixed) == .record([.fixed([0xFF, 0xFF, 0xFC, 0x18])]))
        #expect(try roundTrip(Money(amount: 2), fixed) == .record([.fixed([0x00, 0x00, 0x07, 0xD0])]))
        // Too many places or digits: refused with the field's path.
        for bad in ["1.2345", "12345678.9"] {
            #expect(throws: SerdeError.self) {
                try AvroValueEncoder(schema: try schema(fixed)).encode(Money(amount: try #require(Decimal(string: bad))))
            }
        }
    }

    @Test func datesAndTimestampsFollowTheirLogicalTypes() throws {
        struct Times: Codable, Equatable { var day: Date; var millis: Date; var micros: Date; var local: Date }
        let text = """
            {"type":"record","name":"T","fields":[
              {"name":"day","type":{"type":"int","logicalType":"date"}},
              {"name":"millis","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"micros","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"local","type":{"type":"long","logicalType":"local-timestamp-millis"}}]}
            """
        let moment = Date(timeIntervalSince1970: 1_000)
        let value = try roundTrip(Times(day: Date(timeIntervalSince1970: -86_400), millis: moment, micros: moment, local: moment), text)
        #expect(value == .record([.int(-1), .long(1_000_000), .long(1_000_000_000), .long(1_000_000)]))
        // A Date where the schema has a plain long is refused: the unit would be a guess.
        #expect(throws: SerdeError.invalidValue(path: "/t", reason: "expected an integer (a Date needs a timestamp logical type), got a Date")) {
            try AvroValueEncoder(schema: try schema(#"{"type":"record","name":"P","fields":[{"name":"t","type":"long"}]}"#))
                .encode(["t": moment])
        }
    }

    @Test func unionsPickTheFirstBranchTheValueFits() throws {
        struct Inner: Codable, Equatable { var n: Int32 }
        struct Outer: Codable, Equatable { var a: Inner?; var b: String?; var c: Int64? }
        let text = """
            {"type":"record","name":"O","fields":[
              {"name":"a","type":["null",{"type":"record","name":"Inner","fields":[{"name":"n","type":"int"}]}]},
              {"name":"b","type":["null","string"],"default":null},
              {"name":"c","type":["string","long","null"]}]}
            """
        #expect(try roundTrip(Outer(a: Inner(n: 3), b: nil, c: 9), text)
            == .record([.union(branch: 1, value: .record([.int(3)])), .union(branch: 0, value: .null), .union(branch: 1, value: .long(9))]))
        #expect(try roundTrip(Outer(a: nil, b: "x", c: nil), text)
            == .record([.union(branch: 0, value: .null), .union(branch: 1, value: .string("x")), .union(branch: 2, value: .null)]))
    }

    @Test func collectionsEnumsAndBytes() throws {
        enum Suit: String, Codable { case hearts = "HEARTS", spades = "SPADES" }
        struct Hand: Codable, Equatable {
            var suits: [Suit]
            var scores: [String: Int64]
            var blob: Data
            var raw: [UInt8]
            var names: [String]
            var id: UUID
        }
        let text = """
            {"type":"record","name":"H","fields":[
              {"name":"suits","type":{"type":"array","items":{"type":"enum","name":"Suit","symbols":["HEARTS","SPADES"]}}},
              {"name":"scores","type":{"type":"map","values":"long"}},
              {"name":"blob","type":"bytes"},
              {"name":"raw","type":{"type":"fixed","name":"F","size":2}},
              {"name":"names","type":{"type":"array","items":"string"}},
              {"name":"id","type":{"type":"string","logicalType":"uuid"}}]}
            """
        let id = UUID()
        let value = try roundTrip(
            Hand(suits: [.spades, .hearts], scores: ["b": 2, "a": 1], blob: Data([1, 2]), raw: [9, 8], names: [], id: id), text)
        #expect(value == .record([
            .array([.enumeration(index: 1, symbol: "SPADES"), .enumeration(index: 0, symbol: "HEARTS")]),
            .map([AvroMapEntry("a", .long(1)), AvroMapEntry("b", .long(2))]),
            .bytes([1, 2]), .fixed([9, 8]), .array([]), .string(id.uuidString.lowercased()),
        ]))
    }

    @Test func refusalsNameTheFieldPath() throws {
        struct Line: Codable { var sku: String; var qty: Int }
        struct Order: Codable { var lines: [Line]; var extra: String? }
        let text = """
            {"type":"record","name":"O","fields":[
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"L","fields":[
                {"name":"sku","type":"string"},{"name":"qty","type":"int"},{"name":"unit","type":"string"}]}}}]}
            """
        let encoder = AvroValueEncoder(schema: try schema(text))
        #expect(throws: SerdeError.invalidValue(path: "/lines/1/unit", reason: "missing field 'unit' of L, which has no default")) {
            struct FullLine: Codable { var sku: String; var qty: Int32; var unit: String? }
            _ = try encoder.encode(["lines": [FullLine(sku: "a", qty: 1, unit: "kg"), FullLine(sku: "b", qty: 2, unit: nil)]])
        }
        #expect(throws: SerdeError.invalidValue(path: "/extra", reason: "O has no field 'extra'")) {
            _ = try encoder.encode(Order(lines: [], extra: "x"))
        }
        #expect(throws: SerdeError.invalidValue(path: "/lines/0/qty", reason: "expected an integer within Int32, got an integer")) {
            _ = try encoder.encode(Order(lines: [Line(sku: "a", qty: Int(Int32.max) + 1)], extra: nil))
        }
    }

    @Test func decodingTellsWhereTheDataDoesNotFitTheType() throws {
        struct Wrong: Codable { var n: String }
        let schema = try schema(#"{"type":"record","name":"R","fields":[{"name":"n","type":"int"}]}"#)
        do {
            _ = try AvroValueDecoder(schema: schema).decode(Wrong.self, from: .record([.int(3)]))
            Issue.record("an int decoded as a String")
        } catch {
            guard case .invalidPayload(let path, _, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "/n")
        }
    }
}
