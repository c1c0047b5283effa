import JSONSupport
import Testing

/// /schemas, /schemas/ids/{id}/…, /schemas/guids/{guid}, /schemas/types.
@Suite struct SchemasTests {
    @Test func schemasListing() async throws {
        try await withServer { client in
            let a1 = try await client.registerID("a-value", Fixture.userV1)
            let a2 = try await client.registerID("a-value", Fixture.userV2)
            let b1 = try await client.registerID("b-value", Fixture.record("B"))
            try await client.registerID("c-key", Fixture.record("C"))
            #expect(try await client.delete("/subjects/c-key").status == 200)

            let all = try await client.get("/schemas")
            #expect(all.status == 200)
            let items = try #require(all.objects)
            #expect(items.map { $0["subject"]?.stringValue ?? "" } == ["a-value", "a-value", "b-value"])
            #expect(items.map { $0["id"]?.int ?? 0 } == [a1, a2, b1])
            #expect(items.map { $0["version"]?.int ?? 0 } == [1, 2, 1])
            #expect(items[0]["schema"]?.stringValue == Fixture.userV1)

            let latest = try #require(try await client.get("/schemas?latestOnly=true").objects)
            #expect(latest.map { $0["id"]?.int ?? 0 } == [a2, b1])
            let prefixed = try #require(try await client.get("/schemas?subjectPrefix=b").objects)
            #expect(prefixed.map { $0["subject"]?.stringValue ?? "" } == ["b-value"])
            let withDeleted = try #require(try await client.get("/schemas?deleted=true").objects)
            #expect(withDeleted.map { $0["subject"]?.stringValue ?? "" } == ["a-value", "a-value", "b-value", "c-key"])
            let page = try #require(try await client.get("/schemas?offset=1&limit=1").objects)
            #expect(page.map { $0["id"]?.int ?? 0 } == [a2])
            #expect(try await client.get("/schemas?limit=-1").objects?.count == 3)
            #expect(try await client.get("/schemas?latestOnly=True&subjectPrefix=a").objects?.count == 1)
        }
    }

    @Test func schemaByID() async throws {
        try await withServer { client in
            let id = try await client.registerID("x", Fixture.userV1)
            try await client.registerID("y", Fixture.userV1)
            let later = try await client.registerID("z", Fixture.record("Z"))

            let reply = try await client.get("/schemas/ids/\(id)")
            #expect(reply.status == 200)
            #expect(reply.string("schema") == Fixture.userV1)
            #expect(reply.string("guid") != nil)
            #expect(reply.object?["schemaType"] == nil)
            #expect(reply.object?["maxId"] == nil)
            #expect(try await client.get("/schemas/ids/\(id)?fetchMaxId=true").int("maxId") == later)
            #expect(try await client.get("/schemas/ids/\(id)?subject=x").string("schema") == Fixture.userV1)

            let raw = try await client.get("/schemas/ids/\(id)/schema")
            #expect(raw.status == 200)
            #expect(raw.text == Fixture.userV1)

            #expect(try await client.get("/schemas/ids/\(id)/subjects").strings == ["x", "y"])
            #expect(try await client.get("/schemas/ids/\(id)/subjects?subject=y").strings == ["y"])
            #expect(try await client.get("/schemas/ids/\(id)/subjects?limit=1").strings == ["x"])
            #expect(try await client.get("/schemas/ids/\(id)/subjects?offset=1").strings == ["y"])
            let versions = try #require(try await client.get("/schemas/ids/\(id)/versions").objects)
            #expect(versions.map { $0["subject"]?.stringValue ?? "" } == ["x", "y"])
            #expect(versions.map { $0["version"]?.int ?? 0 } == [1, 1])
            #expect(Set(versions[0].keys) == ["subject", "version"])

            // Soft-deleted uses show with deleted=true only.
            #expect(try await client.delete("/subjects/y").status == 200)
            #expect(try await client.get("/schemas/ids/\(id)/subjects").strings == ["x"])
            #expect(try await client.get("/schemas/ids/\(id)/subjects?deleted=true").strings == ["x", "y"])
            #expect(try await client.get("/schemas/ids/\(id)/versions?deleted=true").objects?.count == 2)

            for path in ["/schemas/ids/9999", "/schemas/ids/9999/schema", "/schemas/ids/9999/subjects",
                "/schemas/ids/9999/versions", "/schemas/ids/-1", "/schemas/ids/abc"]
            {
                let missing = try await client.get(path)
                #expect(missing.status == 404, "\(path): \(missing)")
                #expect(missing.errorCode == 40403, "\(path)")
                #expect(missing.isErrorBody)
            }
        }
    }

    @Test func schemaTypesAndGUIDs() async throws {
        try await withServer { client in
            let types = try await client.get("/schemas/types")
            #expect(types.status == 200)
            #expect(Set(types.strings ?? []) == ["AVRO", "PROTOBUF", "JSON"])

            let reply = try await client.register("g", Body.schema(Fixture.orderProto, type: "PROTOBUF"))
            let guid = try #require(reply.string("guid"))
            let byGUID = try await client.get("/schemas/guids/\(guid)")
            #expect(byGUID.status == 200)
            #expect(byGUID.string("schemaType") == "PROTOBUF")
            #expect(byGUID.string("guid") == guid)
            let serialized = try await client.get("/schemas/guids/\(guid)?format=serialized")
            #expect(serialized.string("schema") != byGUID.string("schema"))
            let missing = try await client.get("/schemas/guids/not-a-guid")
            #expect(missing.status == 404)
            #expect(missing.errorCode == 40403)
        }
    }
}
