import Foundation
import JSONSupport
import Testing

/// `accord migrate plan --registry` against `accord serve`, on the project's `schemas/` example directory.
@Suite struct MigratePlanRegistryTests {
    static let schemas = Build.packageRoot.appendingPathComponent("schemas").path

    func accord(_ server: RegistryClient, _ arguments: [String]) async throws -> Build.Result {
        try await Build.run(arguments + ["--registry", server.base])
    }

    func changes(_ result: Build.Result) throws -> [JSONObject] {
        try JSONParser.parse(result.stdout).objectValue?["changes"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    func summary(_ change: JSONObject) -> String {
        let version = change["version"].map { $0.isNull ? "" : " v\($0.serialized())" } ?? ""
        let value = change["value"]?.stringValue.map { " \($0)" } ?? ""
        return "\(change["subject"]?.stringValue ?? "") \(change["action"]?.stringValue ?? "")\(version)\(value)"
    }

    @Test func aFreshRegistryGetsEveryVersionInDependencyOrder() async throws {
        try await withServer { server in
            let result = try await accord(server, ["migrate", "plan", "--dir", Self.schemas, "--output", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let planned = try changes(result).map(summary)
            #expect(planned.count == 16)
            #expect(planned.filter { $0.contains(" register ") }.count == 14)
            // Referenced subjects come before the subjects that use them.
            let address = try #require(planned.firstIndex(of: "address register v1"))
            let customers = try #require(planned.firstIndex(of: "customers-value register v1"))
            #expect(address < customers)
            let money = try #require(planned.firstIndex(of: "money register v1"))
            #expect(money < (try #require(planned.firstIndex(of: "payments-value register v3"))))
            #expect(planned.contains("customers-value config BACKWARD") && planned.contains("payments-value config BACKWARD"))
            #expect(planned.filter { $0.hasPrefix("orders-value") } == ["orders-value register v1", "orders-value register v2", "orders-value register v3"])
            #expect(try changes(result).allSatisfy { $0["compatible"]?.boolValue == true })
        }
    }

    @Test func registeredVersionsAreSkippedAndNewOnesJudgedAgainstTheRegistry() async throws {
        try await withServer { server in
            let orders = Self.schemas + "/orders-value"
            #expect(try await accord(server, ["register", "--subject", "orders-value", orders + "/v1.avsc"]).status == 0)
            #expect(try await accord(server, ["register", "--subject", "orders-value", orders + "/v2.avsc"]).status == 0)
            let result = try await accord(server, ["migrate", "plan", "--dir", Self.schemas, "--output", "json"])
            #expect(result.status == 0)
            #expect(try changes(result).map(summary).filter { $0.hasPrefix("orders-value") } == ["orders-value register v3"])

            // A version registered outside the directory: the directory's v3 comes after it, checked against it.
            let folder = try Build.temporaryFolder("migrate-plan")
            defer { try? FileManager.default.removeItem(at: folder) }
            let other = folder.appendingPathComponent("other.avsc").path
            try #"{"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]}"#
                .write(toFile: other, atomically: true, encoding: .utf8)
            #expect(try await accord(server, ["config", "orders-value", "--set", "NONE"]).status == 0)
            #expect(try await accord(server, ["register", "--subject", "orders-value", other]).status == 0)
            let drifted = try await accord(server, ["migrate", "plan", "--dir", Self.schemas, "--output", "json"])
            #expect(drifted.status == 1)
            let v3 = try #require(try changes(drifted).first { summary($0).hasPrefix("orders-value register") })
            #expect(summary(v3) == "orders-value register v4")
            #expect(v3["compatible"]?.boolValue == false)
            let against = v3["incompatibilities"]?.arrayValue?.compactMap { $0.objectValue?["version"]?.serialized() } ?? []
            #expect(!against.isEmpty && against.allSatisfy { $0 == "3" })
            let text = try await accord(server, ["migrate", "plan", "--dir", Self.schemas])
            #expect(text.status == 1)
            #expect(text.stdout.contains("✗ register orders-value version 4"))
        }
    }

    @Test func anUnreachableRegistryOrNoTargetExitsTwo() async throws {
        let unreachable = try await Build.run(["migrate", "plan", "--dir", Self.schemas, "--registry", "http://127.0.0.1:1"])
        #expect(unreachable.status == 2)
        let nowhere = try await Build.run(["migrate", "plan", "--dir", Self.schemas])
        #expect(nowhere.status == 2)
    }
}
