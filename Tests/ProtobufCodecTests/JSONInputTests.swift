import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// JSON inputs with Python's `json_format.Parse` verdict and deterministic bytes.
@Suite struct JSONInputTests {
    /// Where we differ from Python on purpose, by JSON text:
    static let knownDifferences: [String: String] = [
        // Python lets the two names of one field both appear (the last wins); the proto3 JSON spec
        // and C++ reject a field given twice.
        #"{"fInt32": 1, "f_int32": 2}"#: "reject",
        #"{"f_int32": 5, "fInt64": "-7", "customName": "c", "renamed": null}"#: "reject",
        // Python iterates a JSON array as if it were an object with no members.
        "[]": "reject",
        // Python accepts ten fractional digits and rounds; Duration has nanosecond precision, and we
        // reject more than nine digits as the spec's grammar does.
        #"{"dur": "1.0000000001s"}"#: "reject",
    ]

    /// Inputs whose maps have two or more entries: upb's output order is not sorted, ours is.
    static let mapOrdered: Set<String> = [
        #"{"stringInt": {"b": 2, "a": 1}, "intString": {"-3": "x", "10": "y", "2": ""}}"#,
        #"{"boolNested": {"true": {"id": 1}, "false": {}}, "int64Color": {"5": "GREEN"}}"#,
        #"{"fixed64String": {"1": "a"}, "stringValue": {"n": null, "s": "t", "o": {"k": [1, true]}}}"#,
        #"{"st": {"a": 1, "b": [null, "x", {"c": false}]}, "val": 2.5, "list": [1, "a"]}"#,
        #"{"durations": {"a": "1s", "b": "-0.001s"}, "tss": ["2000-01-01T00:00:00.5Z"]}"#,
    ]

    @Test func encodeAgreesWithPythonParse() throws {
        var cache = CodecFixtures.Cache()
        var checked = 0
        var rejected = 0
        for entry in try CodecFixtures.entries("json_inputs.json") {
            let text = try #require(entry.string("json"))
            let codec = try cache.codec(try #require(entry.string("file")), try #require(entry.string("message")))
            let json = try JSONParser.parse(text)
            var ours: [UInt8]?
            var failure: ProtobufError?
            do {
                ours = try codec.encode(json: json)
            } catch {
                failure = error
                #expect(error.jsonPointer != nil, "\(text): \(error)")
            }
            if let difference = Self.knownDifferences[text] {
                #expect(entry.bool("accept") == true)
                #expect((ours == nil) == (difference == "reject"), "\(text)")
                continue
            }
            #expect((ours != nil) == entry.bool("accept"), "\(text): \(failure.map { "\($0)" } ?? "accepted")")
            if ours == nil && entry.bool("accept") == false { rejected += 1 }
            guard let ours, let expectedHex = entry.string("hex") else { continue }
            if Self.mapOrdered.contains(text) {
                let python = CodecFixtures.bytes(hex: expectedHex)
                #expect(ours.count == python.count, "\(text)")
                #expect(CodecFixtures.same(try codec.decodeToJSON(ours), try codec.decodeToJSON(python)), "\(text)")
            } else {
                #expect(CodecFixtures.hex(ours) == expectedHex, "\(text)")
            }
            checked += 1
        }
        #expect(checked == 48)
        #expect(rejected == 28)
    }
}
