import Foundation
import JSONSupport
import Migrations
import SchemaProviders
import Testing

/// Payload migration: manifest rules, the engine through three versions up and down, Confluent's ruleSet shape.
@Suite struct PayloadMigrationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shopOrders = packageRoot.appendingPathComponent("examples/migrations").path
    static let schemas = packageRoot.appendingPathComponent("schemas").path

    static func migrator(_ dir: String, _ subject: String, from: Int, to: Int) throws -> PayloadMigrator {
        let directory = try SchemaDirectory.load(dir)
        let found = try #require(directory.subject(named: subject))
        return try PayloadMigrator(versions: try found.migrationVersions(from: from, to: to, in: directory), from: from, to: to)
    }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    /// Why `text` cannot be migrated, or nil when it can.
    static func failure(_ migrator: PayloadMigrator, _ text: String) throws -> PayloadMigrationError? {
        let input = try json(text)
        do {
            _ = try migrator.migrate(json: input)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Manifest

    @Test func everyStepKindDecodesFromTheManifest() throws {
        let scratch = try ScratchDirectory([
            "s/v1.avsc": SchemaDirectoryTests.orderV1,
            "s/v2.avsc": SchemaDirectoryTests.orderV2,
            "s/subject.yaml": """
            versions:
              v2.avsc:
                migration:
                  upgrade:
                    - rename: { from: customer, to: customerId }
                    - default: { field: currency, value: EUR }
                    - default: { field: shipping.priority, value: 3 }
                    - default: { field: tags, value: [a, b] }
                    - map: { field: status, values: { NEW: CREATED, OLD: null } }
                    - drop: { field: legacy }
                  downgrade:
                    - rename: { from: customerId, to: customer }
                    - drop: { field: currency }
            """,
        ])
        let subject = try #require(try SchemaDirectory.load(scratch.path).subject(named: "s"))
        let rules = try #require(subject.migrationRules(for: subject.versions[1]))
        #expect(subject.migrationRules(for: subject.versions[0]) == nil)
        #expect(
            rules.upgrade == [
                .rename(from: "customer", to: "customerId"),
                .setDefault(field: "currency", value: .string("EUR")),
                .setDefault(field: "shipping.priority", value: .integer(3)),
                .setDefault(field: "tags", value: .array([.string("a"), .string("b")])),
                .map(field: "status", values: [MigrationValueMapping(from: "NEW", to: .string("CREATED")), MigrationValueMapping(from: "OLD", to: .null)]),
                .drop(field: "legacy"),
            ])
        #expect(rules.downgrade == [.rename(from: "customerId", to: "customer"), .drop(field: "currency")])
    }

    func manifestError(_ steps: String) throws -> String {
        let scratch = try ScratchDirectory([
            "s/v1.avsc": SchemaDirectoryTests.orderV1,
            "s/v2.avsc": SchemaDirectoryTests.orderV2,
            "s/subject.yaml": "versions:\n  v2.avsc:\n    migration:\n      upgrade:\n" + steps,
        ])
        do {
            _ = try SchemaDirectory.load(scratch.path)
        } catch {
            guard case .invalidManifest(let path, let reason) = error else { return "unexpected \(error)" }
            #expect(path.hasSuffix("s/subject.yaml"))
            return reason
        }
        return "no error"
    }

    @Test func badStepsAreManifestErrorsNamingThePath() throws {
        let unknown = try manifestError("        - move: { from: a, to: b }\n")
        #expect(unknown.contains("unknown migration step 'move'"), "\(unknown)")
        #expect(unknown.contains("versions.v2.avsc.migration.upgrade.0"), "\(unknown)")
        let two = try manifestError("        - rename: { from: a, to: b }\n          drop: { field: c }\n")
        #expect(two.contains("exactly one of rename, default, map, drop (found drop, rename)"), "\(two)")
        #expect(two.contains("versions.v2.avsc.migration.upgrade.0"), "\(two)")
        let missing = try manifestError("        - rename: { from: a }\n")
        #expect(missing.contains("missing 'to'"), "\(missing)")
        #expect(missing.contains("upgrade.0.rename"), "\(missing)")
        let noValue = try manifestError("        - default: { field: a }\n")
        #expect(noValue.contains("missing 'value'"), "\(noValue)")
        let badPath = try manifestError("        - drop: { field: a..b }\n")
        #expect(badPath.contains("'a..b' is not a field path"), "\(badPath)")
    }

    // MARK: Avro

    static let v1 = #"{"id":1,"customer":"c-7","status":"NEW","legacy":"x","shipping":{"town":"Lyon"}}"#
    static let v3 = #"{"id":1,"customerId":"c-7","status":"CREATED","currency":"EUR","shipping":{"city":"Lyon","express":false}}"#

    @Test func avroUpThroughThreeVersionsWithRenameDefaultMapAndDrop() throws {
        let up = try Self.migrator(Self.shopOrders, "shop-orders", from: 1, to: 3)
        #expect(try up.migrate(json: try Self.json(Self.v1)).serialized() == Self.v3)
        // Binary in, binary out: the same as version 3 encoding the expected JSON.
        let payload = try up.sourceCodec.encode(try Self.json(Self.v1))
        #expect(try up.migrate(payload) == (try up.targetCodec.encode(try Self.json(Self.v3))))
        // One step at a time gives the same as two.
        let step = try Self.migrator(Self.shopOrders, "shop-orders", from: 1, to: 2)
        #expect(
            try step.migrate(json: try Self.json(Self.v1)).serialized()
                == #"{"id":1,"customerId":"c-7","status":"CREATED","legacy":"x","currency":"EUR","shipping":{"town":"Lyon"}}"#)
    }

    @Test func avroDownThroughThreeVersions() throws {
        let down = try Self.migrator(Self.shopOrders, "shop-orders", from: 3, to: 1)
        let v3 = #"{"id":9,"customerId":"c-9","status":"PAID","currency":"USD","shipping":{"city":"Oslo","express":true}}"#
        #expect(
            try down.migrate(json: try Self.json(v3)).serialized()
                == #"{"id":9,"customer":"c-9","status":"PAID","legacy":"n/a","shipping":{"town":"Oslo"}}"#)
        #expect(
            try down.migrate(json: try Self.json(Self.v3)).serialized()
                == #"{"id":1,"customer":"c-7","status":"NEW","legacy":"n/a","shipping":{"town":"Lyon"}}"#)
        // Same version: the payload is checked and kept.
        let same = try Self.migrator(Self.shopOrders, "shop-orders", from: 2, to: 2)
        let v2 = #"{"id":1,"customerId":"c","status":"PAID","legacy":"l","currency":"EUR","shipping":{"town":"t"}}"#
        #expect(try same.migrate(json: try Self.json(v2)).serialized() == v2)
    }

    @Test func compatibleAvroStepsUseSchemaResolutionBothWays() throws {
        let v1 = #"{"id":1,"customer":"c","amount":12.34,"status":"PAID","items":[{"sku":"a","quantity":2}],"placed_at":1700000000000}"#
        let up = try Self.migrator(Self.schemas, "orders-value", from: 1, to: 3)
        #expect(
            try up.migrate(json: try Self.json(v1)).serialized()
                == #"{"id":1,"customer":"c","amount":12.34,"status":"PAID","items":[{"sku":"a","quantity":2}],"placed_at":1700000000000,"coupon":null,"channel":"WEB","gift_note":null}"#)
        let v3 = #"{"id":1,"customer":"c","amount":12.34,"status":"CANCELLED","items":[],"placed_at":1,"coupon":"X","channel":"APP","gift_note":"hi"}"#
        let down = try Self.migrator(Self.schemas, "orders-value", from: 3, to: 1)
        // v3 → v2 by resolution (channel and gift_note skipped); v2 → v1 by the manifest's rules.
        #expect(
            try down.migrate(json: try Self.json(v3)).serialized()
                == #"{"id":1,"customer":"c","amount":12.34,"status":"PLACED","items":[],"placed_at":1}"#)
    }

    // MARK: Protobuf

    @Test func protobufUpAndDownByFieldNumber() throws {
        let v1 = #"{"id":"p-1","amountCents":"1250","currency":"EUR","method":"CARD","cardToken":"tok"}"#
        let up = try Self.migrator(Self.schemas, "payments-value", from: 1, to: 3)
        let payload = try up.sourceCodec.encode(try Self.json(v1))
        // Field numbers are the same in every version: the bytes carry over as they are.
        #expect(try up.migrate(payload) == payload)
        #expect(try up.migrate(json: try Self.json(v1)).serialized() == v1)
        let v3 = #"{"id":"p-1","amountCents":"1250","currency":"EUR","method":"CARD","note":"n","amount":{"currencyCode":"EUR","units":"12","nanos":500000000}}"#
        let down = try Self.migrator(Self.schemas, "payments-value", from: 3, to: 1)
        // Fields 10 and 11 are unknown to version 1: left out of its JSON and of the migrated bytes.
        #expect(
            try down.migrate(json: try Self.json(v3)).serialized() == #"{"id":"p-1","amountCents":"1250","currency":"EUR","method":"CARD"}"#)
        let migrated = try down.migrate(try down.sourceCodec.encode(try Self.json(v3)))
        #expect(migrated == (try down.targetCodec.encode(try Self.json(#"{"id":"p-1","amountCents":"1250","currency":"EUR","method":"CARD"}"#))))
    }

    // MARK: Failures

    @Test func aMessageThatCannotBeMigratedNamesTheStepAndLocation() throws {
        let up = try Self.migrator(Self.shopOrders, "shop-orders", from: 1, to: 3)
        let void = #"{"id":1,"customer":"c","status":"VOID","legacy":"x","shipping":{"town":"t"}}"#
        // VOID has no version 2 symbol and no mapping.
        let error = try #require(try Self.failure(up, void))
        #expect(error.from == 1 && error.to == 2 && error.rule == nil)
        #expect(error.error.pointer == "/status", "\(error)")
        #expect(
            error.description
                == #"version 1 → 2: expected one of the symbols ["CREATED", "PAID"] for type com.example.shop.Status, found "VOID" (at '/status')"#)
        #expect(error.jsonDescription.objectValue?["step"] == JSONValue.string("version 1 → 2"))
        // Input that is not version 1's: the error names version 1.
        let notV1 = try #require(try Self.failure(up, #"{"id":"x"}"#))
        #expect(notV1.from == 1 && notV1.to == nil)
        #expect(notV1.description.hasPrefix("version 1: "), "\(notV1)")
    }

    @Test func aFailingRuleIsNamedWithItsPosition() throws {
        let scratch = try ScratchDirectory([
            "s/v1.avsc": SchemaDirectoryTests.record("R", #"{"name":"a","type":"string"},{"name":"b","type":"string"},{"name":"n","type":"int"}"#),
            "s/v2.avsc": SchemaDirectoryTests.record("R", #"{"name":"b","type":"string"},{"name":"n","type":"int"}"#),
            "s/subject.yaml": """
            compatibility: NONE
            versions:
              v2.avsc:
                migration:
                  upgrade:
                    - drop: { field: x.y }
                    - rename: { from: a, to: b }
                  downgrade:
                    - default: { field: n.deeper, value: 1 }
            """,
        ])
        let up = try Self.migrator(scratch.path, "s", from: 1, to: 2)
        // b is already there.
        let error = try #require(try Self.failure(up, #"{"a":"1","b":"2","n":3}"#))
        #expect(error.rule == "upgrade rule 2 (rename a to b)")
        #expect(error.error.code == "migrationFailed" && error.error.pointer == "/b")
        #expect(error.description == "version 1 → 2, upgrade rule 2 (rename a to b): the field is already there (at '/b')")
        // n is not a record.
        let down = try Self.migrator(scratch.path, "s", from: 2, to: 1)
        let notRecord = try #require(try Self.failure(down, #"{"b":"2","n":3}"#))
        #expect(notRecord.rule == "downgrade rule 1 (default n.deeper = 1)")
        #expect(notRecord.error.pointer == "/n" && notRecord.error.message == "expected a record at the field path, found number")
    }

    // MARK: ruleSet

    @Test func ruleSetJSONRoundTrips() throws {
        let rules = MigrationRules(
            upgrade: [
                .rename(from: "customer", to: "customerId"), .setDefault(field: "currency", value: .string("EUR")),
                .map(field: "status", values: [MigrationValueMapping(from: "NEW", to: .string("CREATED"))]),
                .drop(field: "shipping.legacy"),
            ],
            downgrade: [.rename(from: "customerId", to: "customer")])
        let ruleSet = try #require(MigrationRuleSet.ruleSet(rules))
        let items = try #require(ruleSet.objectValue?["migrationRules"]?.arrayValue)
        #expect(items.count == 2)
        let upgrade = try #require(items.first?.objectValue)
        #expect(upgrade["name"] == .string("accord-upgrade") && upgrade["kind"] == .string("TRANSFORM"))
        #expect(upgrade["mode"] == .string("UPGRADE") && upgrade["type"] == .string("ACCORD_MIGRATE"))
        #expect(upgrade["onFailure"] == .string("NONE") && upgrade["disabled"] == .bool(false))
        #expect(
            upgrade["expr"]?.stringValue
                == #"[{"rename":{"from":"customer","to":"customerId"}},{"default":{"field":"currency","value":"EUR"}},{"map":{"field":"status","values":{"NEW":"CREATED"}}},{"drop":{"field":"shipping.legacy"}}]"#)
        #expect(items.last?.objectValue?["mode"] == .string("DOWNGRADE"))
        // Through the registry's text and back.
        #expect(try MigrationRuleSet.rules(from: try JSONParser.parse(ruleSet.serialized())) == rules)
        #expect(MigrationRuleSet.ruleSet(nil) == nil && MigrationRuleSet.ruleSet(MigrationRules()) == nil)
    }

    @Test func otherRulesAreIgnoredAndBadAccordRulesAreErrors() throws {
        let foreign = try JSONParser.parse(
            #"{"domainRules":[],"migrationRules":[{"name":"x","kind":"TRANSFORM","mode":"UPGRADE","type":"JSONATA","expr":"$"}]}"#)
        #expect(try MigrationRuleSet.rules(from: foreign) == nil)
        #expect(try MigrationRuleSet.rules(from: nil) == nil)
        let bad = try JSONParser.parse(
            #"{"migrationRules":[{"name":"a","mode":"UPGRADE","type":"ACCORD_MIGRATE","expr":"[{\"move\":{}}]"}]}"#)
        #expect(throws: MigrationError.invalidManifest("ruleSet.migrationRules[0] step 1", "unknown migration step 'move' (known: rename, default, map, drop)")) {
            try MigrationRuleSet.rules(from: bad)
        }
    }
}
