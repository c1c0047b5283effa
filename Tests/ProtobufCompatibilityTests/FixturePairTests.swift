import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import Testing

/// Every fixture pair under every rule set: the kinds found must be exactly the expected ones.
@Suite struct FixturePairTests {
    @Test func fixtureSetIsComplete() {
        #expect(Fixtures.cases.count >= 80)
        #expect(Fixtures.cases.allSatisfy { Set($0.expect.keys) == ["confluent", "wire", "wire-json", "file"] })
    }

    @Test(arguments: Fixtures.cases)
    func confluent(_ fixture: FixtureCase) throws {
        let found = try Fixtures.backward(fixture.name, .confluent)
        #expect(found.map(\.kind).sorted() == fixture.expect["confluent"], "\(found.map(\.message))")
    }

    @Test(arguments: Fixtures.cases)
    func wire(_ fixture: FixtureCase) throws {
        let found = try Fixtures.backward(fixture.name, .wire)
        #expect(found.map(\.kind).sorted() == fixture.expect["wire"], "\(found.map(\.message))")
    }

    @Test(arguments: Fixtures.cases)
    func wireJSON(_ fixture: FixtureCase) throws {
        let found = try Fixtures.backward(fixture.name, .wireJSON)
        #expect(found.map(\.kind).sorted() == fixture.expect["wire-json"], "\(found.map(\.message))")
    }

    @Test(arguments: Fixtures.cases)
    func file(_ fixture: FixtureCase) throws {
        let found = try Fixtures.backward(fixture.name, .file)
        #expect(found.map(\.kind).sorted() == fixture.expect["file"], "\(found.map(\.message))")
    }

    /// A schema compared with itself is compatible under every rule set.
    @Test(arguments: Fixtures.cases)
    func identicalSchemasAreCompatible(_ fixture: FixtureCase) throws {
        let (old, new) = try Fixtures.pair(fixture.name)
        for rules in ProtoRuleSet.allCases {
            #expect(try ProtobufCompatibility(rules: rules).incompatibilities(reader: old, writer: old).isEmpty)
            #expect(try ProtobufCompatibility(rules: rules).incompatibilities(reader: new, writer: new).isEmpty)
        }
    }
}
