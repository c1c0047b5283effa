import Foundation
import JSONSupport
import Testing

/// The service routes, content types and bad input: always a Confluent error body, never a 500.
@Suite struct ProtocolTests {
    @Test func serviceRoutes() async throws {
        try await withServer { client in
            let root = try await client.get("/")
            #expect(root.status == 200)
            #expect(root.text == "{}")
            let postRoot = try await client.post("/", "{}")
            #expect(postRoot.status == 200)
            #expect(postRoot.text == "{}")
            #expect(try await client.get("/health").status == 200)
            let ready = try await client.get("/ready")
            #expect(ready.status == 200)
            #expect(try await client.get("/contexts").strings == ["."])

            // Context-prefixed URLs in the default context behave as the plain ones.
            try await client.registerID("ctx", Fixture.userV1)
            #expect(try await client.get("/contexts/./subjects").strings == ["ctx"])

            _ = try await client.get("/subjects/nope/versions")
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("accord_http_requests_total"))
            #expect(metrics.text.contains("404"))
        }
    }

    @Test func contentTypes() async throws {
        try await withServer { client in
            for type in [
                "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json",
                "application/octet-stream", "application/json; charset=utf-8",
            ] {
                let reply = try await client.post(
                    "/subjects/ct/versions", Body.schema(Fixture.userV1), contentType: type)
                #expect(reply.status == 200, "\(type): \(reply)")
            }
            let noType = try await client.post("/subjects/ct/versions", Body.schema(Fixture.userV1), contentType: nil)
            #expect(noType.status == 200)

            let wrong = try await client.post("/subjects/ct/versions", Body.schema(Fixture.userV1), contentType: "text/plain")
            #expect(wrong.status == 415)
            #expect(wrong.errorCode == 415)
            #expect(wrong.isErrorBody)
            let xml = try await client.put("/config", Body.object(["compatibility": "NONE"]), contentType: "application/xml")
            #expect(xml.status == 415)
            #expect(xml.errorCode == 415)
        }
    }

    @Test func malformedBodies() async throws {
        try await withServer { client in
            let cases: [(String, Int)] = [
                ("{", 400), ("{\"schema\": }", 400), ("", 400), ("nul", 400), ("{\"schema\":\"x\"} trailing", 400),
                ("[1,2]", 422), ("\"text\"", 422), ("42", 422), ("null", 422),
                ("{\"schema\": 5}", 422), ("{\"schema\": \"\(Fixture.record("A").replacingOccurrences(of: "\"", with: "\\\""))\", \"references\": 3}", 422),
                ("{\"schema\": \"x\", \"references\": [{\"name\": 1}]}", 422),
                ("{\"schema\": \"x\", \"schemaType\": []}", 422),
            ]
            for (body, status) in cases {
                let reply = try await client.post("/subjects/bad/versions", body)
                #expect(reply.status == status, "\(body): \(reply)")
                #expect(reply.errorCode == status, "\(body)")
                #expect(reply.isErrorBody, "\(body)")
            }
            for (path, method) in [("/subjects/bad", "POST"), ("/compatibility/subjects/bad/versions", "POST"), ("/config", "PUT"), ("/mode", "PUT")] {
                let reply = method == "POST" ? try await client.post(path, "{oops") : try await client.put(path, "{oops")
                #expect(reply.status == 400, "\(method) \(path)")
                #expect(reply.errorCode == 400)
                let array = method == "POST" ? try await client.post(path, "[]") : try await client.put(path, "[]")
                #expect(array.status == 422, "\(method) \(path)")
                #expect(array.errorCode == 422)
            }
            // A deeply nested body is refused, not a crash.
            let deep = String(repeating: "[", count: 100_000)
            let reply = try await client.post("/subjects/bad/versions", deep)
            #expect(reply.status == 400)
            #expect(try await client.get("/health").status == 200)
        }
    }

    @Test func unknownRoutesAndMethods() async throws {
        try await withServer { client in
            for path in ["/nope", "/subjects/a/b/c/d/e/f", "/schemas/ids", "/associations", "/schemas/guids/x/y/z"]
            {
                let reply = try await client.get(path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.errorCode == 404, "\(path)")
                #expect(reply.isErrorBody, "\(path)")
            }
            let association = try await client.post("/associations", "{}")
            #expect(association.status == 404)
            #expect(association.isErrorBody)

            for (method, path) in [("DELETE", "/schemas"), ("PUT", "/subjects"), ("POST", "/schemas/types"), ("DELETE", "/contexts"),
                ("PUT", "/subjects/x/versions/1"), ("GET", "/compatibility/subjects/x/versions")]
            {
                let reply: Reply
                switch method {
                case "DELETE": reply = try await client.delete(path)
                case "PUT": reply = try await client.put(path, "{}")
                case "POST": reply = try await client.post(path, "{}")
                default: reply = try await client.get(path)
                }
                #expect(reply.status == 405, "\(method) \(path): \(reply)")
                #expect(reply.errorCode == 405, "\(method) \(path)")
                #expect(reply.isErrorBody)
            }
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await withServer(extra: ["--body-limit", "1000"]) { client in
            let small = try await client.register("small", Body.schema(Fixture.userV1))
            #expect(small.status == 200)
            let doc = String(repeating: "x", count: 2000)
            let big = Body.schema(
                #"{"type":"record","name":"Big","doc":"\#(doc)","fields":[{"name":"f","type":"string"}]}"#)
            let reply = try await client.register("big", big)
            #expect(reply.status == 413)
            #expect(reply.errorCode == 413)
            #expect(reply.isErrorBody)
            #expect(try await client.get("/subjects").strings == ["small"])
        }
    }

    @Test func queryParameterQuirks() async throws {
        try await withServer { client in
            try await client.registerID("q", Fixture.userV1)
            #expect(try await client.delete("/subjects/q/versions/1").status == 200)
            // Capitalised booleans, and anything but true is false.
            #expect(try await client.get("/subjects?deleted=True").strings == ["q"])
            #expect(try await client.get("/subjects?deleted=TRUE").strings == ["q"])
            #expect(try await client.get("/subjects?deleted=False").strings == [])
            #expect(try await client.get("/subjects?deleted=yes").strings == [])
            #expect(try await client.get("/subjects?deleted").strings == [])
            // Non-numeric paging is ignored rather than a 500.
            let weird = try await client.get("/subjects?offset=abc&limit=xyz&deleted=true")
            #expect(weird.status == 200)
            #expect(weird.strings == ["q"])
            #expect(try await client.get("/subjects?limit=-1&deleted=true").strings == ["q"])
            #expect(try await client.get("/subjects?offset=-5&deleted=true").strings == ["q"])
            // Unknown parameters are ignored.
            #expect(try await client.get("/subjects?deleted=true&unknown=1").strings == ["q"])
            // An unknown format answers the stored text.
            #expect(try await client.get("/subjects/q/versions/1?deleted=true&format=bad-format").string("schema") == Fixture.userV1)
        }
    }

    @Test func invalidSubjectNames() async throws {
        try await withServer { client in
            let control = try await client.register("a%01b", Body.schema(Fixture.userV1))
            #expect(control.status == 422)
            #expect(control.errorCode == 42208)
            #expect(try await client.get("/subjects").strings == [])
        }
    }
}
