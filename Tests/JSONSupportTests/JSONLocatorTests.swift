import JSONSupport
import Testing

/// Positions of JSON nodes, for CI annotations that point at the offending line and column.
@Suite struct JSONLocatorTests {
    static let text = Array(
        """
        {
          "type": "record", "name": "Order",
          "fields": [
            {"name": "id", "type": "long"},
            {"name": "a/b~c", "doc": "caf\\u00e9 { [ \\" ] }", "type": ["null", "string"]},
            {"name": "é", "type": {"type": "array", "items": "int"}}
          ]
        }
        """.utf8)

    @Test(arguments: [
        ("", 1, 1),
        ("/type", 2, 11),
        ("/fields", 3, 13),
        ("/fields/0", 4, 5),
        ("/fields/0/type", 4, 28),
        ("/fields/1/type/1", 5, 71),
        ("/fields/2/type/items", 6, 54),
    ])
    func findsTheValue(pointer: String, line: Int, column: Int) throws {
        let position = try #require(JSONLocator.position(of: pointer, in: Self.text))
        #expect(position.line == line && position.column == column, "\(pointer): \(position)")
    }

    @Test(arguments: ["/nope", "/fields/9", "/fields/x", "/type/0", "fields", "/fields/1/type/2"])
    func missingValuesHaveNoPosition(pointer: String) {
        #expect(JSONLocator.position(of: pointer, in: Self.text) == nil)
    }

    @Test func malformedTextHasNoPositionAndNeverTraps() {
        for text in ["", "{", "{\"a\":", "[1,", "{\"a\" 1}", "\"unterminated", "{\"a\":[1}", "{\"a\":[1 2]}"] {
            #expect(JSONLocator.position(of: "/a/1", in: Array(text.utf8)) == nil)
        }
    }
}
