import ArgumentParser
import Foundation
import JSONSupport
import Migrations

/// `accord migrate …`: a directory of subjects and versions as the registry's desired state.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Work with a migrations directory: one folder per subject, its versions in file-name order.",
        discussion: """
            Layout: DIR/<subject>/v1.avsc, v2.avsc, … (or .proto), in natural name order (v2 before v10), with an \
            optional subject.yaml (subject, type, compatibility, protobufRules, compatibilityPolicy, mode, references: NAME: {subject, \
            version}, versions: FILE: {references, migration: {upgrade: [STEP…], downgrade: [STEP…]}}) and optional \
            DIR/accord.yaml defaults (compatibility, protobufRules). A migration STEP is one of rename: {from, to}, \
            default: {field, value}, map: {field, values: {OLD: NEW}} or drop: {field} (fields are dotted paths into \
            nested records); `apply` registers a version with its steps in ruleSet.migrationRules, and `migrate data` \
            uses them to convert payloads between versions.
            """,
        subcommands: [Lint.self, Plan.self, Apply.self, Rollback.self, Status.self, Copy.self, DataCommand.self]
    )

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a migrations directory with no registry.",
            discussion: """
                Parses every version with its references resolved inside the directory, and checks each subject's \
                versions in order under its level (BACKWARD unless the manifest or accord.yaml says otherwise). \
                Exit 0 clean, 1 a finding (an invalid or incompatible version), 2 an unreadable directory or manifest.
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json, github
        }

        @Option(help: "The migrations directory.") var dir: String = "schemas"
        @Option(help: "text, json or github (workflow annotations).") var output: OutputFormat = .text

        func run() throws {
            let directory: SchemaDirectory
            let findings: [LintFinding]
            do {
                directory = try SchemaDirectory.load(dir)
                findings = try DirectoryLint().run(directory)
            } catch {
                throw CLIFailure.usage(error.description)
            }
            Output.write(render(findings, directory: directory))
            if !findings.isEmpty { throw ExitCode(AccordExit.rejected) }
        }

        private func relative(_ file: String, _ directory: SchemaDirectory) -> String {
            directory.displayPath(file, under: dir)
        }

        private func render(_ findings: [LintFinding], directory: SchemaDirectory) -> String {
            let versions = directory.subjects.reduce(0) { $0 + $1.versions.count }
            switch output {
            case .text:
                var lines = findings.map { finding in
                    let against = finding.against.map { " (against version \($0))" } ?? ""
                    let location = finding.line.map { ":\($0):\(finding.column ?? 1)" } ?? ""
                    let path = finding.path.isEmpty ? "" : " at \(finding.path)"
                    return "\(relative(finding.file, directory))\(location): \(finding.subject) version \(finding.version)\(against): "
                        + "\(finding.kind)\(path): \(finding.message)"
                }
                lines.append(
                    findings.isEmpty
                        ? "ok: \(directory.subjects.count) subjects, \(versions) versions"
                        : "\(findings.count) findings in \(directory.subjects.count) subjects, \(versions) versions")
                return lines.joined(separator: "\n") + "\n"
            case .json:
                let items: [JSONValue] = findings.map { finding in
                    var object = JSONObject()
                    object["subject"] = .string(finding.subject)
                    object["version"] = .integer(finding.version)
                    object["file"] = .string(relative(finding.file, directory))
                    object["kind"] = .string(finding.kind)
                    object["path"] = .string(finding.path)
                    object["message"] = .string(finding.message)
                    if let against = finding.against { object["against"] = .integer(against) }
                    if let line = finding.line { object["line"] = .integer(line) }
                    if let column = finding.column { object["column"] = .integer(column) }
                    return .object(object)
                }
                let report = JSONObject([
                    "clean": .bool(findings.isEmpty), "subjects": .integer(directory.subjects.count),
                    "versions": .integer(versions), "findings": .array(items),
                ])
                return JSONValue.object(report).serialized(.pretty) + "\n"
            case .github:
                if findings.isEmpty {
                    return "::notice title=Schemas clean::\(directory.subjects.count) subjects, \(versions) versions\n"
                }
                return findings.map { finding in
                    var properties = "file=\(GitHubAnnotation.property(relative(finding.file, directory)))"
                    if let line = finding.line { properties += ",line=\(line),col=\(finding.column ?? 1)" }
                    let title = "\(finding.kind) (\(finding.subject) version \(finding.version))"
                    let path = finding.path.isEmpty ? "" : "\(finding.path): "
                    return "::error \(properties),title=\(GitHubAnnotation.property(title))::\(GitHubAnnotation.data(path + finding.message))"
                }.joined(separator: "\n") + "\n"
            }
        }
    }
}

extension SchemaDirectory {
    /// `file` (a path inside the directory) as the user named the directory: `dir` followed by the path inside.
    func displayPath(_ file: String, under dir: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return (dir as NSString).appendingPathComponent(file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file)
    }
}
