import SchemaCompatibility
import Testing

/// A toy format: a schema is a list of fields, each required or optional. A reader can read a writer's data
/// when every required reader field is written by the writer.
private struct ToySchema: Sendable {
    var required: [String]
    var optional: [String] = []

    var all: Set<String> { Set(required + optional) }
}

private struct ToyRules: ReaderWriterCompatibility {
    func incompatibilities(reader: ToySchema, writer: ToySchema) -> [Incompatibility] {
        reader.required.filter { !writer.all.contains($0) }.map {
            Incompatibility(kind: "MISSING", path: "/\($0)", message: "reader needs \($0)")
        }
    }
}

private let checker = CompatibilityChecker(rules: ToyRules())

/// v1 {a}, v2 {a, b?}, v3 {a, b?, c?}: each step adds an optional field.
private let history = [
    ToySchema(required: ["a"]),
    ToySchema(required: ["a"], optional: ["b"]),
    ToySchema(required: ["a"], optional: ["b", "c"]),
]

@Suite struct CompatibilityLevelTests {
    @Test func levelNamesParseCaseInsensitively() {
        #expect(CompatibilityLevel(name: "backward_transitive") == .backwardTransitive)
        #expect(CompatibilityLevel(name: "FULL") == .full)
        #expect(CompatibilityLevel(name: "None") == CompatibilityLevel.none)
        #expect(CompatibilityLevel(name: "sideways") == nil)
        #expect(CompatibilityLevel.allCases.count == 7)
    }

    @Test func transitivityAndDirections() {
        #expect(CompatibilityLevel.allCases.filter(\.isTransitive) == [.backwardTransitive, .forwardTransitive, .fullTransitive])
        #expect(CompatibilityLevel.none.directions == [])
        #expect(CompatibilityLevel.backward.directions == [.backward])
        #expect(CompatibilityLevel.forwardTransitive.directions == [.forward])
        #expect(CompatibilityLevel.full.directions == [.backward, .forward])
        #expect(CompatibilityLevel.fullTransitive.directions == [.backward, .forward])
    }

    @Test(arguments: CompatibilityLevel.allCases)
    func emptyHistoryIsAlwaysCompatible(_ level: CompatibilityLevel) throws {
        let result = try checker.check(ToySchema(required: ["z"]), against: [], level: level)
        #expect(result.isCompatible)
        #expect(result.level == level)
    }

    @Test func noneNeverComplains() throws {
        let result = try checker.check(ToySchema(required: ["z"]), against: history, level: .none)
        #expect(result.isCompatible)
    }

    @Test func backwardMeansTheNewSchemaReadsTheLatest() throws {
        // New schema requires d, which no earlier version writes.
        let result = try checker.check(ToySchema(required: ["a", "d"]), against: history, level: .backward)
        #expect(result.incompatibilities.map(\.path) == ["/d"])
        #expect(result.incompatibilities.map(\.version) == [3])
        #expect(result.incompatibilities.map(\.direction) == [.backward])
        #expect(!result.isCompatible)
    }

    @Test func forwardMeansTheLatestReadsTheNewSchema() throws {
        // Dropping required a breaks readers of the latest version, but a new reader without a is fine.
        let new = ToySchema(required: [], optional: ["b", "c"])
        #expect(try checker.check(new, against: history, level: .backward).isCompatible)
        let forward = try checker.check(new, against: history, level: .forward)
        #expect(forward.incompatibilities.map(\.path) == ["/a"])
        #expect(forward.incompatibilities.map(\.version) == [3])
        #expect(forward.incompatibilities.map(\.direction) == [.forward])
    }

    @Test func fullReportsBothDirectionsBackwardFirst() throws {
        let new = ToySchema(required: ["d"], optional: ["b", "c"])
        let result = try checker.check(new, against: history, level: .full)
        #expect(result.incompatibilities.map(\.path) == ["/d", "/a"])
        #expect(result.incompatibilities.map(\.direction) == [.backward, .forward])
        #expect(result.incompatibilities.map(\.version) == [3, 3])
    }

    @Test func transitiveChecksEveryVersionNewestFirst() throws {
        // Requires c: version 3 writes c (optional), versions 1 and 2 do not.
        let new = ToySchema(required: ["a", "c"])
        let latestOnly = try checker.check(new, against: history, level: .backward)
        #expect(latestOnly.isCompatible)
        let transitive = try checker.check(new, against: history, level: .backwardTransitive)
        #expect(transitive.incompatibilities.map(\.version) == [2, 1])
        #expect(transitive.incompatibilities.map(\.path) == ["/c", "/c"])
        #expect(transitive.incompatibilities.allSatisfy { $0.direction == .backward })
    }

    @Test func fullTransitiveTagsEachFindingWithVersionAndDirection() throws {
        let new = ToySchema(required: ["c"])
        let result = try checker.check(new, against: history, level: .fullTransitive)
        let tags = result.incompatibilities.map { "\($0.version ?? 0)\($0.direction == .backward ? "B" : "F")\($0.path)" }
        #expect(tags == ["3F/a", "2B/c", "2F/a", "1B/c", "1F/a"])
    }

    @Test func singlePreviousSchemaIgnoresTransitivity() throws {
        let new = ToySchema(required: ["a", "c"])
        let result = try checker.check(new, against: history[0], level: .backwardTransitive)
        #expect(result.incompatibilities.map(\.version) == [1])
        #expect(result.incompatibilities.map(\.path) == ["/c"])
    }

    @Test func resultKeepsTheFormatsKindAndMessage() throws {
        let result = try checker.check(ToySchema(required: ["q"]), against: history, level: .backward)
        #expect(result.incompatibilities == [
            Incompatibility(kind: "MISSING", path: "/q", message: "reader needs q", version: 3, direction: .backward)
        ])
    }
}

/// A toy format that runs out of budget on schemas with more than `limit` required fields.
private struct BudgetedToyRules: ReaderWriterCompatibility {
    var limit: Int

    func incompatibilities(reader: ToySchema, writer: ToySchema) throws(CompatibilityBudgetExceeded) -> [Incompatibility] {
        if reader.required.count + writer.required.count > limit { throw CompatibilityBudgetExceeded(limit: limit) }
        return ToyRules().incompatibilities(reader: reader, writer: writer)
    }
}

@Suite struct CompatibilityBudgetTests {
    @Test func defaultLimitScalesWithBothSchemas() {
        let budget = CompatibilityBudget.default
        #expect(budget.limit(readerNodes: 0, writerNodes: 0) == 1_000_000)
        #expect(budget.limit(readerNodes: 10, writerNodes: 20) == 1_000_000 + 100 * 30)
        #expect(CompatibilityBudget.steps(7).limit(readerNodes: 1_000, writerNodes: 1_000) == 7)
        #expect(CompatibilityBudget(stepsPerNode: Int.max, minimumSteps: 1).limit(readerNodes: 2, writerNodes: 2) == Int.max)
        #expect(CompatibilityBudget.unlimited.limit(readerNodes: 5, writerNodes: 5) == Int.max)
    }

    @Test func checkerTagsTheOutcomeWithVersionAndDirection() throws {
        let checker = CompatibilityChecker(rules: BudgetedToyRules(limit: 3))
        let small = ToySchema(required: ["a"])
        let large = ToySchema(required: ["a", "b", "c"])
        // Transitive levels start with the newest version.
        #expect(throws: CompatibilityBudgetExceeded(limit: 3, version: 2, direction: .backward)) {
            try checker.check(large, against: [small, small], level: .fullTransitive)
        }
        #expect(throws: CompatibilityBudgetExceeded(limit: 3, version: 1, direction: .forward)) {
            try checker.check(large, against: [small], level: .forward)
        }
        #expect(try checker.check(small, against: [small], level: .full).isCompatible)
        let outcome = CompatibilityBudgetExceeded(limit: 3, version: 2, direction: .forward)
        #expect(outcome.description.contains("3 steps"))
        #expect(outcome.description.contains("forward check against version 2"))
    }
}
