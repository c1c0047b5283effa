import ECMARegex

/// Every regular expression the engine uses (`pattern`, `patternProperties`, `format: regex`) goes through this
/// one type: ECMA-262 as JSON Schema specifies, by `ECMARegex`, whose step limit ends a catastrophic pattern with
/// an error (a violation for the message) instead of stalling the registry or a producer.
struct PatternMatcher: Sendable, Hashable {
    let regex: ECMARegex
    var pattern: String { regex.pattern }

    init(_ pattern: String) throws(JSONSchemaError) {
        do {
            regex = try ECMARegex(pattern)
        } catch {
            throw JSONSchemaError(message: "is not a valid regular expression: \(pattern) (\(error.message))", pointer: "")
        }
    }

    /// Unanchored search, as ECMA-262 `RegExp.prototype.test`.
    func matches(_ text: String) throws(ECMARegexError) -> Bool {
        try regex.matches(text)
    }
}
