import ProtobufSchema
import Testing

@Suite struct ProtobufSchemaTestsSmoke {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
