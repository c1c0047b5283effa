import Foundation
public import JSONSupport
import Yams

/// A subject folder's `subject.yaml` (or `subject.json`): what the files alone do not say.
public struct SubjectManifest: Sendable, Hashable, Decodable {
    /// The subject's name when it differs from the folder's.
    public var subject: String?
    /// `AVRO` or `PROTOBUF`; otherwise the files' extensions tell.
    public var type: String?
    /// The compatibility level to check (and, for `apply`, to set).
    public var compatibility: String?
    /// The Protobuf rule set: `confluent`, `wire`, `wire-json` or `file`.
    public var protobufRules: String?
    /// The JSON Schema policy: `STRICT` (the default) or `LENIENT`.
    public var compatibilityPolicy: String?
    /// The subject's mode (`READWRITE`, `READONLY`, …), for `apply`.
    public var mode: String?
    /// Reference name (Avro type full name, `.proto` import path) → where it is registered, for every version.
    public var references: [String: ManifestReference]?
    /// Per version file (by file name): references that differ from the subject's.
    public var versions: [String: VersionManifest]?

    public init(
        subject: String? = nil, type: String? = nil, compatibility: String? = nil, protobufRules: String? = nil,
        mode: String? = nil, references: [String: ManifestReference]? = nil, versions: [String: VersionManifest]? = nil
    ) {
        self.subject = subject
        self.type = type
        self.compatibility = compatibility
        self.protobufRules = protobufRules
        self.mode = mode
        self.references = references
        self.versions = versions
    }
}

/// One version file's own settings in a manifest.
public struct VersionManifest: Sendable, Hashable, Decodable {
    public var references: [String: ManifestReference]?
    /// How payloads move between this version and the one before it, where schema resolution is not enough.
    public var migration: MigrationRules?

    public init(references: [String: ManifestReference]? = nil, migration: MigrationRules? = nil) {
        self.references = references
        self.migration = migration
    }
}

/// A reference's target: a subject and one of its versions (1-based, as in the directory's order).
public struct ManifestReference: Sendable, Hashable, Decodable {
    public var subject: String
    public var version: Int
}

/// The root `accord.yaml` (or `accord.json`): defaults for every subject.
public struct DirectoryDefaults: Sendable, Hashable, Decodable {
    public var compatibility: String?
    public var protobufRules: String?
    public var compatibilityPolicy: String?

    public init(compatibility: String? = nil, protobufRules: String? = nil) {
        self.compatibility = compatibility
        self.protobufRules = protobufRules
    }
}

/// Reads YAML or JSON manifests by their file extension.
enum ManifestReader {
    /// Largest manifest read, in bytes: manifests are a few lines; anything bigger is a mistake.
    static let maxBytes = 1 << 20

    static func read<T: Decodable>(_ type: T.Type, at url: URL) throws(MigrationError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(url.path, "\(error.localizedDescription)")
        }
        guard data.count <= maxBytes else { throw .invalidManifest(url.path, "larger than \(maxBytes) bytes") }
        do {
            if url.pathExtension.lowercased() == "json" {
                return try JSONDecoder().decode(T.self, from: data)
            }
            return try YAMLDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw .invalidManifest(url.path, Self.describe(error))
        } catch {
            throw .invalidManifest(url.path, "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + path(context)
        case .keyNotFound(let key, let context):
            return "missing '\(key.stringValue)'" + path(context)
        @unknown default:
            return "\(error)"
        }
    }
}

/// A version's migration rules in a manifest: the steps that turn a payload of the previous version into this
/// one (`upgrade`) and back (`downgrade`), for changes schema resolution cannot make (a rename, a new value).
public struct MigrationRules: Sendable, Hashable, Decodable {
    /// From the previous version to this one, applied in order.
    public var upgrade: [MigrationStep]?
    /// From this version to the previous one, applied in order.
    public var downgrade: [MigrationStep]?

    public init(upgrade: [MigrationStep]? = nil, downgrade: [MigrationStep]? = nil) {
        self.upgrade = upgrade
        self.downgrade = downgrade
    }

    /// True when neither direction has a step.
    public var isEmpty: Bool { (upgrade ?? []).isEmpty && (downgrade ?? []).isEmpty }
}

/// One declarative change to a payload's JSON mapping. Fields are dotted paths into nested records
/// (`shipping.city`), named as in the format's JSON mapping.
public enum MigrationStep: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The field `from` is renamed `to` (nothing happens when the payload lacks `from`).
    case rename(from: String, to: String)
    /// The field takes `value` when the payload lacks it.
    case setDefault(field: String, value: JSONValue)
    /// The field's value is replaced when it is one of the keys (compared with a string's text, a number's or a
    /// boolean's literal); other values pass.
    case map(field: String, values: [MigrationValueMapping])
    /// The field is removed.
    case drop(field: String)

    /// The step kinds, as written in manifests and rule expressions.
    public static let kinds = ["rename", "default", "map", "drop"]

    public var kind: String {
        switch self {
        case .rename: "rename"
        case .setDefault: "default"
        case .map: "map"
        case .drop: "drop"
        }
    }

    public var description: String {
        switch self {
        case .rename(let from, let to): "rename \(from) to \(to)"
        case .setDefault(let field, let value): "default \(field) = \(value.serialized())"
        case .map(let field, let values):
            "map \(field) (" + values.map { "\($0.from) → \($0.to.serialized())" }.joined(separator: ", ") + ")"
        case .drop(let field): "drop \(field)"
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let keys = container.allKeys.map(\.stringValue).sorted()
        guard keys.count == 1, let kind = keys.first else {
            let found = keys.isEmpty ? "none" : keys.joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a migration step has exactly one of \(Self.kinds.joined(separator: ", ")) (found \(found))"))
        }
        let key = Key(stringValue: kind)
        switch kind {
        case "rename":
            let body = try container.decode(RenameBody.self, forKey: key)
            self = .rename(from: body.from, to: body.to)
        case "default":
            let body = try container.decode(DefaultBody.self, forKey: key)
            self = .setDefault(field: body.field, value: body.value.json)
        case "map":
            let body = try container.decode(MapBody.self, forKey: key)
            self = .map(
                field: body.field,
                values: body.values.map { MigrationValueMapping(from: $0.key, to: $0.value.json) }.sorted { $0.from < $1.from })
        case "drop":
            let body = try container.decode(DropBody.self, forKey: key)
            self = .drop(field: body.field)
        default:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "unknown migration step '\(kind)' (known: \(Self.kinds.joined(separator: ", ")))"))
        }
        for path in fields where !Self.isValidPath(path) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "'\(path)' is not a field path (names separated by dots)"))
        }
    }

    /// The field paths the step names.
    var fields: [String] {
        switch self {
        case .rename(let from, let to): [from, to]
        case .setDefault(let field, _), .map(let field, _), .drop(let field): [field]
        }
    }

    static func isValidPath(_ path: String) -> Bool {
        !path.isEmpty && path.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
    }

    private struct RenameBody: Decodable {
        var from: String
        var to: String
    }

    private struct DefaultBody: Decodable {
        var field: String
        var value: ManifestJSON
    }

    private struct MapBody: Decodable {
        var field: String
        var values: [String: ManifestJSON]
    }

    private struct DropBody: Decodable {
        var field: String
    }
}

/// One entry of a `map` step: values equal to `from` become `to`.
public struct MigrationValueMapping: Sendable, Hashable {
    public var from: String
    public var to: JSONValue

    public init(from: String, to: JSONValue) {
        self.from = from
        self.to = to
    }
}

/// Any YAML or JSON value in a manifest, as a `JSONValue`; nesting is bounded.
struct ManifestJSON: Decodable {
    static let maxDepth = 32
    var json: JSONValue

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count < 64 + Self.maxDepth else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "a value nests too deeply"))
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(ManifestJSON.self).json) }
            json = .array(items)
            return
        }
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members = JSONObject()
            for key in object.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                members[key.stringValue] = try object.decode(ManifestJSON.self, forKey: key).json
            }
            json = .object(members)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            json = .null
        } else if let value = try? single.decode(Bool.self) {
            json = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            json = .integer(value)
        } else if let value = try? single.decode(Double.self), value.isFinite {
            json = .double(value)
        } else {
            json = .string(try single.decode(String.self))
        }
    }
}
