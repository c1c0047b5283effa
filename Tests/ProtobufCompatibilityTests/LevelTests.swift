import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import Testing

/// The seven levels through `ProtobufCompatibilityChecker` on the five-version history of `Fixtures/history`.
@Suite struct LevelTests {
    struct Finding: Equatable, CustomStringConvertible {
        let kind: String
        let version: Int?
        let direction: CompatibilityDirection?
        var description: String { "\(kind)@v\(version ?? 0)/\(direction?.rawValue ?? "-")" }
    }

    func findings(_ result: CompatibilityResult) -> [Finding] {
        result.incompatibilities.map { Finding(kind: $0.kind, version: $0.version, direction: $0.direction) }
    }

    let checker = ProtobufCompatibilityChecker(rules: ProtobufCompatibility())

    @Test func backwardAddingAFieldIsCompatible() throws {
        let h = try Fixtures.history()
        #expect(try checker.check(h[1], against: [h[0]], level: .backward).isCompatible)
        #expect(try checker.check(h[1], against: [h[0]], level: .forward).isCompatible)
        #expect(try checker.check(h[1], against: [h[0]], level: .full).isCompatible)
    }

    @Test func backwardChecksOnlyTheLatestVersion() throws {
        let h = try Fixtures.history()
        let result = try checker.check(h[2], against: Array(h[0...1]), level: .backward)
        #expect(findings(result) == [Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 2, direction: .backward)])
        #expect(result.incompatibilities.first?.path == "Order.qty")
        #expect(result.incompatibilities.first?.message.contains("#/Order/2") == true)
    }

    @Test func backwardTransitiveChecksEveryVersionNewestFirst() throws {
        let h = try Fixtures.history()
        let result = try checker.check(h[2], against: Array(h[0...1]), level: .backwardTransitive)
        #expect(
            findings(result) == [
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 2, direction: .backward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 1, direction: .backward),
            ])
    }

    @Test func forwardDropsAndAddsOptionalFieldsUnderConfluentButNotUnderWire() throws {
        let h = try Fixtures.history()
        #expect(try checker.check(h[3], against: Array(h[0...2]), level: .forward).isCompatible)
        let wire = ProtobufCompatibilityChecker(rules: ProtobufCompatibility(rules: .wire))
        let result = try wire.check(h[3], against: Array(h[0...2]), level: .forward)
        // Read by v3, v4's data has a field 4 that v3 lacks: buf sees field 4 deleted (v4 -> v3) without a reservation.
        #expect(
            findings(result) == [
                Finding(kind: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", version: 3, direction: .forward)
            ])
        #expect(result.incompatibilities.first?.path == "Order.sku")
        // Backward, v4 drops field 3 of v3 without reserving it.
        let backward = try wire.check(h[3], against: Array(h[0...2]), level: .backward)
        #expect(
            findings(backward) == [
                Finding(kind: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", version: 3, direction: .backward)
            ])
    }

    @Test func forwardTransitive() throws {
        let h = try Fixtures.history()
        let result = try checker.check(h[3], against: Array(h[0...2]), level: .forwardTransitive)
        #expect(
            findings(result) == [
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 2, direction: .forward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 1, direction: .forward),
            ])
    }

    @Test func fullReportsBothDirections() throws {
        let h = try Fixtures.history()
        let result = try checker.check(h[4], against: Array(h[0...3]), level: .full)
        #expect(
            findings(result) == [
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 4, direction: .backward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 4, direction: .forward),
            ])
    }

    @Test func fullTransitiveSkipsCompatibleVersions() throws {
        let h = try Fixtures.history()
        let result = try checker.check(h[4], against: Array(h[0...3]), level: .fullTransitive)
        #expect(
            findings(result) == [
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 4, direction: .backward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 4, direction: .forward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 3, direction: .backward),
                Finding(kind: "FIELD_SCALAR_KIND_CHANGED", version: 3, direction: .forward),
            ])
    }

    @Test func fullTransitiveUnderWireJSON() throws {
        let h = try Fixtures.history()
        let checker = ProtobufCompatibilityChecker(rules: ProtobufCompatibility(rules: .wireJSON))
        let result = try checker.check(h[4], against: Array(h[0...3]), level: .fullTransitive)
        let kinds = findings(result).map(\.description)
        #expect(
            kinds == [
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v4/backward", "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v4/forward",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED@v3/backward", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED@v3/backward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v3/backward",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED@v3/forward", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED@v3/forward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v3/forward",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED@v2/backward", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED@v2/backward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v2/backward",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED@v2/forward", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED@v2/forward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v2/forward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v1/backward",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED@v1/forward", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED@v1/forward",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE@v1/forward",
            ])
    }

    @Test func noneAndEmptyHistoryAreAlwaysCompatible() throws {
        let h = try Fixtures.history()
        #expect(try checker.check(h[2], against: Array(h[0...1]), level: .none).isCompatible)
        #expect(try checker.check(h[2], against: [], level: .fullTransitive).isCompatible)
    }

    @Test func ruleSetNames() {
        #expect(ProtoRuleSet.allCases.map(\.rawValue) == ["confluent", "wire", "wire-json", "file"])
        #expect(ProtoRuleSet(rawValue: "wire-json") == .wireJSON)
        #expect(ProtobufCompatibility().rules == .confluent)
    }
}
