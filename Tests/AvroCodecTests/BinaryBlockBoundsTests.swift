import AvroCodec
import Testing

/// A block header that claims more items than the remaining bytes can hold is rejected before any
/// item is read or allocated.
@Suite struct BinaryBlockBoundsTests {
    private func codec(_ schema: String) throws -> AvroDatumCodec {
        AvroDatumCodec(schema: try AvroSchema(parsing: schema))
    }

    @Test func countBeyondTheRemainingBytesIsTruncation() throws {
        let longs = try codec(#"{"type":"array","items":"long"}"#)
        // Count 1,000,000 (zig-zag varint 80 89 7a), then two one-byte items and the end marker.
        let bytes: [UInt8] = [0x80, 0x89, 0x7a, 0x02, 0x04, 0x00]
        let error = #expect(throws: AvroError.self) { try longs.decode(bytes) }
        #expect(error?.code == .truncatedData)
        #expect(error?.offset == 0)
        let validateError = #expect(throws: AvroError.self) { try longs.validate(bytes) }
        #expect(validateError == error)
    }

    @Test func doublesNeedEightBytesEach() throws {
        let doubles = try codec(#"{"type":"array","items":"double"}"#)
        // Two doubles claimed, 9 bytes left: one double plus the end marker is all that fits.
        var bytes: [UInt8] = [0x04]
        bytes += [UInt8](repeating: 0, count: 8) + [0x00]
        let error = #expect(throws: AvroError.self) { try doubles.decode(bytes) }
        #expect(error?.code == .truncatedData)
        #expect(error?.message.contains("at least 8 bytes") == true)
    }

    @Test func mapEntriesNeedAKeyByte() throws {
        let map = try codec(#"{"type":"map","values":"null"}"#)
        // Three entries claimed but only two bytes follow.
        let error = #expect(throws: AvroError.self) { try map.decode([0x06, 0x00, 0x00]) }
        #expect(error?.code == .truncatedData)
    }

    @Test func zeroWidthItemsStillObeyTheCountLimit() throws {
        let nulls = AvroDatumCodec(
            schema: try AvroSchema(parsing: #"{"type":"array","items":"null"}"#),
            limits: AvroLimits(maxCollectionCount: 1000)
        )
        // 1,000 nulls take no bytes and are fine; 1,001 are over the limit.
        #expect(try nulls.decode([0xd0, 0x0f, 0x00]) == .array(Array(repeating: .null, count: 1000)))
        let error = #expect(throws: AvroError.self) { try nulls.decode([0xd2, 0x0f, 0x00]) }
        #expect(error?.code == .limitExceeded)
    }
}
