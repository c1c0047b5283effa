import Foundation
import JSONSupport
import Testing

/// The CLI with JSON Schema files (`.schema.json`, `.jsonschema`, or `--type json`): compat under STRICT and
/// LENIENT with every report format, validation with every violation and dead letters, normalization, and
/// hostile schemas and patterns ending fast with a typed error.
@Suite struct JSONSchemaCommandTests {
    let v1 = AccordProcess.schema("shipments-value/v1.schema.json")
    let v2 = AccordProcess.schema("shipments-value/v2.schema.json")

    /// A scratch folder with `files` written in it.
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    static let open = #"{"type":"object","properties":{"id":{"type":"string"}}}"#
    static let openPlusOptional = #"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}}}"#

    @Test func theExampleSubjectEvolvesCompatiblyAndNotBack() throws {
        let forward = try AccordProcess.run(["compat", v2, v1])
        #expect(forward.status == 0, "\(forward.output)\(forward.stderr)")
        let back = try AccordProcess.run(["compat", "--output", "json", v1, v2])
        #expect(back.status == 1)
        let report = try #require(try JSONParser.parse(back.stdout).objectValue)
        let found = (report["incompatibilities"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(found.map { "\($0["kind"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "")" }.sorted() == [
            "ENUM_ARRAY_NARROWED #/properties/carrier/enum", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/trackingUrl",
        ])
        // Each finding says how to fix it.
        #expect(found.allSatisfy { ($0["message"]?.stringValue ?? "").count > 40 })
    }

    @Test func thePolicyDecidesOptionalPropertiesOnOpenModels() throws {
        let dir = try folder(["a.schema.json": Self.open, "b.schema.json": Self.openPlusOptional])
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.schema.json").path
        let b = dir.appendingPathComponent("b.schema.json").path
        let strict = try AccordProcess.run(["compat", b, a])
        #expect(strict.status == 1)
        #expect(strict.output.contains("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"))
        #expect(strict.output.contains("LENIENT"))
        let lenient = try AccordProcess.run(["compat", "--policy", "lenient", b, a])
        #expect(lenient.status == 0, "\(lenient.output)")
        // GitHub annotations point at the new property's line in the new file.
        let github = try AccordProcess.run(["compat", "--output", "github", b, a])
        #expect(github.output.contains("::error file=\(b),line=1,col="))
        // JUnit for other CI systems.
        let junit = try AccordProcess.run(["compat", "--output", "junit", b, a])
        #expect(junit.output.contains("<failure"))
        #expect(try AccordProcess.run(["compat", "--policy", "sloppy", b, a]).status == 2)
    }

    @Test func validationReportsEveryViolationAndDeadLetters() throws {
        let good = #"{"shipmentId": "SH-000042", "orderId": 7, "carrier": "GLS", "destination": {"city": "Ghent", "country": "BE"}, "items": [{"sku": "A-1", "quantity": 2}]}"#
        let bad = #"{"shipmentId": "X-1", "orderId": 0, "carrier": "FEDEX", "destination": {"city": "Ghent"}, "items": []}"#
        let dir = try folder(["messages.jsonl": good + "\n" + bad + "\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let deadLetters = dir.appendingPathComponent("dead.jsonl").path
        let result = try AccordProcess.run([
            "validate", "--schema", v2, "--format", "json", "--lines", "--input", dir.appendingPathComponent("messages.jsonl").path,
            "--dead-letter", deadLetters,
        ])
        #expect(result.status == 1)
        #expect((result.output + result.stderr).contains("2 messages: 1 valid, 1 invalid"))
        let letter = try #require(try JSONParser.parse(try String(contentsOfFile: deadLetters, encoding: .utf8)).objectValue)
        #expect(letter["line"] == .integer(2))
        #expect(letter["pointer"] == .string("/shipmentId"))
        let error = letter["error"]?.stringValue ?? ""
        for part in [
            "/shipmentId: must match the pattern", "/orderId: must be >= 1, is 0", "/carrier: must be one of the enum values",
            "/destination: required property \"country\" is missing", "/items: must have at least 1 items",
            "(/properties/orderId/minimum)",
        ] {
            #expect(error.contains(part), "\(part) in \(error)")
        }
        // The message in v1 of the subject (GLS is new in v2) is rejected by v1.
        let v1Result = try AccordProcess.run(["validate", "--schema", v1, "--format", "json"], stdin: good)
        #expect(v1Result.status == 1)
    }

    @Test func formatsAreAnnotationsUnlessAsserted() throws {
        let dir = try folder(["date.schema.json": #"{"type": "string", "format": "date"}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("date.schema.json").path
        #expect(try AccordProcess.run(["validate", "--schema", schema, "--format", "json"], stdin: #""not a date""#).status == 0)
        let asserted = try AccordProcess.run(["validate", "--schema", schema, "--format", "json", "--assert-formats"], stdin: #""not a date""#)
        #expect(asserted.status == 1)
        #expect(asserted.stderr.contains("must be a valid date"))
        #expect(try AccordProcess.run(["validate", "--schema", schema, "--format", "json", "--assert-formats"], stdin: #""2026-12-07""#).status == 0)
    }

    @Test func normalizedFormsIgnoreKeyOrderAndWhitespace() throws {
        let dir = try folder([
            "a.jsonschema": #"{"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer"}}}"#,
            "b.jsonschema": #"{ "properties": { "a": { "type": "integer" }, "b": { "type": "string" } }, "type": "object" }"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try AccordProcess.run(["schema", "normalize", dir.appendingPathComponent("a.jsonschema").path])
        let b = try AccordProcess.run(["schema", "normalize", dir.appendingPathComponent("b.jsonschema").path])
        #expect(a.status == 0)
        #expect(a.output == b.output)
        #expect(a.output == #"{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}"# + "\n")
    }

    @Test func hostileSchemasAndPatternsFailFastWithATypedError() throws {
        let dir = try folder([
            "catastrophic.schema.json": #"{"type": "string", "pattern": "^(a+)+$"}"#,
            "broken.schema.json": #"{"type": "object", "properties": {"x": {"minimum": "ten"}}}"#,
            "badpattern.schema.json": #"{"pattern": "(unclosed"}"#,
            "loop.schema.json": ##"{"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/a"}}}"##,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // The classic catastrophic pattern: a step limit, reported as a violation, instead of a stall.
        let attack = "\"" + String(repeating: "a", count: 5000) + "!\""
        let stalled = try AccordProcess.run(["validate", "--schema", path("catastrophic.schema.json"), "--format", "json"], stdin: attack)
        #expect(stalled.status == 1)
        #expect(stalled.stderr.contains("could not be matched against the pattern"))
        // Invalid schemas: exit 2 with the JSON pointer and a plain reason.
        let broken = try AccordProcess.run(["schema", "normalize", path("broken.schema.json")])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("/properties/x/minimum: must be a number"))
        let badPattern = try AccordProcess.run(["schema", "normalize", path("badpattern.schema.json")])
        #expect(badPattern.status == 2)
        #expect(badPattern.stderr.contains("/pattern: is not a valid regular expression"))
        // A $ref that only points to itself never terminates: refused or reported, never a crash.
        let loop = try AccordProcess.run(["validate", "--schema", path("loop.schema.json"), "--format", "json"], stdin: "1")
        #expect(loop.status == 1 || loop.status == 2)
    }
}
