import ArgumentParser
import Foundation
import JSONSupport
import SchemaCompatibility
import SchemaProviders

/// The report formats of `accord compat`.
enum CompatOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, junit
}

/// Renders a compatibility result for people, for scripts and for CI systems.
struct CompatReport {
    var result: CompatibilityResult
    var newFile: String
    var previousFiles: [String]
    /// The new schema file's bytes and format, so GitHub annotations can point at the line and column of a
    /// problem (its format's provider finds where: `SchemaProvider.sourcePosition`).
    var newText: [UInt8]? = nil
    var newType: SchemaType? = nil

    private func position(of problem: Incompatibility) -> (line: Int, column: Int)? {
        guard let newText, let newType, let provider = SchemaProviders.standard.provider(for: newType) else { return nil }
        return provider.sourcePosition(of: problem, inNewSchema: String(decoding: newText, as: UTF8.self))
    }

    func render(_ format: CompatOutputFormat) -> String {
        switch format {
        case .text: text()
        case .json: json().serialized(.pretty) + "\n"
        case .github: github()
        case .junit: junit()
        }
    }

    private func file(for version: Int?) -> String {
        guard let version, version >= 1, version <= previousFiles.count else { return "?" }
        return previousFiles[version - 1]
    }

    private func directionPhrase(_ direction: CompatibilityDirection?) -> String {
        switch direction {
        case .backward?: "new schema reading data of"
        case .forward?: "reading the new schema's data with"
        case nil: "against"
        }
    }

    func text() -> String {
        if result.level == .none {
            return "compatible: level NONE checks nothing\n"
        }
        if previousFiles.isEmpty {
            return "compatible: no previous versions to check against (\(result.level.rawValue))\n"
        }
        if result.isCompatible {
            let scope = result.level.isTransitive ? "all \(previousFiles.count) previous versions" : "the latest version"
            return "compatible: \(newFile) is \(result.level.rawValue) compatible with \(scope)\n"
        }
        var lines = ["incompatible: \(newFile) is not \(result.level.rawValue) compatible (\(result.incompatibilities.count) problems)"]
        for problem in result.incompatibilities {
            let version = problem.version.map(String.init) ?? "?"
            lines.append(
                "  version \(version) (\(file(for: problem.version))), \(directionPhrase(problem.direction)) it: "
                    + "\(problem.kind) at \(problem.path.isEmpty ? "/" : problem.path): \(problem.message)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> JSONValue {
        let problems: [JSONValue] = result.incompatibilities.map(Self.json(of:))
        return .object(
            JSONObject([
                "compatible": .bool(result.isCompatible),
                "level": .string(result.level.rawValue),
                "incompatibilities": .array(problems),
            ])
        )
    }

    /// One finding as JSON: kind, path, message, version, direction (`accord compat --output json`'s shape).
    static func json(of problem: Incompatibility) -> JSONValue {
        var object = JSONObject()
        object["kind"] = .string(problem.kind)
        object["path"] = .string(problem.path)
        object["message"] = .string(problem.message)
        object["version"] = problem.version.map { .integer($0) } ?? .null
        object["direction"] = problem.direction.map { .string($0.rawValue) } ?? .null
        return .object(object)
    }

    /// Annotations that get a line and column.
    static let positionedAnnotations = 50

    /// GitHub Actions workflow commands: one `::error` annotation per problem, on the new schema file.
    func github() -> String {
        if result.isCompatible {
            return "::notice file=\(escapeProperty(newFile)),title=Schema compatible::"
                + escapeData("\(newFile) is \(result.level.rawValue) compatible") + "\n"
        }
        return result.incompatibilities.enumerated().map { index, problem in
            let version = problem.version.map(String.init) ?? "?"
            let title = "\(problem.kind) (\(result.level.rawValue) vs version \(version))"
            let message = "\(problem.path.isEmpty ? "/" : problem.path): \(problem.message) [\(file(for: problem.version))]"
            var location = ""
            // Each position is one pass over the text; GitHub shows only the first few annotations of a step,
            // so only the first `positionedAnnotations` get one and the work stays linear in the file.
            if index < Self.positionedAnnotations, let (line, column) = position(of: problem) {
                location = ",line=\(line),col=\(column)"
            }
            return "::error file=\(escapeProperty(newFile))\(location),title=\(escapeProperty(title))::\(escapeData(message))"
        }.joined(separator: "\n") + "\n"
    }

    private func escapeData(_ s: String) -> String { GitHubAnnotation.data(s) }

    private func escapeProperty(_ s: String) -> String { GitHubAnnotation.property(s) }

    /// A JUnit XML report: one test case per previous version and direction checked.
    func junit() -> String {
        var cases: [String] = []
        let positions: [Int] =
            previousFiles.isEmpty || result.level == .none
            ? [] : (result.level.isTransitive ? Array(1...previousFiles.count) : [previousFiles.count])
        for version in positions {
            for direction in result.level.directions {
                let name = "\(direction.rawValue) against version \(version) (\(file(for: version)))"
                let problems = result.incompatibilities.filter { $0.version == version && $0.direction == direction }
                var xml = "    <testcase classname=\"\(xmlEscape("accord.compat." + newFile))\" name=\"\(xmlEscape(name))\""
                if problems.isEmpty {
                    xml += "/>"
                } else {
                    let body = problems.map { "\($0.kind) at \($0.path.isEmpty ? "/" : $0.path): \($0.message)" }
                        .joined(separator: "\n")
                    xml += ">\n      <failure type=\"incompatible\" message=\"\(xmlEscape("\(problems.count) incompatibilities"))\">"
                        + xmlEscape(body) + "</failure>\n    </testcase>"
                }
                cases.append(xml)
            }
        }
        let failures = cases.filter { $0.contains("<failure") }.count
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="\(cases.count)" failures="\(failures)">
              <testsuite name="\(xmlEscape("compat \(result.level.rawValue): " + newFile))" tests="\(cases.count)" failures="\(failures)" errors="0">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    private func xmlEscape(_ s: String) -> String { Self.xmlEscape(s) }

    static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
