import AvroCodec
import JSONSupport
import Testing

@Suite struct SchemaLogicalTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var schema: String
        var expected: AvroLogicalType?
        var testDescription: String { schema }
    }

    static let cases: [Case] = [
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}"#, expected: .decimal(precision: 9, scale: 2)),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 1}"#, expected: .decimal(precision: 1, scale: 0)),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 2147483647, "scale": 2147483647}"#,
             expected: .decimal(precision: 2_147_483_647, scale: 2_147_483_647)),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 2147483648}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 0}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": "5"}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 5.0}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 1.5}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 6}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": -1}"#, expected: nil),
        Case(schema: #"{"type": "string", "logicalType": "decimal", "precision": 5}"#, expected: nil),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 1, "logicalType": "decimal", "precision": 2}"#, expected: .decimal(precision: 2, scale: 0)),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 1, "logicalType": "decimal", "precision": 3}"#, expected: nil),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 0, "logicalType": "decimal", "precision": 1}"#, expected: nil),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 4, "logicalType": "decimal", "precision": 9, "scale": 9}"#, expected: .decimal(precision: 9, scale: 9)),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 4, "logicalType": "decimal", "precision": 10}"#, expected: nil),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 16, "logicalType": "decimal", "precision": 38}"#, expected: .decimal(precision: 38, scale: 0)),
        Case(schema: #"{"type": "fixed", "name": "D", "size": 16, "logicalType": "decimal", "precision": 39}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "big-decimal"}"#, expected: .bigDecimal),
        Case(schema: #"{"type": "fixed", "name": "B", "size": 8, "logicalType": "big-decimal"}"#, expected: nil),
        Case(schema: #"{"type": "string", "logicalType": "uuid"}"#, expected: .uuid),
        Case(schema: #"{"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}"#, expected: .uuid),
        Case(schema: #"{"type": "fixed", "name": "U", "size": 15, "logicalType": "uuid"}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "uuid"}"#, expected: nil),
        Case(schema: #"{"type": "int", "logicalType": "date"}"#, expected: .date),
        Case(schema: #"{"type": "long", "logicalType": "date"}"#, expected: nil),
        Case(schema: #"{"type": "int", "logicalType": "time-millis"}"#, expected: .timeMillis),
        Case(schema: #"{"type": "long", "logicalType": "time-millis"}"#, expected: nil),
        Case(schema: #"{"type": "long", "logicalType": "time-micros"}"#, expected: .timeMicros),
        Case(schema: #"{"type": "int", "logicalType": "time-micros"}"#, expected: nil),
        Case(schema: #"{"type": "long", "logicalType": "timestamp-millis"}"#, expected: .timestampMillis),
        Case(schema: #"{"type": "long", "logicalType": "timestamp-micros"}"#, expected: .timestampMicros),
        Case(schema: #"{"type": "long", "logicalType": "timestamp-nanos"}"#, expected: .timestampNanos),
        Case(schema: #"{"type": "int", "logicalType": "timestamp-nanos"}"#, expected: nil),
        Case(schema: #"{"type": "long", "logicalType": "local-timestamp-millis"}"#, expected: .localTimestampMillis),
        Case(schema: #"{"type": "long", "logicalType": "local-timestamp-micros"}"#, expected: .localTimestampMicros),
        Case(schema: #"{"type": "long", "logicalType": "local-timestamp-nanos"}"#, expected: .localTimestampNanos),
        Case(schema: #"{"type": "double", "logicalType": "local-timestamp-nanos"}"#, expected: nil),
        Case(schema: #"{"type": "fixed", "name": "Dur", "size": 12, "logicalType": "duration"}"#, expected: .duration),
        Case(schema: #"{"type": "fixed", "name": "Dur", "size": 11, "logicalType": "duration"}"#, expected: nil),
        Case(schema: #"{"type": "bytes", "logicalType": "duration"}"#, expected: nil),
        Case(schema: #"{"type": "string", "logicalType": "iso-8601"}"#, expected: nil),
        Case(schema: #"{"type": "int", "logicalType": 7}"#, expected: nil),
        Case(schema: #"{"type": "int", "logicalType": "DATE"}"#, expected: nil),
    ]

    @Test(arguments: cases)
    func logicalType(_ c: Case) throws {
        let schema = try parseSchema(c.schema)
        #expect(schema.rootNode.logicalType == c.expected)
        // Valid or not, the attribute stays a property, so nothing written is lost.
        let written = try #require(try JSONParser.parse(c.schema).objectValue)
        #expect(schema.rootNode.properties["logicalType"] == written["logicalType"])
        #expect(schema.rootNode.properties["precision"] == written["precision"])
        #expect(schema.rootNode.properties["scale"] == written["scale"])
        // The canonical form is that of the underlying type.
        #expect(!schema.canonicalForm.contains("logicalType"))
    }

    @Test func names() {
        #expect(AvroLogicalType.decimal(precision: 4, scale: 2).name == "decimal")
        #expect(AvroLogicalType.bigDecimal.name == "big-decimal")
        #expect(AvroLogicalType.localTimestampNanos.name == "local-timestamp-nanos")
        #expect(AvroLogicalType.duration.name == "duration")
    }

    @Test func invalidLogicalTypeDegradesToTheUnderlyingType() throws {
        let schema = try parseSchema(#"{"type": "long", "logicalType": "date", "other": 1}"#)
        #expect(schema.rootNode.typeName == "long")
        #expect(schema.rootNode.logicalType == nil)
        #expect(schema.rootNode.properties.keys == ["logicalType", "other"])
        #expect(schema.normalizedForm == #"{"type":"long","logicalType":"date","other":1}"#)
    }

    @Test func logicalTypeOnAFieldIsAFieldPropertyNotATypeOne() throws {
        let schema = try parseSchema(#"{"type": "record", "name": "R", "fields": [{"name": "d", "type": "int", "logicalType": "date"}]}"#)
        #expect(try schema.fieldNode("d").logicalType == nil)
        #expect(try schema.rootRecord().fields[0].properties["logicalType"] == .string("date"))
    }

    @Test func logicalTypesInUnionsAndCollections() throws {
        let schema = try parseSchema("""
            {"type": "array", "items": ["null", {"type": "long", "logicalType": "timestamp-micros"}]}
            """)
        guard case .array(let items) = schema.rootNode.kind, case .union(let branches) = schema[items].kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(schema[branches[1]].logicalType == .timestampMicros)
        #expect(schema[branches[1]].pointer.description == "/items/1")
    }
}
