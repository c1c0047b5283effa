@testable import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import Testing

/// Protobuf checks are near-linear in the schemas' sizes and bounded by a work budget. Speed is never timed
/// here: the check's step counter must grow linearly with the input instead.
@Suite struct BudgetTests {
    private static func compile(_ source: String) throws -> ProtoSchema {
        try ProtoCompiler(resolver: .sources([:])).compile(source: source, path: "main.proto")
    }

    /// One message of `count` fields; the new version lists them backwards, renamed, and reserves a range.
    private static func wideMessage(_ count: Int, renamed: Bool) -> String {
        let order = renamed ? Array((0..<count).reversed()) : Array(0..<count)
        let fields = order.map { "  int32 \(renamed ? "g" : "f")\($0) = \($0 + 1);" }
        let reserved = renamed ? "  reserved \(count + 100) to \(count + 200);\n" : ""
        return "syntax = \"proto3\";\npackage p;\nmessage Wide {\n" + fields.joined(separator: "\n") + "\n" + reserved + "}\n"
    }

    /// `count` messages with an enum each; the new version declares them backwards with renamed fields.
    private static func manyMessages(_ count: Int, renamed: Bool) -> String {
        let order = renamed ? Array((0..<count).reversed()) : Array(0..<count)
        let field = renamed ? "b" : "a"
        let messages = order.map { i in
            "message M\(i) { int64 id = 1; string \(field)\(i) = 2; E\(i) e = 3; repeated M\((i + 1) % count) next = 4; }\n"
                + "enum E\(i) { E\(i)_ZERO = 0; E\(i)_ONE = 1; }"
        }
        return "syntax = \"proto3\";\npackage p;\n" + messages.joined(separator: "\n") + "\n"
    }

    private static func steps(_ rules: ProtoRuleSet, old: ProtoSchema, new: ProtoSchema) throws -> Int {
        try ProtobufCompatibility(rules: rules).measuredIncompatibilities(reader: new, writer: old).steps
    }

    private static func expectLinear(_ steps: [Int], _ rules: ProtoRuleSet, sourceLocation: SourceLocation = #_sourceLocation) {
        for (small, large) in zip(steps, steps.dropFirst()) {
            #expect(Double(large) <= 2.5 * Double(small), "\(rules): steps \(steps)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ProtoRuleSet.allCases)
    func wideMessageReorderedAndRenamedInLinearSteps(_ rules: ProtoRuleSet) throws {
        var counts: [Int] = []
        for n in [1250, 2500, 5000] {
            let old = try Self.compile(Self.wideMessage(n, renamed: false))
            let new = try Self.compile(Self.wideMessage(n, renamed: true))
            let checked = try ProtobufCompatibility(rules: rules).measuredIncompatibilities(reader: new, writer: old)
            if rules == .confluent { #expect(checked.problems.isEmpty) }
            if rules == .file { #expect(checked.problems.filter { $0.kind == "FIELD_SAME_NAME" }.count == n) }
            counts.append(checked.steps)
        }
        Self.expectLinear(counts, rules)
    }

    @Test(arguments: ProtoRuleSet.allCases)
    func manyMessagesReorderedInLinearSteps(_ rules: ProtoRuleSet) throws {
        var counts: [Int] = []
        for n in [500, 1000, 2000] {
            let old = try Self.compile(Self.manyMessages(n, renamed: false))
            let new = try Self.compile(Self.manyMessages(n, renamed: true))
            counts.append(try Self.steps(rules, old: old, new: new))
        }
        Self.expectLinear(counts, rules)
    }

    @Test(arguments: ProtoRuleSet.allCases)
    func aTinyBudgetEndsTheCheckWithTheTypedOutcome(_ rules: ProtoRuleSet) throws {
        let old = try Self.compile(Self.manyMessages(50, renamed: false))
        let new = try Self.compile(Self.manyMessages(50, renamed: true))
        #expect(throws: CompatibilityBudgetExceeded(limit: 10)) {
            try ProtobufCompatibility(rules: rules, budget: .steps(10)).incompatibilities(reader: new, writer: old)
        }
        _ = try ProtobufCompatibility(rules: rules).incompatibilities(reader: new, writer: old)
        let checker = ProtobufCompatibilityChecker(rules: ProtobufCompatibility(rules: rules, budget: .steps(10)))
        #expect(throws: CompatibilityBudgetExceeded(limit: 10, version: 2, direction: .forward)) {
            try checker.check(new, against: [old, old], level: .forwardTransitive)
        }
    }
}
