@testable import AvroCodec
import SchemaCompatibility
import Testing

/// Compatibility checks are near-linear in the schemas' sizes and bounded by a work budget. Speed is never
/// timed here: the walk's step counter must grow linearly with the input instead.
@Suite struct CompatibilityBudgetTests {
    /// A root union of `count` records `ns.R<i>`, each with an `id` and a field of its own, in the given order.
    private static func unionOfRecords(_ order: [Int], prefix: String = "R") -> String {
        let branches = order.map { i in
            #"{"type":"record","name":"\#(prefix)\#(i)","namespace":"ns","fields":["#
                + #"{"name":"id","type":"long"},{"name":"v\#(i)","type":["null","string"]}]}"#
        }
        return "[" + branches.joined(separator: ",") + "]"
    }

    private static func steps(reader: String, writer: String) throws -> (problems: [Incompatibility], steps: Int) {
        try AvroCompatibility().measuredIncompatibilities(
            reader: AvroSchema(parsing: reader), writer: AvroSchema(parsing: writer))
    }

    /// Steps for each size; each doubling may cost at most 2.5 times the steps of the size before.
    private static func expectLinear(_ steps: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        for (small, large) in zip(steps, steps.dropFirst()) {
            #expect(Double(large) <= 2.5 * Double(small), "steps \(steps)", sourceLocation: sourceLocation)
        }
    }

    @Test func reorderedUnionOfNamedRecordsIsCompatibleInLinearSteps() throws {
        var counts: [Int] = []
        for n in [500, 1000, 2000] {
            let writer = Self.unionOfRecords(Array(0..<n))
            let reader = Self.unionOfRecords(Array((0..<n).reversed()))
            let checked = try Self.steps(reader: reader, writer: writer)
            #expect(checked.problems.isEmpty)
            counts.append(checked.steps)
        }
        Self.expectLinear(counts)
    }

    @Test func unionWhoseBranchesAreAllMissingReportsEachInLinearSteps() throws {
        var counts: [Int] = []
        for n in [500, 1000, 2000] {
            let writer = Self.unionOfRecords(Array(0..<n), prefix: "W")
            let reader = Self.unionOfRecords(Array((0..<n).reversed()), prefix: "R")
            let checked = try Self.steps(reader: reader, writer: writer)
            #expect(checked.problems.count == n)
            #expect(checked.problems.allSatisfy { $0.kind == "MISSING_UNION_BRANCH" })
            #expect(checked.problems.last?.path == "/\(n - 1)")
            counts.append(checked.steps)
        }
        Self.expectLinear(counts)
    }

    @Test func recordWithManyReorderedFieldsIsCheckedInLinearSteps() throws {
        var counts: [Int] = []
        for n in [5000, 10000, 20000] {
            let fields = (0..<n).map { #"{"name":"f\#($0)","type":"int"}"# }
            let writer = #"{"type":"record","name":"Wide","fields":[\#(fields.joined(separator: ","))]}"#
            let reversed = (0..<n).reversed().map { #"{"name":"f\#($0)","type":"long"}"# }
            let reader = #"{"type":"record","name":"Wide","fields":[\#(reversed.joined(separator: ","))]}"#
            let checked = try Self.steps(reader: reader, writer: writer)
            #expect(checked.problems.isEmpty)
            counts.append(checked.steps)
        }
        Self.expectLinear(counts)
    }

    @Test func aTinyBudgetEndsTheCheckWithTheTypedOutcome() throws {
        let writer = try AvroSchema(parsing: Self.unionOfRecords(Array(0..<50)))
        let reader = try AvroSchema(parsing: Self.unionOfRecords(Array((0..<50).reversed())))
        #expect(throws: CompatibilityBudgetExceeded(limit: 10)) {
            try reader.incompatibilities(readingDataWrittenBy: writer, budget: .steps(10))
        }
        // The default budget is plenty for the same pair.
        #expect(try reader.incompatibilities(readingDataWrittenBy: writer).isEmpty)
        // Through the checker the outcome names the version and direction that ran out.
        let checker = AvroCompatibilityChecker(rules: AvroCompatibility(budget: .steps(10)))
        #expect(throws: CompatibilityBudgetExceeded(limit: 10, version: 1, direction: .backward)) {
            try checker.check(reader, against: [writer], level: .full)
        }
    }
}
