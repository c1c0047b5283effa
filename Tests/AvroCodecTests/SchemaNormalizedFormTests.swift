import AvroCodec
import Foundation
import JSONSupport
import Testing

@Suite struct SchemaNormalizedFormTests {
    static let base = """
        {"type": "record", "name": "Order", "namespace": "shop", "doc": "An order",
         "fields": [
           {"name": "id", "type": "long"},
           {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 0},
           {"name": "state", "type": {"type": "enum", "name": "State", "symbols": ["NEW", "DONE"], "default": "NEW"}},
           {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {"b": "2", "a": "1"}, "x-meta": {"z": 1, "y": 2}}
         ]}
        """

    @Test func exactText() throws {
        let schema = try parseSchema(Self.base)
        #expect(schema.normalizedForm == """
            {"type":"record","name":"shop.Order","doc":"An order","fields":[{"name":"id","type":"long"},\
            {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"},"default":0},\
            {"name":"state","type":{"type":"enum","name":"shop.State","symbols":["NEW","DONE"],"default":"NEW"}},\
            {"name":"tags","type":{"type":"map","values":"string"},"default":{"a":"1","b":"2"},"x-meta":{"y":2,"z":1}}]}
            """)
    }

    @Test func stableUnderWhitespaceKeyOrderAndNamespaceSpelling() throws {
        let respelled = """
            {
              "fields": [
                {"type": "long", "name": "id"},
                {"default": 0, "type": {"logicalType": "timestamp-millis", "type": "long"}, "name": "at"},
                {"name": "state", "type": {"symbols": ["NEW", "DONE"], "default": "NEW", "name": "shop.State", "type": "enum"}},
                {"x-meta": {"y": 2, "z": 1}, "name": "tags", "default": {"a": "1", "b": "2"}, "type": {"values": {"type": "string"}, "type": "map"}}
              ],
              "doc": "An order",
              "name": "shop.Order",
              "type": "record"
            }
            """
        #expect(try parseSchema(respelled).normalizedForm == parseSchema(Self.base).normalizedForm)
    }

    struct Change: Sendable, CustomTestStringConvertible {
        var what: String
        var from: String
        var to: String
        var testDescription: String { what }
    }

    static let changes: [Change] = [
        Change(what: "default", from: #""default": 0}"#, to: #""default": 1}"#),
        Change(what: "logical type", from: #""logicalType": "timestamp-millis""#, to: #""logicalType": "timestamp-micros""#),
        Change(what: "invalid logical type", from: #""logicalType": "timestamp-millis""#, to: #""logicalType": "date""#),
        Change(what: "alias", from: #""name": "Order","#, to: #""name": "Order", "aliases": ["Purchase"],"#),
        Change(what: "field alias", from: #"{"name": "id", "type": "long"}"#, to: #"{"name": "id", "type": "long", "aliases": ["key"]}"#),
        Change(what: "order", from: #"{"name": "id", "type": "long"}"#, to: #"{"name": "id", "type": "long", "order": "descending"}"#),
        Change(what: "custom property", from: #""x-meta": {"z": 1, "y": 2}"#, to: #""x-meta": {"z": 1, "y": 3}"#),
        Change(what: "type property", from: #""values": "string"}"#, to: #""values": "string", "x": true}"#),
        Change(what: "enum default", from: #""default": "NEW"}"#, to: #""default": "DONE"}"#),
        Change(what: "doc", from: #""doc": "An order""#, to: #""doc": "An order!""#),
        Change(what: "namespace", from: #""namespace": "shop""#, to: #""namespace": "store""#),
        Change(what: "symbol order", from: #"["NEW", "DONE"]"#, to: #"["DONE", "NEW"]"#),
    ]

    @Test(arguments: changes)
    func differsWhenMeaningChanges(_ change: Change) throws {
        let changed = Self.base.replacingOccurrences(of: change.from, with: change.to)
        #expect(changed != Self.base)
        let a = try parseSchema(Self.base)
        let b = try parseSchema(changed)
        #expect(a.normalizedForm != b.normalizedForm)
        // Re-parsing gives the same text.
        #expect(try parseSchema(b.normalizedForm).normalizedForm == b.normalizedForm)
    }

    @Test func canonicalFormIgnoresWhatNormalizedFormKeeps() throws {
        let a = try parseSchema(Self.base)
        let b = try parseSchema(Self.base.replacingOccurrences(of: #""default": 0}"#, with: #""default": 7, "order": "ignore"}"#))
        #expect(a.canonicalForm == b.canonicalForm)
        #expect(a.normalizedForm != b.normalizedForm)
    }

    @Test func aliasesAreSortedAndFull() throws {
        let schema = try parseSchema(#"{"type": "fixed", "name": "F", "namespace": "n", "aliases": ["Z", "a.B", "C"], "size": 1}"#)
        #expect(schema.normalizedForm == #"{"type":"fixed","name":"n.F","aliases":["a.B","n.C","n.Z"],"size":1}"#)
    }

    @Test func nullNamespaceInsideANamespaceIsKept() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "a",
             "fields": [{"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 1}},
                        {"name": "g", "type": "F"}]}
            """)
        #expect(schema.normalizedForm == """
            {"type":"record","name":"a.R","fields":[{"name":"f","type":{"type":"fixed","name":"F","namespace":"","size":1}},\
            {"name":"g","type":"F"}]}
            """)
        let again = try parseSchema(schema.normalizedForm)
        #expect(again.namedTypes.keys.sorted() == ["F", "a.R"])
    }

    @Test func primitivesWithPropertiesStayObjects() throws {
        #expect(try parseSchema(#"{"type": "string"}"#).normalizedForm == #""string""#)
        #expect(try parseSchema(#"{"type": "string", "b": 1, "a": [{"d": 1, "c": 2}]}"#).normalizedForm
            == #"{"type":"string","a":[{"c":2,"d":1}],"b":1}"#)
    }

    @Test func recursionIsWrittenByName() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "L", "fields": [{"name": "next", "type": ["null", "L"], "default": null}]}"#)
        #expect(schema.normalizedForm == #"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"],"default":null}]}"#)
        #expect(schema.normalizedJSON == (try JSONParser.parse(schema.normalizedForm)))
    }

    @Test func orderSpellingIsNormalized() throws {
        let upper = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "order": "DESCENDING"}]}"#)
        #expect(try upper.rootRecord().fields[0].order == .descending)
        #expect(upper.normalizedForm == #"{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"descending"}]}"#)
        let ascending = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "order": "ascending"}]}"#)
        #expect(ascending.normalizedForm == #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)
    }
}

@Suite struct SchemaNullNamespaceAliasTests {
    /// Java reads a leading dot as the null namespace: `.Older` is the alias `Older`, not `a.Older`.
    @Test func leadingDotAliasIsNullNamespace() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "R", "namespace": "a", "aliases": ["Old", ".Older"], "fields": []}"#)
        #expect(schema.rootNode.aliases.map(\.fullName) == ["a.Old", "Older"])
        #expect(schema.normalizedForm == #"{"type":"record","name":"a.R","aliases":[".Older","a.Old"],"fields":[]}"#)
        #expect(try parseSchema(schema.normalizedForm).rootNode.aliases.map(\.fullName) == ["Older", "a.Old"])
    }

    @Test func leadingDotNameIsNullNamespace() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "R", "namespace": "a", "fields": [{"name": "f", "type": {"type": "fixed", "name": ".F", "size": 1}}]}"#)
        #expect(try schema.fieldNode("f").name?.fullName == "F")
    }
}
