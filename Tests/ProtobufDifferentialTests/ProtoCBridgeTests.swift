import CProtobufC
import JSONSupport
import ProtobufSchema
import Testing

/// The protobuf-c bridge itself against the Python runtime, before our codec is compared with either:
/// descriptors built at run time must make protobuf-c write the bytes Python writes and read them back
/// to the same JSON, and free everything it allocated.
@Suite struct ProtoCBridgeTests {
    static let samples = (try? DiffFixtures.samples()) ?? []

    @Test func fixturesLoad() throws {
        #expect(Self.samples.count == 22)
        #expect(try DiffFixtures.verdicts().count > 1000)
        #expect(try DiffFixtures.encodings().count == 5)
    }

    @Test(arguments: samples.filter { !$0.input.containsNUL })
    func protobufCPacksWhatPythonWrites(_ sample: DiffFixtures.Sample) throws {
        let reference = try ProtoCMessages(schema: try DiffFixtures.schema(sample.schema))
        let packed = try reference.pack(sample.input, as: sample.message)
        #expect(DiffFixtures.hex(packed) == DiffFixtures.hex(sample.bytes))
        let read = try #require(try reference.unpackToJSON(sample.bytes, as: sample.message))
        #expect(jsonEquivalent(read, sample.json), "\(read.serialized()) vs \(sample.json.serialized())")
        #expect(reference.liveBytes == 0)
        #expect(reference.totalAllocations > 0 || sample.bytes.isEmpty)
    }

    @Test func descriptorsHaveSortedFieldsAndRanges() throws {
        let reference = try ProtoCMessages(schema: try DiffFixtures.schema("diff3"))
        let everything = try #require(reference.descriptors.descriptor("accord.diff.Everything"))
        #expect(everything.pointee.n_fields == 6)
        #expect(everything.pointee.n_field_ranges == 2)
        #expect(everything.pointee.field_ranges[1].start_value == 536_870_911)
        #expect(everything.pointee.field_ranges[2].orig_index == 6)
        let last = try #require(protobuf_c_message_descriptor_get_field(everything, 536_870_911))
        #expect(String(cString: last.pointee.name) == "name")
        let byName = try #require(protobuf_c_message_descriptor_get_field_by_name(everything, "maps"))
        #expect(byName.pointee.id == 5)
        let choice = try #require(reference.descriptors.descriptor("accord.diff.Choice"))
        let member = try #require(protobuf_c_message_descriptor_get_field(choice, 3))
        #expect(member.pointee.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0)
        #expect(String(cString: try #require(member.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self).pointee.name)) == "accord.diff.Node")
    }

    @Test func proto2DefaultsReachProtobufC() throws {
        let reference = try ProtoCMessages(schema: try DiffFixtures.schema("diff2"))
        let record = try #require(reference.descriptors.descriptor("accord.diff2.Record"))
        let title = try #require(protobuf_c_message_descriptor_get_field(record, 3))
        #expect(String(cString: try #require(title.pointee.default_value?.assumingMemoryBound(to: CChar.self))) == "untitled")
        let blob = try #require(protobuf_c_message_descriptor_get_field(record, 4))
        let data = try #require(blob.pointee.default_value?.assumingMemoryBound(to: ProtobufCBinaryData.self))
        #expect(Array(UnsafeBufferPointer(start: data.pointee.data, count: data.pointee.len)) == [0x61, 0, 0x62])
        let level = try #require(protobuf_c_message_descriptor_get_field(record, 6))
        #expect(level.pointee.default_value?.load(as: Int32.self) == 5)
        let ratio = try #require(protobuf_c_message_descriptor_get_field(record, 5))
        #expect(ratio.pointee.default_value?.load(as: Double.self) == -1.5)
        // An absent field reads as unset, not as its default.
        #expect(try reference.unpackToJSON([0x0a, 0x01, 0x6b], as: "accord.diff2.Record") == .object(JSONObject(["key": .string("k")])))
        #expect(reference.liveBytes == 0)
    }

    @Test func countingAllocatorSeesEveryBlock() throws {
        let reference = try ProtoCMessages(schema: try DiffFixtures.schema("diff3"))
        let before = reference.totalAllocations
        #expect(try reference.accepts([0x12, 0x02, 0x08, 0x01, 0x22, 0x01, 0x61], as: "accord.diff.Node"))
        // The root, the child and the string: three blocks, all freed again.
        #expect(reference.totalAllocations - before == 3)
        #expect(reference.liveBytes == 0)
        #expect(try !reference.accepts([0x12, 0x05, 0x08], as: "accord.diff.Node"))
        #expect(reference.liveBytes == 0)
    }
}
