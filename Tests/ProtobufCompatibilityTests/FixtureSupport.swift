import Foundation
import ProtobufCompatibility
import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf

/// One pair of `Fixtures/cases.json` with its expected kinds per rule set.
struct FixtureCase: Sendable, CustomStringConvertible {
    let name: String
    let expect: [String: [String]]

    var description: String { name }
}

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The cases of `cases.json`, or none if it cannot be read (a separate test asserts the count).
    static let cases: [FixtureCase] = {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("cases.json")),
            let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return list.compactMap { entry in
            guard let name = entry["name"] as? String, let expect = entry["expect"] as? [String: [String]] else {
                return nil
            }
            return FixtureCase(name: name, expect: expect)
        }
    }()

    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    static func schema(at relativePath: String) throws -> ProtoSchema {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
        do {
            return try ProtoSchema(descriptorSet: set, mainFile: "main.proto")
        } catch {
            throw LoadError(description: "\(relativePath): \(error)")
        }
    }

    static func pair(_ name: String) throws -> (old: ProtoSchema, new: ProtoSchema) {
        (try schema(at: "cases/\(name)/old.pb"), try schema(at: "cases/\(name)/new.pb"))
    }

    /// The incompatibilities when the new schema of `name` reads the old one's data under `rules`.
    static func backward(_ name: String, _ rules: ProtoRuleSet) throws -> [Incompatibility] {
        let (old, new) = try pair(name)
        return try ProtobufCompatibility(rules: rules).incompatibilities(reader: new, writer: old)
    }

    static func history() throws -> [ProtoSchema] {
        try (1...5).map { try schema(at: "history/v\($0).pb") }
    }
}
