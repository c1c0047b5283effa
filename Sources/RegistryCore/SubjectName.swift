import Foundation

/// The one definition of a subject's identity, used by authorization, caches, stores and listings alike.
///
/// A subject is its name in Unicode Normalization Form C, compared byte for byte. Every name that enters the
/// registry (a path segment, a reference's `subject`, a `subject` or `subjectPrefix` query parameter, a grant
/// pattern) goes through `canonical(_:)` first, so canonically equivalent spellings (`café` as one scalar or as
/// `e` plus a combining accent) are one subject everywhere. NFC rather than raw bytes because Swift's `String`
/// equality, which dictionaries and caches use, already treats the two spellings as equal: normalizing makes
/// that equality and the stores' byte comparison agree. A grant on `cafe*` therefore never reaches `café`: in
/// NFC the accent is part of the fourth scalar, not a fifth after `cafe`.
///
/// Names with control characters (C0, DEL and C1, as Java's `Character.isISOControl`, which Confluent uses)
/// are refused on every route, as are empty names and names over `maxBytes` (a PostgreSQL NOTIFY carries the
/// subject to other nodes and must stay under 8,000 bytes). A name may carry its context (`:.ctx:name`,
/// `RegistryContext`); `:.:name`, the default context spelled out, is `name`.
public enum SubjectName {
    /// The longest subject name accepted, in UTF-8 bytes.
    public static let maxBytes = 4096

    /// The subject's identity: `name` in NFC; 42208 when it is empty, too long or has a control character.
    public static func canonical(_ name: String) throws(RegistryError) -> String {
        guard !name.isEmpty, name.utf8.count <= maxBytes * 4,
            !name.unicodeScalars.contains(where: isControl)
        else {
            throw .invalidSubject(name)
        }
        var normalized = nfc(name)
        // `:.:name` is `name` spelled with the default context (RegistryContext).
        if normalized.utf8.starts(with: ":.:".utf8), normalized.utf8.count > 3 {
            normalized = String(normalized.dropFirst(3))
        }
        guard normalized.utf8.count <= maxBytes else { throw .invalidSubject(name) }
        return normalized
    }

    /// A name a write may create: a canonical name other than Confluent's reserved `__GLOBAL` and `__EMPTY`.
    public static func writable(_ name: String) throws(RegistryError) -> String {
        let canonical = try canonical(name)
        guard canonical != "__GLOBAL", canonical != "__EMPTY" else { throw .invalidSubject(name) }
        return canonical
    }

    /// A prefix or pattern (e.g. `subjectPrefix`, a grant) in the same normal form; control characters are
    /// left for the caller to refuse.
    public static func nfc(_ text: String) -> String {
        // ASCII is already in NFC; most names are ASCII, so they skip Foundation's normalizer.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Byte-wise prefix test (Swift's `hasPrefix` compares characters, which would let `cafe` miss `café`'s
    /// NFD spelling but also lets canonically equivalent spellings match; subjects compare as bytes).
    public static func hasPrefix(_ name: String, _ prefix: String) -> Bool {
        name.utf8.starts(with: prefix.utf8)
    }

    /// C0 controls, DEL and C1 controls (U+0080–U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }
}
