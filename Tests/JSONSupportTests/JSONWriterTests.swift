import JSONSupport
import Testing

@Suite struct JSONWriterTests {
    @Test func compactKeepsOrder() {
        let value = JSONValue.object(JSONObject(["b": .integer(1), "a": .array([.null, .bool(false), .double(1.5)])]))
        #expect(value.serialized() == #"{"b":1,"a":[null,false,1.5]}"#)
        #expect(value.serialized(JSONWriteOptions(sortedKeys: true)) == #"{"a":[null,false,1.5],"b":1}"#)
    }

    @Test func pretty() {
        let value = JSONValue.object(JSONObject(["a": .array([.integer(1), .integer(2)]), "e": .array([]), "o": .object(JSONObject())]))
        #expect(value.serialized(.pretty) == """
            {
              "a": [
                1,
                2
              ],
              "e": [],
              "o": {}
            }
            """)
    }

    @Test func stringEscaping() {
        let value = JSONValue.string("q\" b\\ /\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F} é € 😀 \u{2028}")
        #expect(value.serialized() == #""q\" b\\ /\n\r\t\b\f\u0000\u001f"# + "\u{7F} é € 😀 \u{2028}\"")
        #expect(JSONValue.object(JSONObject(["k\"ey": .null])).serialized() == #"{"k\"ey":null}"#)
    }

    @Test(arguments: [
        #"{"a":[1,2.50,-0,1E+2,"\u0001",true,null,{}],"é":"𝄞"}"#,
        #"[[],{},"",0]"#,
        #""\\\"""#,
        "123456789012345678901234567890",
    ])
    func roundTrip(_ text: String) throws {
        let value = try JSONParser.parse(text)
        let written = value.serialized()
        #expect(try JSONParser.parse(written) == value)
        #expect(try JSONParser.parse(value.serialized(.pretty)) == value)
        #expect(try JSONParser.parse(written).serialized() == written)
    }

    @Test func sortedKeysUseUnicodeScalarOrder() {
        let object = JSONObject(["b": .null, "B": .null, "é": .null, "a": .null, "e": .null])
        #expect(JSONValue.object(object).serialized(JSONWriteOptions(sortedKeys: true)) == #"{"B":null,"a":null,"b":null,"e":null,"é":null}"#)
    }
}

@Suite struct JSONPointerTests {
    @Test func escaping() {
        #expect(JSONPointer.root.description == "")
        #expect(JSONPointer.root.appending("fields").appending(0).appending("type").description == "/fields/0/type")
        #expect(JSONPointer(["a/b", "m~n", ""]).description == "/a~1b/m~0n/")
        #expect(JSONPointer(["~1"]).description == "/~01")
    }

    @Test func ordering() {
        #expect(JSONPointer(["a"]) < JSONPointer(["b"]))
        #expect(JSONPointer.root < JSONPointer(["a"]))
        #expect(JSONPointer(["a"]).appending("b").tokens == ["a", "b"])
    }
}
