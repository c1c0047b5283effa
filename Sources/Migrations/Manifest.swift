import Foundation
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
