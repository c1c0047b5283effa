import JSONSupport
import Testing

/// The error `text` (or `bytes`) is rejected with, or nil when it parses.
private func parseError(_ text: String, limits: JSONParseLimits = .default) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits)
}

private func parseError(_ bytes: [UInt8], limits: JSONParseLimits = .default) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONParserTests {
    @Test func scalarsAndContainers() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" true ") == .bool(true))
        #expect(try JSONParser.parse("\tfalse\r\n") == .bool(false))
        #expect(try JSONParser.parse(#""""#) == .string(""))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse("[ ]") == .array([]))
        #expect(try JSONParser.parse("{ }") == .object(JSONObject()))
        #expect(try JSONParser.parse(#"[1, "a", null, [true], {"k": {}}]"#) == .array([
            .integer(1), .string("a"), .null, .array([.bool(true)]), .object(JSONObject(["k": .object(JSONObject())])),
        ]))
    }

    @Test func objectMembersKeepDocumentOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == .integer(2))
        #expect(object["missing"] == nil)
        #expect(object.count == 3)
        #expect(object.sortedMembers.map(\.key) == ["a", "m", "z"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        var text: String
        var integral: Bool
        var int64: Int64?
        var testDescription: String { text }
    }

    static let numbers: [NumberCase] = [
        NumberCase(text: "0", integral: true, int64: 0),
        NumberCase(text: "-0", integral: true, int64: 0),
        NumberCase(text: "1.0", integral: false, int64: nil),
        NumberCase(text: "1.50", integral: false, int64: nil),
        NumberCase(text: "1e5", integral: false, int64: nil),
        NumberCase(text: "1E+5", integral: false, int64: nil),
        NumberCase(text: "-2.5e-3", integral: false, int64: nil),
        NumberCase(text: "9223372036854775807", integral: true, int64: .max),
        NumberCase(text: "-9223372036854775808", integral: true, int64: .min),
        NumberCase(text: "9223372036854775808", integral: true, int64: nil),
        NumberCase(text: "123456789012345678901234567890", integral: true, int64: nil),
    ]

    @Test(arguments: numbers)
    func numberTextIsPreserved(_ c: NumberCase) throws {
        let number = try #require(try JSONParser.parse(c.text).numberValue)
        #expect(number.text == c.text)
        #expect(number.isIntegral == c.integral)
        #expect(number.int64Value == c.int64)
        #expect(try JSONParser.parse("[\(c.text)]").serialized() == "[\(c.text)]")
    }

    @Test func doubleValues() throws {
        #expect(try JSONParser.parse("2.5").numberValue?.doubleValue == 2.5)
        #expect(try JSONParser.parse("1e400").numberValue?.doubleValue == .infinity)
        #expect(JSONNumber(integer: Int64.min).text == "-9223372036854775808")
        #expect(JSONNumber(double: 2).text == "2.0")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var text: String
        var offset: Int
        var message: String
        var testDescription: String { text }
    }

    static let grammarErrors: [BadCase] = [
        BadCase(text: "", offset: 0, message: "expected a value but found the end of input"),
        BadCase(text: "   ", offset: 3, message: "expected a value but found the end of input"),
        BadCase(text: "nul", offset: 0, message: "invalid literal; expected 'null'"),
        BadCase(text: "True", offset: 0, message: "expected a value but found 'T'"),
        BadCase(text: "[1,]", offset: 3, message: "expected a value but found ']'"),
        BadCase(text: #"{"a":1,}"#, offset: 7, message: "expected a member name in double quotes but found '}'"),
        BadCase(text: "{'a':1}", offset: 1, message: "expected a member name in double quotes but found '''"),
        BadCase(text: #"{"a" 1}"#, offset: 5, message: "expected ':' after member name but found '1'"),
        BadCase(text: "[1 2]", offset: 3, message: "expected ',' or ']' but found '2'"),
        BadCase(text: #"{"a":1 "b":2}"#, offset: 7, message: "expected ',' or '}' but found '\"'"),
        BadCase(text: "[1", offset: 2, message: "unterminated array"),
        BadCase(text: #"{"a":1"#, offset: 6, message: "unterminated object"),
        BadCase(text: "1 2", offset: 2, message: "unexpected '2' after the end of the document"),
        BadCase(text: "[] // comment", offset: 3, message: "unexpected '/' after the end of the document"),
        BadCase(text: "/* c */ 1", offset: 0, message: "expected a value but found '/'"),
        BadCase(text: "NaN", offset: 0, message: "expected a value but found 'N'"),
        BadCase(text: "-Infinity", offset: 0, message: "invalid number"),
        BadCase(text: "+1", offset: 0, message: "expected a value but found '+'"),
        BadCase(text: ".5", offset: 0, message: "expected a value but found '.'"),
        BadCase(text: "-", offset: 0, message: "invalid number"),
        BadCase(text: "01", offset: 0, message: "numbers may not have leading zeros"),
        BadCase(text: "-01", offset: 0, message: "numbers may not have leading zeros"),
        BadCase(text: "1.", offset: 0, message: "expected a digit after the decimal point"),
        BadCase(text: "1.e5", offset: 0, message: "expected a digit after the decimal point"),
        BadCase(text: "1e", offset: 0, message: "expected a digit in the exponent"),
        BadCase(text: "1e+", offset: 0, message: "expected a digit in the exponent"),
        BadCase(text: "0x10", offset: 1, message: "unexpected 'x' after the end of the document"),
        BadCase(text: #""abc"#, offset: 0, message: "unterminated string"),
        BadCase(text: "\"a\u{1}b\"", offset: 2, message: "control character 0x1 must be escaped in a string"),
        BadCase(text: "\"tab\there\"", offset: 4, message: "control character 0x9 must be escaped in a string"),
        BadCase(text: #""\x41""#, offset: 1, message: "invalid escape sequence"),
        BadCase(text: #""\u12xy""#, offset: 1, message: #"invalid hex digit in \u escape"#),
        BadCase(text: #""\u12"#, offset: 1, message: #"truncated \u escape"#),
        BadCase(text: #""\uZZZZ""#, offset: 1, message: #"invalid hex digit in \u escape"#),
        BadCase(text: #""\"#, offset: 1, message: "unterminated escape sequence"),
    ]

    @Test(arguments: grammarErrors)
    func grammarError(_ c: BadCase) throws {
        let error = try #require(parseError(c.text))
        #expect(error.offset == c.offset)
        #expect(error.message == c.message)
    }

    @Test func duplicateKeysAreRejectedAtTheSecondKey() throws {
        let error = try #require(parseError(#"{"a": 1, "b": 2, "a": 3}"#))
        #expect(error.offset == 17)
        #expect(error.message == #"duplicate member name "a""#)
        // Keys are compared after unescaping.
        let escaped = try #require(parseError(#"{"a": 1, "\u0061": 2}"#))
        #expect(escaped.message == #"duplicate member name "a""#)
        // The same key in different objects is fine.
        #expect(try JSONParser.parse(#"{"a": {"a": 1}, "b": {"a": 2}}"#).objectValue?.count == 2)
        // Names compare by String ==, so a differently spelled equivalent name is a duplicate too (KELVIN SIGN
        // is canonically "K"), written as UTF-8 or escaped; names with the same length and byte sum are not.
        #expect(parseError("{\"K\": 1, \"\u{212A}\": 2}")?.message.hasPrefix("duplicate member name") == true)
        #expect(parseError(#"{"K": 1, "\u212A": 2}"#)?.message.hasPrefix("duplicate member name") == true)
        #expect(try JSONParser.parse(#"{"ab": 1, "ba": 2, "abc": 3, "acb": 4}"#).objectValue?.count == 4)
    }

    @Test func depthLimitIsExact() throws {
        let limits = JSONParseLimits(maxDepth: 3)
        #expect(try JSONParser.parse("[[[1]]]", limits: limits) == .array([.array([.array([.integer(1)])])]))
        #expect(try JSONParser.parse(#"{"a": [{"b": 1}]}"#, limits: limits).objectValue?.count == 1)
        let error = try #require(parseError("[[[[1]]]]", limits: limits))
        #expect(error.offset == 3)
        #expect(error.message == "nesting deeper than the limit of 3")
        // The default limit stops a hostile document long before the stack is at risk.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(parseError(hostile)?.message == "nesting deeper than the limit of 256")
    }

    @Test func sizeAndCountLimits() throws {
        let small = JSONParseLimits(maxBytes: 4)
        #expect(parseError("12345", limits: small)?.message == "document is 5 bytes, more than the limit of 4")
        #expect(try JSONParser.parse("1234", limits: small) == .integer(1234))
        let few = JSONParseLimits(maxContainerCount: 2)
        #expect(parseError("[1,2,3]", limits: few)?.message == "array has more than 2 elements")
        #expect(parseError(#"{"a":1,"b":2,"c":3}"#, limits: few)?.message == "object has more than 2 members")
        #expect(try JSONParser.parse("[1,2]", limits: few).arrayValue?.count == 2)
        let long = String(repeating: "1", count: 1025)
        #expect(parseError(long)?.message == "number literal longer than 1024 characters")
    }

    @Test func escapes() throws {
        #expect(try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{C} \n \r \t"))
        #expect(try JSONParser.parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func surrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        let loneHigh = try #require(parseError(#""x\ud83d""#))
        #expect(loneHigh.offset == 2)
        #expect(loneHigh.message == "unpaired surrogate \\ud83d")
        let highThenText = try #require(parseError(#""\ud83dx""#))
        #expect(highThenText.message == "unpaired surrogate \\ud83d")
        let highThenHigh = try #require(parseError(#""\ud83d\ud83d""#))
        #expect(highThenHigh.message == "unpaired surrogate \\ud83d")
        let loneLow = try #require(parseError(#""\ude00""#))
        #expect(loneLow.offset == 1)
        #expect(loneLow.message == "unpaired surrogate \\ude00")
    }

    @Test func rawUTF8IsValidated() throws {
        #expect(try JSONParser.parse(Array("\"héllo €𝄞\"".utf8)) == .string("héllo €𝄞"))
        let quote: UInt8 = 0x22
        let cases: [([UInt8], String)] = [
            ([0xC0, 0x80], "invalid UTF-8 byte 0xc0"),  // overlong NUL
            ([0xC1, 0xBF], "invalid UTF-8 byte 0xc1"),
            ([0xE0, 0x80, 0x80], "invalid UTF-8 sequence"),  // overlong three-byte
            ([0xED, 0xA0, 0x80], "invalid UTF-8 sequence"),  // encoded surrogate U+D800
            ([0xF4, 0x90, 0x80, 0x80], "invalid UTF-8 sequence"),  // beyond U+10FFFF
            ([0xF5, 0x80, 0x80, 0x80], "invalid UTF-8 byte 0xf5"),
            ([0x80], "invalid UTF-8 byte 0x80"),  // lone continuation byte
            ([0xE2, 0x82, 0x41], "invalid UTF-8 sequence"),
            ([0xFF], "invalid UTF-8 byte 0xff"),
        ]
        for (sequence, message) in cases {
            let error = try #require(parseError([quote, 0x61] + sequence + [quote]))
            #expect(error.message == message)
            #expect(error.offset == 2)
        }
        let truncated = try #require(parseError([quote, 0xE2, 0x82]))
        #expect(truncated.message == "truncated UTF-8 sequence")
        #expect(truncated.offset == 1)
    }

    @Test func errorsGiveLineAndColumn() throws {
        let error = try #require(parseError("{\n  \"a\": 1,\n  \"b\": tru\n}"))
        #expect(error.offset == 19)
        #expect(error.line == 3)
        #expect(error.column == 8)
        #expect(error.description == "invalid JSON at line 3, column 8 (byte 19): invalid literal; expected 'true'")
        // Columns count characters, not bytes: "é" is two bytes but one column.
        let wide = try #require(parseError(#"["é", x]"#))
        #expect(wide.offset == 7)
        #expect(wide.column == 7)
        #expect(wide.line == 1)
    }

    @Test func valueAccessors() throws {
        let value = try JSONParser.parse(#"{"s": "x", "n": 1, "b": true, "a": [], "o": {}, "z": null}"#)
        let o = try #require(value.objectValue)
        #expect(o["s"]?.stringValue == "x")
        #expect(o["n"]?.numberValue?.int64Value == 1)
        #expect(o["b"]?.boolValue == true)
        #expect(o["a"]?.arrayValue == [])
        #expect(o["o"]?.objectValue?.isEmpty == true)
        #expect(o["z"]?.isNull == true)
        #expect(o["s"]?.numberValue == nil)
        #expect(o.map(\.value.kindName) == ["string", "number", "boolean", "array", "object", "null"])
    }

    @Test func objectSubscriptSetAndRemove() {
        var object = JSONObject(["a": .integer(1), "b": .integer(2)])
        object["a"] = .string("x")
        object["c"] = .null
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == .string("x"))
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        object["missing"] = nil
        #expect(object.count == 2)
    }
}
