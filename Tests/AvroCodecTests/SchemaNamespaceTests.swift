import AvroCodec
import JSONSupport
import Testing

@Suite struct SchemaNamespaceTests {
    @Test func nestedTypesInheritTheEnclosingNamespace() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "Outer", "namespace": "com.acme",
             "fields": [
               {"name": "a", "type": {"type": "record", "name": "Inner", "fields": [
                 {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED"]}}]}},
               {"name": "b", "type": {"type": "array", "items": {"type": "fixed", "name": "Hash", "size": 4}}}
             ]}
            """)
        #expect(schema.namedTypes.keys.sorted() == ["com.acme.Color", "com.acme.Hash", "com.acme.Inner", "com.acme.Outer"])
        let color = try schema.named("com.acme.Color")
        #expect(color.name == AvroName(name: "Color", namespace: "com.acme"))
        #expect(color.pointer.description == "/fields/0/type/fields/0/type")
    }

    @Test func emptyNamespaceIsTheNullNamespace() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "a",
             "fields": [{"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 2}},
                        {"name": "g", "type": "F"}]}
            """)
        let f = try schema.fieldNode("f")
        #expect(f.name?.namespace == nil)
        #expect(f.name?.fullName == "F")
        // A short name not defined in the enclosing namespace falls back to the null namespace (as in Java).
        #expect(try schema.rootRecord().fields[1].type == schema.namedTypes["F"])
    }

    /// Java reads `"namespace": null` as no namespace attribute at all, so the enclosing namespace applies.
    @Test func jsonNullNamespaceInheritsLikeJava() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "a",
             "fields": [{"name": "f", "type": {"type": "fixed", "name": "F", "namespace": null, "size": 2}}]}
            """)
        #expect(try schema.fieldNode("f").name?.fullName == "a.F")
        let top = try parseSchema(#"{"type": "fixed", "name": "F", "namespace": null, "size": 2}"#)
        #expect(top.rootNode.name?.fullName == "F")
    }

    @Test func dottedNameOverridesNamespaceAndSetsItForNestedTypes() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "x.y.R", "namespace": "ignored",
             "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}}]}
            """)
        #expect(schema.rootNode.name == AvroName(name: "R", namespace: "x.y"))
        #expect(schema.namedTypes.keys.sorted() == ["x.y.E", "x.y.R"])
    }

    @Test func shortAndFullReferencesReachTheSameNode() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "n",
             "fields": [{"name": "a", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
                        {"name": "b", "type": "E"},
                        {"name": "c", "type": "n.E"},
                        {"name": "d", "type": {"type": "E"}}]}
            """)
        let record = try schema.rootRecord()
        let ids = Set(record.fields.map(\.type))
        #expect(ids == [try #require(schema.namedTypes["n.E"])])
    }

    @Test func enclosingNamespaceWinsOverNullNamespace() throws {
        let schema = try parseSchema("""
            ["null",
             {"type": "fixed", "name": "X", "size": 1},
             {"type": "record", "name": "R", "namespace": "n", "fields": [
               {"name": "before", "type": "X"},
               {"name": "own", "type": {"type": "fixed", "name": "X", "size": 2}},
               {"name": "after", "type": "X"}]}]
            """)
        let record = try schema.named("n.R")
        guard case .record(let r) = record.kind else { Issue.record("not a record"); return }
        // "X" resolves at the point of use: the null-namespace X until n.X exists, then n.X.
        #expect(r.fields[0].type == schema.namedTypes["X"])
        #expect(r.fields[2].type == schema.namedTypes["n.X"])
    }

    @Test func forwardReferenceResolvesAtTheEnd() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "n",
             "fields": [{"name": "early", "type": ["null", "Later"]},
                        {"name": "def", "type": {"type": "fixed", "name": "Later", "size": 3}}]}
            """)
        let early = try schema.fieldNode("early")
        guard case .union(let branches) = early.kind else { Issue.record("not a union"); return }
        #expect(branches[1] == schema.namedTypes["n.Later"])
        // Placeholders for forward references are dropped from the graph.
        #expect(schema.nodes.count == 4)  // record, null, union, fixed
    }

    @Test func recursionIsACycle() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "List", "fields": [
              {"name": "value", "type": "int"},
              {"name": "next", "type": ["null", "List"]}]}
            """)
        guard case .union(let branches) = try schema.fieldNode("next").kind else { Issue.record("not a union"); return }
        #expect(branches[1] == schema.root)
    }

    @Test func mutualRecursion() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "A", "namespace": "m", "fields": [
              {"name": "b", "type": ["null", {"type": "record", "name": "B", "fields": [
                {"name": "a", "type": ["null", "A"]}]}]}]}
            """)
        let b = try schema.named("m.B")
        guard case .record(let record) = b.kind, case .union(let branches) = schema[record.fields[0].type].kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(branches[1] == schema.root)
        #expect(schema.canonicalForm == """
            {"name":"m.A","type":"record","fields":[{"name":"b","type":["null",{"name":"m.B","type":"record",\
            "fields":[{"name":"a","type":["null","m.A"]}]}]}]}
            """)
    }

    @Test func aliasesAreRelativeToTheTypesNamespace() throws {
        let schema = try parseSchema("""
            {"type": "record", "name": "R", "namespace": "a.b", "aliases": ["Old", "x.Other"],
             "fields": [{"name": "f", "type": {"type": "enum", "name": "E", "namespace": "c", "aliases": ["E0"], "symbols": ["A"]},
                         "aliases": ["g", "h"]}]}
            """)
        #expect(schema.rootNode.aliases.map(\.fullName) == ["a.b.Old", "x.Other"])
        #expect(try schema.fieldNode("f").aliases.map(\.fullName) == ["c.E0"])
        #expect(try schema.rootRecord().fields[0].aliases == ["g", "h"])
    }

    @Test func primitiveNamesAreOnlyReservedWithoutANamespace() throws {
        let schema = try parseSchema(#"{"type": "enum", "namespace": "ns", "name": "int", "symbols": ["A"]}"#)
        #expect(schema.rootNode.name?.fullName == "ns.int")
        let error = try #require(schemaError(#"{"type": "fixed", "name": "long", "size": 1}"#))
        #expect(error.code == .invalidSchema)
        #expect(error.pointer?.description == "/name")
        #expect(error.message == "\"long\" is a primitive type and cannot be the name of a fixed")
    }

    @Test func referencesDocumentsProvideTypes() throws {
        let money = try JSONParser.parse(#"{"type": "fixed", "name": "Money", "namespace": "com.acme", "size": 8}"#)
        let root = try JSONParser.parse("""
            {"type": "record", "name": "Order", "namespace": "com.acme", "fields": [{"name": "price", "type": "Money"}]}
            """)
        let schema = try AvroSchema(json: root, references: [money])
        #expect(try schema.fieldNode("price").name?.fullName == "com.acme.Money")
        #expect(schema.rootNode.name?.fullName == "com.acme.Order")
        #expect(schema.canonicalForm.contains(#"{"name":"com.acme.Money","type":"fixed","size":8}"#))
        #expect(throws: AvroError.self) { try AvroSchema(json: root) }
    }

    @Test func unicodeLettersAreValidInNames() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "Größe", "namespace": "données", "fields": [{"name": "значение", "type": "int"}]}"#)
        #expect(schema.rootNode.name?.fullName == "données.Größe")
        #expect(try schema.rootRecord().fields[0].name == "значение")
    }

    @Test func nameParts() {
        #expect(AvroName(fullName: "a.b.C") == AvroName(name: "C", namespace: "a.b"))
        #expect(AvroName(fullName: "C").namespace == nil)
        #expect(AvroName(name: "C", namespace: "").namespace == nil)
        #expect(AvroName(name: "C", namespace: "x").description == "x.C")
    }
}

@Suite struct SchemaReferencesTests {
    @Test func errorsInReferencesSayWhichOne() throws {
        let good = try JSONParser.parse(#"{"type": "fixed", "name": "A", "size": 1}"#)
        let bad = try JSONParser.parse(#"{"type": "enum", "name": "B", "symbols": ["X", "X"]}"#)
        let root = try JSONParser.parse(#"["A", "B"]"#)
        do {
            _ = try AvroSchema(json: root, references: [good, bad])
            Issue.record("accepted")
        } catch {
            #expect(error.message == #"in reference 1: enum "B" lists the symbol "X" twice"#)
            #expect(error.pointer?.description == "/symbols/1")
        }
    }

    @Test func referencesMayReferToEarlierReferences() throws {
        let a = try JSONParser.parse(#"{"type": "fixed", "name": "p.A", "size": 1}"#)
        let b = try JSONParser.parse(#"{"type": "record", "name": "p.B", "fields": [{"name": "a", "type": "A"}]}"#)
        let schema = try AvroSchema(json: .string("p.B"), references: [a, b])
        #expect(schema.rootNode.name?.fullName == "p.B")
        #expect(schema.canonicalForm == #"{"name":"p.B","type":"record","fields":[{"name":"a","type":{"name":"p.A","type":"fixed","size":1}}]}"#)
        // Types only defined by references, and not used, are still known by name.
        #expect(schema.namedTypes.keys.sorted() == ["p.A", "p.B"])
    }
}
