/// Confluent's schema contexts: namespaces inside one registry, each with its own subjects and its own schema id
/// sequence (schema linking copies a source registry's subjects and ids into a context of the target).
///
/// A context lives in the subject name: `:.orders:payments` is the subject `payments` of the context `.orders`.
/// A name without that prefix (or with the empty one, `:.:`) is in the default context `.`. Every store keeps
/// subjects under their qualified names, so subject-level rules need nothing more; ids and guids are looked up
/// within a context, and a context exists once something was registered in it until `DELETE /contexts/{ctx}`.
public enum RegistryContext {
    /// The default context's name.
    public static let defaultName = "."
    /// `subjectPrefix=:*:` lists subjects of every context.
    public static let wildcard = ":*:"

    /// The context a (canonical) subject name is in, and the name within it. `:.ctx:name` is `(".ctx", "name")`;
    /// `:.ctx` alone (no closing colon) is the context itself, `(".ctx", "")`, as Confluent reads it.
    public static func split(_ subject: String) -> (context: String, name: String) {
        let bytes = subject.utf8
        guard bytes.starts(with: ":.".utf8) else { return (defaultName, subject) }
        let afterColon = subject.index(after: subject.startIndex)
        guard let close = subject[subject.index(after: afterColon)...].firstIndex(of: ":") else {
            return (String(subject[afterColon...]), "")
        }
        return (String(subject[afterColon..<close]), String(subject[subject.index(after: close)...]))
    }

    /// The context `subject` is in.
    public static func context(of subject: String) -> String { split(subject).context }

    /// `name` as a subject of `context`.
    public static func qualified(_ name: String, in context: String) -> String {
        context == defaultName ? name : ":\(context):\(name)"
    }

    /// Whether `subject` names its context explicitly (`:.ctx:name`).
    public static func isQualified(_ subject: String) -> Bool {
        subject.utf8.starts(with: ":.".utf8)
    }

    /// The subject a schema reference names, read from a schema registered in `context`: a name without a
    /// context is in the referrer's own context (Confluent's `qualifySubjectWithParent`).
    public static func referenceTarget(_ subject: String, from context: String) -> String {
        isQualified(subject) ? subject : qualified(subject, in: context)
    }

    /// The name `/contexts/{ctx}` paths and `DELETE /contexts/{ctx}` use, as a context name: `.ctx`, `:.ctx:` and
    /// `ctx` all name `.ctx`; `.`, `:.:` and the empty name the default context.
    public static func named(_ segment: String) -> String {
        var name = Substring(segment)
        if name.hasPrefix(":") { name = name.dropFirst() }
        if name.hasSuffix(":") { name = name.dropLast() }
        if name.isEmpty || name == "." { return defaultName }
        return name.hasPrefix(".") ? String(name) : "." + name
    }

    /// Whether `subject` is listed under `prefix` (`subjectPrefix` of GET /subjects and GET /schemas): `:*:rest`
    /// matches names starting with `rest` in every context; `:.ctx:rest` those in `.ctx`; an unqualified prefix
    /// those in the default context. No prefix (nil) lists every context, as Confluent's default `:*:` does.
    public static func matches(_ subject: String, prefix: String?) -> Bool {
        guard let prefix else { return true }
        if prefix.utf8.starts(with: wildcard.utf8) {
            let rest = String(prefix.dropFirst(wildcard.count))
            return SubjectName.hasPrefix(split(subject).name, rest)
        }
        if isQualified(prefix) {
            let (context, rest) = split(prefix)
            // `:.ct` (no closing colon) reaches every context whose name starts with `.ct`.
            if !prefix.dropFirst(2).contains(":") { return SubjectName.hasPrefix(subject, prefix) }
            let (subjectContext, name) = split(subject)
            return subjectContext == context && SubjectName.hasPrefix(name, rest)
        }
        return context(of: subject) == defaultName && SubjectName.hasPrefix(subject, prefix)
    }
}

/// A schema id within its context: ids are unique per context, not across the registry.
public struct ContextualID: Sendable, Hashable {
    public var context: String
    public var id: Int

    public init(context: String, id: Int) {
        self.context = context
        self.id = id
    }
}
