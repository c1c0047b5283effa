import Foundation
import Migrations
import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders
import Testing

/// A scratch migrations directory, removed when dropped.
final class ScratchDirectory {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-migrations-\(UUID().uuidString)")
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    var path: String { url.path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite struct SchemaDirectoryTests {
    static func record(_ name: String, _ fields: String) -> String {
        #"{"type":"record","name":"\#(name)","namespace":"com.example","fields":[\#(fields)]}"#
    }

    static let orderV1 = record("Order", #"{"name":"id","type":"string"}"#)
    static let orderV2 = record("Order", #"{"name":"id","type":"string"},{"name":"qty","type":"int","default":1}"#)
    static let orderBreaking = record("Order", #"{"name":"id","type":"long"}"#)

    @Test func versionsAreInNaturalNameOrder() throws {
        let names = ["v10.avsc", "v2.avsc", "v1.avsc", "v9.avsc", "v02.avsc"]
        #expect(names.sorted(by: NaturalOrder.less) == ["v1.avsc", "v2.avsc", "v02.avsc", "v9.avsc", "v10.avsc"])
        #expect(NaturalOrder.less("a", "b") && !NaturalOrder.less("b", "a") && !NaturalOrder.less("a", "a"))
        #expect(NaturalOrder.less("v1", "v1.avsc"))
        #expect(NaturalOrder.less("v99999999999999999999", "v100000000000000000000"))
    }

    @Test func subjectsManifestsAndDefaults() throws {
        let scratch = try ScratchDirectory([
            "accord.yaml": "compatibility: FULL\n",
            "orders-value/v1.avsc": Self.orderV1,
            "orders-value/v10.avsc": Self.orderV2,
            "orders-value/v2.avsc": Self.orderV2,
            "orders-value/notes.txt": "not a schema",
            "pay/subject.json": #"{"subject":"payments-value","compatibility":"NONE","protobufRules":"wire","mode":"READONLY"}"#,
            "pay/v1.proto": "syntax = \"proto3\";\nmessage P { string id = 1; }\n",
            "empty/README.md": "nothing here",
        ])
        let directory = try SchemaDirectory.load(scratch.path)
        #expect(directory.subjects.map(\.name) == ["orders-value", "payments-value"])
        let orders = try #require(directory.subject(named: "orders-value"))
        #expect(orders.type == .avro)
        #expect(orders.compatibility == .full)  // from accord.yaml
        #expect(orders.versions.map { ($0.file as NSString).lastPathComponent } == ["v1.avsc", "v2.avsc", "v10.avsc"])
        #expect(orders.versions.map(\.number) == [1, 2, 3])
        let payments = try #require(directory.subject(named: "payments-value"))
        #expect(payments.type == .protobuf && payments.compatibility == SchemaCompatibility.CompatibilityLevel.none)
        #expect(payments.protobufRules == .wire && payments.manifest.mode == "READONLY")
    }

    @Test func badLayoutsAndManifestsNameTheFile() throws {
        let mixed = try ScratchDirectory(["s/v1.avsc": Self.orderV1, "s/v2.proto": "syntax = \"proto3\";"])
        #expect(throws: MigrationError.self) { try SchemaDirectory.load(mixed.path) }
        let level = try ScratchDirectory(["s/v1.avsc": Self.orderV1, "s/subject.yaml": "compatibility: SIDEWAYS\n"])
        do {
            _ = try SchemaDirectory.load(level.path)
            Issue.record("an unknown level was accepted")
        } catch {
            #expect(error.description.contains("subject.yaml") || error.description.contains("unknown compatibility level 'SIDEWAYS'"))
        }
        let yaml = try ScratchDirectory(["s/v1.avsc": Self.orderV1, "s/subject.yaml": "references: [1, 2\n"])
        #expect(throws: MigrationError.self) { try SchemaDirectory.load(yaml.path) }
        let twice = try ScratchDirectory([
            "a/v1.avsc": Self.orderV1, "b/v1.avsc": Self.orderV1, "b/subject.yaml": "subject: a\n",
        ])
        #expect(throws: MigrationError.self) { try SchemaDirectory.load(twice.path) }
        #expect(throws: MigrationError.self) { try SchemaDirectory.load(twice.path + "/missing") }
    }

    @Test func referencesResolveInsideTheDirectoryInDependencyOrder() throws {
        let scratch = try ScratchDirectory([
            "address/v1.avsc": Self.record("Address", #"{"name":"city","type":"string"}"#),
            "customers/v1.avsc": Self.record("Customer", #"{"name":"home","type":"com.example.Address"}"#),
            "customers/subject.yaml": "references:\n  com.example.Address: { subject: address, version: 1 }\n",
            "money/v1.proto": "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 cents = 1; }\n",
            "payments/v1.proto": "syntax = \"proto3\";\npackage shop;\nmessage P { string id = 1; }\n",
            "payments/v2.proto":
                "syntax = \"proto3\";\npackage shop;\nimport \"money.proto\";\nmessage P { string id = 1; Money amount = 2; }\n",
            "payments/subject.yaml": "versions:\n  v2.proto:\n    references: { money.proto: { subject: money, version: 1 } }\n",
        ])
        let directory = try SchemaDirectory.load(scratch.path)
        let order = try directory.dependencyOrder().map(\.name)
        #expect(try #require(order.firstIndex(of: "address")) < (try #require(order.firstIndex(of: "customers"))))
        #expect(try #require(order.firstIndex(of: "money")) < (try #require(order.firstIndex(of: "payments"))))
        let payments = try #require(directory.subject(named: "payments"))
        #expect(payments.versions[0].references.isEmpty)
        #expect(payments.versions[1].references.map(\.name) == ["money.proto"])
        let sources = try directory.sources(for: payments.versions[1])
        #expect(sources.map(\.name) == ["money.proto"] && sources.first?.type == .protobuf)
        #expect(try DirectoryLint().run(directory).isEmpty)
    }

    @Test func missingTargetsAndCyclesAreErrors() throws {
        let missing = try ScratchDirectory([
            "c/v1.avsc": Self.record("C", #"{"name":"a","type":"com.example.A"}"#),
            "c/subject.yaml": "references: { com.example.A: { subject: a, version: 1 } }\n",
        ])
        #expect(throws: MigrationError.self) { try DirectoryLint().run(try SchemaDirectory.load(missing.path)) }
        let cycle = try ScratchDirectory([
            "a/v1.avsc": Self.orderV1, "a/subject.yaml": "references: { x: { subject: b, version: 1 } }\n",
            "b/v1.avsc": Self.orderV1, "b/subject.yaml": "references: { y: { subject: a, version: 1 } }\n",
        ])
        #expect(throws: MigrationError.self) { try SchemaDirectory.load(cycle.path).dependencyOrder() }
        let outOfRange = try ScratchDirectory([
            "a/v1.avsc": Self.orderV1,
            "c/v1.avsc": Self.orderV1, "c/subject.yaml": "references: { x: { subject: a, version: 2 } }\n",
        ])
        #expect(throws: MigrationError.self) { try DirectoryLint().run(try SchemaDirectory.load(outOfRange.path)) }
    }

    @Test func lintFindsBreakingAndInvalidVersionsWithPositions() throws {
        let scratch = try ScratchDirectory([
            "orders/v1.avsc": Self.orderV1,
            "orders/v2.avsc": Self.orderV2,
            "orders/v3.avsc": "{\n  \"type\": \"record\", \"name\": \"Order\", \"namespace\": \"com.example\",\n  \"fields\": [{\"name\": \"id\", \"type\": \"long\"}]\n}\n",
            "broken/v1.avsc": "{ not json",
            "transitive/v1.avsc": Self.orderV1,
            "transitive/v2.avsc": Self.record("Order", ""),
            "transitive/v3.avsc": Self.record("Order", #"{"name":"id","type":"long","default":0}"#),
            "transitive/subject.yaml": "compatibility: BACKWARD_TRANSITIVE\n",
        ])
        let findings = try DirectoryLint().run(try SchemaDirectory.load(scratch.path))
        let orders = findings.filter { $0.subject == "orders" }
        #expect(orders.map(\.kind) == ["TYPE_MISMATCH"])
        #expect(orders.first?.version == 3 && orders.first?.against == 2 && orders.first?.path == "/fields/0/type")
        #expect(orders.first?.line == 3)
        #expect(findings.filter { $0.subject == "broken" }.map(\.kind) == ["INVALID_SCHEMA"])
        // Transitive: version 3 is checked against 1 as well as 2 (a long id cannot read v1's string).
        let transitive = findings.filter { $0.subject == "transitive" }
        #expect(transitive.map(\.against) == [1])
        #expect(transitive.map(\.version) == [3])
    }
}
