import SchemaCompatibility
public import SchemaProviders

/// One problem `accord migrate lint` found: a version that does not parse, or that breaks an earlier one.
public struct LintFinding: Sendable, Hashable {
    public var subject: String
    public var version: Int
    public var file: String
    /// The finding's kind (`TYPE_MISMATCH`, …) or `INVALID_SCHEMA`.
    public var kind: String
    /// Where in the schema: a JSON pointer (Avro) or element path (Protobuf); empty for the whole file.
    public var path: String
    public var message: String
    /// The earlier version the problem is against.
    public var against: Int?
    /// The 1-based line and column in `file`, when the format can tell.
    public var line: Int?
    public var column: Int?
}

/// Checks a directory with no registry: every file parses with its references resolved inside the directory,
/// and each subject's versions, in order, are compatible under the subject's level.
public struct DirectoryLint: Sendable {
    public let providers: SchemaProviders

    public init(providers: SchemaProviders = .standard) {
        self.providers = providers
    }

    /// Every finding, subjects in dependency order. Throws for a directory that cannot be read as one.
    public func run(_ directory: SchemaDirectory) throws(MigrationError) -> [LintFinding] {
        var findings: [LintFinding] = []
        for subject in try directory.dependencyOrder() {
            guard let provider = providers.provider(for: subject.type) else { continue }
            var history: [any ParsedSchema] = []
            for version in subject.versions {
                let parsed: any ParsedSchema
                do {
                    parsed = try provider.parse(version.text, path: nil, imports: .sources(try directory.sources(for: version)))
                } catch let error as SchemaProviderError {
                    findings.append(
                        LintFinding(
                            subject: subject.name, version: version.number, file: version.file, kind: "INVALID_SCHEMA", path: "",
                            message: error.message))
                    continue
                } catch let error as MigrationError {
                    throw error
                } catch {
                    throw .unreadable(version.file, "\(error)")
                }
                defer { history.append(parsed) }
                for problem in subject.problems(parsed, after: history, providers: providers) {
                    let position = provider.sourcePosition(of: problem, inNewSchema: version.text)
                    findings.append(
                        LintFinding(
                            subject: subject.name, version: version.number, file: version.file, kind: problem.kind,
                            path: problem.path, message: problem.message, against: problem.version, line: position?.line,
                            column: position?.column))
                }
            }
        }
        return findings
    }
}
