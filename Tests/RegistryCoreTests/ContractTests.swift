import JSONSupport
import SchemaProviders
import Testing

@testable import RegistryCore

/// Metadata and rule sets of a new version, resolved as Confluent does: the request's own or the previous
/// version's, over the config's defaults and under its overrides, with `confluent:version` kept up to date.
@Suite struct ContractTests {
    static let v1 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#
    static let v2 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":["null","long"],"default":null}]}"#
    static let v3 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"c","type":["null","long"],"default":null}]}"#

    func metadata(_ registry: Registry, _ subject: String, _ version: Int) async throws -> JSONValue? {
        let record = try await registry.version(subject: subject, .number(version))
        return try record.schema.content.metadata.map { try JSONParser.parse($0) }
    }

    func ruleNames(_ registry: Registry, _ subject: String, _ version: Int, _ group: String = "domainRules") async throws -> [String] {
        let record = try await registry.version(subject: subject, .number(version))
        let rules = try record.schema.content.ruleSet.map { try JSONParser.parse($0) }
        return rules?.objectValue?[group]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } ?? []
    }

    @Test func aVersionWithoutMetadataOrRulesInheritsThePreviousOnes() async throws {
        let registry = makeRegistry()
        let metadata = #"{"properties":{"owner":"team-a"}}"#
        let rules = #"{"domainRules":[{"name":"positive","kind":"CONDITION","type":"CEL","expr":"message.a > 0"}]}"#
        try await registry.add("s", avro(Self.v1, metadata: metadata, ruleSet: rules))
        try await registry.add("s", avro(Self.v2))
        #expect(try await self.metadata(registry, "s", 2) == (try JSONParser.parse(metadata)))
        #expect(try await ruleNames(registry, "s", 2) == ["positive"])
        // The same schema sent again without them is the version that has them, not a new one.
        #expect(try await registry.add("s", avro(Self.v2)) == (2, 2))
        // Metadata sent with a version replaces what it would inherit.
        try await registry.add("s", avro(Self.v3, metadata: #"{"properties":{"owner":"team-b"}}"#))
        #expect(try await self.metadata(registry, "s", 3)?.objectValue?["properties"]?.objectValue?["owner"] == .string("team-b"))
        #expect(try await ruleNames(registry, "s", 3) == ["positive"])
    }

    @Test func configDefaultsAreUnderAndOverridesAboveTheVersionsOwn() async throws {
        let registry = makeRegistry()
        let settings = try JSONParser.parse(
            #"""
            {"defaultMetadata":{"properties":{"owner":"platform","tier":"gold"},"sensitive":["ssn"]},
             "overrideMetadata":{"properties":{"tier":"silver"}},
             "defaultRuleSet":{"domainRules":[{"name":"a","type":"CEL","expr":"true"},{"name":"b","type":"CEL","expr":"true"}]},
             "overrideRuleSet":{"domainRules":[{"name":"z","type":"CEL","expr":"true"}]}}
            """#)
        let fields = settings.objectValue?.members.map { (key: $0.key, change: ConfigUpdate.Change<JSONValue>.set($0.value)) } ?? []
        try await registry.setConfig(subject: "s", update: ConfigUpdate(other: fields))
        try await registry.add(
            "s",
            avro(
                Self.v1, metadata: #"{"properties":{"owner":"team-a"},"sensitive":["email"]}"#,
                ruleSet: #"{"domainRules":[{"name":"b","type":"CEL","expr":"false"}]}"#))
        let stored = try await registry.version(subject: "s", .number(1)).schema.content
        #expect(stored.metadata == #"{"properties":{"owner":"team-a","tier":"silver"},"sensitive":["email","ssn"]}"#)
        #expect(try await ruleNames(registry, "s", 1) == ["a", "b", "z"])
        // `b` is the version's own (expr false), not the default's.
        let rules = try JSONParser.parse(stored.ruleSet ?? "")
        #expect(rules.objectValue?["domainRules"]?.arrayValue?[1].objectValue?["expr"] == .string("false"))
    }

    @Test func confluentVersionFollowsTheNewVersion() async throws {
        let registry = makeRegistry()
        // A pinned version writes it into the metadata …
        try await registry.add("s", avro(Self.v1, version: 1))
        let first = try await metadata(registry, "s", 1)
        #expect(first?.objectValue?["properties"]?.objectValue?["confluent:version"] == .string("1"))
        // … and a later version that inherits it carries its own number.
        try await registry.add("s", avro(Self.v2))
        #expect(try await metadata(registry, "s", 2)?.objectValue?["properties"]?.objectValue?["confluent:version"] == .string("2"))
        // Without a pinned version or an inherited property, nothing is added.
        try await registry.add("t", avro(Self.v1))
        #expect(try await metadata(registry, "t", 1) == nil)
    }

    @Test func importModeStoresExactlyWhatIsSent() async throws {
        let registry = makeRegistry()
        let defaults = JSONValue.object(JSONObject(["properties": .object(JSONObject(["o": .string("x")]))]))
        try await registry.setConfig(subject: nil, update: ConfigUpdate(other: [(key: "defaultMetadata", change: .set(defaults))]))
        _ = try await registry.setMode(subject: "s", modeName: "IMPORT", force: true)
        try await registry.add("s", avro(Self.v1, id: 7, version: 1))
        #expect(try await metadata(registry, "s", 1) == nil)
        _ = try await registry.setMode(subject: "s", modeName: "READWRITE")
        try await registry.add("s", avro(Self.v2))
        #expect(try await metadata(registry, "s", 2) == (try JSONParser.parse(#"{"properties":{"o":"x"}}"#)))
    }

    /// Confluent's `RuleSet.validate`: 42210 with its message.
    @Test(arguments: [
        (#"{"domainRules":[{"name":"a","type":"CEL"},{"name":"a","type":"CEL"}]}"#, "Found rule with duplicate name 'a'"),
        (#"{"domainRules":[{"name":"a","type":"CEL"}],"migrationRules":[{"name":"a","type":"JSONATA","mode":"UPGRADE"}]}"#,
         "Found rule with duplicate name 'a'"),
        (#"{"domainRules":[{"type":"CEL"}]}"#, "Missing rule name"),
        (#"{"domainRules":[{"name":"","type":"CEL"}]}"#, "Empty rule name"),
        (#"{"domainRules":[{"name":"9lives","type":"CEL"}]}"#, "Illegal initial character in rule name: 9lives"),
        (#"{"domainRules":[{"name":"a b","type":"CEL"}]}"#, "Illegal character in rule name: a b"),
        (#"{"domainRules":[{"name":"a"}]}"#, "Missing rule type"),
        (#"{"domainRules":[{"name":"a","type":"CEL","mode":"UPGRADE"}]}"#, "Domain rules can only be WRITE, READ, WRITEREAD"),
        (#"{"migrationRules":[{"name":"a","type":"JSONATA"}]}"#, "Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN"),
        (#"{"encodingRules":[{"name":"a","type":"ENCRYPT","mode":"UPDOWN"}]}"#, "Encoding rules can only be WRITE, READ, WRITEREAD"),
        (#"{"domainRules":[{"name":"a","type":"CEL","mode":"WRITE","onFailure":"DLQ,ERROR"}]}"#,
         "Multiple actions only valid with WRITEREAD and UPDOWN"),
    ])
    func badRuleSetsAreRefusedWith42210(ruleSet: String, message: String) async throws {
        let registry = makeRegistry()
        let error = await registryError { try await registry.register(subject: "s", request: avro(Self.v1, ruleSet: ruleSet)) }
        #expect(error?.code == 42210)
        #expect(error?.message == message)
        #expect(try await registry.subjects() == [])
    }

    @Test func validRuleSetsPass() async throws {
        let registry = makeRegistry()
        let rules = #"""
            {"domainRules":[{"name":"_ok-1","type":"CEL","mode":"WRITEREAD","onFailure":"DLQ,ERROR"}],
             "migrationRules":[{"name":"up","type":"JSONATA","mode":"UPDOWN","onSuccess":"NONE,NONE"}],
             "encodingRules":[{"name":"enc","type":"ENCRYPT_PAYLOAD","mode":"WRITE"}]}
            """#
        #expect(try await registry.add("s", avro(Self.v1, ruleSet: rules)) == (1, 1))
    }
}
