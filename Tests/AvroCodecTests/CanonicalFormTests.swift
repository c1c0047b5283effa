import AvroCodec
import JSONSupport
import Testing

@Suite struct CanonicalFormTests {
    @Test func corporaAreComplete() {
        #expect(SchemaFixtures.canonicalCases.count == 34)
        #expect(SchemaFixtures.pythonFingerprints.count == 32)
        #expect(SchemaFixtures.validSchemas.count == 101)
    }

    @Test(arguments: SchemaFixtures.canonicalCases)
    func specificationCase(_ c: SchemaFixtures.CanonicalCase) throws {
        let schema = try AvroSchema(parsing: c.input)
        #expect(schema.canonicalForm == c.canonical)
        #expect(Int64(bitPattern: schema.rabinFingerprint) == c.rabin)
        #expect(schema.fingerprintHex(.md5) == c.md5)
        #expect(schema.fingerprintHex(.sha256) == c.sha256)
        // The Rabin bytes are the 64-bit value least significant byte first.
        let value = UInt64(bitPattern: c.rabin)
        #expect(schema.fingerprint(.rabin) == (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) })
        // The canonical form is itself a schema with the same canonical form.
        #expect(try AvroSchema(parsing: schema.canonicalForm).canonicalForm == c.canonical)
    }

    @Test(arguments: SchemaFixtures.pythonFingerprints)
    func pythonFingerprint(_ c: SchemaFixtures.FingerprintCase) throws {
        let schema = try AvroSchema(parsing: c.input)
        #expect(schema.fingerprintHex(.rabin) == c.rabinHex)
        #expect(schema.fingerprintHex(.md5) == c.md5Hex)
        #expect(schema.fingerprintHex(.sha256) == c.sha256Hex)
    }

    @Test(arguments: SchemaFixtures.validSchemas)
    func validSchemaCanonicalForm(_ c: SchemaFixtures.ValidCase) throws {
        let schema = try AvroSchema(json: c.schema)
        #expect(schema.canonicalForm == c.canonical)
        #expect(Int64(bitPattern: schema.rabinFingerprint) == c.rabin)
        #expect(schema.fingerprintHex(.md5) == c.md5)
        #expect(schema.fingerprintHex(.sha256) == c.sha256)
    }

    @Test func rabinOfEmptyInputIsTheSeed() {
        #expect(AvroRabin.fingerprint([UInt8]()) == 0xc15d_213a_a4d7_a795)
        #expect(AvroRabin.fingerprint(Array("\"int\"".utf8)) == 8_247_732_601_305_521_295)
    }

    @Test func fingerprintSizes() throws {
        let schema = try AvroSchema(parsing: "\"int\"")
        #expect(schema.fingerprint(.rabin).count == 8)
        #expect(schema.fingerprint(.md5).count == 16)
        #expect(schema.fingerprint(.sha256).count == 32)
        #expect(schema.fingerprintHex(.rabin) == "8f5c393f1ad57572")
    }

    @Test func canonicalFormDropsEverythingButParsingAttributes() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "R", "namespace": "a.b", "doc": "d", "aliases": ["Q"], "custom": 1,
             "fields": [
               {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 0, "order": "ignore"},
               {"name": "d", "type": {"type": "fixed", "name": "Dec", "size": 4, "logicalType": "decimal", "precision": 8}},
               {"name": "e", "type": {"type": "enum", "name": "E", "namespace": "x", "symbols": ["A"], "default": "A"}},
               {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "Dec"}}},
               {"name": "u", "type": ["null", "x.E", "R"]}
             ]}
            """)
        #expect(schema.canonicalForm == """
            {"name":"a.b.R","type":"record","fields":[{"name":"ts","type":"long"},\
            {"name":"d","type":{"name":"a.b.Dec","type":"fixed","size":4}},\
            {"name":"e","type":{"name":"x.E","type":"enum","symbols":["A"]}},\
            {"name":"m","type":{"type":"map","values":{"type":"array","items":"a.b.Dec"}}},\
            {"name":"u","type":["null","x.E","a.b.R"]}]}
            """)
    }

    @Test func errorTypeIsCanonicallyARecord() throws {
        let schema = try AvroSchema(parsing: #"{"type": "error", "name": "E", "fields": []}"#)
        #expect(schema.canonicalForm == #"{"name":"E","type":"record","fields":[]}"#)
        #expect(schema.rootNode.typeName == "error")
    }

    /// Java writes a null-namespace type nested in a namespaced record by its bare name; we do the same,
    /// so the canonical form (unlike the normalized form) does not round-trip such schemas.
    @Test func nullNamespaceInsideNamespaceFollowsJava() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "R", "namespace": "a",
             "fields": [{"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 1}}]}
            """)
        #expect(schema.canonicalForm == #"{"name":"a.R","type":"record","fields":[{"name":"f","type":{"name":"F","type":"fixed","size":1}}]}"#)
    }
}
