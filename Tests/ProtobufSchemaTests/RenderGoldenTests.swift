import ProtobufSchema
import SwiftProtobuf
import Testing

/// ProtoRenderer against golden texts. Each golden file was checked by the fixture script to
/// re-compile with protoc to exactly the corpus file's descriptor (see Fixtures/render/tools).
@Suite struct RenderGoldenTests {
    @Test(arguments: RenderFixtures.corpus)
    func rendersGolden(name: String) throws {
        let (file, dependencies) = try RenderFixtures.corpusFile(name)
        let text = ProtoRenderer.render(file, dependencies: dependencies)
        if RenderFixtures.writeGolden { try RenderFixtures.writeGolden(name, text) }
        #expect(text == (try RenderFixtures.golden(name)))
    }

    @Test(arguments: RenderFixtures.corpus)
    func renderingIsStableAcrossDependencyOrder(name: String) throws {
        let (file, dependencies) = try RenderFixtures.corpusFile(name)
        #expect(
            ProtoRenderer.render(file, dependencies: dependencies.reversed())
                == ProtoRenderer.render(file, dependencies: dependencies)
        )
    }

    @Test func canonicalTextOfSchemaIsTheRendering() throws {
        let set = try RenderFixtures.descriptorSet("descriptors/proto3_all.pb")
        let schema = try ProtoSchema(descriptorSet: set)
        #expect(schema.file.name == "proto3_all.proto")
        #expect(schema.canonicalText == (try RenderFixtures.golden("proto3_all")))
    }
}
