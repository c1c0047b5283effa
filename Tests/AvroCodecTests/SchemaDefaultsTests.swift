import AvroCodec
import JSONSupport
import Testing

@Suite struct SchemaDefaultsTests {
    /// A record with one field `f` of `type` (JSON text) and default `value` (JSON text).
    private func record(_ type: String, _ value: String) -> String {
        #"{"type": "record", "name": "R", "fields": [{"name": "f", "type": \#(type), "default": \#(value)}]}"#
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var type: String
        var value: String
        var testDescription: String { "\(type) ← \(value)" }
    }

    static let accepted: [Case] = [
        Case(type: #""null""#, value: "null"),
        Case(type: #""boolean""#, value: "false"),
        Case(type: #""int""#, value: "-2147483648"),
        Case(type: #""int""#, value: "2147483647"),
        Case(type: #""long""#, value: "-9223372036854775808"),
        Case(type: #""long""#, value: "9223372036854775807"),
        Case(type: #""float""#, value: "1"),
        Case(type: #""float""#, value: "1.5e300"),
        Case(type: #""double""#, value: "-0.0"),
        // Java converts string defaults of float and double fields with Double.parseDouble.
        Case(type: #""double""#, value: #""NaN""#),
        Case(type: #""double""#, value: #""-Infinity""#),
        Case(type: #""float""#, value: #"" 2.5f ""#),
        Case(type: #""double""#, value: #""1e3""#),
        Case(type: #""string""#, value: #""héllo""#),
        Case(type: #""bytes""#, value: #""\u0000\u00ff""#),
        Case(type: #""bytes""#, value: #""""#),
        Case(type: #"{"type": "fixed", "name": "F", "size": 2}"#, value: #""\u00e9a""#),
        Case(type: #"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#, value: #""B""#),
        Case(type: #"{"type": "array", "items": "int"}"#, value: "[1, 2, 3]"),
        Case(type: #"{"type": "array", "items": "int"}"#, value: "[]"),
        Case(type: #"{"type": "map", "values": "string"}"#, value: #"{"a": "x", "b": "y"}"#),
        Case(type: #"["null", "int"]"#, value: "null"),
        // Java 1.12 accepts a default that matches any branch, not only the first.
        Case(type: #"["null", "int"]"#, value: "3"),
        Case(type: #"["int", "string"]"#, value: #""x""#),
        Case(
            type: #"{"type": "record", "name": "S", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "string", "default": "z"}]}"#,
            value: #"{"a": 1}"#
        ),
        Case(type: #"{"type": "record", "name": "S", "fields": [{"name": "a", "type": ["null", "long"]}]}"#, value: #"{"a": 5, "extra": true}"#),
        Case(type: #"{"type": "long", "logicalType": "timestamp-millis"}"#, value: "1700000000000"),
    ]

    static let rejected: [Case] = [
        Case(type: #""null""#, value: "0"),
        Case(type: #""boolean""#, value: #""true""#),
        Case(type: #""int""#, value: "2147483648"),
        Case(type: #""int""#, value: "-2147483649"),
        Case(type: #""int""#, value: "1.0"),
        Case(type: #""int""#, value: "1e2"),
        Case(type: #""long""#, value: "9223372036854775808"),
        Case(type: #""long""#, value: #""1""#),
        Case(type: #""float""#, value: "true"),
        Case(type: #""double""#, value: #""one""#),
        Case(type: #""double""#, value: #""0x1p3""#),
        Case(type: #""string""#, value: "1"),
        Case(type: #""string""#, value: "null"),
        Case(type: #""bytes""#, value: #""\u0100""#),
        Case(type: #""bytes""#, value: "[1, 2]"),
        Case(type: #"{"type": "fixed", "name": "F", "size": 2}"#, value: #""a""#),
        Case(type: #"{"type": "enum", "name": "E", "symbols": ["A"]}"#, value: #""C""#),
        Case(type: #"{"type": "array", "items": "int"}"#, value: #"[1, "x"]"#),
        Case(type: #"{"type": "array", "items": "int"}"#, value: "{}"),
        Case(type: #"{"type": "map", "values": "int"}"#, value: #"{"a": "x"}"#),
        Case(type: #"{"type": "map", "values": "int"}"#, value: "[]"),
        Case(type: #"["null", "int"]"#, value: #""x""#),
        Case(type: #"["int", "string"]"#, value: "null"),
        // A string default for float/double is only converted for the field's own type, not inside a union.
        Case(type: #"["double", "null"]"#, value: #""NaN""#),
        Case(type: #"{"type": "record", "name": "S", "fields": [{"name": "a", "type": "int"}]}"#, value: "{}"),
        Case(type: #"{"type": "record", "name": "S", "fields": [{"name": "a", "type": "int"}]}"#, value: #"{"a": "1"}"#),
        Case(type: #"{"type": "record", "name": "S", "fields": []}"#, value: "[]"),
    ]

    @Test(arguments: accepted)
    func acceptedDefault(_ c: Case) throws {
        let schema = try parseSchema(record(c.type, c.value))
        #expect(try schema.rootRecord().fields[0].defaultValue == JSONParser.parse(c.value))
    }

    @Test(arguments: rejected)
    func rejectedDefault(_ c: Case) throws {
        let error = try #require(schemaError(record(c.type, c.value)))
        #expect(error.code == .invalidSchema)
        #expect(error.pointer?.description == "/fields/0/default")
        #expect(error.message.hasPrefix("invalid default for field \"f\" of \"R\": "))
        // With validation off the same schema parses and keeps the default as written.
        var options = AvroParseOptions.default
        options.validateDefaults = false
        let schema = try parseSchema(record(c.type, c.value), options: options)
        #expect(try schema.rootRecord().fields[0].defaultValue == JSONParser.parse(c.value))
    }

    @Test func messageNamesTheTypeAndTheValue() throws {
        let error = try #require(schemaError(record(#""int""#, "2147483648")))
        #expect(error.message == "invalid default for field \"f\" of \"R\": expected a 32-bit integer for type int, found 2147483648")
        #expect(error.description == "\(error.message) (at '/fields/0/default')")
        let union = try #require(schemaError(record(#"["null", "int"]"#, #""x""#)))
        #expect(union.message == #"invalid default for field "f" of "R": no branch of the union accepts the default; expected null for type null, found "x""#)
        let missing = try #require(schemaError(record(#"{"type": "record", "name": "S", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}]}"#, #"{"a": 1}"#)))
        #expect(missing.message == #"invalid default for field "f" of "R": field "b" of "S" has no value and no default"#)
        let element = try #require(schemaError(record(#"{"type": "array", "items": "int"}"#, "[1, 2, true]")))
        #expect(element.message == #"invalid default for field "f" of "R": expected a 32-bit integer for type int, found true"#)
    }

    @Test func defaultsOfNestedRecordsAreChecked() throws {
        let error = try #require(schemaError("""
            {"type": "record", "name": "R", "fields": [
              {"name": "inner", "type": {"type": "record", "name": "S", "fields": [
                {"name": "n", "type": "int", "default": "zero"}]}}]}
            """))
        #expect(error.pointer?.description == "/fields/0/type/fields/0/default")
    }

    @Test func numberTextIsKept() throws {
        let schema = try parseSchema(record(#""double""#, "1.50"))
        #expect(try schema.rootRecord().fields[0].defaultValue?.numberValue?.text == "1.50")
        let long = try parseSchema(record(#""long""#, "9007199254740993"))
        #expect(try long.rootRecord().fields[0].defaultValue?.numberValue?.int64Value == 9_007_199_254_740_993)
    }

    @Test func recursiveRecordDefault() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "Node", "fields": [
              {"name": "next", "type": ["null", "Node"], "default": null},
              {"name": "child", "type": ["null", "Node"], "default": {"next": null, "child": null}}]}
            """)
        #expect(try schema.rootRecord().fields[1].defaultValue?.objectValue?.count == 2)
    }
}

@Suite struct SchemaDefaultsBoundsTests {
    /// Two record branches that both accept objects would make a naive search exponential in the value's depth.
    @Test func ambiguousUnionDefaultsAreBounded() throws {
        let depth = 40
        let value = String(repeating: #"{"f": "#, count: depth) + "5" + String(repeating: "}", count: depth)
        let text = """
            {"type": "record", "name": "Top", "fields": [
              {"name": "s", "type": {"type": "record", "name": "S", "fields": [{"name": "f", "type": ["null", "S", "R"]}]}},
              {"name": "r", "type": {"type": "record", "name": "R", "fields": [{"name": "f", "type": ["null", "S", "R"]}]}},
              {"name": "x", "type": "S", "default": \(value)}]}
            """
        let clock = ContinuousClock()
        var error: AvroError?
        let elapsed = clock.measure { error = schemaError(text) }
        #expect(error?.pointer?.description == "/fields/2/default")
        #expect(error?.message.contains("default is too large or too ambiguous to check") == true)
        #expect(elapsed < .seconds(10))
    }

    @Test func largeValidDefaultIsAccepted() throws {
        let value = "[" + (0..<20_000).map { "{\"k\": \($0)}" }.joined(separator: ",") + "]"
        let type = #"{"type": "array", "items": {"type": "record", "name": "E", "fields": [{"name": "k", "type": ["null", "long"]}]}}"#
        let schema = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": \#(type), "default": \#(value)}]}"#)
        #expect(try schema.rootRecord().fields[0].defaultValue?.arrayValue?.count == 20_000)
    }

    @Test func longDefaultsAreShortenedInMessages() throws {
        let value = "[" + (0..<100).map { "\"item\($0)\"" }.joined(separator: ",") + "]"
        let error = try #require(schemaError(#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": "int", "default": \#(value)}]}"#))
        #expect(error.message == #"invalid default for field "f" of "R": expected a 32-bit integer for type int, found ["item0","item1","item2","item3","item4","item5","item6",..."#)
    }
}
