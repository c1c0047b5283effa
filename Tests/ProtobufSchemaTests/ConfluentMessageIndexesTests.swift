import ProtobufSchema
import Testing

/// The message-index prefix of Confluent's Protobuf wire format.
@Suite struct ConfluentMessageIndexesTests {
    @Test(arguments: [
        ([0], [0x00] as [UInt8]),
        ([1], [0x02, 0x02]),
        ([0, 2], [0x04, 0x00, 0x04]),
        ([70], [0x02, 0x8c, 0x01]),
    ])
    func roundTrip(indexes: [Int], bytes: [UInt8]) throws {
        #expect(ConfluentMessageIndexes.encode(indexes) == bytes)
        let decoded = try ConfluentMessageIndexes.decode(bytes + [0xAA, 0xBB])
        #expect(decoded.indexes == indexes)
        #expect(decoded.length == bytes.count)
    }

    @Test func truncatedIndexesAreRejected() {
        let error = #expect(throws: ProtobufError.self) { try ConfluentMessageIndexes.decode([0x04, 0x00]) }
        #expect(error?.code == .truncatedData)
        #expect(error?.offset == 2)
    }

    @Test func negativeCountsAndIndexesAreRejected() {
        let count = #expect(throws: ProtobufError.self) { try ConfluentMessageIndexes.decode([0x01]) }
        #expect(count?.code == .invalidData)
        let index = #expect(throws: ProtobufError.self) { try ConfluentMessageIndexes.decode([0x02, 0x03]) }
        #expect(index?.code == .invalidData)
        #expect(index?.offset == 1)
    }
}
