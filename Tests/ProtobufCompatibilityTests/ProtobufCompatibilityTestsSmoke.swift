import ProtobufCompatibility
import Testing

@Suite struct ProtobufCompatibilityTestsSmoke {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
