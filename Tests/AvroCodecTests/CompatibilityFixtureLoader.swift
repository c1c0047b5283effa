import Foundation
import JSONSupport
import Testing

/// One reader/writer pair from the JSON corpus under `Fixtures/compat/`.
struct CompatibilityCase: Sendable, CustomTestStringConvertible {
    struct Expected: Sendable, Hashable {
        var kind: String
        var path: String
        /// Facts the message must contain (names, symbols, sizes, types).
        var mentions: [String]
    }

    var file: String
    var name: String
    var reader: JSONValue
    var writer: JSONValue
    var compatible: Bool
    var incompatibilities: [Expected]

    var testDescription: String { "\(file): \(name)" }
}

/// Loads the corpus once, relative to this source file (no SwiftPM resources needed).
enum CompatibilityFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/compat")

    /// Every case, or the reasons files could not be read (reported by a dedicated test).
    static let loaded: (cases: [CompatibilityCase], problems: [String]) = load()

    static var all: [CompatibilityCase] { loaded.cases }

    private static func load() -> ([CompatibilityCase], [String]) {
        var cases: [CompatibilityCase] = []
        var problems: [String] = []
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            return ([], ["cannot list \(directory.path): \(error)"])
        }
        for fileName in names {
            do {
                let data = try Data(contentsOf: directory.appendingPathComponent(fileName))
                let json = try JSONParser.parse(Array(data))
                cases += try parseFile(json, file: fileName)
            } catch {
                problems.append("\(fileName): \(error)")
            }
        }
        return (cases, problems)
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    private static func parseFile(_ json: JSONValue, file: String) throws -> [CompatibilityCase] {
        guard let list = json.objectValue?["cases"]?.arrayValue else {
            throw FixtureError(description: "no \"cases\" array")
        }
        return try list.enumerated().map { index, item in
            guard let object = item.objectValue,
                let name = object["name"]?.stringValue,
                let reader = object["reader"],
                let writer = object["writer"],
                let compatible = object["compatible"]?.boolValue,
                let found = object["incompatibilities"]?.arrayValue
            else {
                throw FixtureError(description: "case \(index) lacks name, reader, writer, compatible or incompatibilities")
            }
            let expected = try found.map { entry -> CompatibilityCase.Expected in
                guard let kind = entry.objectValue?["kind"]?.stringValue,
                    let path = entry.objectValue?["path"]?.stringValue
                else {
                    throw FixtureError(description: "case \(name): an incompatibility lacks kind or path")
                }
                let mentions = entry.objectValue?["mentions"]?.arrayValue?.compactMap(\.stringValue) ?? []
                return .init(kind: kind, path: path, mentions: mentions)
            }
            return CompatibilityCase(
                file: file, name: name, reader: reader, writer: writer,
                compatible: compatible, incompatibilities: expected
            )
        }
    }
}
