import Foundation
import JSONSupport
import Testing

/// The `accord` commands that talk to a registry (issue 9), against the built `accord serve`: outputs and
/// exit codes as scripts and CI jobs read them.
@Suite struct RegistryCLITests {
    static func schema(_ relative: String) -> String {
        Build.packageRoot.appendingPathComponent("schemas").appendingPathComponent(relative).path
    }

    static let v1 = schema("orders-value/v1.avsc")
    static let v2 = schema("orders-value/v2.avsc")
    static let breaking = schema("changes/orders-value-breaking.avsc")

    func accord(_ server: RegistryClient, _ arguments: [String]) async throws -> Build.Result {
        let command = arguments[0]
        return try await Build.run([command, "--registry", server.base] + arguments.dropFirst())
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
}
