import ProtobufCodec
import Testing

@Suite struct ProtobufCodecTestsSmoke {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
