import JSONSupport
import Testing

/// `accord compat` as a CI job calls it: exit codes and every report format.
@Suite struct CompatCommandTests {
    let v1 = AccordProcess.schema("orders-value/v1.avsc")
    let v2 = AccordProcess.schema("orders-value/v2.avsc")
    let breaking = AccordProcess.example("breaking/orders-value-breaking.avsc")

    private func report(_ arguments: [String]) throws -> (status: Int32, json: JSONObject) {
        let result = try AccordProcess.run(["compat", "--output", "json"] + arguments)
        let json = try JSONParser.parse(result.stdout)
        return (result.status, try #require(json.objectValue))
    }

    private func kinds(_ report: JSONObject) -> [String] {
        (report["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["kind"]?.stringValue }.sorted()
    }

    private func versions(_ report: JSONObject) -> Set<Int64> {
        Set((report["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["version"]?.numberValue?.int64Value })
    }

    @Test func addingAnOptionalFieldIsBackwardCompatible() throws {
        let result = try AccordProcess.run(["compat", v2, v1])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("compatible:"))
        #expect(result.output.contains("BACKWARD"))
    }

    @Test func breakingChangeReportsEveryProblemAsJSON() throws {
        let (status, json) = try report([breaking, v1, v2])
        #expect(status == 1)
        #expect(json["compatible"] == .bool(false))
        #expect(json["level"] == .string("BACKWARD"))
        #expect(kinds(json) == ["READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH"])
        // Non-transitive: only the latest previous version (position 2) is checked.
        #expect(versions(json) == [2])
        for entry in json["incompatibilities"]?.arrayValue ?? [] {
            let object = try #require(entry.objectValue)
            #expect(object["path"]?.stringValue?.hasPrefix("/") == true)
            #expect(object["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func transitiveLevelsCheckEveryVersion() throws {
        let (status, json) = try report(["--level", "BACKWARD_TRANSITIVE", breaking, v1, v2])
        #expect(status == 1)
        #expect(versions(json) == [1, 2])
        #expect(json["level"] == .string("BACKWARD_TRANSITIVE"))
    }

    @Test func widenedIntIsBackwardButNotForwardCompatible() throws {
        let users1 = AccordProcess.schema("users-value/v1.avsc")
        let users2 = AccordProcess.schema("users-value/v2.avsc")
        let backward = try AccordProcess.run(["compat", "--level", "backward", users2, users1])
        #expect(backward.status == 0)
        let (status, json) = try report(["--level", "FORWARD", users2, users1])
        #expect(status == 1)
        #expect(kinds(json) == ["TYPE_MISMATCH"])
        let full = try AccordProcess.run(["compat", "--level", "full", users2, users1])
        #expect(full.status == 1)
    }

    @Test func levelNoneAlwaysPasses() throws {
        let result = try AccordProcess.run(["compat", "--level", "NONE", breaking, v1, v2])
        #expect(result.status == 0)
    }

    @Test func noPreviousVersionsIsCompatible() throws {
        let result = try AccordProcess.run(["compat", breaking])
        #expect(result.status == 0)
    }

    @Test func githubAnnotationsNameTheFile() throws {
        let result = try AccordProcess.run(["compat", "--output", "github", breaking, v2])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("::error file=") && $0.contains("title=") })
        #expect(result.output.contains("TYPE_MISMATCH"))
        // Each annotation points at the offending node of the new file: /fields/1/type is `"long"` on line 8,
        // column 34; /fields/7 is the `channel` field's object on line 19, column 5.
        #expect(lines[0].contains(",line=8,col=34,"))
        #expect(lines[1].contains(",line=19,col=5,"))
    }

    @Test func githubAnnotationsPointIntoProtoFilesInBothDirections() throws {
        let old = try TemporaryFile(
            contents: """
                syntax = "proto3";
                package shop;

                message Order {
                  string id = 1;
                  int64 cents = 2;
                  message Line { int32 n = 1; }
                  repeated Line lines = 3;
                  string note = 4;
                }
                """, extension: "proto")
        let new = try TemporaryFile(
            contents: """
                syntax = "proto3";
                package shop;

                message Order {
                  string id = 1;
                  string cents = 2;
                  message Line {
                    string n = 1;
                  }
                  repeated Line lines = 3;
                }
                """, extension: "proto")
        let result = try AccordProcess.run(["compat", "--output", "github", "--level", "FULL", "--rules", "file", new.path, old.path])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        // cents (line 6, column 10) and Line.n (line 8, column 12) in both directions; the deleted field `note`
        // points at its message, Order (line 4, column 9).
        let cents = lines.filter { $0.contains("Order.cents:") }
        #expect(cents.count == 2 && cents.allSatisfy { $0.contains(",line=6,col=10,") })
        let n = lines.filter { $0.contains("Order.Line.n:") }
        #expect(n.count == 2 && n.allSatisfy { $0.contains(",line=8,col=12,") })
        let deleted = lines.filter { $0.contains("FIELD_NO_DELETE") }
        #expect(!deleted.isEmpty && deleted.allSatisfy { $0.contains(",line=4,col=9,") })
    }

    @Test func junitReportHasOneCasePerVersionChecked() throws {
        let result = try AccordProcess.run(["compat", "--output", "junit", "--level", "FULL_TRANSITIVE", v2, v1])
        #expect(result.status == 0)
        #expect(result.output.contains(#"<testsuites tests="2" failures="0">"#))
        let failing = try AccordProcess.run(["compat", "--output", "junit", "--level", "BACKWARD_TRANSITIVE", breaking, v1, v2])
        #expect(failing.status == 1)
        #expect(failing.output.contains(#"<testsuites tests="2" failures="2">"#))
        #expect(failing.output.contains("<failure type=\"incompatible\""))
    }

    @Test func badLevelIsAUsageError() throws {
        let result = try AccordProcess.run(["compat", "--level", "SIDEWAYS", v2, v1])
        #expect(result.status == 2)
    }

    @Test func invalidPreviousSchemaExitsTwo() throws {
        let bad = try TemporaryFile(contents: #"{"type":"enum","name":"E","symbols":["A","A"]}"#, extension: "avsc")
        let result = try AccordProcess.run(["compat", v2, bad.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/symbols/1"))
    }
}
