import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// Our descriptors must equal protoc's (committed FileDescriptorSets) for every valid fixture and its imports.
@Suite struct CompileCorpusTests {
    @Test(arguments: CompileFixtures.mainFiles)
    func matchesProtoc(main: String) throws {
        let expected = try CompileFixtures.expectedSet(for: main)
        let schema = try ProtoCompiler(resolver: CompileFixtures.resolver).compile(path: main)
        #expect(schema.file.name == main)
        let ours = Dictionary(schema.pool.files.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let compared = expected.file.filter { !$0.name.hasPrefix("google/") }
        #expect(!compared.isEmpty)
        for var want in compared {
            want.clearSourceCodeInfo()
            let got = try #require(ours[want.name], "missing \(want.name)")
            if got != want {
                Issue.record("\(want.name) differs.\n--- protoc:\n\(want.textFormatString())\n--- ours:\n\(got.textFormatString())")
            }
        }
        // Files come in protoc's order: every import before its importer, the main file last.
        let order = schema.pool.files.map(\.name).filter { !$0.hasPrefix("google/") }
        #expect(order == compared.map(\.name))
    }
}
