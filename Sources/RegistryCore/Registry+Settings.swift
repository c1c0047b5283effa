import JSONSupport
import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders

extension Registry {
    // MARK: Config

    /// GET /config (subject nil) or /config/{s}. Without `defaultToGlobal` a subject with no config of its
    /// own is 40408; the global config always answers, with the defaults filled in.
    /// With `defaultToGlobal` (and for the global config itself) the answer is the first config along
    /// `settingScopes`, as Confluent's `getConfigInScope`.
    public func config(subject: String?, defaultToGlobal: Bool = false) async throws -> SubjectConfig {
        let subject = try subject.map { name throws(RegistryError) in try SubjectName.canonical(name) }
        if let subject {
            if let own = try await store.config(subject: subject) { return own }
            guard defaultToGlobal else { throw RegistryError.subjectConfigNotFound(subject) }
        }
        var found = SubjectConfig()
        for scope in settingScopes(of: subject) {
            if let config = try await store.config(subject: scope) {
                found = config
                break
            }
        }
        if found.compatibilityLevel == nil { found.compatibilityLevel = options.defaultCompatibility }
        return found
    }

    /// PUT /config or /config/{s}: the fields the update gives replace the stored ones.
    public func setConfig(subject: String?, update: ConfigUpdate) async throws {
        let subject = try subject.map { name throws(RegistryError) in try SubjectName.writable(name) }
        let config = update.applied(to: try await store.config(subject: subject) ?? SubjectConfig())
        try await requireNotReadOnly(subject: subject)
        try await store.setConfig(config, subject: subject)
    }

    /// Config writes are refused in READONLY mode (Confluent's updateConfig and deleteSubjectConfig).
    private func requireNotReadOnly(subject: String?) async throws {
        let mode = try await effectiveMode(subject: subject)
        if mode == .readOnly || mode == .readOnlyOverride {
            throw RegistryError.operationNotPermitted("Subject \(subject ?? "__GLOBAL") is in read-only mode")
        }
    }

    /// DELETE /config or /config/{s}: removes it and answers what it was.
    public func deleteConfig(subject: String?) async throws -> SubjectConfig {
        if let name = subject {
            let subject = try SubjectName.canonical(name)
            // Confluent's DELETE /config/{s} answers 40401 (not 40408) when there is no subject config.
            guard let own = try await store.config(subject: subject) else {
                throw RegistryError.subjectNotFound(subject)
            }
            try await requireNotReadOnly(subject: subject)
            try await store.setConfig(nil, subject: subject)
            return own
        }
        let previous = try await config(subject: nil)
        try await requireNotReadOnly(subject: nil)
        try await store.setConfig(nil, subject: nil)
        return previous
    }

    // MARK: Mode

    /// GET /mode or /mode/{s}.
    public func mode(subject: String?, defaultToGlobal: Bool = false) async throws -> RegistryMode {
        let subject = try subject.map { name throws(RegistryError) in try SubjectName.canonical(name) }
        if let subject {
            if let own = try await store.mode(subject: subject) { return own }
            guard defaultToGlobal else { throw RegistryError.subjectModeNotFound(subject) }
        }
        return try await effectiveMode(subject: subject)
    }

    /// PUT /mode or /mode/{s}. IMPORT needs an empty scope unless `force`.
    public func setMode(subject: String?, modeName: String, force: Bool = false) async throws -> RegistryMode {
        let subject = try subject.map { name throws(RegistryError) in try SubjectName.writable(name) }
        guard let mode = RegistryMode(name: modeName) else { throw RegistryError.invalidMode(modeName) }
        if mode == .import, !force, try await effectiveMode(subject: subject) != .import {
            // As Confluent's setMode: the scope must have no live version, and its soft-deleted versions
            // are then removed for good (42206 if a schema still references one).
            let rows: [SubjectVersion]
            if let subject { rows = try await store.versions(subject: subject) } else { rows = try await store.allVersions() }
            if rows.contains(where: { !$0.deleted }) {
                throw RegistryError.operationNotPermitted("Cannot import since found existing subjects")
            }
            for row in rows where !(try await store.referrers(subject: row.subject, version: row.version).isEmpty) {
                throw RegistryError.referenceExists(
                    "One or more references exist to the schema {subject=\(row.subject),version=\(row.version)}.")
            }
            var bySubject: [String: [Int]] = [:]
            for row in rows { bySubject[row.subject, default: []].append(row.version) }
            for (name, versions) in bySubject.sorted(by: { $0.key < $1.key }) {
                try await store.permanentlyDelete(subject: name, versions: versions)
            }
            var gone: [ContextualID] = []
            for key in Set(rows.map { ContextualID(context: RegistryContext.context(of: $0.subject), id: $0.schemaID) })
            where try await store.schema(id: key.id, context: key.context) == nil {
                gone.append(key)
            }
            forget(gone)
        }
        try await store.setMode(mode, subject: subject)
        return mode
    }

    /// DELETE /mode or /mode/{s}: answers the mode removed.
    public func deleteMode(subject: String?) async throws -> RegistryMode {
        if let name = subject {
            let subject = try SubjectName.canonical(name)
            // Confluent's DELETE /mode/{s} answers 40401 (not 40409) when there is no subject mode.
            guard let own = try await store.mode(subject: subject) else { throw RegistryError.subjectNotFound(subject) }
            try await store.setMode(nil, subject: subject)
            return own
        }
        let previous = try await store.mode(subject: nil) ?? .readWrite
        try await store.setMode(nil, subject: nil)
        return previous
    }
}
