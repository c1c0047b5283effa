import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Our codec against libprotobuf-c on random documents of every message of the differential schemas
/// and the benchmark schema, with protobuf-c's descriptors built from the same FileDescriptorProtos:
/// encode must give protobuf-c's bytes exactly, decode protobuf-c's JSON, and every truncation of the
/// bytes must be accepted or rejected by both alike. protobuf-c frees everything it allocates.
@Suite struct ProtoCDifferentialTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let schema: String
        let message: String
        var testDescription: String { message }
    }

    static let documentsPerMessage = 150

    static let cases: [Case] = [
        ("diff3", ["accord.diff.Scalars", "accord.diff.Repeated", "accord.diff.Node", "accord.diff.Choice",
                   "accord.diff.Maps", "accord.diff.Everything"]),
        // Not accord.diff2.Defaulted: protobuf-c accepts a missing required field that has a default.
        ("diff2", ["accord.diff2.Record", "accord.diff2.Inner", "accord.diff2.Deep"]),
        ("bench", ["accord.bench.Order", "accord.bench.Order.Address"]),
    ].flatMap { schema, messages in messages.map { Case(schema: schema, message: $0) } }

    @Test(arguments: cases)
    func agreesWithProtobufC(_ testCase: Case) throws {
        let schema = try DiffFixtures.schema(testCase.schema)
        let codec = try ProtoMessageCodec(schema: schema, messageName: testCase.message)
        let reference = try ProtoCMessages(schema: schema)
        var generator = ProtoValueGenerator(pool: schema.pool, seed: UInt64(testCase.message.utf8.count) &* 7919 &+ 17)
        var truncations = 0
        for index in 0..<Self.documentsPerMessage {
            let document = generator.message(testCase.message)
            let label = "\(testCase.message) #\(index) \(document.serialized())"
            let ours = try codec.encode(json: document)
            let theirs = try reference.pack(document, as: testCase.message)
            #expect(DiffFixtures.hex(ours) == DiffFixtures.hex(theirs), "encode \(label)")

            try codec.validate(theirs)
            let decoded = try codec.decodeToJSON(theirs)
            let read = try #require(try reference.unpackToJSON(theirs, as: testCase.message), "protobuf-c rejects \(label)")
            #expect(jsonEquivalent(decoded, read), "decode \(label): ours \(decoded.serialized()) protobuf-c \(read.serialized())")

            for end in 0..<theirs.count {
                let prefix = Array(theirs[..<end])
                let accepted = (try? codec.validate(prefix)) != nil
                #expect(accepted == (try reference.accepts(prefix, as: testCase.message)),
                        "truncated to \(end) bytes: \(DiffFixtures.hex(prefix)) (\(label))")
                truncations += 1
            }
        }
        #expect(truncations > Self.documentsPerMessage)
        #expect(reference.liveBytes == 0)
        #expect(reference.totalAllocations > 0)
    }

    /// Multi-entry maps, which the Python fixtures cannot pin down (its runtime writes entries in an order
    /// of its own): ours writes them sorted by key (as deterministic serialization does), which is what
    /// protobuf-c writes for the same entries given in that order.
    @Test func mapEntriesAreSortedByKey() throws {
        let schema = try DiffFixtures.schema("diff3")
        let codec = try ProtoMessageCodec(schema: schema, messageName: "accord.diff.Maps")
        let reference = try ProtoCMessages(schema: schema)
        let unsorted = try JSONParser.parse(#"{"mString":{"b":"1","":"2","a":"3"},"mBool":{"true":"","false":"AA=="},"mInt64":{"5":{},"-5":{"value":2}}}"#)
        let sorted = try JSONParser.parse(#"{"mString":{"":"2","a":"3","b":"1"},"mBool":{"false":"AA==","true":""},"mInt64":{"-5":{"value":2},"5":{}}}"#)
        let ours = try codec.encode(json: unsorted)
        #expect(DiffFixtures.hex(ours) == DiffFixtures.hex(try reference.pack(sorted, as: "accord.diff.Maps")))
        #expect(DiffFixtures.hex(ours).hasPrefix("0a050a001201320a060a01611201330a060a0162120131"))
        #expect(try codec.encode(json: sorted) == ours)
        #expect(reference.liveBytes == 0)
    }
}
