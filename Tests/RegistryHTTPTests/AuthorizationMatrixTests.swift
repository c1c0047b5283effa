import HTTPTypes
import JSONSupport
import RegistryCore
import Testing

/// The security review's authorization matrix: a principal with read on `orders-*` reads there and nowhere else,
/// writes nowhere, and changes no global or context setting, through every route and every spelling of a path
/// (`/contexts/./…`, `/contexts/.ctx/…`, `:.:` and `:.ctx:` subjects, percent-encoding); a subject it may not
/// see answers exactly as a missing one.
@Suite struct AuthorizationMatrixTests {
    static let auth = [
        (name: "admin", token: "admin-token", grants: [("*", "admin")]),
        (name: "reader", token: "reader-token", grants: [("orders-*", "read")]),
    ]
    static let admin = [("Authorization", "Bearer admin-token")]
    static let reader = [("Authorization", "Bearer reader-token")]
    static let schema = avroBody(#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#)

    /// The spellings of one subject path: plain, through the default context, and percent-encoded.
    static func spellings(_ subject: String, _ rest: String) -> [String] {
        let encoded = subject.utf8.map { byte in
            (byte >= 0x61 && byte <= 0x7A) ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
        }.joined()
        return [
            "/subjects/\(subject)\(rest)", "/contexts/./subjects/\(subject)\(rest)", "/contexts/:.:/subjects/\(subject)\(rest)",
            "/subjects/:.:\(subject)\(rest)", "/subjects/\(encoded)\(rest)",
        ]
    }

    @Test func aReaderOfOneGlobReadsThereAndNowhereElse() async throws {
        try await InProcessRegistry(auth: try authFile(Self.auth)).run { client async throws in
            for subject in ["orders-value", "payments-value", ":.eu:orders-value"] {
                #expect(try await client.post("/subjects/\(subject)/versions", Self.schema, headers: Self.admin).status == 200)
            }
            // Reads of its own subjects work in every spelling.
            for path in Self.spellings("orders-value", "/versions") {
                #expect(try await client.get(path, headers: Self.reader).body == "[1]", "\(path)")
            }
            // Another subject, existing or not, answers 403 with one body in every spelling.
            var answers = Set<String>()
            for subject in ["payments-value", "payments-missing"] {
                for path in Self.spellings(subject, "/versions") + Self.spellings(subject, "/versions/1") {
                    let reply = try await client.get(path, headers: Self.reader)
                    #expect(reply.status == 403, "\(path)")
                    answers.insert(reply.body)
                }
            }
            #expect(answers == [#"{"error_code":403,"message":"Forbidden"}"#])
            // A named context's subject is another subject: `orders-*` does not reach `:.eu:orders-value`.
            for path in ["/subjects/:.eu:orders-value/versions", "/contexts/.eu/subjects/orders-value/versions"] {
                #expect(try await client.get(path, headers: Self.reader).status == 403, "\(path)")
            }
            #expect(try await client.get("/contexts/.eu/subjects", headers: Self.reader).strings == [])
            // Nor does the fallback that looks for an unqualified name in named contexts.
            #expect(try await client.post("/subjects/:.eu:orders-only-eu/versions", Self.schema, headers: Self.admin).status == 200)
            #expect(try await client.get("/subjects/orders-only-eu/versions/1", headers: Self.admin).status == 200)
            #expect(try await client.get("/subjects/orders-only-eu/versions/1", headers: Self.reader).errorCode == 40401)
            #expect(try await client.post("/subjects/orders-only-eu", Self.schema, headers: Self.reader).errorCode == 40401)
            #expect(try await client.get("/subjects", headers: Self.reader).strings == ["orders-value"])
            #expect(try await client.get("/subjects?subjectPrefix=:*:", headers: Self.reader).strings == ["orders-value"])
            // Ids of hidden subjects look unknown, in every context.
            #expect(try await client.get("/schemas/ids/1", headers: Self.reader).status == 200)
            #expect(try await client.get("/contexts/.eu/schemas/ids/1", headers: Self.reader).errorCode == 40403)
            #expect(try await client.get("/schemas/ids/1?subject=:.eu:orders-value", headers: Self.reader).errorCode == 40403)
        }
    }

    @Test func aReaderWritesNothingAndChangesNoSetting() async throws {
        try await InProcessRegistry(auth: try authFile(Self.auth)).run { client async throws in
            #expect(try await client.post("/subjects/orders-value/versions", Self.schema, headers: Self.admin).status == 200)
            #expect(try await client.post("/subjects/:.eu:x/versions", Self.schema, headers: Self.admin).status == 200)
            var writes: [(HTTPRequest.Method, String, String?)] = []
            for subject in ["orders-value", "payments-value"] {
                for path in Self.spellings(subject, "/versions") { writes.append((.post, path, Self.schema)) }
                for path in Self.spellings(subject, "") { writes.append((.delete, path, nil)) }
                for path in Self.spellings(subject, "/versions/1") { writes.append((.delete, path, nil)) }
                writes.append((.put, "/config/\(subject)", #"{"compatibility":"NONE"}"#))
                writes.append((.delete, "/config/\(subject)", nil))
                writes.append((.put, "/mode/\(subject)", #"{"mode":"READONLY"}"#))
                writes.append((.put, "/contexts/./config/\(subject)", #"{"compatibility":"NONE"}"#))
            }
            writes += [
                (.put, "/config", #"{"compatibility":"NONE"}"#), (.delete, "/config", nil),
                (.put, "/mode", #"{"mode":"READONLY"}"#), (.delete, "/mode", nil),
                (.put, "/contexts/./config", #"{"compatibility":"NONE"}"#),
                (.put, "/contexts/.eu/config", #"{"compatibility":"NONE"}"#),
                (.put, "/contexts/.eu/mode", #"{"mode":"READONLY"}"#),
                (.put, "/config/:.eu:", #"{"compatibility":"NONE"}"#),
                (.delete, "/contexts/.eu", nil), (.delete, "/contexts/.other", nil),
                (.put, "/accord/v1/migrations/journal", #"{"revision":0,"journal":{"releases":[]}}"#),
            ]
            for (method, path, body) in writes {
                let reply = try await client.call(method, path, body: body, headers: Self.reader)
                #expect(reply.status == 403, "\(method) \(path)")
            }
            // Nothing changed.
            #expect(try await client.get("/subjects/orders-value/versions", headers: Self.admin).body == "[1]")
            #expect(try await client.get("/config", headers: Self.admin).json?.objectValue?["compatibilityLevel"]?.stringValue == "BACKWARD")
            #expect(try await client.get("/mode", headers: Self.admin).json?.objectValue?["mode"]?.stringValue == "READWRITE")
            #expect(try await client.get("/contexts", headers: Self.admin).strings == [".", ".eu"])
        }
    }
}
