import Foundation
import JSONSupport
import Testing

/// `accord serve --auth-file`: basic and bearer credentials, per-subject grants, 401 and 403.
@Suite struct AuthTests {
    /// Writes an auth file made with `accord auth hash-password` and `accord auth token-digest`.
    static func makeAuthFile(in folder: URL) async throws -> String {
        func hash(_ password: String) async throws -> String {
            let result = try await Build.run(["auth", "hash-password", "--iterations", "100000"], stdin: password + "\n")
            guard result.status == 0 else { throw ServerError("hash-password: \(result.stderr)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func digest(_ token: String) async throws -> String {
            let result = try await Build.run(["auth", "token-digest"], stdin: token)
            guard result.status == 0 else { throw ServerError("token-digest: \(result.stderr)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func grants(_ pairs: [(String, String)]) -> JSONValue {
            .array(pairs.map { .object(JSONObject(["subjects": .string($0.0), "access": .string($0.1)])) })
        }
        let file: JSONValue = .object(
            JSONObject([
                "users": .array([
                    .object(JSONObject(["name": "admin", "password": .string(try await hash("admin-pw")), "grants": grants([("*", "admin")])])),
                    .object(
                        JSONObject([
                            "name": "writer", "password": .string(try await hash("writer-pw")),
                            "grants": grants([("orders-*", "write")]),
                        ])),
                    .object(
                        JSONObject([
                            "name": "ordersadmin", "password": .string(try await hash("oa-pw")),
                            "grants": grants([("orders-*", "admin")]),
                        ])),
                ]),
                "tokens": .array([
                    .object(
                        JSONObject([
                            "name": "reader", "sha256": .string(try await digest("reader-token")),
                            "grants": grants([("orders-*", "read")]),
                        ]))
                ]),
            ]))
        let path = folder.appendingPathComponent("auth.json").path
        try Data(file.serialized().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func credentialsAndGrants() async throws {
        let folder = try Build.temporaryFolder("auth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let authFile = try await Self.makeAuthFile(in: folder)
        try await withServer(extra: ["--auth-file", authFile]) { anonymous in
            // 401 without credentials or with wrong ones, always Confluent's error body.
            let none = try await anonymous.get("/subjects")
            #expect(none.status == 401)
            // Liveness, readiness and metrics stay open for probes and scrapers.
            #expect(try await anonymous.get("/health").status == 200)
            #expect(try await anonymous.get("/ready").status == 200)
            #expect(try await anonymous.get("/metrics").status == 200)
            #expect(none.errorCode == 401)
            #expect(none.isErrorBody)
            for client in [
                anonymous.with(basic: "admin", "wrong"), anonymous.with(basic: "nobody", "admin-pw"),
                anonymous.with(bearer: "wrong-token"), anonymous.with(authorization: "Digest abc"),
                anonymous.with(authorization: "Basic !!!not-base64"),
            ] {
                let reply = try await client.get("/subjects")
                #expect(reply.status == 401, "\(client.authorization ?? "")")
                #expect(reply.text == none.text)
            }
            #expect(try await anonymous.register("orders-value", Body.schema(Fixture.userV1)).status == 401)

            let admin = anonymous.with(basic: "admin", "admin-pw")
            let writer = anonymous.with(basic: "writer", "writer-pw")
            let ordersAdmin = anonymous.with(basic: "ordersadmin", "oa-pw")
            let reader = anonymous.with(bearer: "reader-token")

            // Admin does everything.
            let paymentsID = try await admin.registerID("payments-value", Fixture.record("Payment"))
            #expect(try await admin.put("/config", Body.object(["compatibility": "BACKWARD"])).status == 200)
            #expect(try await admin.put("/mode/payments-value", Body.object(["mode": "READWRITE"])).status == 200)

            // The writer registers in its subjects only; config and mode need admin.
            let ordersID = try await writer.registerID("orders-value", Fixture.userV1)
            let denied = try await writer.register("payments-value", Body.schema(Fixture.userV1))
            #expect(denied.status == 403)
            #expect(denied.errorCode == 403)
            #expect(denied.isErrorBody)
            #expect(try await writer.put("/config/orders-value", Body.object(["compatibility": "NONE"])).status == 403)
            #expect(try await writer.put("/config", Body.object(["compatibility": "NONE"])).status == 403)
            #expect(try await writer.put("/mode/orders-value", Body.object(["mode": "READONLY"])).status == 403)
            #expect(try await writer.get("/subjects/orders-value/versions").ints == [1])
            #expect(try await writer.delete("/subjects/payments-value").status == 403)

            // Admin on a pattern: config for its subjects, not the global one.
            #expect(try await ordersAdmin.put("/config/orders-value", Body.object(["compatibility": "FULL"])).status == 200)
            #expect(try await ordersAdmin.put("/config", Body.object(["compatibility": "NONE"])).status == 403)
            #expect(try await ordersAdmin.put("/mode", Body.object(["mode": "READONLY"])).status == 403)
            // The migration journal is the whole registry's: reading it takes read on every subject, writing it
            // admin on every subject.
            let journal = #"{"revision": 0, "journal": {"releases": []}}"#
            #expect(try await ordersAdmin.put("/accord/v1/migrations/journal", journal).status == 403)
            #expect(try await writer.get("/accord/v1/migrations/journal").status == 403)
            #expect(try await admin.put("/accord/v1/migrations/journal", journal).status == 200)
            #expect(try await admin.get("/accord/v1/migrations/journal").int("revision") == 1)

            // The reader reads its subjects; listings are filtered; writes are 403.
            #expect(try await reader.get("/subjects").strings == ["orders-value"])
            #expect(try await admin.get("/subjects").strings == ["orders-value", "payments-value"])
            #expect(try await reader.get("/subjects/orders-value/versions/1").int("id") == ordersID)
            #expect(try await reader.post("/subjects/orders-value", Body.schema(Fixture.userV1)).status == 200)
            #expect(try await reader.get("/schemas/ids/\(ordersID)").status == 200)
            #expect(try await reader.get("/schemas").objects?.map { $0["subject"]?.stringValue ?? "" } == ["orders-value"])
            let readerWrite = try await reader.register("orders-value", Body.schema(Fixture.userV2))
            #expect(readerWrite.status == 403)
            #expect(try await reader.delete("/subjects/orders-value/versions/1").status == 403)
            #expect(try await reader.post("/compatibility/subjects/orders-value/versions/latest", Body.schema(Fixture.userV2)).status == 200)

            // A denied subject and a missing one get the same 403 body: nothing leaks.
            let existing = try await reader.get("/subjects/payments-value/versions")
            let missing = try await reader.get("/subjects/payments-nothing/versions")
            #expect(existing.status == 403)
            #expect(missing.status == 403)
            #expect(existing.text == missing.text)
            let existingLookup = try await reader.post("/subjects/payments-value", Body.schema(Fixture.record("Payment")))
            let missingLookup = try await reader.post("/subjects/payments-none", Body.schema(Fixture.record("Payment")))
            #expect(existingLookup.status == 403)
            #expect(existingLookup.text == missingLookup.text)
            // By id: a hidden schema answers exactly as an unknown id does (40403, the id it was asked for).
            let hiddenID = try await reader.get("/schemas/ids/\(paymentsID)")
            let unknownID = try await reader.get("/schemas/ids/99999")
            #expect(hiddenID.status == 404)
            #expect(hiddenID.errorCode == 40403)
            #expect(unknownID.status == 404)
            #expect(hiddenID.text.replacingOccurrences(of: "\(paymentsID)", with: "N") == unknownID.text.replacingOccurrences(of: "99999", with: "N"))
            #expect(try await reader.get("/config/payments-value").status == 403)
        }
    }

    @Test func nonLoopbackWithoutAuthRefusesToStart() async throws {
        let refused = try await Build.run(["serve", "--listen", "0.0.0.0:0", "--storage", "memory:"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("auth"))
        #expect(!refused.stdout.contains("listening"))

        // With an auth file it starts (and demands credentials).
        let folder = try Build.temporaryFolder("auth-any")
        defer { try? FileManager.default.removeItem(at: folder) }
        let authFile = try await Self.makeAuthFile(in: folder)
        try await withServer(extra: ["--auth-file", authFile], listen: "0.0.0.0") { (client: RegistryClient) async throws in
            #expect(try await client.get("/subjects").status == 401)
            #expect(try await client.with(basic: "admin", "admin-pw").get("/subjects").status == 200)
        }
    }

    @Test func brokenAuthFilesRefuseToStart() async throws {
        let folder = try Build.temporaryFolder("auth-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("auth.json").path
        try Data(#"{"users":[{"name":"x","password":"plain"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        let result = try await Build.run(["serve", "--listen", "127.0.0.1:0", "--storage", "memory:", "--auth-file", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("password"))
    }
}
