import AvroCodec
import SchemaCompatibility
import Testing

/// Confluent's classic evolution examples under each level, over a three-version history.
@Suite struct AvroCompatibilityLevelTests {
    private let checker = AvroCompatibilityChecker(rules: AvroCompatibility())

    private func schema(_ fields: String) throws -> AvroSchema {
        try AvroSchema(parsing: #"{"type":"record","name":"User","namespace":"com.acme","fields":[\#(fields)]}"#)
    }

    private var name: String { #"{"name":"name","type":"string"}"# }
    private var email: String { #"{"name":"email","type":"string"}"# }
    private var emailWithDefault: String { #"{"name":"email","type":"string","default":""}"# }
    private var phone: String { #"{"name":"phone","type":"string"}"# }
    private var phoneWithDefault: String { #"{"name":"phone","type":["null","string"],"default":null}"# }

    @Test func addingAFieldWithDefaultIsBackwardAndForwardCompatible() throws {
        let v1 = try schema(name)
        let v2 = try schema("\(name),\(emailWithDefault)")
        for level in [CompatibilityLevel.backward, .forward, .full, .fullTransitive] {
            #expect(try checker.check(v2, against: [v1], level: level).isCompatible, "\(level)")
        }
    }

    @Test func addingARequiredFieldBreaksBackwardOnly() throws {
        let v1 = try schema(name)
        let v2 = try schema("\(name),\(email)")
        let backward = try checker.check(v2, against: [v1], level: .backward)
        #expect(backward.incompatibilities.map(\.kind) == ["READER_FIELD_MISSING_DEFAULT_VALUE"])
        #expect(backward.incompatibilities.map(\.path) == ["/fields/1"])
        #expect(backward.incompatibilities.first?.message.contains("'email'") == true)
        #expect(try checker.check(v2, against: [v1], level: .forward).isCompatible)
        let full = try checker.check(v2, against: [v1], level: .full)
        #expect(full.incompatibilities.map(\.direction) == [.backward])
    }

    @Test func removingAFieldWithoutDefaultBreaksForwardOnly() throws {
        let v1 = try schema("\(name),\(email)")
        let v2 = try schema(name)
        #expect(try checker.check(v2, against: [v1], level: .backward).isCompatible)
        let forward = try checker.check(v2, against: [v1], level: .forward)
        #expect(forward.incompatibilities.map(\.kind) == ["READER_FIELD_MISSING_DEFAULT_VALUE"])
        #expect(forward.incompatibilities.map(\.path) == ["/fields/1"])
        #expect(forward.incompatibilities.map(\.direction) == [.forward])
        #expect(forward.incompatibilities.map(\.version) == [1])
    }

    @Test func removingAFieldWithDefaultIsFullyCompatible() throws {
        let v1 = try schema("\(name),\(emailWithDefault)")
        let v2 = try schema(name)
        #expect(try checker.check(v2, against: [v1], level: .full).isCompatible)
    }

    @Test func changingATypeIsIncompatibleBothWays() throws {
        let v1 = try schema(#"{"name":"age","type":"int"}"#)
        let v2 = try schema(#"{"name":"age","type":"string"}"#)
        let full = try checker.check(v2, against: [v1], level: .full)
        #expect(full.incompatibilities.map(\.kind) == ["TYPE_MISMATCH", "TYPE_MISMATCH"])
        #expect(full.incompatibilities.map(\.path) == ["/fields/0/type", "/fields/0/type"])
        #expect(full.incompatibilities.map(\.direction) == [.backward, .forward])
    }

    @Test func wideningIntToLongIsBackwardButNotForward() throws {
        let v1 = try schema(#"{"name":"count","type":"int"}"#)
        let v2 = try schema(#"{"name":"count","type":"long"}"#)
        #expect(try checker.check(v2, against: [v1], level: .backward).isCompatible)
        let forward = try checker.check(v2, against: [v1], level: .forward)
        #expect(forward.incompatibilities.map(\.kind) == ["TYPE_MISMATCH"])
    }

    /// v1 {name}, v2 {name, phone: ["null","string"] = null}, v3 {name, phone: string}; the new v4 equals v3.
    /// Latest-only BACKWARD compares with v3 and passes; the transitive level also finds v2 and v1.
    @Test func transitiveCatchesAnOlderVersionThatLatestOnlyMisses() throws {
        let v1 = try schema(name)
        let v2 = try schema("\(name),\(phoneWithDefault)")
        let v3 = try schema("\(name),\(phone)")
        let v4 = try schema("\(name),\(phone)")
        let history = [v1, v2, v3]
        // Latest only: v4 reads v3's data fine (both have phone).
        #expect(try checker.check(v4, against: history, level: .backward).isCompatible)
        // Transitive: v4 reads v2 (phone is a union there: its null branch is unreadable) and v1 (no phone).
        let transitive = try checker.check(v4, against: history, level: .backwardTransitive)
        #expect(transitive.incompatibilities.map(\.version) == [2, 1])
        #expect(transitive.incompatibilities.map(\.kind) == ["TYPE_MISMATCH", "READER_FIELD_MISSING_DEFAULT_VALUE"])
        #expect(transitive.incompatibilities.map(\.path) == ["/fields/1/type/0", "/fields/1"])
    }

    @Test func forwardTransitiveChecksThatEveryOldReaderCanReadTheNewData() throws {
        let v1 = try schema("\(name),\(email)")
        let v2 = try schema("\(name),\(emailWithDefault)")
        let v3 = try schema("\(name),\(emailWithDefault)")
        let v4 = try schema(name)  // drops email
        let history = [v1, v2, v3]
        #expect(try checker.check(v4, against: history, level: .forward).isCompatible)
        let transitive = try checker.check(v4, against: history, level: .forwardTransitive)
        #expect(transitive.incompatibilities.map(\.version) == [1])
        #expect(transitive.incompatibilities.map(\.direction) == [.forward])
        let fullTransitive = try checker.check(v4, against: history, level: .fullTransitive)
        #expect(fullTransitive.incompatibilities.map(\.version) == [1])
        #expect(try checker.check(v4, against: history, level: .full).isCompatible)
    }

    @Test func noneAcceptsAnything() throws {
        let result = try checker.check(AvroSchema(parsing: #""int""#), against: [schema(name)], level: .none)
        #expect(result.isCompatible)
    }
}
