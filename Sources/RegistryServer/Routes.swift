import RegistryCore

/// What a route needs from the caller: the subject it is about (nil for global or id-based routes) and the
/// access level.
public enum Access: Int, Sendable, Comparable, CaseIterable {
    case read = 1
    case write = 2
    case admin = 3

    public static func < (lhs: Access, rhs: Access) -> Bool { lhs.rawValue < rhs.rawValue }

    public init?(name: String) {
        switch name.lowercased() {
        case "read": self = .read
        case "write": self = .write
        case "admin": self = .admin
        default: return nil
        }
    }
}

/// The Confluent REST routes, matched on decoded path segments.
enum Route: Sendable, Hashable {
    case root
    case subjects
    case subject(String)
    case subjectVersions(String)
    case subjectMetadata(String)
    case subjectVersion(String, String)
    case subjectVersionSchema(String, String)
    case subjectVersionReferencedBy(String, String)
    case schemas
    case schemaTypes
    case schemaByID(String)
    case schemaByIDSchema(String)
    case schemaByIDSubjects(String)
    case schemaByIDVersions(String)
    case schemaByGUID(String)
    /// The ids (one per context) a guid has.
    case schemaByGUIDIDs(String)
    case compatibility(String, String?)
    case config(String?)
    case mode(String?)
    case contexts
    /// `/contexts/{ctx}` itself (DELETE); `/contexts/{ctx}/…` paths are other routes (`ContextPath`).
    case context(String)
    /// `/associations/subjects/{s}`, `/associations/resources/{id}` and `/associations/resources/{ns}/{name}`:
    /// Confluent's topic-to-subject bindings, which new clients probe; Accord keeps none.
    case associations(subject: String?)
    /// Accord's extension: the `accord migrate` journal.
    case migrationJournal
    case metrics
    case health
    case ready

    /// Matches `segments` (already percent-decoded; `/contexts/{ctx}/…` already read by `ContextPath`).
    init?(_ segments: [String]) {
        switch segments.count {
        case 0: self = .root
        case 1:
            switch segments[0] {
            case "subjects": self = .subjects
            case "schemas": self = .schemas
            case "config": self = .config(nil)
            case "mode": self = .mode(nil)
            case "contexts": self = .contexts
            case "metrics": self = .metrics
            case "health": self = .health
            case "ready": self = .ready
            default: return nil
            }
        case 2:
            switch segments[0] {
            case "subjects": self = .subject(segments[1])
            case "config": self = .config(segments[1])
            case "mode": self = .mode(segments[1])
            case "schemas" where segments[1] == "types": self = .schemaTypes
            case "contexts": self = .context(segments[1])
            default: return nil
            }
        case 3:
            switch (segments[0], segments[1], segments[2]) {
            case ("subjects", let subject, "versions"): self = .subjectVersions(subject)
            case ("subjects", let subject, "metadata"): self = .subjectMetadata(subject)
            case ("schemas", "ids", let id): self = .schemaByID(id)
            case ("schemas", "guids", let guid): self = .schemaByGUID(guid)
            case ("associations", "subjects", let subject): self = .associations(subject: subject)
            case ("associations", "resources", _): self = .associations(subject: nil)
            default: return nil
            }
        case 4:
            switch (segments[0], segments[1], segments[2], segments[3]) {
            case ("accord", "v1", "migrations", "journal"): self = .migrationJournal
            case ("subjects", let subject, "versions", let version): self = .subjectVersion(subject, version)
            case ("schemas", "ids", let id, "schema"): self = .schemaByIDSchema(id)
            case ("schemas", "ids", let id, "subjects"): self = .schemaByIDSubjects(id)
            case ("schemas", "ids", let id, "versions"): self = .schemaByIDVersions(id)
            case ("schemas", "guids", let guid, "ids"): self = .schemaByGUIDIDs(guid)
            case ("compatibility", "subjects", let subject, "versions"): self = .compatibility(subject, nil)
            case ("associations", "resources", _, _): self = .associations(subject: nil)
            default: return nil
            }
        case 5:
            switch (segments[0], segments[1], segments[2], segments[3], segments[4]) {
            case ("subjects", let subject, "versions", let version, "schema"): self = .subjectVersionSchema(subject, version)
            case ("subjects", let subject, "versions", let version, "referencedby"):
                self = .subjectVersionReferencedBy(subject, version)
            case ("compatibility", "subjects", let subject, "versions", let version): self = .compatibility(subject, version)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The route with its subject in canonical form (`SubjectName.canonical`: NFC, no control characters),
    /// so authorization, the core and the stores all see one identity; 42208 for a name no route accepts.
    func canonical() throws(RegistryError) -> Route {
        func c(_ subject: String) throws(RegistryError) -> String { try SubjectName.canonical(subject) }
        switch self {
        case .subject(let s): return .subject(try c(s))
        case .subjectVersions(let s): return .subjectVersions(try c(s))
        case .subjectMetadata(let s): return .subjectMetadata(try c(s))
        case .subjectVersion(let s, let v): return .subjectVersion(try c(s), v)
        case .subjectVersionSchema(let s, let v): return .subjectVersionSchema(try c(s), v)
        case .subjectVersionReferencedBy(let s, let v): return .subjectVersionReferencedBy(try c(s), v)
        case .compatibility(let s, let v): return .compatibility(try c(s), v)
        case .config(let s?): return .config(try c(s))
        case .mode(let s?): return .mode(try c(s))
        case .associations(let s?): return .associations(subject: try c(s))
        case .associations(nil),
            .root, .subjects, .schemas, .schemaTypes, .schemaByID, .schemaByIDSchema, .schemaByIDSubjects,
            .schemaByIDVersions, .schemaByGUID, .schemaByGUIDIDs, .config(nil), .mode(nil), .contexts, .context,
            .migrationJournal, .metrics, .health, .ready:
            return self
        }
    }

    /// A label for metrics and logs, with placeholders instead of names.
    var template: String {
        switch self {
        case .root: "/"
        case .subjects: "/subjects"
        case .subject: "/subjects/{subject}"
        case .subjectVersions: "/subjects/{subject}/versions"
        case .subjectMetadata: "/subjects/{subject}/metadata"
        case .subjectVersion: "/subjects/{subject}/versions/{version}"
        case .subjectVersionSchema: "/subjects/{subject}/versions/{version}/schema"
        case .subjectVersionReferencedBy: "/subjects/{subject}/versions/{version}/referencedby"
        case .schemas: "/schemas"
        case .schemaTypes: "/schemas/types"
        case .schemaByID: "/schemas/ids/{id}"
        case .schemaByIDSchema: "/schemas/ids/{id}/schema"
        case .schemaByIDSubjects: "/schemas/ids/{id}/subjects"
        case .schemaByIDVersions: "/schemas/ids/{id}/versions"
        case .schemaByGUID: "/schemas/guids/{guid}"
        case .schemaByGUIDIDs: "/schemas/guids/{guid}/ids"
        case .compatibility(_, nil): "/compatibility/subjects/{subject}/versions"
        case .compatibility: "/compatibility/subjects/{subject}/versions/{version}"
        case .config(nil): "/config"
        case .config: "/config/{subject}"
        case .mode(nil): "/mode"
        case .mode: "/mode/{subject}"
        case .contexts: "/contexts"
        case .context: "/contexts/{context}"
        case .associations(_?): "/associations/subjects/{subject}"
        case .associations(nil): "/associations/resources/{resource}"
        case .migrationJournal: "/accord/v1/migrations/journal"
        case .metrics: "/metrics"
        case .health: "/health"
        case .ready: "/ready"
        }
    }
}
