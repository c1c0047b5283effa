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
    func emptyHistoryIsAlwaysCompatible(_ level: CompatibilityLevel) {
        let result = checker.check(ToySchema(required: ["z"]), against: [], level: level)
        #expect(result.isCompatible)
        #expect(result.level == level)
    }

    @Test func noneNeverComplains() {
        let result = checker.check(ToySchema(required: ["z"]), against: history, level: .none)
        #expect(result.isCompatible)
    }

    @Test func backwardMeansTheNewSchemaReadsTheLatest() {
        // New schema requires d, which no earlier version writes.
        let result = checker.check(ToySchema(required: ["a", "d"]), against: history, level: .backward)
        #expect(result.incompatibilities.map(\.path) == ["/d"])
        #expect(result.incompatibilities.map(\.version) == [3])
        #expect(result.incompatibilities.map(\.direction) == [.backward])
        #expect(!result.isCompatible)
    }

    @Test func forwardMeansTheLatestReadsTheNewSchema() {
        // Dropping required a breaks readers of the latest version, but a new reader without a is fine.
        let new = ToySchema(required: [], optional: ["b", "c"])
        #expect(checker.check(new, against: history, level: .backward).isCompatible)
        let forward = checker.check(new, against: history, level: .forward)
        #expect(forward.incompatibilities.map(\.path) == ["/a"])
        #expect(forward.incompatibilities.map(\.version) == [3])
        #expect(forward.incompatibilities.map(\.direction) == [.forward])
    }

    @Test func fullReportsBothDirectionsBackwardFirst() {
        let new = ToySchema(required: ["d"], optional: ["b", "c"])
        let result = checker.check(new, against: history, level: .full)
        #expect(result.incompatibilities.map(\.path) == ["/d", "/a"])
        #expect(result.incompatibilities.map(\.direction) == [.backward, .forward])
        #expect(result.incompatibilities.map(\.version) == [3, 3])
    }

    @Test func transitiveChecksEveryVersionNewestFirst() {
        // Requires c: version 3 writes c (optional), versions 1 and 2 do not.
        let new = ToySchema(required: ["a", "c"])
        let latestOnly = checker.check(new, against: history, level: .backward)
        #expect(latestOnly.isCompatible)
        let transitive = checker.check(new, against: history, level: .backwardTransitive)
        #expect(transitive.incompatibilities.map(\.version) == [2, 1])
        #expect(transitive.incompatibilities.map(\.path) == ["/c", "/c"])
        #expect(transitive.incompatibilities.allSatisfy { $0.direction == .backward })
    }

    @Test func fullTransitiveTagsEachFindingWithVersionAndDirection() {
        let new = ToySchema(required: ["c"])
        let result = checker.check(new, against: history, level: .fullTransitive)
        let tags = result.incompatibilities.map { "\($0.version ?? 0)\($0.direction == .backward ? "B" : "F")\($0.path)" }
        #expect(tags == ["3F/a", "2B/c", "2F/a", "1B/c", "1F/a"])
    }

    @Test func singlePreviousSchemaIgnoresTransitivity() {
        let new = ToySchema(required: ["a", "c"])
        let result = checker.check(new, against: history[0], level: .backwardTransitive)
        #expect(result.incompatibilities.map(\.version) == [1])
        #expect(result.incompatibilities.map(\.path) == ["/c"])
    }

    @Test func resultKeepsTheFormatsKindAndMessage() {
        let result = checker.check(ToySchema(required: ["q"]), against: history, level: .backward)
        #expect(result.incompatibilities == [
            Incompatibility(kind: "MISSING", path: "/q", message: "reader needs q", version: 3, direction: .backward)
        ])
    }
}
