import Foundation
import JSONSupport
import Testing

/// Two `accord serve` processes on one PostgreSQL database (the private server `make test` starts, named by
/// ACCORD_TEST_POSTGRES_URL), taking writes at the same time.
@Suite(.serialized) struct TwoNodePostgresTests {
    /// A fresh database on the test server, dropped afterwards.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let environment = ProcessInfo.processInfo.environment
        let base = try #require(
            environment["ACCORD_TEST_POSTGRES_URL"],
            "ACCORD_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts a private PostgreSQL")
        let name = "accord_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let psql = try #require(
            ["/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "psql is not installed (Debian postgresql-client)")
        let created = try await Build.run([base, "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"], tool: psql)
        try #require(created.status == 0, "CREATE DATABASE failed: \(created.stderr)")
        guard let at = base.range(of: "@"),
            let slash = base.range(of: "/", options: .backwards, range: at.upperBound..<base.endIndex)
        else {
            throw ServerError("cannot find the database in \(base)")
        }
        let rest = base[slash.upperBound...]
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        let url = String(base[..<slash.upperBound]) + name + query
        do {
            try await body(url)
        } catch {
            _ = try? await Build.run([base, "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], tool: psql)
            throw error
        }
        _ = try? await Build.run([base, "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], tool: psql)
    }

    static func schema(_ subject: Int, _ field: Int) -> String {
        // Every subject's versions add optional fields, so each registration is BACKWARD compatible.
        let fields = (0...field).map { #"{"name":"f\#($0)","type":["null","string"],"default":null}"# }
        return #"{"type":"record","name":"R\#(subject)","namespace":"two","fields":[\#(fields.joined(separator: ","))]}"#
    }

    @Test func concurrentRegistrationsOnTwoNodesNeverShareIdsOrVersions() async throws {
        try await Self.withDatabase { url in
            let a = try await AccordServer.start(storage: .url(url))
            let b = try await AccordServer.start(storage: .url(url))
            defer {
                a.removeFolder()
                b.removeFolder()
            }
            // 4 subjects × 10 versions, sent through both nodes at once; each schema is also registered under a
            // shared subject by the other node, so identical content races for one id.
            let replies = try await withThrowingTaskGroup(of: (String, Int, Int, Int).self) { group in
                for subject in 0..<4 {
                    for field in 0..<10 {
                        let node = (subject + field) % 2 == 0 ? a.client : b.client
                        group.addTask {
                            let reply = try await node.register("s\(subject)", Body.schema(Self.schema(subject, field)))
                            return (
                                "s\(subject)", field, reply.status == 200 ? reply.int("id") ?? -1 : -reply.status,
                                reply.int("version") ?? -1
                            )
                        }
                        let other = node.base == a.client.base ? b.client : a.client
                        group.addTask {
                            let reply = try await other.register("copy\(subject)-\(field)", Body.schema(Self.schema(subject, field)))
                            return ("copy\(subject)-\(field)", field, reply.status == 200 ? reply.int("id") ?? -1 : -reply.status, 1)
                        }
                    }
                }
                var all: [(String, Int, Int, Int)] = []
                for try await reply in group { all.append(reply) }
                return all
            }
            // No client saw an error: 409 would mean a version was checked against a state it did not land on,
            // 5xx a conflict leaking out.
            #expect(replies.allSatisfy { $0.2 > 0 }, "\(replies.filter { $0.2 <= 0 })")
            // One id per distinct content, shared by its copy; distinct contents never share an id.
            var idByContent: [String: Int] = [:]
            for (subject, field, id, _) in replies {
                let key = "\(subject.hasPrefix("copy") ? String(subject.dropFirst(4).prefix { $0 != "-" }) : String(subject.dropFirst()))/\(field)"
                if let known = idByContent[key] { #expect(known == id, "content \(key) got ids \(known) and \(id)") }
                idByContent[key] = id
            }
            #expect(Set(idByContent.values).count == 40)
            // Versions 1...10 in every subject, whatever order the registrations landed in, seen alike by both nodes.
            for subject in 0..<4 {
                for node in [a.client, b.client] {
                    let versions = try await node.get("/subjects/s\(subject)/versions")
                    #expect(versions.ints == Array(1...10))
                }
            }
            // The other node's cache follows a permanent delete (LISTEN/NOTIFY).
            let id = try #require(idByContent["0/0"])
            #expect(try await b.client.get("/schemas/ids/\(id)").status == 200)
            #expect(try await a.client.delete("/subjects/copy0-0").status == 200)
            #expect(try await a.client.delete("/subjects/copy0-0?permanent=true").status == 200)
            #expect(try await a.client.get("/subjects/s0/versions").ints == Array(1...10))
            // Still used by s0 version 1: readable on both.
            #expect(try await b.client.get("/schemas/ids/\(id)").status == 200)
            let sole = try #require(idByContent["3/9"])
            #expect(try await b.client.get("/schemas/ids/\(sole)").status == 200)
            #expect(try await a.client.delete("/subjects/copy3-9").status == 200)
            #expect(try await a.client.delete("/subjects/copy3-9?permanent=true").status == 200)
            // Registrations landed in any order: find which version of s3 holds that content.
            let uses = try await a.client.get("/schemas/ids/\(sole)/versions").objects ?? []
            #expect(uses.count == 1)
            let version = try #require(uses.first?["version"]?.int)
            #expect(try await a.client.delete("/subjects/s3/versions/\(version)").status == 200)
            #expect(try await a.client.delete("/subjects/s3/versions/\(version)?permanent=true").status == 200)
            var status = 0
            for _ in 0..<200 {
                status = try await b.client.get("/schemas/ids/\(sole)").status
                if status == 404 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(status == 404)
            #expect(await a.stop() == 0)
            #expect(await b.stop() == 0)
        }
    }
}
