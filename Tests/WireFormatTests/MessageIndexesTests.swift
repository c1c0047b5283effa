import Testing
import WireFormat

/// The message-index prefix of Confluent's Protobuf wire format, and the varint helpers under it.
@Suite struct MessageIndexesTests {
    @Test(arguments: [
        ([0], [0x00] as [UInt8]),
        ([1], [0x02, 0x02]),
        ([0, 2], [0x04, 0x00, 0x04]),
        ([70], [0x02, 0x8c, 0x01]),
    ])
    func roundTrip(indexes: [Int], bytes: [UInt8]) throws {
        #expect(MessageIndexes.encode(indexes) == bytes)
        var offset = 0
        #expect(try MessageIndexes.decode(bytes + [0xAA, 0xBB], at: &offset) == indexes)
        #expect(offset == bytes.count)
    }

    @Test func anEmptyPathIsWrittenAsTheFirstMessage() throws {
        #expect(MessageIndexes.encode([]) == [0x00])
    }

    @Test func truncatedIndexesAreRejected() {
        var offset = 0
        let error = #expect(throws: WireFormatError.self) { try MessageIndexes.decode([0x04, 0x00], at: &offset) }
        #expect(error?.kind == .truncated)
        #expect(error?.offset == 2)
    }

    @Test func negativeOrHugeCountsAndIndexesAreRejected() {
        var offset = 0
        let count = #expect(throws: WireFormatError.self) { try MessageIndexes.decode([0x01], at: &offset) }
        #expect(count?.kind == .invalid)
        offset = 0
        let index = #expect(throws: WireFormatError.self) { try MessageIndexes.decode([0x02, 0x03], at: &offset) }
        #expect(index?.kind == .invalid)
        #expect(index?.offset == 1)
        offset = 0
        let many = #expect(throws: WireFormatError.self) { try MessageIndexes.decode([0x82, 0x01], at: &offset) }
        #expect(many?.kind == .invalid)
        offset = 0
        let long = #expect(throws: WireFormatError.self) {
            try MessageIndexes.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], at: &offset)
        }
        #expect(long?.kind == .invalid)
    }

    @Test(arguments: [Int64.min, -65, -64, -1, 0, 1, 63, 64, Int64.max])
    func zigZagRoundTrips(value: Int64) throws {
        var bytes: [UInt8] = []
        Varint.append(Varint.zigZag(value), to: &bytes)
        var offset = 0
        #expect(Varint.unZigZag(try Varint.read(bytes, at: &offset)) == value)
        #expect(offset == bytes.count)
        #expect(bytes.count <= 10)
    }

    @Test func zigZagMapsSmallMagnitudesToSmallNumbers() {
        #expect([0, -1, 1, -2, 2].map { Varint.zigZag($0) } == [0, 1, 2, 3, 4])
    }
}
