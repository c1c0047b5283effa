import ECMARegex

/// Every regular expression the engine uses (`pattern`, `patternProperties`, `format: regex`) goes through this
/// one type: ECMA-262 as JSON Schema specifies, by `ECMARegex`, whose step limit ends a catastrophic pattern with
/// an error (a violation for the message) instead of stalling the registry or a producer.
///
/// The compiled regex is held by reference, so that a keyword reading its matcher retains one object rather than
/// each array of the compiled program.
struct PatternMatcher: Sendable, Hashable {
    private final class Storage: Sendable {
        let regex: ECMARegex
        init(_ regex: ECMARegex) { self.regex = regex }
    }

    private let storage: Storage
    var regex: ECMARegex { storage.regex }
    var pattern: String { storage.regex.pattern }

    init(_ pattern: String) throws(JSONSchemaError) {
        do {
            storage = Storage(try ECMARegex(pattern))
        } catch {
            throw JSONSchemaError(message: "is not a valid regular expression: \(pattern) (\(error.message))", pointer: "")
        }
    }

    /// Unanchored search, as ECMA-262 `RegExp.prototype.test`.
    func matches(_ text: String) throws(ECMARegexError) -> Bool {
        try storage.regex.matches(text)
    }

    /// `matches(_:)` over valid UTF-8 in place, by a reference that passes as one pointer.
    var utf8Matcher: ECMARegexUTF8Matcher { storage.regex.utf8Matcher }

    /// `matches(_:)` over valid UTF-8 in place.
    func matches(utf8: UnsafeBufferPointer<UInt8>) throws(ECMARegexError) -> Bool {
        try storage.regex.matches(utf8: utf8)
    }

    static func == (lhs: PatternMatcher, rhs: PatternMatcher) -> Bool { lhs.regex == rhs.regex }

    func hash(into hasher: inout Hasher) { hasher.combine(regex) }
}
