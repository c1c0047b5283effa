import JSONSupport
import ProtobufCodec
import ProtobufSchema
import Testing

/// Errors name the byte offset and the field path (proto names; repeated elements by index).
@Suite struct ErrorLocationTests {
    func failure(_ file: String, _ message: String, _ bytes: [UInt8]) throws -> ProtobufError {
        let codec = try CodecFixtures.codec(file, message)
        do {
            try codec.validate(bytes)
        } catch {
            return error
        }
        Issue.record("accepted \(bytes)")
        return ProtobufError(.invalidData, "")
    }

    @Test func badUTF8InSecondRepeatedMessage() throws {
        // r_nested (18): [{name: "a"}, {name: 0xff}]
        let bytes: [UInt8] = [0x92, 0x01, 0x03, 0x12, 0x01, 0x61, 0x92, 0x01, 0x03, 0x12, 0x01, 0xFF]
        let error = try failure("codec_proto3", "codec.p3.Repeated", bytes)
        #expect(error.code == .invalidData)
        #expect(error.protoPath == ".r_nested[1].name")
        #expect(error.offset == 9)
        #expect(error.message == "string is not valid UTF-8")
    }

    @Test func badUTF8InRepeatedStringCountsEarlierElements() throws {
        let bytes: [UInt8] = [0x72, 0x01, 0x61, 0x72, 0x00, 0x72, 0x01, 0xC0]
        let error = try failure("codec_proto3", "codec.p3.Repeated", bytes)
        #expect(error.protoPath == ".r_string[2]")
        #expect(error.offset == 5)
    }

    @Test func deepNestedPath() throws {
        // f_nested (20) { child (3) { name (2): 0xff } }
        let bytes: [UInt8] = [0xA2, 0x01, 0x05, 0x1A, 0x03, 0x12, 0x01, 0xFF]
        let error = try failure("codec_proto3", "codec.p3.Scalars", bytes)
        #expect(error.protoPath == ".f_nested.child.name")
        #expect(error.offset == 5)
    }

    @Test func truncatedLengthInsideMessage() throws {
        let bytes: [UInt8] = [0xA2, 0x01, 0x02, 0x12, 0x05]
        let error = try failure("codec_proto3", "codec.p3.Scalars", bytes)
        #expect(error.code == .truncatedData)
        #expect(error.protoPath == ".f_nested")
        #expect(error.offset == 4)
    }

    @Test func missingRequiredAtRoot() throws {
        let error = try failure("codec_proto2", "codec.p2.Legacy", [0x12, 0x01, 0x61])
        #expect(error.message == "required field id of codec.p2.Legacy is missing")
        #expect(error.protoPath == "")
        #expect(error.offset == 3)
    }

    @Test func missingRequiredAfterMerging() throws {
        // id = 1, inner {value: 5}, inner {value: 6}: key is in neither occurrence.
        let bytes: [UInt8] = [0x08, 0x01, 0x5A, 0x02, 0x10, 0x05, 0x5A, 0x02, 0x10, 0x06]
        let error = try failure("codec_proto2", "codec.p2.Legacy", bytes)
        #expect(error.message == "required field key of codec.p2.Inner is missing")
        #expect(error.protoPath == ".inner")
        #expect(error.offset == 8)
    }

    @Test func unknownGroupMismatch() throws {
        let error = try failure("codec_proto3", "codec.p3.Scalars", [0xAB, 0x02, 0x08, 0x01, 0xB4, 0x02])
        #expect(error.protoPath == ".#37")
        #expect(error.message == "end tag of group 38 closes group 37")
    }

    @Test func fieldNumberZeroAndBadWireType() throws {
        let zero = try failure("codec_proto3", "codec.p3.Scalars", [0x08, 0x01, 0x00, 0x00])
        #expect(zero.offset == 2)
        #expect(zero.message == "field number 0 is not allowed")
        let wire = try failure("codec_proto3", "codec.p3.Scalars", [0x0F])
        #expect(wire.message == "wire type 7 does not exist")
        #expect(wire.offset == 0)
    }

    @Test func jsonErrorsCarryPointers() throws {
        let codec = try CodecFixtures.codec("codec_proto3", "codec.p3.Repeated")
        let json = try JSONParser.parse(#"{"rNested": [{"id": 1}, {"id": "x"}]}"#)
        #expect {
            _ = try codec.encode(json: json)
        } throws: { error in
            let e = try #require(error as? ProtobufError)
            return e.jsonPointer == "/rNested/1/id" && e.code == .invalidValue
        }
        let maps = try CodecFixtures.codec("codec_proto3", "codec.p3.Maps")
        #expect {
            _ = try maps.encode(json: try JSONParser.parse(#"{"intString": {"1": "a", "x/y": "b"}}"#))
        } throws: { error in
            (error as? ProtobufError)?.jsonPointer == "/intString/x~1y"
        }
    }

    @Test func unknownMessageName() throws {
        #expect {
            _ = try CodecFixtures.codec("codec_proto3", "codec.p3.Nope")
        } throws: { error in
            (error as? ProtobufError)?.code == .unknownType
        }
        let dotted = try CodecFixtures.codec("codec_proto3", ".codec.p3.Order")
        #expect(dotted.messageName == "codec.p3.Order")
    }
}
