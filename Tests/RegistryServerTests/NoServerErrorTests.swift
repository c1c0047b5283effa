import Foundation
import JSONSupport
import Testing

/// Bad input on every write route and odd path values on the read routes: a Confluent error body with a
/// 4xx status every time, never a 500, and the server keeps answering.
@Suite struct NoServerErrorTests {
    static let bodies: [String] = [
        "", "{", "[]", "null", "true", "\"schema\"", "{}", #"{"schema":null}"#, #"{"schema":""}"#, #"{"schema":"\u0000"}"#,
        #"{"schema":"{\"type\":\"record\"}"}"#, #"{"schema":"[]"}"#, #"{"schema":"\"nope\""}"#,
        #"{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\"; message {"}"#,
        #"{"schemaType":"PROTOBUF","schema":"////"}"#, #"{"schemaType":"protobuf","schema":"syntax = \"proto3\";"}"#,
        #"{"schema":"\"int\"","id":1e400}"#, #"{"schema":"\"int\"","version":-99999999999}"#,
        #"{"schema":"\"int\"","references":[{"name":"x","subject":"y","version":-1}]}"#,
        #"{"schema":"\"int\"","references":[{"name":"","subject":"","version":0}]}"#,
        #"{"schema":"\"int\"","metadata":[]}"#, #"{"schema":"\"int\"","ruleSet":"x"}"#,
        #"{"compatibility":null}"#, #"{"compatibility":"BACKWARD","normalize":"yes"}"#, #"{"mode":null}"#,
        #"{"mode":"READONLY_OVERRIDE"}"#, String(repeating: "{\"a\":", count: 200),
    ]

    static let writeRoutes: [(HTTPMethodName, String)] = [
        (.post, "/subjects/s/versions"), (.post, "/subjects/s"), (.post, "/compatibility/subjects/s/versions"),
        (.post, "/compatibility/subjects/s/versions/latest"), (.put, "/config"), (.put, "/config/s"),
        (.put, "/mode/s"), (.post, "/subjects/s/versions?normalize=true&force=true"),
    ]

    enum HTTPMethodName { case post, put }

    @Test func badBodiesAreNeverServerErrors() async throws {
        try await withServer { client in
            try await client.registerID("s", Fixture.userV1)
            for (method, path) in Self.writeRoutes {
                for body in Self.bodies {
                    let reply = method == .post ? try await client.post(path, body) : try await client.put(path, body)
                    #expect(reply.status < 500, "\(method) \(path) \(body): \(reply)")
                    if reply.status >= 400 {
                        #expect(reply.isErrorBody, "\(method) \(path) \(body): \(reply)")
                        #expect(reply.errorCode.map { $0 == reply.status || $0 / 100 == reply.status } == true)
                        #expect(reply.contentType == "application/vnd.schemaregistry.v1+json")
                    }
                }
            }
            #expect(try await client.get("/subjects/s/versions").ints?.isEmpty == false)
        }
    }

    @Test func oddPathValuesAreNeverServerErrors() async throws {
        try await withServer { client in
            try await client.registerID("s", Fixture.userV1)
            let paths = [
                "/subjects/s/versions/99999999999999999999", "/subjects/s/versions/%00", "/subjects/s/versions/%20",
                "/subjects/s/versions/-0", "/subjects/s/versions/+1", "/subjects/s/versions/01",
                "/schemas/ids/99999999999999999999", "/schemas/ids/%FF", "/schemas/ids/1.0", "/schemas/guids/%00",
                "/subjects/%00/versions", "/subjects/%E2%82/versions", "/config/%00", "/mode/%00",
                "/subjects?offset=99999999999999999999&limit=99999999999999999999", "/schemas?limit=-99999",
                "/subjects/s/versions/1/referencedby?offset=-1&limit=abc", "/schemas/ids/1/versions?offset=9999",
                "/subjects/" + String(repeating: "x", count: 9000) + "/versions",
            ]
            for path in paths {
                let reply = try await client.get(path)
                #expect(reply.status < 500, "\(path): \(reply)")
                #expect(reply.json != nil, "\(path): \(reply)")
            }
            for path in ["/subjects/%00", "/subjects/s/versions/%00", "/config/%00", "/mode/%00"] {
                let reply = try await client.delete(path)
                #expect(reply.status < 500, "DELETE \(path): \(reply)")
            }
            #expect(try await client.get("/subjects/s/versions").ints == [1])
        }
    }
}
