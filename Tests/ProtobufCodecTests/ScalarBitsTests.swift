import Foundation
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf
import Testing

/// `ProtoMessage.scalarBits(fieldNumber:)`, which accord-bench folds into its parse checksum: top-level
/// scalar values by field number, nothing for absent, string, message, packed or map fields.
@Suite struct ScalarBitsTests {
    @Test func readsTopLevelScalarsOnly() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../bench/bench.pb").standardized
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: try Data(contentsOf: path))
        let codec = try ProtoMessageCodec(schema: try ProtoSchema(descriptorSet: set), messageName: "accord.bench.Order")
        let document = try JSONParser.parse("""
            {"quantity": 7, "balanceDelta": "-5", "customer": "x", "price": 2.5,
             "address": {"floor": 3}, "itemIds": [1, 2], "counters": {"a": "9"}, "id": "12345678901"}
            """)
        let message = try codec.decode(try codec.encode(json: document))
        #expect(message.scalarBits(fieldNumber: 1) == 7)
        #expect(message.scalarBits(fieldNumber: 2) == UInt64(bitPattern: -5))
        #expect(message.scalarBits(fieldNumber: 6) == (2.5).bitPattern)
        #expect(message.scalarBits(fieldNumber: 14) == 12_345_678_901)
        for absentOrNotScalar in [3, 4, 5, 7, 8, 12, 13, 99] {
            #expect(message.scalarBits(fieldNumber: absentOrNotScalar) == nil, "field \(absentOrNotScalar)")
        }
    }
}
