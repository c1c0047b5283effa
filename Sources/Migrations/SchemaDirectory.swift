import Foundation
public import ProtobufCompatibility
public import SchemaCompatibility
public import SchemaProviders

/// A migrations directory: one folder per subject, its versions the schema files in natural name order
/// (`v2` before `v10`), an optional `subject.yaml`/`subject.json` manifest beside them, and optional root
/// defaults in `accord.yaml`/`accord.json`.
public struct SchemaDirectory: Sendable {
    public let root: String
    public let defaults: DirectoryDefaults
    /// Every subject, by name.
    public let subjects: [DirectorySubject]

    /// Most subject folders and version files read (a directory is a few hundred of each, not millions).
    public static let maxSubjects = 10_000
    public static let maxVersions = 10_000
    /// Largest schema file read, in bytes.
    public static let maxFileBytes = 8 << 20

    public init(root: String, defaults: DirectoryDefaults, subjects: [DirectorySubject]) {
        self.root = root
        self.defaults = defaults
        self.subjects = subjects.sorted { $0.name < $1.name }
    }

    /// Reads the directory at `path` with the schema formats `providers` knows.
    public static func load(_ path: String, providers: SchemaProviders = .standard) throws(MigrationError) -> SchemaDirectory {
        let rootURL = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidLayout(path, "not a directory")
        }
        var defaults = DirectoryDefaults()
        for name in ["accord.yaml", "accord.yml", "accord.json"] {
            let url = rootURL.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) {
                defaults = try ManifestReader.read(DirectoryDefaults.self, at: url)
                break
            }
        }
        let folders = try entries(of: rootURL).filter { $0.hasDirectoryPath }
        guard folders.count <= maxSubjects else { throw .invalidLayout(path, "more than \(maxSubjects) subject folders") }
        var subjects: [DirectorySubject] = []
        for folder in folders.sorted(by: { NaturalOrder.less($0.lastPathComponent, $1.lastPathComponent) }) {
            if let subject = try DirectorySubject.load(folder, defaults: defaults, providers: providers) {
                subjects.append(subject)
            }
        }
        var seen: [String: String] = [:]
        for subject in subjects {
            if let other = seen[subject.name] {
                throw .invalidLayout(subject.folder, "subject '\(subject.name)' is also the subject of \(other)")
            }
            seen[subject.name] = subject.folder
        }
        return SchemaDirectory(root: rootURL.path, defaults: defaults, subjects: subjects)
    }

    static func entries(of url: URL) throws(MigrationError) -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(
                at: url, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
            .map { entry in
                let isDirectory = (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                return isDirectory ? entry.appendingPathComponent("", isDirectory: true) : entry
            }
        } catch {
            throw .unreadable(url.path, error.localizedDescription)
        }
    }

    public func subject(named name: String) -> DirectorySubject? {
        subjects.first { $0.name == name }
    }

    /// The subjects with every subject a version references before it; a cycle is an error.
    public func dependencyOrder() throws(MigrationError) -> [DirectorySubject] {
        var order: [DirectorySubject] = []
        var state: [String: Bool] = [:]  // false: in progress, true: done
        func visit(_ subject: DirectorySubject, from path: [String]) throws(MigrationError) {
            if let done = state[subject.name] {
                if done { return }
                throw .unresolvedReference(subject.folder, "references form a cycle: \((path + [subject.name]).joined(separator: " → "))")
            }
            state[subject.name] = false
            for version in subject.versions {
                for reference in version.references {
                    guard let target = self.subject(named: reference.subject) else { continue }
                    try visit(target, from: path + [subject.name])
                }
            }
            state[subject.name] = true
            order.append(subject)
        }
        for subject in subjects { try visit(subject, from: []) }
        return order
    }

    /// The schemas `version`'s references reach inside the directory, each before the schemas using it, under
    /// the names the referrers use.
    public func sources(for version: DirectoryVersion) throws(MigrationError) -> [SchemaSource] {
        var sources: [SchemaSource] = []
        var seen: Set<String> = []
        try collect(version, into: &sources, seen: &seen, depth: 0)
        return sources
    }

    private func collect(_ version: DirectoryVersion, into sources: inout [SchemaSource], seen: inout Set<String>, depth: Int)
        throws(MigrationError)
    {
        guard depth < 32 else { throw .unresolvedReference(version.file, "references nest deeper than 32 levels") }
        for reference in version.references {
            guard let subject = subject(named: reference.subject) else {
                throw .unresolvedReference(
                    version.file, "reference '\(reference.name)' names subject '\(reference.subject)', which the directory does not have")
            }
            guard reference.version >= 1, reference.version <= subject.versions.count else {
                throw .unresolvedReference(
                    version.file,
                    "reference '\(reference.name)' names version \(reference.version) of '\(reference.subject)', which has \(subject.versions.count)")
            }
            let target = subject.versions[reference.version - 1]
            let key = "\(reference.name)\u{0}\(target.file)"
            guard seen.insert(key).inserted else { continue }
            try collect(target, into: &sources, seen: &seen, depth: depth + 1)
            if !sources.contains(where: { $0.name == reference.name }) {
                sources.append(SchemaSource(name: reference.name, type: subject.type, text: target.text))
            }
        }
    }
}

/// One subject folder.
public struct DirectorySubject: Sendable {
    public let name: String
    public let folder: String
    public let manifest: SubjectManifest
    public let type: SchemaType
    public let compatibility: CompatibilityLevel
    public let protobufRules: ProtoRuleSet
    public let policy: CompatibilityPolicy
    /// Versions 1, 2, … in natural file-name order.
    public let versions: [DirectoryVersion]

    /// Every reason `new` cannot follow `history` (oldest first) under the subject's level and rule set; a check
    /// over its work budget is one `CHECK_FAILED` finding.
    public func problems(_ new: any ParsedSchema, after history: [any ParsedSchema], providers: SchemaProviders) -> [Incompatibility] {
        guard !history.isEmpty else { return [] }
        do {
            return try providers.check(
                new, against: history, level: compatibility, options: CompatibilityOptions(protobufRules: protobufRules, policy: policy)
            ).incompatibilities
        } catch {
            return [Incompatibility(kind: "CHECK_FAILED", path: "", message: error.message)]
        }
    }

    static func load(_ folder: URL, defaults: DirectoryDefaults, providers: SchemaProviders) throws(MigrationError)
        -> DirectorySubject?
    {
        let entries = try SchemaDirectory.entries(of: folder).filter { !$0.hasDirectoryPath }
        var manifest = SubjectManifest()
        for name in ["subject.yaml", "subject.yml", "subject.json"] {
            if let url = entries.first(where: { $0.lastPathComponent == name }) {
                manifest = try ManifestReader.read(SubjectManifest.self, at: url)
                break
            }
        }
        let files = entries.filter { providers.provider(forFile: $0.lastPathComponent) != nil }
            .sorted { NaturalOrder.less($0.lastPathComponent, $1.lastPathComponent) }
        guard !files.isEmpty else { return nil }
        guard files.count <= SchemaDirectory.maxVersions else {
            throw .invalidLayout(folder.path, "more than \(SchemaDirectory.maxVersions) versions")
        }
        let name = manifest.subject ?? folder.lastPathComponent
        let type: SchemaType
        if let declared = manifest.type {
            guard let provider = providers.provider(for: SchemaType(name: declared)) else {
                throw .invalidManifest(folder.path, "unknown type '\(declared)' (known: \(providers.types.map(\.rawValue).joined(separator: ", ")))")
            }
            type = provider.type
        } else {
            let types = Set(files.compactMap { providers.provider(forFile: $0.lastPathComponent)?.type })
            guard types.count == 1, let only = types.first else {
                throw .invalidLayout(folder.path, "holds files of several schema types; name one with 'type' in subject.yaml")
            }
            type = only
        }
        let levelName = manifest.compatibility ?? defaults.compatibility ?? "BACKWARD"
        guard let level = CompatibilityLevel(name: levelName.replacingOccurrences(of: "-", with: "_")) else {
            throw .invalidManifest(folder.path, "unknown compatibility level '\(levelName)'")
        }
        let rulesName = manifest.protobufRules ?? defaults.protobufRules ?? "confluent"
        guard let rules = ProtoRuleSet(rawValue: rulesName.lowercased()) else {
            throw .invalidManifest(folder.path, "unknown protobufRules '\(rulesName)' (confluent, wire, wire-json or file)")
        }
        let policyName = manifest.compatibilityPolicy ?? defaults.compatibilityPolicy ?? "STRICT"
        guard let policy = CompatibilityPolicy(name: policyName) else {
            throw .invalidManifest(folder.path, "unknown compatibilityPolicy '\(policyName)' (STRICT or LENIENT)")
        }
        var versions: [DirectoryVersion] = []
        for (index, file) in files.enumerated() {
            guard providers.provider(forFile: file.lastPathComponent)?.type == type else {
                throw .invalidLayout(file.path, "is not a \(type.rawValue) schema file like the subject's others")
            }
            let text = try Self.read(file)
            let own = manifest.versions?[file.lastPathComponent]?.references ?? manifest.references ?? [:]
            let references = own.map { DirectoryReference(name: $0.key, subject: $0.value.subject, version: $0.value.version) }
                .sorted { $0.name < $1.name }
            versions.append(DirectoryVersion(number: index + 1, file: file.path, text: text, references: references))
        }
        return DirectorySubject(
            name: name, folder: folder.path, manifest: manifest, type: type, compatibility: level, protobufRules: rules, policy: policy,
            versions: versions)
    }

    private static func read(_ file: URL) throws(MigrationError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file.path, error.localizedDescription)
        }
        guard data.count <= SchemaDirectory.maxFileBytes else {
            throw .invalidLayout(file.path, "larger than \(SchemaDirectory.maxFileBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .invalidLayout(file.path, "not UTF-8 text") }
        return text
    }
}

/// One version file of a subject.
public struct DirectoryVersion: Sendable {
    /// 1-based, in natural file-name order.
    public let number: Int
    public let file: String
    public let text: String
    /// Sorted by name.
    public let references: [DirectoryReference]
}

/// A version's reference: the name its text uses, and the subject and version it resolves to.
public struct DirectoryReference: Sendable, Hashable {
    public let name: String
    public let subject: String
    public let version: Int
}

/// Natural name order: digit runs compare as numbers (`v2` < `v10`), the rest byte by byte.
public enum NaturalOrder {
    public static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var iEnd = i, jEnd = j
                while iEnd < x.count && isDigit(x[iEnd]) { iEnd += 1 }
                while jEnd < y.count && isDigit(y[jEnd]) { jEnd += 1 }
                // Compare digit runs as numbers of any length: leading zeros off, then length, then digits.
                let m = Array(x[i..<iEnd].drop { $0 == 0x30 }), n = Array(y[j..<jEnd].drop { $0 == 0x30 })
                if m.count != n.count { return m.count < n.count }
                if m != n { return m.lexicographicallyPrecedes(n) }
                if (iEnd - i) != (jEnd - j) { return (iEnd - i) < (jEnd - j) }
                i = iEnd
                j = jEnd
            } else {
                if x[i] != y[j] { return x[i] < y[j] }
                i += 1
                j += 1
            }
        }
        return (x.count - i) < (y.count - j)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
