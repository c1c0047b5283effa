import RegistryCore

/// `/contexts/{ctx}/…` paths, read as Confluent's `ContextFilter` reads them: the rest of the path is a route of
/// its own, with every subject in it (after `subjects/`, and after a root `config/` or `mode/`) put in the
/// context unless it names one already; a bare root `config` or `mode` becomes the context's own
/// (`/config/:.ctx:`); `/schemas/ids/…` gets the context through its `subject` parameter, and `/subjects` and
/// `/schemas` listings through `subjectPrefix`.
struct ContextPath: Sendable, Hashable {
    /// The context the path named (`.` for `/contexts/./…` or `/contexts/:.:/…`).
    var context: String
    /// The segments of the route it stands for.
    var segments: [String]

    /// nil when `segments` is not a `/contexts/{ctx}/…` path with something after the context.
    init?(_ segments: [String]) {
        guard segments.count > 2, segments[0] == "contexts" else { return nil }
        context = RegistryContext.named(segments[1])
        var rewritten: [String] = []
        var subjectNext = false
        var bareSettings = false
        for (index, segment) in segments.dropFirst(2).enumerated() {
            if subjectNext {
                rewritten.append(Self.qualify(segment, in: context))
                subjectNext = false
                bareSettings = false
                continue
            }
            let rootSettings = index == 0 && (segment == "config" || segment == "mode")
            subjectNext = segment == "subjects" || rootSettings
            bareSettings = rootSettings
            rewritten.append(segment)
        }
        if bareSettings, context != RegistryContext.defaultName {
            rewritten.append(RegistryContext.qualified("", in: context))
        }
        self.segments = rewritten
    }

    /// `subject` in `context`, unless it names a context (or all of them, `:*:`) itself.
    static func qualify(_ subject: String, in context: String) -> String {
        if RegistryContext.isQualified(subject) || subject.hasPrefix(RegistryContext.wildcard) { return subject }
        return RegistryContext.qualified(subject, in: context)
    }

    /// The query parameters that carry the context on routes without a subject in their path.
    func scope(_ query: inout Query, for route: Route) {
        switch route {
        case .schemaByID, .schemaByIDSchema, .schemaByIDSubjects, .schemaByIDVersions:
            query.set("subject", Self.qualify(query.string("subject") ?? "", in: context))
        case .schemas, .subjects:
            query.set("subjectPrefix", Self.qualify(query.string("subjectPrefix") ?? "", in: context))
        default:
            break
        }
    }
}
