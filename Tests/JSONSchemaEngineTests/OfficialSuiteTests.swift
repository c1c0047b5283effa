import Foundation
@testable import JSONSchemaEngine
import JSONSupport
import Testing

/// Runs JSON-Schema-Test-Suite files (the official, language-agnostic test suite) through the engine.
enum SuiteRunner {
    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
        /// Cases the byte validator (`isValid(json:)`'s tape pass) decided without falling back to the tree.
        var fromBytes = 0
    }

    static let debianRoot = "/usr/share/json-schema-test-suite"

    /// Every remote document under `remotes`, by the `http://localhost:1234/...` URI the tests use for it.
    static func remotes(at directory: String) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else { return out }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".json") else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + relative))
            out["http://localhost:1234/" + relative] = try JSONParser.parse([UInt8](data))
        }
        return out
    }

    /// Runs every case of every top-level file (not `optional/`) in `directory`.
    static func run(directory: String, draft: JSONSchemaDraft, remotes: [String: JSONValue]) throws -> Outcome {
        var outcome = Outcome()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            guard case .array(let groups) = try JSONParser.parse([UInt8](data)) else {
                outcome.failures.append("\(file): not an array of test groups")
                continue
            }
            for group in groups {
                guard case .object(let g) = group, let schema = g["schema"], case .array(let tests)? = g["tests"] else {
                    outcome.failures.append("\(file): malformed test group")
                    continue
                }
                let description = g["description"]?.stringValue ?? "?"
                let compiled: CompiledJSONSchema
                do {
                    compiled = try CompiledJSONSchema(schema, resources: remotes, options: JSONSchemaOptions(defaultDraft: draft))
                } catch {
                    outcome.total += tests.count
                    outcome.failures.append("\(file) | \(description): schema rejected: \(error)")
                    continue
                }
                for test in tests {
                    guard case .object(let t) = test, let data = t["data"], case .bool(let expected)? = t["valid"] else {
                        outcome.failures.append("\(file) | \(description): malformed test")
                        continue
                    }
                    outcome.total += 1
                    let violations = compiled.validate(data)
                    let valid = compiled.isValid(data)
                    // The same instance as bytes: the tape pass (when it has a verdict), and `isValid(json:)` and
                    // `validate(json:)` as callers see them, must agree with the tree.
                    var bytes: [UInt8] = []
                    data.write(into: &bytes)
                    let fast = compiled.fastVerdict(bytes, limits: .default)
                    if fast != nil { outcome.fromBytes += 1 }
                    let validBytes = try compiled.isValid(json: bytes)
                    let violationsBytes = try compiled.validate(json: bytes)
                    if valid == expected && violations.isEmpty == expected && (fast ?? expected) == expected
                        && validBytes == expected && violationsBytes == violations
                    {
                        outcome.passed += 1
                    } else {
                        let name = t["description"]?.stringValue ?? "?"
                        outcome.failures.append(
                            "\(file) | \(description) | \(name): expected \(expected ? "valid" : "invalid"), isValid \(valid), "
                                + "from bytes \(fast.map(String.init) ?? "undecided")/\(validBytes), violations \(violations)"
                        )
                    }
                }
            }
        }
        return outcome
    }
}

@Suite("JSON-Schema-Test-Suite")
struct OfficialSuiteTests {
    /// Debian's json-schema-test-suite package: drafts 4, 6 and 7 must pass completely.
    @Test("Debian's suite, drafts 4, 6, 7: every required case passes", arguments: [
        ("draft4", JSONSchemaDraft.draft4), ("draft6", .draft6), ("draft7", .draft7),
    ])
    func debianSuite(directory: String, draft: JSONSchemaDraft) throws {
        let tests = SuiteRunner.debianRoot + "/tests/" + directory
        guard FileManager.default.fileExists(atPath: tests) else {
            Issue.record("\(tests) is missing: install the json-schema-test-suite package (apt-get install json-schema-test-suite)")
            return
        }
        let remotes = try SuiteRunner.remotes(at: SuiteRunner.debianRoot + "/remotes")
        let outcome = try SuiteRunner.run(directory: tests, draft: draft, remotes: remotes)
        print("JSON-Schema-Test-Suite \(directory): \(outcome.passed)/\(outcome.total) (\(outcome.fromBytes) decided from bytes)")
        #expect(outcome.total > 0)
        #expect(
            outcome.failures.isEmpty,
            Comment(rawValue: "\(outcome.failures.count) failures:\n" + outcome.failures.joined(separator: "\n"))
        )
    }

    /// An upstream checkout's `tests` directory named by ACCORD_JSON_SCHEMA_SUITE: measured and printed, all five drafts.
    @Test("Upstream suite named by ACCORD_JSON_SCHEMA_SUITE (measurement only)")
    func upstreamSuite() throws {
        guard let root = ProcessInfo.processInfo.environment["ACCORD_JSON_SCHEMA_SUITE"], !root.isEmpty else { return }
        let remotesDirectory = URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("remotes").path
        let remotes = try SuiteRunner.remotes(at: remotesDirectory)
        let verbose = ProcessInfo.processInfo.environment["ACCORD_JSON_SCHEMA_SUITE_VERBOSE"] != nil
        for (directory, draft) in [
            ("draft4", JSONSchemaDraft.draft4), ("draft6", .draft6), ("draft7", .draft7),
            ("draft2019-09", .draft2019_09), ("draft2020-12", .draft2020_12),
        ] {
            let tests = root + "/" + directory
            guard FileManager.default.fileExists(atPath: tests) else { continue }
            let outcome = try SuiteRunner.run(directory: tests, draft: draft, remotes: remotes)
            print("JSON-Schema-Test-Suite upstream \(directory): \(outcome.passed)/\(outcome.total) (\(outcome.fromBytes) decided from bytes)")
            if verbose { for f in outcome.failures { print("  FAIL \(directory) \(f)") } }
        }
    }
}
