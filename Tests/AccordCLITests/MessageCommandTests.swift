import Foundation
import JSONSupport
import Testing

/// `accord validate`, `encode` and `decode` on the example order messages.
@Suite struct MessageCommandTests {
    let orders = AccordProcess.schema("orders-value/v1.avsc")
    let ordersV2 = AccordProcess.schema("orders-value/v2.avsc")
    let users = AccordProcess.schema("users-value/v1.avsc")

    private func encode(_ json: String, schema: String, extra: [String] = []) throws -> [UInt8] {
        let result = try AccordProcess.run(["encode", "--schema", schema] + extra, stdin: json)
        #expect(result.status == 0, "encode failed: \(result.stderr)")
        return result.stdout
    }

    @Test func encodesAUserToTheExactBytes() throws {
        let bytes = try encode(
            #"{"id":"6f1c","name":"Ada","age":36,"manager":null}"#,
            schema: users
        )
        // "6f1c" (len 4 -> 08), "Ada" (len 3 -> 06), 36 -> 48, union branch 0 -> 00.
        #expect(bytes == [0x08, 0x36, 0x66, 0x31, 0x63, 0x06, 0x41, 0x64, 0x61, 0x48, 0x00])
    }

    @Test func decodeRoundTripsPlainJSON() throws {
        let input = #"{"id":"u-1","name":"Ada","age":36,"manager":{"id":"u-0","name":"Grace","age":50,"manager":null}}"#
        let bytes = try encode(input, schema: users)
        let decoded = try AccordProcess.run(["decode", "--schema", users], stdin: bytes)
        #expect(decoded.status == 0)
        #expect(try JSONParser.parse(decoded.stdout) == JSONParser.parse(input))
    }

    @Test func avroJSONWrapsUnionBranches() throws {
        let input = #"{"id":"u-1","name":"Ada","age":36,"manager":{"id":"u-0","name":"Grace","age":50,"manager":null}}"#
        let bytes = try encode(input, schema: users)
        let decoded = try AccordProcess.run(["decode", "--avro-json", "--schema", users], stdin: bytes)
        #expect(decoded.status == 0)
        let object = try #require(try JSONParser.parse(decoded.stdout).objectValue)
        let manager = try #require(object["manager"]?.objectValue)
        #expect(manager.keys == ["com.example.people.User"])
    }

    @Test func confluentFramingPrefixesTheSchemaID() throws {
        let bytes = try encode(
            #"{"id":"x","name":"A","age":1,"manager":null}"#,
            schema: users,
            extra: ["--framing", "confluent", "--id", "258"]
        )
        #expect(Array(bytes.prefix(5)) == [0x00, 0x00, 0x00, 0x01, 0x02])
        let valid = try AccordProcess.run(["validate", "--schema", users, "--framing", "confluent"], stdin: bytes)
        #expect(valid.status == 0)
        let unframed = try AccordProcess.run(["validate", "--schema", users], stdin: bytes)
        #expect(unframed.status == 1)
    }

    @Test func encodeFramingNeedsAnID() throws {
        let result = try AccordProcess.run(["encode", "--schema", users, "--framing", "confluent"], stdin: "{}")
        #expect(result.status == 2)
    }

    @Test func validateReportsWhereBinaryBreaks() throws {
        var bytes = try encode(#"{"id":"x","name":"A","age":1,"manager":null}"#, schema: users)
        bytes.removeLast()
        let result = try AccordProcess.run(["validate", "--schema", users], stdin: bytes)
        #expect(result.status == 1)
        #expect(result.stderr.contains("manager"))
        #expect(result.stderr.contains("byte"))
    }

    @Test func validatesTheExampleOrderAsJSON() throws {
        let result = try AccordProcess.run([
            "validate", "--schema", orders, "--format", "json",
            "--input", AccordProcess.example("messages/orders-value/order.json"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func linesModeCountsAndWritesDeadLetters() throws {
        let deadLetter = FileManager.default.temporaryDirectory
            .appendingPathComponent("accord-dlq-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: deadLetter) }
        let result = try AccordProcess.run([
            "validate", "--schema", ordersV2, "--format", "json", "--lines",
            "--input", AccordProcess.example("messages/orders-value/orders.jsonl"),
            "--dead-letter", deadLetter,
        ])
        #expect(result.status == 1)
        #expect(result.output == "4 messages: 2 valid, 2 invalid\n")
        let text = try String(contentsOfFile: deadLetter, encoding: .utf8)
        let entries = try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(entries.count == 2)
        #expect(entries.compactMap { $0.objectValue?["line"]?.numberValue?.int64Value } == [3, 4])
        for entry in entries {
            #expect(entry.objectValue?["error"]?.stringValue?.isEmpty == false)
            #expect(entry.objectValue?["pointer"]?.stringValue?.hasPrefix("/") == true)
        }
    }

    @Test func binaryLinesInHexAndBase64() throws {
        let json = #"{"id":"x","name":"A","age":1,"manager":null}"#
        let hexLines = try AccordProcess.run(["encode", "--schema", users, "--lines"], stdin: json + "\n" + json + "\n")
        #expect(hexLines.status == 0)
        #expect(hexLines.output == "027802410200\n027802410200\n")
        let checked = try AccordProcess.run(
            ["validate", "--schema", users, "--lines"],
            stdin: hexLines.output + "zz\n0278\n"
        )
        #expect(checked.status == 1)
        #expect(checked.output == "4 messages: 2 valid, 2 invalid\n")
        let base64 = try AccordProcess.run(
            ["validate", "--schema", users, "--lines", "--line-encoding", "base64"],
            stdin: "AngCQQIA\n"
        )
        #expect(base64.status == 0)
    }

    @Test func decodeWithWriterSchemaResolves() throws {
        // Written with users v1, read as users v2: age int -> long, emails takes its default.
        let users2 = AccordProcess.schema("users-value/v2.avsc")
        let bytes = try encode(#"{"id":"x","name":"A","age":7,"manager":null}"#, schema: users)
        let decoded = try AccordProcess.run(["decode", "--schema", users2, "--writer-schema", users], stdin: bytes)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(
            try JSONParser.parse(decoded.stdout)
                == JSONParser.parse(#"{"id":"x","name":"A","age":7,"manager":null,"emails":[]}"#)
        )
    }

    @Test func encodeRejectsAMessageThatDoesNotMatch() throws {
        let result = try AccordProcess.run(["encode", "--schema", users], stdin: #"{"id":"x","name":"A","age":"old"}"#)
        #expect(result.status == 1)
        #expect(result.stderr.contains("/age"))
    }
}
