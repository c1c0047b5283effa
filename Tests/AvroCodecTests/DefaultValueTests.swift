import AvroCodec
import JSONSupport
import Testing

/// Field defaults as values: union defaults that match a later branch, and float defaults written as strings.
@Suite struct DefaultValueTests {
    private func fieldType(_ schema: AvroSchema, _ index: Int) throws -> AvroSchema.NodeID {
        guard case .record(let record) = schema.rootNode.kind else {
            Issue.record("not a record")
            return schema.root
        }
        return record.fields[index].type
    }

    @Test func unionDefaultTakesTheFirstBranchThatAcceptsIt() throws {
        let schema = try AvroSchema(
            parsing: #"{"type":"record","name":"R","fields":[{"name":"x","type":["null","string"],"default":"abc"}]}"#
        )
        let value = try schema.value(fromDefault: .string("abc"), type: try fieldType(schema, 0))
        #expect(value == .union(branch: 1, value: .string("abc")))
        let null = try schema.value(fromDefault: .null, type: try fieldType(schema, 0))
        #expect(null == .union(branch: 0, value: .null))
    }

    @Test func floatDefaultsWrittenAsStrings() throws {
        let schema = try AvroSchema(
            parsing: #"{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":"-Infinity"}]}"#
        )
        let value = try schema.value(fromDefault: .string("-Infinity"), type: try fieldType(schema, 0))
        #expect(value == .double(-.infinity))
    }

    @Test func resolutionFillsALaterBranchDefault() throws {
        let writer = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#)
        let reader = try AvroSchema(
            parsing: #"""
                {"type":"record","name":"R","fields":[{"name":"a","type":"int"},
                 {"name":"tag","type":["null","string"],"default":"none"}]}
                """#
        )
        let decoded = try AvroResolvingDecoder(writer: writer, reader: reader).decode([0x54])
        #expect(decoded == .record([.int(42), .union(branch: 1, value: .string("none"))]))
    }
}
