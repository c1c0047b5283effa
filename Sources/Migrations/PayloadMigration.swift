import Foundation
public import JSONSupport
public import SchemaProviders

/// One version of a subject as payload migration sees it: its number, its schema parsed, and the manifest's (or
/// the registry's `ruleSet.migrationRules`) steps between it and the version before it.
public struct MigrationVersion: Sendable {
    public let number: Int
    public let schema: any ParsedSchema
    public let rules: MigrationRules?

    public init(number: Int, schema: any ParsedSchema, rules: MigrationRules? = nil) {
        self.number = number
        self.schema = schema
        self.rules = rules
    }
}

/// Why a payload could not be migrated: the step (version `from` → `to`; `to` nil when reading or writing
/// version `from` itself), the rule when one failed, and the payload error with its location.
public struct PayloadMigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var from: Int
    public var to: Int?
    /// "upgrade rule 2 (rename customer to customerId)", when a rule failed.
    public var rule: String?
    public var error: PayloadError

    public init(from: Int, to: Int?, rule: String? = nil, error: PayloadError) {
        self.from = from
        self.to = to
        self.rule = rule
        self.error = error
    }

    /// "version 1 → 2" or "version 1".
    public var step: String { to.map { "version \(from) → \($0)" } ?? "version \(from)" }

    public var description: String {
        "\(step)\(rule.map { ", \($0)" } ?? ""): \(error.description)"
    }

    /// The error as a JSON object for dead-letter records: the payload error's fields, the step and the rule.
    public var jsonDescription: JSONValue {
        var object = error.jsonDescription.objectValue ?? JSONObject()
        object["step"] = .string(step)
        if let rule { object["rule"] = .string(rule) }
        return .object(object)
    }
}

/// Moves payloads of one subject from version `from` to version `to`, up or down, one adjacent version at a
/// time. A step without rules in its direction is the format's own reading: Avro schema resolution (the writer
/// the step's first version, the reader its second), Protobuf by field number. A step with rules decodes the
/// payload to the plain JSON mapping, applies the rules in order, and encodes it with the next version (record
/// fields the result lacks take their schema defaults; fields the next version does not have are errors, so a
/// rule must drop them). Schemas are parsed and codecs built once, when the migrator is made.
public struct PayloadMigrator: Sendable {
    public let from: Int
    public let to: Int
    /// Reads and writes version `from`'s payloads (and its JSON).
    public let sourceCodec: any MessageCodec
    /// Reads and writes version `to`'s payloads (and its JSON).
    public let targetCodec: any MessageCodec
    private let steps: [Step]

    private struct Step: Sendable {
        let from: Int
        let to: Int
        /// Reads the step's input payload: into the next version's shape when there are no rules, else as written.
        let reader: any MessageCodec
        let writer: any MessageCodec
        let rules: [MigrationStep]
        let direction: String
    }

    /// A migrator between versions numbered `from` and `to` of `versions` (in order, each number once; only
    /// the versions between the two are used).
    public init(versions: [MigrationVersion], from: Int, to: Int, options: MessageCodecOptions = .default)
        throws(MigrationError)
    {
        guard let start = versions.firstIndex(where: { $0.number == from }) else {
            throw .invalidLayout("version \(from)", "the subject has no version \(from)")
        }
        guard let end = versions.firstIndex(where: { $0.number == to }) else {
            throw .invalidLayout("version \(to)", "the subject has no version \(to)")
        }
        func codec(_ version: MigrationVersion) throws(MigrationError) -> any MessageCodec {
            do {
                return try version.schema.messageCodec(options)
            } catch {
                throw .invalidLayout("version \(version.number)", error.message)
            }
        }
        var codecs: [Int: any MessageCodec] = [:]
        for index in min(start, end)...max(start, end) { codecs[index] = try codec(versions[index]) }
        var steps: [Step] = []
        let upward = start <= end
        var index = start
        while index != end {
            let next = upward ? index + 1 : index - 1
            let a = versions[index], b = versions[next]
            let rules = (upward ? b.rules?.upgrade : a.rules?.downgrade) ?? []
            guard let writer = codecs[next], let own = codecs[index] else { break }
            let reader: any MessageCodec
            if rules.isEmpty {
                do {
                    reader = try b.schema.messageCodec(readingDataOf: a.schema, options)
                } catch {
                    throw .invalidLayout(
                        "version \(a.number) → \(b.number)",
                        "version \(b.number) cannot read version \(a.number)'s data and no rule says how: \(error.message)")
                }
            } else {
                reader = own
            }
            steps.append(
                Step(from: a.number, to: b.number, reader: reader, writer: writer, rules: rules, direction: upward ? "upgrade" : "downgrade"))
            index = next
        }
        guard let source = codecs[start], let target = codecs[end] else {
            throw .invalidLayout("version \(from)", "no codec")
        }
        self.from = from
        self.to = to
        self.sourceCodec = source
        self.targetCodec = target
        self.steps = steps
    }

    /// Version `from`'s payload as version `to`'s payload.
    public func migrate(_ payload: [UInt8]) throws(PayloadMigrationError) -> [UInt8] {
        var bytes = payload
        if steps.isEmpty {
            do { try sourceCodec.validate(bytes) } catch { throw PayloadMigrationError(from: from, to: nil, error: error) }
        }
        for step in steps {
            var json: JSONValue
            do {
                json = try step.reader.decode(bytes)
            } catch {
                throw PayloadMigrationError(from: step.from, to: step.to, error: error)
            }
            for (position, rule) in step.rules.enumerated() {
                do {
                    json = try PayloadRules.apply(rule, to: json)
                } catch {
                    throw PayloadMigrationError(
                        from: step.from, to: step.to, rule: "\(step.direction) rule \(position + 1) (\(rule))", error: error)
                }
            }
            do {
                bytes = try step.writer.encode(json)
            } catch {
                throw PayloadMigrationError(from: step.from, to: step.to, error: error)
            }
        }
        return bytes
    }

    /// Version `from`'s JSON (the plain mapping) as version `to`'s.
    public func migrate(json: JSONValue) throws(PayloadMigrationError) -> JSONValue {
        let payload: [UInt8]
        do {
            payload = try sourceCodec.encode(json)
        } catch {
            throw PayloadMigrationError(from: from, to: nil, error: error)
        }
        let migrated = try migrate(payload)
        do {
            return try targetCodec.decode(migrated)
        } catch {
            throw PayloadMigrationError(from: to, to: nil, error: error)
        }
    }
}

/// The rules applied to a JSON value.
enum PayloadRules {
    static func apply(_ rule: MigrationStep, to value: JSONValue) throws(PayloadError) -> JSONValue {
        var value = value
        switch rule {
        case .rename(let from, let to):
            guard let moved = try take(from, in: &value) else { return value }
            try put(moved, at: to, in: &value, replacing: false)
        case .setDefault(let field, let fallback):
            try put(fallback, at: field, in: &value, replacing: false, onlyIfAbsent: true)
        case .map(let field, let values):
            guard let current = try get(field, in: value) else { return value }
            let text: String?
            switch current {
            case .string(let string): text = string
            case .number(let number): text = number.text
            case .bool(let bool): text = bool ? "true" : "false"
            default: text = nil
            }
            if let text, let mapping = values.first(where: { $0.from == text }) {
                try put(mapping.to, at: field, in: &value, replacing: true)
            }
        case .drop(let field):
            _ = try take(field, in: &value)
        }
        return value
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private static func pointer(_ names: ArraySlice<String>) -> String {
        names.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    private static func notAnObject(_ names: ArraySlice<String>, _ found: JSONValue) -> PayloadError {
        PayloadError(
            code: "migrationFailed", message: "expected a record at the field path, found \(found.kindName)",
            pointer: pointer(names))
    }

    /// The value at `path`; nil when a record on the way (or the field) is absent or null.
    static func get(_ path: String, in value: JSONValue) throws(PayloadError) -> JSONValue? {
        let names = components(path)
        var current = value
        for (position, name) in names.enumerated() {
            switch current {
            case .null: return nil
            case .object(let object):
                guard let next = object[name] else { return nil }
                current = next
            default: throw notAnObject(names[..<position], current)
            }
        }
        return current
    }

    /// Removes and returns the value at `path`; nil when it is absent (or a record on the way is null).
    static func take(_ path: String, in value: inout JSONValue) throws(PayloadError) -> JSONValue? {
        let names = components(path)
        return try take(names[...], all: names[...], in: &value)
    }

    private static func take(_ names: ArraySlice<String>, all: ArraySlice<String>, in value: inout JSONValue)
        throws(PayloadError) -> JSONValue?
    {
        guard let name = names.first else { return nil }
        switch value {
        case .null: return nil
        case .object(var object):
            if names.count == 1 {
                guard let found = object[name] else { return nil }
                object[name] = nil
                value = .object(object)
                return found
            }
            guard var child = object[name] else { return nil }
            let found = try take(names.dropFirst(), all: all, in: &child)
            object[name] = child
            value = .object(object)
            return found
        default:
            throw notAnObject(all[..<(all.count - names.count)], value)
        }
    }

    /// Sets the value at `path`: with `onlyIfAbsent` it keeps a value already there; without `replacing` a value
    /// already there is an error (a rename onto an existing field). Nothing is set under a null record.
    static func put(
        _ new: JSONValue, at path: String, in value: inout JSONValue, replacing: Bool, onlyIfAbsent: Bool = false
    ) throws(PayloadError) {
        let names = components(path)
        try put(new, names[...], all: names[...], in: &value, replacing: replacing, onlyIfAbsent: onlyIfAbsent)
    }

    private static func put(
        _ new: JSONValue, _ names: ArraySlice<String>, all: ArraySlice<String>, in value: inout JSONValue, replacing: Bool,
        onlyIfAbsent: Bool
    ) throws(PayloadError) {
        guard let name = names.first else { return }
        switch value {
        case .null:
            return
        case .object(var object):
            if names.count == 1 {
                if object[name] != nil {
                    if onlyIfAbsent { return }
                    if !replacing {
                        throw PayloadError(
                            code: "migrationFailed", message: "the field is already there", pointer: pointer(all))
                    }
                }
                object[name] = new
            } else {
                var child = object[name] ?? .object(JSONObject())
                try put(new, names.dropFirst(), all: all, in: &child, replacing: replacing, onlyIfAbsent: onlyIfAbsent)
                object[name] = child
            }
            value = .object(object)
        default:
            throw notAnObject(all[..<(all.count - names.count)], value)
        }
    }
}

// MARK: - Confluent's ruleSet.migrationRules

/// A version's migration rules in Confluent's data-contract shape, so the registry keeps them with the version
/// and other tools see them: one `migrationRules` entry per direction, `type` `ACCORD_MIGRATE`, the steps as
/// compact JSON in `expr`, and `onFailure` `NONE` (a Confluent client without an executor for the type passes
/// the data through rather than failing).
public enum MigrationRuleSet {
    public static let ruleType = "ACCORD_MIGRATE"
    public static let upgradeName = "accord-upgrade"
    public static let downgradeName = "accord-downgrade"

    /// The `ruleSet` object for `rules`; nil when there are none.
    public static func ruleSet(_ rules: MigrationRules?) -> JSONValue? {
        guard let rules, !rules.isEmpty else { return nil }
        var items: [JSONValue] = []
        for (name, mode, steps) in [(upgradeName, "UPGRADE", rules.upgrade), (downgradeName, "DOWNGRADE", rules.downgrade)] {
            guard let steps, !steps.isEmpty else { continue }
            items.append(
                .object(
                    JSONObject([
                        "name": .string(name),
                        "doc": .string("Accord payload migration steps (accord migrate data)"),
                        "kind": .string("TRANSFORM"),
                        "mode": .string(mode),
                        "type": .string(ruleType),
                        "expr": .string(JSONValue.array(steps.map(json)).serialized()),
                        "onFailure": .string("NONE"),
                        "disabled": .bool(false),
                    ])))
        }
        return .object(JSONObject(["migrationRules": .array(items)]))
    }

    /// The Accord rules in a registered version's `ruleSet` (other rules are left alone); nil when it has none.
    public static func rules(from ruleSet: JSONValue?) throws(MigrationError) -> MigrationRules? {
        guard let ruleSet, !ruleSet.isNull else { return nil }
        guard let object = ruleSet.objectValue else { throw .invalidManifest("ruleSet", "is not an object") }
        var rules = MigrationRules()
        for (position, item) in (object["migrationRules"]?.arrayValue ?? []).enumerated() {
            guard let rule = item.objectValue, rule["type"]?.stringValue == ruleType else { continue }
            if rule["disabled"]?.boolValue == true { continue }
            let label = "ruleSet.migrationRules[\(position)]"
            guard let expr = rule["expr"]?.stringValue else { throw .invalidManifest(label, "has no expr") }
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(expr)
            } catch {
                throw .invalidManifest(label, "expr is not JSON: \(error.description)")
            }
            let steps = try self.steps(parsed, label: label)
            switch rule["mode"]?.stringValue?.uppercased() {
            case "UPGRADE": rules.upgrade = (rules.upgrade ?? []) + steps
            case "DOWNGRADE": rules.downgrade = (rules.downgrade ?? []) + steps
            default: throw .invalidManifest(label, "mode is neither UPGRADE nor DOWNGRADE")
            }
        }
        return rules.isEmpty ? nil : rules
    }

    /// A step as the JSON it is written as in manifests and in `expr`.
    public static func json(_ step: MigrationStep) -> JSONValue {
        let body: JSONObject
        switch step {
        case .rename(let from, let to): body = JSONObject(["from": .string(from), "to": .string(to)])
        case .setDefault(let field, let value): body = JSONObject(["field": .string(field), "value": value])
        case .map(let field, let values):
            body = JSONObject([
                "field": .string(field), "values": .object(JSONObject(values.map { JSONMember($0.from, $0.to) })),
            ])
        case .drop(let field): body = JSONObject(["field": .string(field)])
        }
        return .object(JSONObject([JSONMember(step.kind, .object(body))]))
    }

    /// Steps from the JSON of `expr`.
    static func steps(_ json: JSONValue, label: String) throws(MigrationError) -> [MigrationStep] {
        guard let items = json.arrayValue else { throw .invalidManifest(label, "expr is not a list of steps") }
        var steps: [MigrationStep] = []
        for (index, item) in items.enumerated() {
            let where_ = "\(label) step \(index + 1)"
            guard let object = item.objectValue, object.count == 1, let member = object.members.first,
                let body = member.value.objectValue
            else {
                throw .invalidManifest(where_, "a step is an object with one of \(MigrationStep.kinds.joined(separator: ", "))")
            }
            func string(_ key: String) throws(MigrationError) -> String {
                guard let value = body[key]?.stringValue, MigrationStep.isValidPath(value) else {
                    throw .invalidManifest(where_, "\(member.key) needs '\(key)', a field path")
                }
                return value
            }
            switch member.key {
            case "rename": steps.append(.rename(from: try string("from"), to: try string("to")))
            case "default":
                guard let value = body["value"] else { throw .invalidManifest(where_, "default needs 'value'") }
                steps.append(.setDefault(field: try string("field"), value: value))
            case "map":
                guard let values = body["values"]?.objectValue else { throw .invalidManifest(where_, "map needs 'values', an object") }
                steps.append(
                    .map(
                        field: try string("field"),
                        values: values.members.map { MigrationValueMapping(from: $0.key, to: $0.value) }.sorted { $0.from < $1.from }))
            case "drop": steps.append(.drop(field: try string("field")))
            default:
                throw .invalidManifest(where_, "unknown migration step '\(member.key)' (known: \(MigrationStep.kinds.joined(separator: ", ")))")
            }
        }
        return steps
    }
}

extension DirectorySubject {
    /// The manifest's migration rules for `version` (between it and the version before it).
    public func migrationRules(for version: DirectoryVersion) -> MigrationRules? {
        let name = version.file.split(separator: "/").last.map(String.init) ?? version.file
        return manifest.versions?[name]?.migration
    }

    /// The `ruleSet` `apply` registers `version` with: its migration rules in Confluent's shape, or an empty rule
    /// set when it has none, because a version registered without one inherits the previous version's (as in
    /// Confluent), and those steps are not this version's.
    public func ruleSet(for version: DirectoryVersion) -> JSONValue? {
        MigrationRuleSet.ruleSet(migrationRules(for: version)) ?? .object(JSONObject())
    }

    /// The versions between `from` and `to` (1-based directory numbers), parsed with their references and rules.
    public func migrationVersions(from: Int, to: Int, in directory: SchemaDirectory, providers: SchemaProviders = .standard)
        throws(MigrationError) -> [MigrationVersion]
    {
        for number in [from, to] where number < 1 || number > versions.count {
            throw .invalidLayout(folder, "\(name) has versions 1 to \(versions.count), not \(number)")
        }
        var result: [MigrationVersion] = []
        for version in versions[(min(from, to) - 1)...(max(from, to) - 1)] {
            let sources = try directory.sources(for: version)
            let parsed: any ParsedSchema
            do {
                parsed = try providers.parse(version.text, type: type, imports: .sources(sources))
            } catch {
                throw .invalidLayout(version.file, error.message)
            }
            result.append(MigrationVersion(number: version.number, schema: parsed, rules: migrationRules(for: version)))
        }
        return result
    }
}
