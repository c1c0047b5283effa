import Foundation
import JSONSupport
import Testing

/// The `accord` commands that talk to a registry (issue 9), against the built `accord serve`: outputs and
/// exit codes as scripts and CI jobs read them.
@Suite struct RegistryCLITests {
    static func schema(_ relative: String) -> String {
        Build.packageRoot.appendingPathComponent("schemas").appendingPathComponent(relative).path
    }

    static func example(_ relative: String) -> String {
        Build.packageRoot.appendingPathComponent("examples").appendingPathComponent(relative).path
    }

    static let v1 = schema("orders-value/v1.avsc")
    static let v2 = schema("orders-value/v2.avsc")
    static let breaking = example("breaking/orders-value-breaking.avsc")

    func accord(_ server: RegistryClient, _ arguments: [String], stdin: String = "") async throws -> Build.Result {
        let command = arguments[0]
        return try await Build.run([command, "--registry", server.base] + arguments.dropFirst(), stdin: stdin)
    }

    /// Writes `text` to `name` in `folder` (subfolders made) and returns its path.
    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The server's count of answered requests for `route` with `status` (its Prometheus `/metrics`).
    static func requests(_ server: RegistryClient, route: String, status: Int = 200) async throws -> Int {
        let prefix = "accord_http_requests_total{route=\"\(route)\",method=\"GET\",status=\"\(status)\"} "
        let line = try await server.get("/metrics").text.split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    @Test func registerAndCheckAsACIJobCallsThem() async throws {
        try await withServer { server in
            let first = try await accord(server, ["register", "--subject", "orders-value", Self.v1])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == "id 1 version 1\n")
            let second = try await accord(server, ["register", "--subject", "orders-value", "--output", "json", Self.v2])
            #expect(second.status == 0)
            let json = try #require(try JSONParser.parse(second.stdout).objectValue)
            #expect(json["id"]?.int == 2 && json["version"]?.int == 2)
            #expect(json["guid"]?.stringValue?.count == 36)
            // Registering the same file again answers the same id and version.
            #expect(try await accord(server, ["register", "--subject", "orders-value", Self.v2]).stdout == "id 2 version 2\n")

            // check: the registry's verdict, nothing registered; exit 1 with the reasons.
            let compatible = try await accord(server, ["check", "--subject", "orders-value", Self.v2])
            #expect(compatible.status == 0)
            #expect(compatible.stdout.hasPrefix("compatible:"))
            let incompatible = try await accord(server, ["check", "--subject", "orders-value", "--output", "json", Self.breaking])
            #expect(incompatible.status == 1)
            let report = try #require(try JSONParser.parse(incompatible.stdout).objectValue)
            #expect(report["compatible"]?.boolValue == false)
            #expect(report["level"]?.stringValue == "BACKWARD")
            let kinds = (report["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["kind"]?.stringValue }
            #expect(kinds.sorted() == ["READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH"])
            let github = try await accord(server, ["check", "--subject", "orders-value", "--output", "github", Self.breaking])
            #expect(github.status == 1)
            #expect(github.stdout.split(separator: "\n").count == 2)
            #expect(github.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::error file=") })
            #expect(github.stdout.contains(",line=8,col=34,title=TYPE_MISMATCH"))
            let junit = try await accord(server, ["check", "--subject", "orders-value", "--output", "junit", Self.breaking])
            #expect(junit.stdout.contains("<failure"))
            // --level: checked here against the subject's versions under that level. v1 read with v2 breaks
            // nothing BACKWARD; the breaking file breaks both versions under BACKWARD_TRANSITIVE.
            let transitive = try await accord(
                server, ["check", "--subject", "orders-value", "--level", "BACKWARD_TRANSITIVE", "--output", "json", Self.breaking])
            #expect(transitive.status == 1, "\(transitive.stderr)")
            let transitiveReport = try #require(try JSONParser.parse(transitive.stdout).objectValue)
            #expect(transitiveReport["level"]?.stringValue == "BACKWARD_TRANSITIVE")
            let checkedVersions = Set((transitiveReport["incompatibilities"]?.arrayValue ?? []).compactMap { $0.objectValue?["version"]?.int })
            #expect(checkedVersions == [1, 2])
            #expect(try await accord(server, ["check", "--subject", "orders-value", "--level", "NONE", Self.breaking]).status == 0)
            #expect(try await accord(server, ["check", "--subject", "orders-value", "--level", "FULL", Self.v2]).status == 0)
            #expect(try await server.get("/subjects/orders-value/versions").ints == [1, 2])

            // A refused registration exits 1 with the registry's reasons; bad input and no registry exit 2.
            let refused = try await accord(server, ["register", "--subject", "orders-value", Self.breaking])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("TYPE_MISMATCH"))
            #expect(try await accord(server, ["register", "--subject", "x", "/no/such/file.avsc"]).status == 2)
            let unreachable = try await Build.run(["register", "--registry", "http://127.0.0.1:1", "--subject", "x", Self.v1])
            #expect(unreachable.status == 2)
            #expect(unreachable.stderr.contains("unreachable"))
            #expect(try await Build.run(["subjects"]).status == 2)
        }
    }

    @Test func readingAndAdministeringSubjects() async throws {
        try await withServer { server in
            _ = try await accord(server, ["register", "--subject", "orders-value", Self.v1])
            _ = try await accord(server, ["register", "--subject", "orders-value", Self.v2])
            #expect(try await accord(server, ["subjects"]).stdout == "orders-value\n")
            #expect(try await accord(server, ["subjects", "--output", "json"]).stdout == "[\"orders-value\"]\n")
            #expect(try await accord(server, ["versions", "orders-value"]).stdout == "1\n2\n")
            let latest = try #require(try JSONParser.parse(try await accord(server, ["get", "orders-value", "--output", "json"]).stdout).objectValue)
            #expect(latest["version"]?.int == 2 && latest["id"]?.int == 2)
            let byID = try #require(try JSONParser.parse(try await accord(server, ["get", "--id", "1", "--output", "json"]).stdout).objectValue)
            #expect(byID["schema"]?.stringValue?.contains("Order") == true)
            #expect(try await accord(server, ["get", "--id", "99"]).status == 2)
            #expect(try await accord(server, ["config", "orders-value", "--set", "FULL"]).stdout == "FULL\n")
            #expect(try await accord(server, ["config"]).stdout == "BACKWARD\n")
            #expect(try await accord(server, ["mode", "--output", "json"]).stdout == "{\"mode\":\"READWRITE\"}\n")
            #expect(try await accord(server, ["delete", "orders-value", "2"]).stdout == "deleted orders-value version 2\n")
            #expect(try await accord(server, ["versions", "orders-value", "--output", "json"]).stdout == "[1]\n")
            #expect(try await accord(server, ["delete", "orders-value"]).status == 0)
            #expect(try await accord(server, ["delete", "orders-value", "--permanent", "--output", "json"]).stdout == "[1,2]\n")
        }
    }

    @Test func credentialsReachTheRegistry() async throws {
        let folder = try Build.temporaryFolder("cli-auth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let auth = try await SecurityProbeTests.authFile(in: folder, SecurityProbeTests.team)
        try await withServer(extra: ["--auth-file", auth]) { server in
            #expect(try await accord(server, ["subjects"]).status == 2)
            #expect(try await accord(server, ["subjects", "--user", "admin:admin-pw"]).status == 0)
            let writer = try await accord(server, ["register", "--user", "writer:writer-pw", "--subject", "orders-value", Self.v1])
            #expect(writer.stdout == "id 1 version 1\n")
        }
    }

    // MARK: encode, decode and validate with --registry

    @Test func avroMessagesFramedWithTheRegistrysIdsAndGUIDs() async throws {
        let folder = try Build.temporaryFolder("cli-codec")
        defer { try? FileManager.default.removeItem(at: folder) }
        let v1 = try Self.write(Fixture.userV1, "user-v1.avsc", in: folder)
        let v2 = try Self.write(Fixture.userV2, "user-v2.avsc", in: folder)
        try await withServer { server in
            #expect(try await accord(server, ["register", "--subject", "users-value", v1]).stdout == "id 1 version 1\n")
            #expect(try await accord(server, ["register", "--subject", "users-value", v2]).stdout == "id 2 version 2\n")

            // encode: 0x00, the version's id (big-endian), the Avro datum (5 and -1 as zig-zag longs).
            let encoded = try await accord(
                server, ["encode", "--subject", "users-value", "--version", "1", "--framing", "confluent", "--lines"],
                stdin: "{\"id\":5}\n{\"id\":-1}\n")
            #expect(encoded.status == 0, "\(encoded.stderr)")
            #expect(encoded.stdout == "00000000010a\n000000000101\n")
            // The latest version by default, confluent framing by default with --registry.
            let latest = try await accord(
                server, ["encode", "--subject", "users-value", "--lines"], stdin: "{\"id\":5,\"email\":\"a@b\"}\n")
            #expect(latest.stdout == "00000000020a0206614062\n", "\(latest.stderr)")
            let bare = try await accord(
                server, ["encode", "--subject", "users-value", "--version", "1", "--framing", "none", "--lines"], stdin: "{\"id\":5}")
            #expect(bare.stdout == "0a\n")
            // A JSON message the schema refuses exits 1.
            let refused = try await accord(server, ["encode", "--subject", "users-value", "--lines"], stdin: "{\"id\":\"x\"}\n")
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("error: line 1: "))

            // decode: each frame's schema, from its id.
            let decoded = try await accord(server, ["decode", "--lines"], stdin: encoded.stdout + latest.stdout)
            #expect(decoded.status == 0, "\(decoded.stderr)")
            #expect(decoded.stdout == "{\"id\":5}\n{\"id\":-1}\n{\"id\":5,\"email\":\"a@b\"}\n")
            // Read into version 2's shape: the default fills the new field.
            let asV2 = try await accord(server, ["decode", "--lines", "--subject", "users-value", "--version", "2"], stdin: "00000000010a\n")
            #expect(asV2.status == 0, "\(asV2.stderr)")
            #expect(asV2.stdout == "{\"id\":5,\"email\":null}\n")
            // Unframed data with --registry is read with --subject's version.
            let unframed = try await accord(
                server, ["decode", "--lines", "--framing", "none", "--subject", "users-value", "--version", "1"], stdin: "0a\n")
            #expect(unframed.stdout == "{\"id\":5}\n", "\(unframed.stderr)")

            // GUID framing: 0x01 and the 16 bytes of the GUID the registry gives version 1.
            let described = try await accord(server, ["get", "users-value", "1", "--output", "json"])
            let guid = try #require(try JSONParser.parse(described.stdout).objectValue?["guid"]?.stringValue)
            let byGUID = try await accord(
                server, ["encode", "--subject", "users-value", "--version", "1", "--framing", "guid", "--lines"], stdin: "{\"id\":5}\n")
            #expect(byGUID.stdout == "01" + guid.replacingOccurrences(of: "-", with: "") + "0a\n", "\(byGUID.stderr)")
            let fromGUID = try await accord(server, ["decode", "--lines"], stdin: byGUID.stdout)
            #expect(fromGUID.stdout == "{\"id\":5}\n", "\(fromGUID.stderr)")
            let guidAsV2 = try await accord(server, ["decode", "--lines", "--subject", "users-value"], stdin: byGUID.stdout)
            #expect(guidAsV2.stdout == "{\"id\":5,\"email\":null}\n")

            // One binary message (not --lines) whose id the registry does not have: rejected, exit 1.
            let unknown = try await Build.run(
                ["decode", "--registry", server.base, "--input", try Self.write("", "empty", in: folder)])
            #expect(unknown.status == 1)
            let framedUnknown = try Self.write("", "unknown.bin", in: folder)
            try Data([0x00, 0x00, 0x00, 0x00, 0x63, 0x0A]).write(to: URL(fileURLWithPath: framedUnknown))
            let missing = try await accord(server, ["decode", "--input", framedUnknown])
            #expect(missing.status == 1)
            #expect(missing.stderr == "error: schema id 99 not found\n")
            let missingValidate = try await accord(server, ["validate", "--input", framedUnknown])
            #expect(missingValidate.status == 1)
            #expect(missingValidate.stderr == "invalid: schema id 99 not found\n")
        }
    }

    @Test func protobufMessagesCarryIndexesAndResolveReferences() async throws {
        let folder = try Build.temporaryFolder("cli-proto")
        defer { try? FileManager.default.removeItem(at: folder) }
        let money = try Self.write(Fixture.moneyProto, "e2e/common/money.proto", in: folder)
        let shop = try Self.write(
            """
            syntax = "proto3";
            package e2e;

            import "e2e/common/money.proto";

            message Order {
              int64 id = 1;
              string note = 2;
            }

            message Refund {
              string order = 1;
              e2e.common.Money amount = 2;
            }
            """, "shop.proto", in: folder)
        try await withServer { server in
            #expect(try await accord(server, ["register", "--subject", "money-value", money]).stdout == "id 1 version 1\n")
            let registered = try await accord(
                server, ["register", "--subject", "shop-value", "--reference", "e2e/common/money.proto=money-value:1", shop])
            #expect(registered.stdout == "id 2 version 1\n", "\(registered.stderr)")

            // The first message: indexes [0] as the single byte 0x00; the second: count 1, index 1 (zig-zag 02 02).
            let order = try await accord(server, ["encode", "--subject", "shop-value", "--lines"], stdin: "{\"id\":\"7\",\"note\":\"hi\"}\n")
            #expect(order.stdout == "0000000002" + "00" + "0807" + "12026869" + "\n", "\(order.stderr)")
            let refund = try await accord(
                server, ["encode", "--subject", "shop-value", "--message", "e2e.Refund", "--lines"],
                stdin: "{\"order\":\"A1\",\"amount\":{\"currency\":\"EUR\",\"units\":\"5\"}}\n")
            #expect(refund.stdout == "0000000002" + "0202" + "0a024131" + "1207" + "0a03455552" + "1005" + "\n", "\(refund.stderr)")

            // decode picks the message type by the indexes in each frame; the import is fetched from money-value.
            let decoded = try await accord(server, ["decode", "--lines"], stdin: order.stdout + refund.stdout)
            #expect(decoded.status == 0, "\(decoded.stderr)")
            #expect(
                decoded.stdout
                    == "{\"id\":\"7\",\"note\":\"hi\"}\n{\"order\":\"A1\",\"amount\":{\"currency\":\"EUR\",\"units\":\"5\"}}\n")
            let checked = try await accord(server, ["validate", "--lines"], stdin: order.stdout + refund.stdout)
            #expect(checked.status == 0, "\(checked.stderr)")
            #expect(checked.stdout == order.stdout + refund.stdout)
            #expect(checked.stderr == "2 messages: 2 valid, 0 invalid\n")
        }
    }

    @Test func validateLinesPassesValidLinesAndDeadLettersTheRest() async throws {
        let folder = try Build.temporaryFolder("cli-validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let v1 = try Self.write(Fixture.userV1, "user-v1.avsc", in: folder)
        let deadLetter = folder.appendingPathComponent("rejects.jsonl").path
        try await withServer { server in
            _ = try await accord(server, ["register", "--subject", "users-value", v1])
            // Valid; an id the registry does not have; a payload cut inside its varint; not hex; valid again.
            let input = try Self.write(
                "00000000010a\n00000000630a\n000000000181\nzz\n000000000101\n", "messages.hex", in: folder)
            let result = try await accord(server, ["validate", "--lines", "--input", input, "--dead-letter", deadLetter])
            #expect(result.status == 1)
            #expect(result.stdout == "00000000010a\n000000000101\n")
            #expect(
                result.stderr == """
                    line 2: schema id 99 not found
                    line 3: input ended in the middle of a varint (at '.id', byte 5)
                    line 4: line 4 is not valid hex
                    5 messages: 2 valid, 3 invalid

                    """)
            let entries = try String(contentsOfFile: deadLetter, encoding: .utf8).split(separator: "\n")
                .map { try #require(try JSONParser.parse(String($0)).objectValue) }
            #expect(entries.count == 3)
            #expect(entries.map { $0["line"]?.int } == [2, 3, 4])
            #expect(entries.map { $0["message"]?.stringValue } == ["00000000630a", "000000000181", "zz"])
            #expect(entries[0]["error"]?.stringValue == "schema id 99 not found")
            #expect(entries[0]["code"]?.stringValue == "schemaNotFound")
            #expect(entries[0]["schemaId"]?.int == 99)
            #expect(entries[1]["code"]?.stringValue == "truncatedData")
            #expect(entries[1]["offset"]?.int == 5)
            #expect(entries[1]["schemaId"]?.int == 1)
            #expect(entries[2]["error"]?.stringValue == "line 4 is not valid hex")
            #expect(entries[2]["schemaId"] == nil && entries[2]["guid"] == nil)

            // 200 messages naming one id: one schema fetch (the registry's own count), every line passed through.
            let before = try await Self.requests(server, route: "/schemas/ids/{id}")
            let stream = String(repeating: "00000000010a\n", count: 200)
            let many = try await accord(server, ["validate", "--lines"], stdin: stream)
            #expect(many.status == 0, "\(many.stderr)")
            #expect(many.stdout == stream)
            #expect(many.stderr == "200 messages: 200 valid, 0 invalid\n")
            #expect(try await Self.requests(server, route: "/schemas/ids/{id}") == before + 1)
        }
    }

    @Test func registryMessageCommandsRefuseWhatTheyCannotDo() async throws {
        let folder = try Build.temporaryFolder("cli-refuse")
        defer { try? FileManager.default.removeItem(at: folder) }
        let v1 = try Self.write(Fixture.userV1, "user-v1.avsc", in: folder)
        // An unreachable registry exits 2 before reading a message.
        for command in ["encode", "decode", "validate"] {
            let unreachable = try await Build.run(
                [command, "--registry", "http://127.0.0.1:1", "--subject", "users-value", "--lines"], stdin: "00000000010a\n")
            #expect(unreachable.status == 2, "\(command)")
            #expect(unreachable.stderr.contains("unreachable"), "\(command): \(unreachable.stderr)")
        }
        let framed = try await Build.run(["decode", "--registry", "http://127.0.0.1:1", "--lines"], stdin: "00000000010a\n")
        #expect(framed.status == 2)
        // --schema and --registry together, neither, or registry-only options with --schema: usage errors.
        let both = try await Build.run(["encode", "--schema", v1, "--registry", "http://127.0.0.1:1"], stdin: "{\"id\":1}")
        #expect(both.status == 2)
        #expect(both.stderr == "error: give either --schema or --registry, not both\n")
        #expect(try await Build.run(["validate", "--schema", v1, "--registry", "http://127.0.0.1:1"]).status == 2)
        #expect(try await Build.run(["decode", "--schema", v1, "--subject", "users-value"]).status == 2)
        #expect(try await Build.run(["encode", "--schema", v1, "--framing", "guid"], stdin: "{\"id\":1}").status == 2)
        let guid = try await Build.run(
            ["encode", "--schema", v1, "--framing", "guid", "--guid", "0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b", "--lines"],
            stdin: "{\"id\":5}")
        #expect(guid.stdout == "010190f5a23c4d7e8f9a0b1c2d3e4f5a6b0a\n")
        try await withServer { server in
            _ = try await accord(server, ["register", "--subject", "users-value", v1])
            #expect(try await accord(server, ["encode"], stdin: "{\"id\":1}").status == 2)
            #expect(try await accord(server, ["encode", "--subject", "nope"], stdin: "{\"id\":1}").status == 2)
            #expect(try await accord(server, ["encode", "--subject", "users-value", "--id", "3"], stdin: "{\"id\":1}").status == 2)
            #expect(try await accord(server, ["decode", "--writer-schema", v1], stdin: "").status == 2)
            #expect(try await accord(server, ["decode", "--framing", "none", "--lines"], stdin: "0a\n").status == 2)
        }
        let help = try await Build.run(["help", "encode"])
        #expect(help.stdout.contains("Exit codes: 0 every message encoded"))
    }
}
