import AvroCodec
import JSONSupport
import SchemaCompatibility
import Testing

/// Runs every reader/writer pair transcribed from Apache Avro's Java compatibility tests (and our own).
@Suite struct CompatibilityCorpusTests {
    @Test func corpusLoadsCompletely() {
        #expect(CompatibilityFixtures.loaded.problems == [])
        #expect(CompatibilityFixtures.all.count >= 200)
        let files = Set(CompatibilityFixtures.all.map(\.file))
        #expect(files.count == 11)
    }

    @Test(arguments: CompatibilityFixtures.all)
    func readerWriterPair(_ testCase: CompatibilityCase) throws {
        let reader = try AvroSchema(json: testCase.reader)
        let writer = try AvroSchema(json: testCase.writer)
        let found = try reader.incompatibilities(readingDataWrittenBy: writer)

        #expect(found.isEmpty == testCase.compatible)
        #expect(found.map(\.kind) == testCase.incompatibilities.map(\.kind))
        #expect(found.map(\.path) == testCase.incompatibilities.map(\.path))
        for (problem, expected) in zip(found, testCase.incompatibilities) {
            for fact in expected.mentions {
                #expect(problem.message.contains(fact), "\(problem.message) should mention \(fact)")
            }
            #expect(problem.version == nil)
            #expect(problem.direction == nil)
        }
    }

    @Test(arguments: CompatibilityFixtures.all)
    func sameResultThroughTheRulesType(_ testCase: CompatibilityCase) throws {
        let reader = try AvroSchema(json: testCase.reader)
        let writer = try AvroSchema(json: testCase.writer)
        #expect(
            try AvroCompatibility().incompatibilities(reader: reader, writer: writer)
                == reader.incompatibilities(readingDataWrittenBy: writer)
        )
    }
}
