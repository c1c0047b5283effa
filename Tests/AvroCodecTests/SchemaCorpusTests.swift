import AvroCodec
import JSONSupport
import Testing

/// Runs every schema of the valid and invalid corpora (Python's test suite plus our own cases).
@Suite struct SchemaCorpusTests {
    @Test func corporaAreComplete() {
        #expect(SchemaFixtures.validSchemas.count == 101)
        #expect(SchemaFixtures.invalidSchemas.count == 75)
    }

    @Test(arguments: SchemaFixtures.validSchemas)
    func validSchemaParses(_ c: SchemaFixtures.ValidCase) throws {
        let fromJSON = try AvroSchema(json: c.schema)
        let fromText = try AvroSchema(parsing: c.schema.serialized(.pretty))
        #expect(fromText.canonicalForm == fromJSON.canonicalForm)
        #expect(fromText.normalizedForm == fromJSON.normalizedForm)
        if let expected = c.logicalType {
            #expect(fromJSON.rootNode.logicalType?.fixtureSpelling == expected)
        }
        if let named = c.namedTypes {
            #expect(fromJSON.namedTypes.keys.sorted() == named)
            for (fullName, id) in fromJSON.namedTypes {
                #expect(fromJSON[id].name?.fullName == fullName)
            }
        }
    }

    @Test(arguments: SchemaFixtures.validSchemas)
    func normalizedFormIsIdempotent(_ c: SchemaFixtures.ValidCase) throws {
        let schema = try AvroSchema(json: c.schema)
        let again = try AvroSchema(parsing: schema.normalizedForm)
        #expect(again.normalizedForm == schema.normalizedForm)
        #expect(again.canonicalForm == schema.canonicalForm)
        #expect(again.namedTypes.keys.sorted() == schema.namedTypes.keys.sorted())
        #expect(try JSONParser.parse(schema.normalizedForm) == schema.normalizedJSON)
    }

    @Test(arguments: SchemaFixtures.invalidSchemas)
    func invalidSchemaIsRejected(_ c: SchemaFixtures.InvalidCase) {
        do {
            let schema = try AvroSchema(parsing: c.text)
            Issue.record("accepted, canonical form \(schema.canonicalForm)")
        } catch {
            #expect(error.code.description == c.code)
            #expect(error.pointer?.description == c.pointer)
            #expect(!error.message.isEmpty)
        }
    }
}
