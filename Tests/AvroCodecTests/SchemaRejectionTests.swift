import AvroCodec
import JSONSupport
import Testing

/// Rejections with their exact messages, codes and pointers.
@Suite struct SchemaRejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var pointer: String
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(text: "42", pointer: "", message: "a type must be a name, an object or a union array, not a number"),
        Case(text: #""Nope""#, pointer: "", message: "unknown type \"Nope\""),
        Case(text: #"{"name": "x"}"#, pointer: "", message: "a type object needs a \"type\" attribute"),
        Case(text: #"{"type": "tuple"}"#, pointer: "/type", message: "unknown type \"tuple\""),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "a", "type": "int"}]}"#,
             pointer: "/fields/1/name", message: "record \"R\" has two fields named \"a\""),
        Case(text: #"{"type": "enum", "name": "E", "symbols": ["A", "B", "A"]}"#,
             pointer: "/symbols/2", message: "enum \"E\" lists the symbol \"A\" twice"),
        Case(text: #"{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}"#,
             pointer: "/default", message: "the enum default \"B\" is not one of the symbols of \"E\""),
        Case(text: #"{"type": "record", "name": "9lives", "fields": []}"#, pointer: "/name",
             message: "\"9lives\" is not a valid name: it must start with a letter or '_' and contain only letters, digits and '_'"),
        Case(text: #"{"type": "record", "name": "R", "namespace": "com..acme", "fields": []}"#, pointer: "/namespace",
             message: "\"com..acme\" is not a valid namespace: each dotted part must be a valid name"),
        Case(text: #"{"type": "enum", "name": "E", "symbols": ["ok", "not ok"]}"#, pointer: "/symbols/1",
             message: "\"not ok\" is not a valid enum symbol: it must start with a letter or '_' and contain only letters, digits and '_'"),
        Case(text: #"["int", ["string"]]"#, pointer: "/1", message: "a union may not immediately contain another union"),
        Case(text: #"["int", "string", "int"]"#, pointer: "/2", message: "the union contains \"int\" more than once"),
        Case(text: #"[{"type": "fixed", "name": "a.F", "size": 1}, "a.F"]"#, pointer: "/1",
             message: "the union contains \"a.F\" more than once"),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "x", "type": {"type": "fixed", "name": "F", "size": 1}}, {"name": "y", "type": {"type": "fixed", "name": "F", "size": 2}}]}"#,
             pointer: "/fields/1/type/name", message: "the name \"F\" is already defined"),
        Case(text: #"{"type": "record", "name": "null", "fields": []}"#, pointer: "/name",
             message: "\"null\" is a primitive type and cannot be the name of a record"),
        Case(text: #"{"type": "record", "name": "R"}"#, pointer: "", message: "record \"R\" needs a \"fields\" array"),
        Case(text: #"{"type": "enum", "name": "E"}"#, pointer: "", message: "enum \"E\" needs a \"symbols\" array"),
        Case(text: #"{"type": "fixed", "name": "F"}"#, pointer: "", message: "fixed \"F\" needs a \"size\""),
        Case(text: #"{"type": "fixed", "name": "F", "size": -1}"#, pointer: "/size",
             message: "the size of fixed \"F\" must be an integer from 0 to 2147483647, not -1"),
        Case(text: #"{"type": "array"}"#, pointer: "", message: "an array type needs an \"items\" attribute"),
        Case(text: #"{"type": "map"}"#, pointer: "", message: "a map type needs a \"values\" attribute"),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "a"}]}"#, pointer: "/fields/0", message: "field \"a\" needs a \"type\""),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"type": "int"}]}"#, pointer: "/fields/0", message: "a field needs a \"name\""),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": 3, "type": "int"}]}"#, pointer: "/fields/0/name",
             message: "a field name must be a string, not a number"),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "order": "up"}]}"#,
             pointer: "/fields/0/order", message: "\"order\" must be \"ascending\", \"descending\" or \"ignore\""),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "map", "values": "Missing"}}]}"#,
             pointer: "/fields/0/type/values", message: "unknown type \"Missing\""),
        Case(text: #"{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "a", "type": "Missing"}]}"#,
             pointer: "/fields/0/type", message: "unknown type \"Missing\": neither \"n.Missing\" nor \"Missing\" is defined"),
        Case(text: #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": ".Bad"}]}"#,
             pointer: "/fields/0/type", message: "\".Bad\" is not a valid type name"),
        Case(text: #"{"type": "enum", "name": "E", "symbols": ["A"], "doc": ["x"]}"#, pointer: "/doc",
             message: "\"doc\" must be a string, not an array"),
    ]

    @Test(arguments: cases)
    func rejection(_ c: Case) throws {
        let error = try #require(schemaError(c.text))
        #expect(error.code == .invalidSchema)
        #expect(error.pointer?.description == c.pointer)
        #expect(error.message == c.message)
        #expect(error.offset == nil)
        #expect(error.dataPath == nil)
    }

    @Test func descriptionShowsWhere() throws {
        let error = try #require(schemaError(#"{"type": "record", "name": "R", "fields": [{"name": "a~/b", "type": "int"}]}"#))
        #expect(error.pointer?.description == "/fields/0/name")
        #expect(error.description.hasSuffix("(at '/fields/0/name')"))
        let root = try #require(schemaError("42"))
        #expect(root.description == "a type must be a name, an object or a union array, not a number (at '/')")
    }

    @Test func invalidJSONSaysWhereInTheText() throws {
        let error = try #require(schemaError("{\"type\":\n \"int\",}"))
        #expect(error.code == .invalidJSON)
        #expect(error.pointer == nil)
        #expect(error.message == "invalid JSON at line 2, column 8 (byte 16): expected a member name in double quotes but found '}'")
    }

    @Test func duplicateKeysInSchemaJSONAreRejected() throws {
        let error = try #require(schemaError(#"{"type": "int", "type": "long"}"#))
        #expect(error.code == .invalidJSON)
        #expect(error.message.contains("duplicate member name \"type\""))
    }

    @Test func documentDepthIsBounded() throws {
        let deep = String(repeating: #"{"type": "array", "items": "#, count: 200) + #""int""# + String(repeating: "}", count: 200)
        let error = try #require(schemaError(deep))
        #expect(error.code == .invalidJSON)
        #expect(error.message.contains("nesting deeper than the limit of 128"))
    }

    @Test func nodeCountIsBounded() throws {
        var options = AvroParseOptions.default
        options.maxNodes = 10
        let union = "[" + (0..<20).map { #"{"type": "fixed", "name": "F\#($0)", "size": 1}"# }.joined(separator: ",") + "]"
        let error = try #require(schemaError(union, options: options))
        #expect(error.code == .limitExceeded)
        #expect(error.pointer?.description == "/10")
    }

    /// Forward references can make the first-use expansion much deeper than the document; that is bounded too.
    @Test func expansionDepthIsBounded() throws {
        let count = 300
        let records = (0..<count).map { i in
            let next = i + 1 < count ? #"["null", "R\#(i + 1)"]"# : #""int""#
            return #"{"type": "record", "name": "R\#(i)", "fields": [{"name": "f", "type": \#(next)}]}"#
        }
        let error = try #require(schemaError("[" + records.joined(separator: ",") + "]"))
        #expect(error.code == .limitExceeded)
        #expect(error.message == "types nest more than 128 deep once named types are expanded where first used")
        // A shallow chain is fine and its canonical form expands each record once.
        let short = (0..<3).map { i in
            let next = i + 1 < 3 ? #""R\#(i + 1)""# : #""int""#
            return #"{"type": "record", "name": "R\#(i)", "fields": [{"name": "f", "type": \#(next)}]}"#
        }
        let schema = try parseSchema("[" + short.joined(separator: ",") + "]")
        #expect(schema.canonicalForm == """
            [{"name":"R0","type":"record","fields":[{"name":"f","type":{"name":"R1","type":"record","fields":\
            [{"name":"f","type":{"name":"R2","type":"record","fields":[{"name":"f","type":"int"}]}}]}}]},"R1","R2"]
            """)
    }
}
