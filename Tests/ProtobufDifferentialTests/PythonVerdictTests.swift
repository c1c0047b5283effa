import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Our codec against the Python runtime's committed answers (Fixtures/tools/make_fixtures.py), on what
/// protobuf-c cannot judge: UTF-8, the depth limit, merging of repeated and singular sub-messages,
/// groups and mismatched wire types, required fields with defaults, negative zero; and every
/// truncation and a set of byte substitutions of each sample.
@Suite struct PythonVerdictTests {
    static let samples = (try? DiffFixtures.samples()) ?? []
    static let verdicts = (try? DiffFixtures.verdicts()) ?? []
    static let encodings = (try? DiffFixtures.encodings()) ?? []

    static func codec(_ schema: String, _ message: String) throws -> ProtoMessageCodec {
        try ProtoMessageCodec(schema: try DiffFixtures.schema(schema), messageName: message)
    }

    @Test(arguments: samples)
    func encodesAndDecodesLikePython(_ sample: DiffFixtures.Sample) throws {
        let codec = try Self.codec(sample.schema, sample.message)
        #expect(DiffFixtures.hex(try codec.encode(json: sample.input)) == DiffFixtures.hex(sample.bytes))
        try codec.validate(sample.bytes)
        let decoded = try codec.decodeToJSON(sample.bytes)
        #expect(jsonEquivalent(decoded, sample.json), "ours \(decoded.serialized()) python \(sample.json.serialized())")
    }

    @Test(arguments: encodings)
    func encodesNegativeZeroLikePython(_ sample: DiffFixtures.Sample) throws {
        let codec = try Self.codec(sample.schema, sample.message)
        #expect(DiffFixtures.hex(try codec.encode(json: sample.input)) == DiffFixtures.hex(sample.bytes))
    }

    /// All verdicts in one test (about 1,400 payloads); each disagreement is its own issue.
    @Test func acceptsAndRejectsLikePython() throws {
        #expect(Self.verdicts.count > 1000)
        var codecs: [String: ProtoMessageCodec] = [:]
        var accepted = 0
        for verdict in Self.verdicts {
            let key = verdict.schema + " " + verdict.message
            let codec = try codecs[key] ?? Self.codec(verdict.schema, verdict.message)
            codecs[key] = codec
            let validated = Result { () throws(ProtobufError) in try codec.validate(verdict.bytes) }
            let decoded = Result { () throws(ProtobufError) -> JSONValue in try codec.decodeToJSON(verdict.bytes) }
            let description = "\(verdict.message) \(verdict.why): \(DiffFixtures.hex(verdict.bytes))"
            if verdict.accept {
                accepted += 1
                #expect(throws: Never.self, "validate: \(description)") { try validated.get() }
                if let expected = verdict.json {
                    let ours = try? decoded.get()
                    #expect(ours.map { jsonEquivalent($0, expected) } == true,
                            "decode: \(description): ours \(ours?.serialized() ?? "error") python \(expected.serialized())")
                }
            } else {
                #expect(throws: ProtobufError.self, "validate: \(description)") { try validated.get() }
                #expect(throws: ProtobufError.self, "decode: \(description)") { try decoded.get() }
            }
        }
        #expect(accepted > 300)
    }

    @Test func rejectionsSayWhere() throws {
        let codec = try Self.codec("diff3", "accord.diff.Node")
        // A proto3 string that is not UTF-8, inside the child message.
        let payload: [UInt8] = [0x12, 0x04, 0x22, 0x02, 0xc3, 0x28]
        let error = try #require(throws: ProtobufError.self) { try codec.validate(payload) }
        #expect(error.code == .invalidData)
        #expect(error.offset != nil)
        #expect(error.protoPath?.contains("child") == true)
    }
}
