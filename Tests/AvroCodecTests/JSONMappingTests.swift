import AvroCodec
import JSONSupport
import Testing

/// Shared helpers for the JSON mapping suites.
enum JSONTestSupport {
    static func schema(_ text: String) throws -> AvroSchema {
        try AvroSchema(parsing: text)
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// The error thrown by `body`, or nil.
    static func error(_ body: () throws(AvroError) -> Void) -> AvroError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }
}

@Suite struct JSONMappingTests {
    typealias S = JSONTestSupport

    /// (schema, value, avro-style JSON text, plain-style JSON text)
    static let roundTrips: [(String, AvroValue, String, String)] = [
        ("\"null\"", .null, "null", "null"),
        ("\"boolean\"", .boolean(true), "true", "true"),
        ("\"int\"", .int(-2_147_483_648), "-2147483648", "-2147483648"),
        ("\"long\"", .long(9_223_372_036_854_775_807), "9223372036854775807", "9223372036854775807"),
        ("\"float\"", .float(1.5), "1.5", "1.5"),
        ("\"double\"", .double(0.1), "0.1", "0.1"),
        ("\"double\"", .double(.infinity), "\"Infinity\"", "\"Infinity\""),
        ("\"float\"", .float(-.infinity), "\"-Infinity\"", "\"-Infinity\""),
        ("\"bytes\"", .bytes([0x00, 0x41, 0xFF]), "\"\\u0000A\u{FF}\"", "\"\\u0000A\u{FF}\""),
        ("\"string\"", .string("héllo \"q\""), "\"héllo \\\"q\\\"\"", "\"héllo \\\"q\\\"\""),
        (
            #"{"type":"fixed","name":"F","size":2}"#, .fixed([0x7F, 0x80]),
            "\"\u{7F}\u{80}\"", "\"\u{7F}\u{80}\""
        ),
        (
            #"{"type":"enum","name":"E","symbols":["A","B"]}"#, .enumeration(index: 1, symbol: "B"),
            "\"B\"", "\"B\""
        ),
        (#"{"type":"array","items":"int"}"#, .array([.int(1), .int(2)]), "[1,2]", "[1,2]"),
        (
            #"{"type":"map","values":"long"}"#, .map([AvroMapEntry("b", .long(1)), AvroMapEntry("a", .long(2))]),
            #"{"b":1,"a":2}"#, #"{"b":1,"a":2}"#
        ),
        (
            #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#,
            .record([.int(7), .string("x")]), #"{"a":7,"b":"x"}"#, #"{"a":7,"b":"x"}"#
        ),
        (#"["null","string"]"#, .union(branch: 0, value: .null), "null", "null"),
        (#"["null","string"]"#, .union(branch: 1, value: .string("a")), #"{"string":"a"}"#, #""a""#),
        (
            #"["int",{"type":"array","items":"int"},{"type":"map","values":"int"}]"#,
            .union(branch: 2, value: .map([AvroMapEntry("k", .int(1))])), #"{"map":{"k":1}}"#, #"{"k":1}"#
        ),
        (
            #"["null",{"type":"record","name":"Foo","namespace":"ns","fields":[{"name":"x","type":"int"}]}]"#,
            .union(branch: 1, value: .record([.int(3)])), #"{"ns.Foo":{"x":3}}"#, #"{"x":3}"#
        ),
    ]

    @Test(arguments: 0..<roundTrips.count)
    func roundTripBothStyles(index: Int) throws {
        let (schemaText, value, avroText, plainText) = Self.roundTrips[index]
        let schema = try S.schema(schemaText)
        let avro = try schema.json(from: value, style: .avro)
        #expect(avro.serialized() == avroText)
        #expect(try schema.value(fromJSON: avro, style: .avro) == value)
        let plain = try schema.json(from: value, style: .plain)
        #expect(plain.serialized() == plainText)
        #expect(try schema.value(fromJSON: plain, style: .plain) == value)
    }

    @Test func nanIsWrittenAsStringAndReadBack() throws {
        let schema = try S.schema("\"double\"")
        #expect(try schema.json(from: .double(.nan), style: .avro) == .string("NaN"))
        guard case .double(let v) = try schema.value(fromJSON: .string("NaN"), style: .avro) else {
            Issue.record("not a double")
            return
        }
        #expect(v.isNaN)
        #expect(try schema.value(fromJSON: .string("-INF"), style: .plain) == .double(-.infinity))
    }

    /// The specification's union example: `["null","string","Foo"]`.
    @Test func specificationUnionExample() throws {
        let schema = try S.schema(
            #"["null","string",{"type":"record","name":"Foo","fields":[{"name":"n","type":"int"}]}]"#
        )
        #expect(try schema.json(from: .union(branch: 0, value: .null), style: .avro) == .null)
        #expect(try schema.json(from: .union(branch: 1, value: .string("a")), style: .avro).serialized() == #"{"string":"a"}"#)
        let foo = AvroValue.union(branch: 2, value: .record([.int(1)]))
        #expect(try schema.json(from: foo, style: .avro).serialized() == #"{"Foo":{"n":1}}"#)
        #expect(try schema.value(fromJSON: try S.json(#"{"Foo":{"n":1}}"#), style: .avro) == foo)
        // Java also takes a wrapped null.
        #expect(try schema.value(fromJSON: try S.json(#"{"null":null}"#), style: .avro) == .union(branch: 0, value: .null))
    }

    @Test func recordMembersInAnyOrderAndByAlias() throws {
        let schema = try S.schema(
            #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","aliases":["old"]}]}"#
        )
        #expect(try schema.value(fromJSON: try S.json(#"{"old":2,"a":1}"#), style: .avro) == .record([.int(1), .int(2)]))
    }

    @Test func plainUnionPicksFirstAcceptingBranch() throws {
        let schema = try S.schema(#"["null","int","long","string",{"type":"map","values":"int"}]"#)
        #expect(try schema.value(fromJSON: .integer(5), style: .plain) == .union(branch: 1, value: .int(5)))
        #expect(try schema.value(fromJSON: .integer(5_000_000_000), style: .plain) == .union(branch: 2, value: .long(5_000_000_000)))
        #expect(try schema.value(fromJSON: .null, style: .plain) == .union(branch: 0, value: .null))
        // The map branch accepts {"long": 5} as it is, so that wins over the wrapped reading.
        #expect(
            try schema.value(fromJSON: try S.json(#"{"long":5}"#), style: .plain)
                == .union(branch: 4, value: .map([AvroMapEntry("long", .int(5))]))
        )
        // With no map or record branch, the wrapped form is unambiguous.
        let noMap = try S.schema(#"["null","int","long"]"#)
        #expect(try noMap.value(fromJSON: try S.json(#"{"long":5}"#), style: .plain) == .union(branch: 2, value: .long(5)))
    }

    @Test func plainUnionPicksFirstValidatingRecord() throws {
        let schema = try S.schema(
            #"""
            [{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]},
             {"type":"record","name":"B","fields":[{"name":"y","type":"string"}]}]
            """#
        )
        #expect(try schema.value(fromJSON: try S.json(#"{"y":"s"}"#), style: .plain) == .union(branch: 1, value: .record([.string("s")])))
        #expect(try schema.value(fromJSON: try S.json(#"{"x":1}"#), style: .plain) == .union(branch: 0, value: .record([.int(1)])))
    }

    @Test func missingFieldTakesDefaultOnlyInPlainStyle() throws {
        let schema = try S.schema(
            #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","int"],"default":null}]}"#
        )
        let input = try S.json(#"{"a":1}"#)
        #expect(try schema.value(fromJSON: input, style: .plain) == .record([.int(1), .union(branch: 0, value: .null)]))
        let error = S.error { () throws(AvroError) in _ = try schema.value(fromJSON: input, style: .avro) }
        #expect(error?.code == .invalidValue)
        #expect(error?.pointer == JSONPointer.root)
        #expect(error?.message.contains("missing field \"b\"") == true)
    }

    @Test func defaultsConvertUnwrappedFirstBranch() throws {
        let schema = try S.schema(
            #"""
            {"type":"record","name":"R","fields":[
              {"name":"u","type":["string","null"],"default":"hi"},
              {"name":"b","type":"bytes","default":"\u00ff\u0001"},
              {"name":"r","type":{"type":"record","name":"In","fields":[
                 {"name":"p","type":"int"},{"name":"q","type":"long","default":9}]},"default":{"p":1,"extra":true}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]},"default":"Y"},
              {"name":"f","type":"float","default":2.5}
            ]}
            """#
        )
        guard case .record(let record) = schema.rootNode.kind else {
            Issue.record("not a record")
            return
        }
        let converted = try record.fields.map { field throws(AvroError) -> AvroValue in
            guard let json = field.defaultValue else { throw AvroError(.invalidValue, "no default") }
            return try schema.value(fromDefault: json, type: field.type)
        }
        #expect(
            converted == [
                .union(branch: 0, value: .string("hi")),
                .bytes([0xFF, 0x01]),
                .record([.int(1), .long(9)]),
                .enumeration(index: 1, symbol: "Y"),
                .float(2.5),
            ]
        )
        // A default of 1.0 for an int is not an integer literal.
        let int = try S.schema("\"int\"")
        #expect(S.error { () throws(AvroError) in _ = try int.value(fromDefault: .double(1.0), type: int.root) }?.code == .invalidValue)
    }

    /// The specification's table of field default examples, one per Avro type.
    static let specDefaults: [(String, String, AvroValue)] = [
        ("\"null\"", "null", .null),
        ("\"boolean\"", "true", .boolean(true)),
        ("\"int\"", "1", .int(1)),
        ("\"long\"", "1", .long(1)),
        ("\"float\"", "1.1", .float(1.1)),
        ("\"double\"", "1.1", .double(1.1)),
        ("\"bytes\"", #""\u00FF""#, .bytes([0xFF])),
        ("\"string\"", #""foo""#, .string("foo")),
        (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#, #"{"a": 1}"#, .record([.int(1)])),
        (#"{"type":"enum","name":"E","symbols":["FOO"]}"#, #""FOO""#, .enumeration(index: 0, symbol: "FOO")),
        (#"{"type":"array","items":"int"}"#, "[1]", .array([.int(1)])),
        (#"{"type":"map","values":"int"}"#, #"{"a": 1}"#, .map([AvroMapEntry("a", .int(1))])),
        (#"{"type":"fixed","name":"F","size":1}"#, #""\u00ff""#, .fixed([0xFF])),
    ]

    @Test(arguments: specDefaults)
    func specificationDefaultExamples(schemaText: String, defaultText: String, expected: AvroValue) throws {
        let schema = try S.schema(schemaText)
        #expect(try schema.value(fromDefault: try S.json(defaultText), type: schema.root) == expected)
    }
}
