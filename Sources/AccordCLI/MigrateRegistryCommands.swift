import AccordClient
import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import JSONSupport
import Migrations
import SchemaCompatibility
import SchemaProviders

// `accord migrate plan|apply|rollback|status|copy`: the subcommands that read git or a registry.

extension MigrateCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The changes applying the directory would make, each new version judged against its subject's history.",
            discussion: """
                With --registry URL (or ACCORD_REGISTRY), the history is the registry's: each directory version is \
                looked up by content, and those it does not have are checked against the subject's registered \
                versions (and the new ones before them) under the directory's level; "version" is the number the \
                registry will give. With --against git:REF the history is the directory as it was at REF (read with \
                git; a branch, tag or commit) and the new state the working tree, so CI can check a pull request \
                with no registry; an earlier version edited or removed is refused (a registry keeps what it \
                registered). Either way subjects come in dependency order (referenced subjects first), changed \
                levels and modes are listed, and nothing is written. With --prune, deletions come last: live \
                versions the directory does not hold and subjects it does not have (against git: subjects and trailing \
                versions removed since REF), referrers first, refused when a schema that stays references them. Exit 0 \
                when every change is compatible, 1 when one would be refused, 2 on errors.
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json, github, junit
        }

        @Option(help: "The migrations directory.") var dir: String = "schemas"
        @Option(help: "git:REF — plan against the directory as it was at REF (e.g. git:origin/main), no registry.")
        var against: String?
        @OptionGroup var connection: RegistryConnectionOptions
        @Option(help: "text, json, github (workflow annotations) or junit (JUnit XML).") var output: OutputFormat = .text
        @Flag(help: "Also plan deletions: what the registry holds and the directory does not.") var prune = false

        func run() async throws {
            let new: SchemaDirectory
            let changes: [PlannedChange]
            if let against {
                if connection.registry != nil { throw CLIFailure.usage("give either --against or --registry, not both") }
                guard against.hasPrefix("git:"), against.count > 4 else {
                    throw CLIFailure.usage("--against takes git:REF (a branch, tag or commit), got '\(against)'")
                }
                (new, changes) = try plan(String(against.dropFirst(4)))
            } else {
                let environment = ProcessInfo.processInfo.environment["ACCORD_REGISTRY"] ?? ""
                guard connection.registry != nil || !environment.isEmpty else {
                    throw CLIFailure.usage("plan against what? pass --registry URL (or set ACCORD_REGISTRY), or --against git:REF")
                }
                do {
                    new = try SchemaDirectory.load(dir)
                } catch {
                    throw CLIFailure.usage(error.description)
                }
                let client = try connection.client()
                do {
                    changes = try await registryCall { try await RegistryPlanner(client: client).plan(new, prune: prune) }
                } catch let error as MigrationError {
                    throw CLIFailure.usage(error.description)
                } catch let error as SchemaProviderError {
                    throw CLIFailure.usage("a registered schema does not parse: \(error.message)")
                }
            }
            Output.write(render(changes, new))
            if changes.contains(where: { !$0.compatible }) { throw ExitCode(AccordExit.rejected) }
        }

        /// The working tree's directory and the changes from its state at `reference`.
        private func plan(_ reference: String) throws(CLIFailure) -> (SchemaDirectory, [PlannedChange]) {
            let new: SchemaDirectory
            let snapshot: GitSnapshot
            do {
                new = try SchemaDirectory.load(dir)
                snapshot = try GitSnapshot(directory: dir, reference: reference)
            } catch {
                throw .usage(error.description)
            }
            let result: Result<[PlannedChange], MigrationError>
            do {
                let old: SchemaDirectory? = snapshot.isEmpty ? nil : try SchemaDirectory.load(snapshot.path)
                result = .success(try DirectoryPlanner().plan(from: old, to: new, prune: prune))
            } catch {
                result = .failure(error)
            }
            snapshot.remove()
            switch result {
            case .success(let changes): return (new, changes)
            case .failure(let error): throw .usage(error.description)
            }
        }

        private func relative(_ file: String?, _ directory: SchemaDirectory) -> String {
            file.map { directory.displayPath($0, under: dir) } ?? ""
        }

        private func describe(_ change: PlannedChange, _ directory: SchemaDirectory) -> String {
            switch change.action {
            case .register: "register \(change.subject) version \(change.version ?? 0) from \(relative(change.file, directory))"
            case .config: "set \(change.subject) compatibility to \(change.value ?? "")"
            case .policy: "set \(change.subject) compatibilityPolicy to \(change.value ?? "")"
            case .mode: "set \(change.subject) mode to \(change.value ?? "")"
            case .rewrite: "\(change.subject) version \(change.version ?? 0) (\(relative(change.file, directory))) was changed"
            case .delete:
                change.version.map { "delete \(change.subject) version \($0) (soft: its id stays resolvable)" }
                    ?? "delete subject \(change.subject) (soft: its ids stay resolvable)"
            }
        }

        private func render(_ changes: [PlannedChange], _ directory: SchemaDirectory) -> String {
            let refused = changes.filter { !$0.compatible }.count
            switch output {
            case .text:
                var lines: [String] = []
                for change in changes {
                    lines.append((change.compatible ? "  " : "✗ ") + describe(change, directory))
                    for problem in change.incompatibilities {
                        let against = problem.version.map { " (against version \($0))" } ?? ""
                        lines.append("    \(problem.kind)\(against) at \(problem.path.isEmpty ? "/" : problem.path): \(problem.message)")
                    }
                }
                lines.append(
                    changes.isEmpty
                        ? "nothing to do: \(against ?? "the registry") and \(dir) hold the same versions and settings"
                        : "\(changes.count) changes, \(refused) would be refused")
                return lines.joined(separator: "\n") + "\n"
            case .json:
                let items: [JSONValue] = changes.map { change in
                    var object = JSONObject()
                    object["subject"] = .string(change.subject)
                    object["action"] = .string(change.action.rawValue)
                    object["file"] = change.file.map { .string(relative($0, directory)) } ?? .null
                    object["version"] = change.version.map { .integer($0) } ?? .null
                    if let value = change.value { object["value"] = .string(value) }
                    object["compatible"] = .bool(change.compatible)
                    object["incompatibilities"] = .array(change.incompatibilities.map(CompatReport.json(of:)))
                    return .object(object)
                }
                return JSONValue.object(JSONObject(["compatible": .bool(refused == 0), "changes": .array(items)]))
                    .serialized(.pretty) + "\n"
            case .github:
                var lines: [String] = []
                for change in changes where !change.compatible {
                    let version = directory.subject(named: change.subject)?.versions.first { $0.file == change.file }
                    let provider = directory.subject(named: change.subject).flatMap { SchemaProviders.standard.provider(for: $0.type) }
                    for problem in change.incompatibilities {
                        var properties = "file=\(GitHubAnnotation.property(relative(change.file, directory)))"
                        if let version, let provider, let position = provider.sourcePosition(of: problem, inNewSchema: version.text) {
                            properties += ",line=\(position.line),col=\(position.column)"
                        }
                        let title = "\(problem.kind) (\(change.subject) version \(change.version ?? 0))"
                        let path = problem.path.isEmpty ? "" : "\(problem.path): "
                        lines.append("::error \(properties),title=\(GitHubAnnotation.property(title))::\(GitHubAnnotation.data(path + problem.message))")
                    }
                }
                if lines.isEmpty { lines.append("::notice title=Schema plan::\(changes.count) changes, all compatible") }
                return lines.joined(separator: "\n") + "\n"
            case .junit:
                let cases = changes.map { change -> String in
                    let name = CompatReport.xmlEscape(describe(change, directory))
                    guard !change.compatible else { return "    <testcase classname=\"accord.migrate.plan\" name=\"\(name)\"/>" }
                    let body = change.incompatibilities.map { "\($0.kind) at \($0.path.isEmpty ? "/" : $0.path): \($0.message)" }
                        .joined(separator: "\n")
                    return "    <testcase classname=\"accord.migrate.plan\" name=\"\(name)\">\n"
                        + "      <failure type=\"refused\" message=\"\(change.incompatibilities.count) problems\">\(CompatReport.xmlEscape(body))</failure>\n"
                        + "    </testcase>"
                }
                return """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <testsuites tests="\(cases.count)" failures="\(refused)">
                      <testsuite name="migrate plan" tests="\(cases.count)" failures="\(refused)" errors="0">
                    \(cases.joined(separator: "\n"))
                      </testsuite>
                    </testsuites>

                    """
            }
        }
    }
}

/// Where `apply`, `rollback` and `status` keep the journal: the registry, unless a file is named.
struct JournalOption: ParsableArguments {
    @Option(
        help: "Keep the journal in this file (for registries other than accord serve, which keeps it itself).")
    var journal: String?

    func store(_ client: SchemaRegistryClient) -> any JournalStore {
        if let journal { return JournalFile(path: journal) }
        return RegistryJournal(client: client)
    }
}

extension MigrateCommand {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the directory to a registry as one journaled release.",
            discussion: """
                Plans as `migrate plan --registry` does, then, when every change is compatible, applies them in \
                order (referenced subjects first), writing each to the journal with the state before it. If a step \
                fails, the release's changes are undone newest first (versions it registered soft-deleted, levels \
                and modes restored) and the journal says why. Applying again is a no-op; a release interrupted by a \
                crash is finished by the next run, and two runs cannot interleave (the second refuses). The journal \
                is kept in the registry (accord serve, /accord/v1/migrations/journal), or with --journal FILE in a \
                file, for other registries. Exit 0 applied or nothing to do, 1 refused or undone, 2 on errors.
                """
        )

        @Option(help: "The migrations directory.") var dir: String = "schemas"
        @OptionGroup var journal: JournalOption
        @Flag(help: "Also soft-delete what the registry holds and the directory does not (see plan --prune).") var prune = false
        @Option(help: "Who applies the release, for the journal (default: $USER).") var actor: String?
        @OptionGroup var connection: RegistryConnectionOptions

        func run() async throws {
            let directory: SchemaDirectory
            do {
                directory = try SchemaDirectory.load(dir)
            } catch {
                throw CLIFailure.usage(error.description)
            }
            let client = try connection.client()
            let onTerminal = isatty(STDERR_FILENO) != 0
            let applier = RegistryApplier(
                client: client, journal: journal.store(client),
                actor: actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown",
                progress: { line in if onTerminal { Output.error(line) } })
            let outcome: RegistryApplier.Outcome
            do {
                outcome = try await registryCall { try await applier.apply(directory, prune: prune) }
            } catch let error as MigrationError {
                throw CLIFailure.usage(error.description)
            }
            switch outcome {
            case .nothingToDo:
                Output.writeLine("nothing to do: the registry already holds \(dir)")
            case .refused(let plan):
                for change in plan where !change.compatible {
                    Output.writeLine("refused: \(change.subject) \(change.action.rawValue) \(change.version.map { "version \($0)" } ?? "")")
                    for problem in change.incompatibilities {
                        Output.writeLine("  \(problem.kind) at \(problem.path.isEmpty ? "/" : problem.path): \(problem.message)")
                    }
                }
                Output.writeLine("nothing applied: run `accord migrate plan` for the whole plan")
                throw ExitCode(AccordExit.rejected)
            case .applied(let release):
                Output.writeLine("applied release \(release.id): \(release.changes.count) changes")
            case .undone(let release):
                Output.writeLine(
                    "undone release \(release.id): \(release.failure ?? "a step failed"); its \(release.changes.count) applied changes were reverted")
                throw ExitCode(AccordExit.rejected)
            }
        }
    }
}

extension MigrateCommand {
    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revert applied releases, newest first.",
            discussion: """
                Reverts the newest applied release in the journal, or with --to RELEASE every release applied after \
                it (an id or a prefix of one). Versions the releases registered are soft-deleted, so latest is again \
                what it was and ids stay resolvable for data written with them; levels and modes are restored. It \
                refuses, saying why, when a subject got a version outside these releases since, or when a version to \
                remove is referenced by another schema; --force reverts anyway. Exit 0 rolled back (or nothing to \
                roll back), 1 refused, 2 on errors.
                """
        )

        @OptionGroup var journal: JournalOption
        @Option(help: "Roll back every release applied after this one (id or prefix).") var to: String?
        @Flag(help: "Roll back even when the registry changed since the release.") var force = false
        @OptionGroup var connection: RegistryConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let onTerminal = isatty(STDERR_FILENO) != 0
            let applier = RegistryApplier(
                client: client, journal: journal.store(client), actor: ProcessInfo.processInfo.environment["USER"] ?? "unknown",
                progress: { line in if onTerminal { Output.error(line) } })
            let outcome: RegistryApplier.RollbackOutcome
            do {
                outcome = try await registryCall { try await applier.rollback(after: to, force: force) }
            } catch let error as MigrationError {
                throw CLIFailure.usage(error.description)
            }
            switch outcome {
            case .nothingToRollBack:
                Output.writeLine("nothing to roll back")
            case .unsafe(let problems):
                for problem in problems { Output.writeLine("unsafe: \(problem)") }
                Output.writeLine("nothing rolled back: the registry changed since the release (--force rolls back anyway)")
                throw ExitCode(AccordExit.rejected)
            case .rolledBack(let releases):
                for release in releases {
                    Output.writeLine("rolled back release \(release.id): \(release.changes.count) changes reverted")
                }
            }
        }
    }
}

extension MigrateCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Releases applied, and drift between the directory and the registry.",
            discussion: """
                Lists the journal's releases (id, time, actor, state, changes) and what differs between the \
                directory and the registry: changes `apply` would make, and live versions the directory does not \
                hold (registered outside a release). Exit 0 in step, 1 drift, 2 on errors.
                """
        )

        @Option(help: "The migrations directory.") var dir: String = "schemas"
        @OptionGroup var journal: JournalOption
        @OptionGroup var connection: RegistryConnectionOptions

        func run() async throws {
            let directory: SchemaDirectory
            do {
                directory = try SchemaDirectory.load(dir)
            } catch {
                throw CLIFailure.usage(error.description)
            }
            let client = try connection.client()
            let store = journal.store(client)
            let record: MigrationJournal
            do {
                record = try await registryCall { try await store.load() }
            } catch let error as MigrationError {
                throw CLIFailure.usage(error.description)
            }
            let formatter = ISO8601DateFormatter()
            for release in record.releases {
                Output.writeLine(
                    "release \(release.id) \(formatter.string(from: release.started)) \(release.actor) \(release.state.rawValue): "
                        + "\(release.changes.count) changes" + (release.failure.map { " (\($0))" } ?? ""))
            }
            if record.releases.isEmpty { Output.writeLine("no releases in \(store.location)") }
            var drift: [String] = []
            do {
                let plan = try await registryCall { try await RegistryPlanner(client: client).plan(directory) }
                for change in plan {
                    switch change.action {
                    case .register: drift.append("not registered: \(change.subject) \(change.file.map { ($0 as NSString).lastPathComponent } ?? "")")
                    case .config: drift.append("level differs: \(change.subject) should be \(change.value ?? "")")
                    case .policy: drift.append("policy differs: \(change.subject) should be \(change.value ?? "")")
                    case .mode: drift.append("mode differs: \(change.subject) should be \(change.value ?? "")")
                    case .rewrite, .delete: break
                    }
                }
                for subject in directory.subjects {
                    let live = try await registryCall { () async throws -> [Int] in
                        do {
                            return try await client.versions(subject: subject.name)
                        } catch let error as RegistryClientError where error.errorCode == RegistryClientError.subjectNotFound {
                            return []
                        }
                    }
                    let held = subject.versions.count
                    let planned = plan.filter { $0.subject == subject.name && $0.action == .register }.count
                    // Versions the registry has beyond those the directory accounts for came from elsewhere.
                    let outside = live.count - (held - planned)
                    if outside > 0 { drift.append("registered outside a release: \(subject.name) has \(outside) versions the directory does not hold") }
                }
            } catch let error as MigrationError {
                throw CLIFailure.usage(error.description)
            } catch let error as SchemaProviderError {
                throw CLIFailure.usage("a registered schema does not parse: \(error.message)")
            }
            for line in drift { Output.writeLine("drift: \(line)") }
            Output.writeLine(drift.isEmpty ? "in step: the registry holds \(dir)" : "\(drift.count) differences")
            if !drift.isEmpty { throw ExitCode(AccordExit.rejected) }
        }
    }
}

extension MigrateCommand {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy subjects from one registry to another, keeping ids and versions.",
            discussion: """
                Copies every version of the matching subjects (soft-deleted ones too, deleted again on the target), \
                with references, and the subjects' own levels and modes, from any Confluent-compatible registry to \
                another, in id order (referenced schemas first). The target is put in IMPORT mode for the copy and \
                given its mode back after. A version the target already holds with the same id is skipped, so an \
                interrupted copy resumes when run again (--batch N copies at most N versions a run). At the end every \
                id is compared on both sides. Exit 0 copied and verified, 1 a mismatch, 2 on errors.
                """
        )

        @Option(help: "The source registry's URL.") var from: String
        @Option(help: "The target registry's URL.") var to: String
        @Option(name: .customLong("from-user"), help: "USER:PASSWORD for the source.") var fromUser: String?
        @Option(name: .customLong("from-token"), help: "A bearer token for the source.") var fromToken: String?
        @Option(name: .customLong("to-user"), help: "USER:PASSWORD for the target.") var toUser: String?
        @Option(name: .customLong("to-token"), help: "A bearer token for the target.") var toToken: String?
        @Option(help: "Only subjects matching this shell pattern (e.g. 'orders-*').") var subjects: String?
        @Option(help: "Copy at most N versions this run; run again to continue.") var batch: Int?
        @Flag(name: .customLong("dry-run"), help: "List what would be copied; change nothing.") var dryRun = false

        func run() async throws {
            if let batch, batch < 1 { throw CLIFailure.usage("--batch wants a positive number") }
            let source = try RegistryConnectionOptions.client(urls: from, user: fromUser, token: fromToken)
            let target = try RegistryConnectionOptions.client(urls: to, user: toUser, token: toToken)
            let onTerminal = isatty(STDERR_FILENO) != 0
            let copier = RegistryCopy(source: source, target: target, progress: { line in if onTerminal { Output.error(line) } })
            let entries = try await registryCall { try await copier.entries(matching: subjects) }
            if dryRun {
                for entry in entries {
                    Output.writeLine("\(entry.subject) version \(entry.version) id \(entry.id)\(entry.deleted ? " (deleted)" : "")")
                }
                Output.writeLine("\(entries.count) versions in \(Set(entries.map(\.subject)).count) subjects would be copied")
                return
            }
            let outcome: RegistryCopy.Outcome
            do {
                outcome = try await registryCall { try await copier.copy(entries, limit: batch) }
            } catch let error as MigrationError {
                throw CLIFailure.usage(error.description)
            }
            if outcome.stoppedEarly {
                Output.writeLine("copied \(outcome.copied) versions (\(outcome.skipped) already there); run again to continue")
                return
            }
            Output.writeLine(
                "copied \(outcome.copied) versions (\(outcome.skipped) already there) in \(Set(entries.map(\.subject)).count) subjects")
            if !outcome.mismatched.isEmpty {
                Output.writeLine("mismatch: ids \(outcome.mismatched.map(String.init).joined(separator: ", ")) differ between the registries")
                throw ExitCode(AccordExit.rejected)
            }
            Output.writeLine("verified: \(Set(entries.map(\.id)).count) ids resolve to the same schemas on both sides")
        }
    }
}

