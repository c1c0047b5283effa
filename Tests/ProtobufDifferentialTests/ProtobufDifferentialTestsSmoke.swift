import ProtobufCodec
import Testing

@Suite struct ProtobufDifferentialTestsSmoke {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
