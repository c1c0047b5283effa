import AvroCodec
import JSONSupport
import Testing

/// What the parsed model holds: docs, orders, aliases, properties and pointers.
@Suite struct SchemaModelTests {
    @Test func recordModel() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "User", "namespace": "acme", "doc": "A user", "zeta": 1, "alpha": {"k": [1, 2]},
             "aliases": ["Person"],
             "fields": [
               {"name": "id", "type": "long", "doc": "The key", "order": "descending", "x-pii": false, "a-first": null},
               {"name": "name", "type": "string", "default": "anon", "aliases": ["fullName", "n"]},
               {"name": "email", "type": ["null", "string"], "default": null, "order": "ignore"}
             ]}
            """)
        let record = try schema.rootRecord()
        #expect(record.name.fullName == "acme.User")
        #expect(record.doc == "A user")
        #expect(record.aliases == [AvroName(name: "Person", namespace: "acme")])
        #expect(record.isError == false)
        #expect(record.fields.map(\.name) == ["id", "name", "email"])
        #expect(record.fieldIndex(named: "email") == 2)
        #expect(record.fieldIndex(named: "missing") == nil)
        // Custom properties keep their document order.
        #expect(schema.rootNode.properties.keys == ["zeta", "alpha"])
        #expect(schema.rootNode.properties["alpha"] == .object(JSONObject(["k": .array([.integer(1), .integer(2)])])))
        let id = record.fields[0]
        #expect(id.doc == "The key")
        #expect(id.order == .descending)
        #expect(id.defaultValue == nil)
        #expect(id.properties.keys == ["x-pii", "a-first"])
        #expect(id.pointer.description == "/fields/0")
        #expect(schema[id.type].typeName == "long")
        #expect(schema[id.type].pointer.description == "/fields/0/type")
        #expect(record.fields[1].aliases == ["fullName", "n"])
        #expect(record.fields[1].defaultValue == .string("anon"))
        #expect(record.fields[1].order == .ascending)
        #expect(record.fields[2].order == .ignore)
        #expect(record.fields[2].defaultValue == .null)
        #expect(schema.rootNode.typeName == "record")
        #expect(schema.rootNode.unionKey == "acme.User")
        #expect(!schema.rootNode.isPrimitive)
    }

    @Test func enumAndFixedModel() throws {
        let schema = try parseSchema("""
            ["null",
             {"type": "enum", "name": "Suit", "namespace": "cards", "doc": "d", "symbols": ["HEARTS", "SPADES"], "default": "SPADES", "x": 1},
             {"type": "fixed", "name": "cards.Hash", "size": 16, "aliases": ["Digest"]}]
            """)
        let suit = try schema.named("cards.Suit")
        guard case .enumeration(let e) = suit.kind else { Issue.record("not an enum"); return }
        #expect(e.symbols == ["HEARTS", "SPADES"])
        #expect(e.defaultSymbol == "SPADES")
        #expect(e.doc == "d")
        // "default" of an enum is grammar, not a custom property.
        #expect(suit.properties.keys == ["x"])
        #expect(suit.pointer.description == "/1")
        let hash = try schema.named("cards.Hash")
        guard case .fixed(let f) = hash.kind else { Issue.record("not a fixed"); return }
        #expect(f.size == 16)
        #expect(f.aliases.map(\.fullName) == ["cards.Digest"])
        #expect(hash.typeName == "fixed")
        #expect(schema[schema.root].typeName == "union")
        #expect(schema[schema.root].unionKey == "union")
    }

    @Test func enumNullDefaultMeansNoDefaultLikeJava() throws {
        let schema = try parseSchema(#"{"type": "enum", "name": "E", "symbols": ["A"], "default": null}"#)
        guard case .enumeration(let e) = schema.rootNode.kind else { Issue.record("not an enum"); return }
        #expect(e.defaultSymbol == nil)
    }

    @Test func docNullIsNoDoc() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "R", "doc": null, "fields": [{"name": "a", "type": "int", "doc": null}]}"#)
        #expect(try schema.rootRecord().doc == nil)
        #expect(try schema.rootRecord().fields[0].doc == nil)
    }

    @Test func errorRecord() throws {
        let schema = try parseSchema(#"{"type": "error", "name": "Failure", "fields": [{"name": "message", "type": "string"}]}"#)
        #expect(try schema.rootRecord().isError)
        #expect(schema.rootNode.typeName == "error")
    }

    @Test func primitiveNodes() throws {
        for name in ["null", "boolean", "int", "long", "float", "double", "bytes", "string"] {
            let plain = try parseSchema("\"\(name)\"")
            let object = try parseSchema(#"{"type": "\#(name)"}"#)
            #expect(plain.rootNode.typeName == name)
            #expect(object.rootNode.typeName == name)
            #expect(plain.rootNode.isPrimitive)
            #expect(plain.rootNode.name == nil)
            #expect(plain.rootNode.aliases.isEmpty)
            #expect(plain.namedTypes.isEmpty)
            #expect(plain.nodes.count == 1)
        }
    }

    @Test func emptyUnionIsAllowed() throws {
        let schema = try parseSchema("[]")
        #expect(schema.canonicalForm == "[]")
        guard case .union(let branches) = schema.rootNode.kind else { Issue.record("not a union"); return }
        #expect(branches.isEmpty)
    }

    /// Java accepts `{"type": "Name"}` for an already defined type; so do we.
    @Test func typeAttributeNamingADefinedType() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "n", "fields": [
              {"name": "a", "type": {"type": "fixed", "name": "F", "size": 1}},
              {"name": "b", "type": {"type": "F"}},
              {"name": "c", "type": {"type": "n.F"}}]}
            """)
        let record = try schema.rootRecord()
        #expect(Set(record.fields.map(\.type)).count == 1)
    }

    @Test func identicalRedefinitionReusesTheFirstNode() throws {
        let enumText = #"{"type": "enum", "name": "E", "symbols": ["A"]}"#
        let schema = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": \#(enumText)}, {"name": "b", "type": \#(enumText)}]}"#)
        let record = try schema.rootRecord()
        #expect(record.fields[0].type == record.fields[1].type)
        // The same text under another enclosing namespace is a different type, so it may coexist.
        let two = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "x", "fields": [
              {"name": "a", "type": \(enumText)},
              {"name": "b", "type": {"type": "record", "name": "S", "namespace": "y", "fields": [{"name": "c", "type": \(enumText)}]}}]}
            """)
        #expect(two.namedTypes.keys.sorted() == ["x.E", "x.R", "y.E", "y.S"])
    }
}
