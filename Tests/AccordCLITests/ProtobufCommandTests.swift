import Foundation
import JSONSupport
import Testing

/// The same commands on `.proto` schemas. Expected bytes and JSON come from Python's protobuf 7.36
/// (`json_format.Parse` then `SerializeToString`, and `MessageToJson`) on schemas/payments-value/v1.proto.
@Suite struct ProtobufCommandTests {
    let v1 = AccordProcess.schema("payments-value/v1.proto")
    let v2 = AccordProcess.schema("payments-value/v2.proto")
    let breaking = AccordProcess.example("breaking/payments-value-breaking.proto")
    let payment = AccordProcess.example("messages/payments-value/payment.json")
    let paymentBytes = Hex.bytes(
        "0a06702d3130303110be651a0345555220012a0608f0b19fd806320e0a076368616e6e656c12037765623a0b0a07424f4f4b2d343210024207746f6b5f313233"
    )

    @Test func encodesProto3JSONToTheBytesPythonWrites() throws {
        let result = try AccordProcess.run(["encode", "--schema", v1, "--input", payment])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == paymentBytes)
    }

    @Test func decodesToCanonicalJSON() throws {
        let result = try AccordProcess.run(["decode", "--schema", v1, "--message", "shop.payments.Payment"], stdin: paymentBytes)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSONParser.parse(result.stdout) == JSONParser.parse(try String(contentsOfFile: payment, encoding: .utf8)))
    }

    @Test func confluentFramingCarriesMessageIndexes() throws {
        let refund = #"{"paymentId":"p-1","amountCents":"5"}"#
        let framed = try AccordProcess.run(
            ["encode", "--schema", v1, "--message", "shop.payments.Refund", "--framing", "confluent", "--id", "9"],
            stdin: refund
        )
        #expect(framed.status == 0, "\(framed.stderr)")
        // Magic byte, id 9, indexes [1] (count 1, index 1 as zig-zag varints), then the payload.
        #expect(Array(framed.stdout.prefix(7)) == [0x00, 0x00, 0x00, 0x00, 0x09, 0x02, 0x02])
        let decoded = try AccordProcess.run(["decode", "--schema", v1, "--framing", "confluent"], stdin: framed.stdout)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(try JSONParser.parse(decoded.stdout) == JSONParser.parse(refund))
        let wrongType = try AccordProcess.run(
            ["validate", "--schema", v1, "--message", "shop.payments.Payment", "--framing", "confluent"],
            stdin: framed.stdout
        )
        #expect(wrongType.status == 1)
        #expect(wrongType.stderr.contains("shop.payments.Refund"))
    }

    @Test func guidFramedMessagesAreReadToo() throws {
        let refund = #"{"paymentId":"p-1","amountCents":"5"}"#
        let framed = try AccordProcess.run(
            ["encode", "--schema", v1, "--message", "shop.payments.Refund", "--framing", "confluent", "--id", "9"],
            stdin: refund
        )
        // The same message with Confluent's GUID framing: 0x01, 16 GUID bytes, the indexes, the payload.
        let guid: [UInt8] = Array(0..<16)
        let byGUID = [0x01] + guid + Array(framed.stdout.dropFirst(5))
        let decoded = try AccordProcess.run(["decode", "--schema", v1, "--framing", "confluent"], stdin: byGUID)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(try JSONParser.parse(decoded.stdout) == JSONParser.parse(refund))
        // An unknown magic byte is refused with where and why.
        let bad = try AccordProcess.run(["validate", "--schema", v1, "--framing", "confluent"], stdin: [0x02] + guid)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("0x02"))
    }

    @Test func validateRejectsBadUTF8WithItsLocation() throws {
        // Field 1 (id) as a 2-byte string that is not UTF-8.
        let result = try AccordProcess.run(["validate", "--schema", v1], stdin: [0x0a, 0x02, 0xff, 0xfe])
        #expect(result.status == 1)
        #expect(result.stderr.contains("UTF-8"))
        #expect(result.stderr.contains("byte"))
    }

    @Test func importedAndWellKnownMessagesCanBeNamed() throws {
        let file = try TemporaryFile(
            contents: "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage Event { google.protobuf.Timestamp at = 1; }\n",
            extension: "proto")
        let encoded = try AccordProcess.run(
            ["encode", "--schema", file.path, "--message", "google.protobuf.Timestamp"], stdin: #""1970-01-01T00:00:01Z""#)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(encoded.stdout == [0x08, 0x01])
        let decoded = try AccordProcess.run(
            ["decode", "--schema", file.path, "--message", "google.protobuf.Timestamp"], stdin: [0x08, 0x01])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(try JSONParser.parse(decoded.stdout) == .string("1970-01-01T00:00:01Z"))
        // Framed data can only name the schema's own messages.
        let framed = try AccordProcess.run(
            ["encode", "--schema", file.path, "--message", "google.protobuf.Timestamp", "--framing", "confluent", "--id", "9"],
            stdin: #""1970-01-01T00:00:01Z""#)
        #expect(framed.status == 1)
        #expect(framed.stderr.contains("google.protobuf.Timestamp is not declared in the schema itself"))
    }

    @Test func unknownMessageIsAUsageError() throws {
        let result = try AccordProcess.run(["validate", "--schema", v1, "--message", "shop.Nope"], stdin: [])
        #expect(result.status == 2)
    }

    @Test func addingAFieldIsBackwardCompatibleUnderEveryRuleSet() throws {
        for rules in ["confluent", "wire", "wire-json", "file"] {
            let result = try AccordProcess.run(["compat", "--rules", rules, v2, v1])
            #expect(result.status == 0, "\(rules): \(result.output)")
        }
    }

    @Test func rulesDisagreeOnReadingNewDataWithTheOldSchema() throws {
        // FORWARD reads v2's data with v1: Confluent allows a missing field and enum value; buf's WIRE rules
        // see v1 as deleting field 10 and value WALLET without reserving their numbers.
        let confluent = try AccordProcess.run(["compat", "--level", "FULL", v2, v1])
        #expect(confluent.status == 0, "\(confluent.output)")
        let wire = try AccordProcess.run(["compat", "--rules", "wire", "--level", "FORWARD", "--output", "json", v2, v1])
        #expect(wire.status == 1)
        #expect(wire.output.contains("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"))
    }

    @Test func breakingChangeUnderConfluentRules() throws {
        let result = try AccordProcess.run(["compat", "--output", "json", breaking, v1, v2])
        #expect(result.status == 1)
        let report = try #require(try JSONParser.parse(result.stdout).objectValue)
        let kinds = Set((report["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["kind"]?.stringValue })
        #expect(kinds.contains("MESSAGE_REMOVED"))
        #expect(kinds.contains("FIELD_KIND_CHANGED") || kinds.contains("FIELD_SCALAR_KIND_CHANGED"))
    }

    @Test func breakingChangeUnderBufWireRules() throws {
        let result = try AccordProcess.run(["compat", "--rules", "wire", "--output", "json", breaking, v2])
        #expect(result.status == 1)
        let report = try #require(try JSONParser.parse(result.stdout).objectValue)
        let kinds = Set((report["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["kind"]?.stringValue })
        #expect(kinds.contains("FIELD_WIRE_COMPATIBLE_TYPE"))
    }

    @Test func describePrintsTheDescriptorSetWithImportsFirst() throws {
        let result = try AccordProcess.run(["schema", "describe", v1])
        #expect(result.status == 0, "\(result.stderr)")
        let set = try #require(try JSONParser.parse(result.stdout).objectValue)
        let names = (set["file"]?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue }
        #expect(names == ["google/protobuf/timestamp.proto", "v1.proto"])
    }

    @Test func describeOfAnInvalidFileShowsCompilerErrors() throws {
        let bad = try TemporaryFile(contents: "syntax = \"proto3\";\nmessage M {\n  Unknown x = 1;\n}\n", extension: "proto")
        let result = try AccordProcess.run(["schema", "describe", bad.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":3:3:"))
        #expect(result.stderr.contains("Unknown"))
    }

    /// Every compiler error is printed, one a line with its position, first first, and the file is refused.
    @Test func invalidFileShowsEveryError() throws {
        let bad = try TemporaryFile(
            contents: "syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n  Nope n = 1;\n  int32 = 2;\n}\n", extension: "proto")
        let name = URL(fileURLWithPath: bad.path).lastPathComponent
        for command in [["schema", "canonical", bad.path], ["compat", bad.path]] {
            let result = try AccordProcess.run(command)
            #expect(result.status == 2)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            let first = try #require(lines.firstIndex { $0.contains("\(name):3:13: Expected field number.") })
            #expect(lines.indices.contains(first + 1) && lines[first + 1] == "\(name):5:9: Expected field name.")
            // A file with syntax errors is not linked: no error for the unknown type.
            #expect(!result.stderr.contains("Nope"))
        }
    }

    @Test func canonicalTextReparsesToTheSameDescriptor() throws {
        let canonical = try AccordProcess.run(["schema", "canonical", v1])
        #expect(canonical.status == 0, "\(canonical.stderr)")
        #expect(canonical.output.contains("message Payment"))
        let copy = try TemporaryFile(contents: canonical.output, extension: "proto")
        let again = try AccordProcess.run(["schema", "canonical", copy.path])
        #expect(again.output == canonical.output)
    }

    @Test func importPathFindsImportsElsewhere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-proto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("common"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("syntax = \"proto3\";\npackage common;\nmessage Money { int64 cents = 1; }\n".utf8)
            .write(to: folder.appendingPathComponent("common/money.proto"))
        let main = FileManager.default.temporaryDirectory.appendingPathComponent("accord-main-\(UUID().uuidString).proto")
        try Data("syntax = \"proto3\";\nimport \"common/money.proto\";\nmessage Price { common.Money value = 1; }\n".utf8)
            .write(to: main)
        defer { try? FileManager.default.removeItem(at: main) }
        let missing = try AccordProcess.run(["schema", "describe", main.path])
        #expect(missing.status == 2)
        let found = try AccordProcess.run(["schema", "describe", "--import-path", folder.path, main.path])
        #expect(found.status == 0, "\(found.stderr)")
    }
}

enum Hex {
    static func bytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var iterator = text.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            out.append(UInt8(String([high, low]), radix: 16) ?? 0)
        }
        return out
    }
}
