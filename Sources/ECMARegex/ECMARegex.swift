/// An ECMA-262 regular expression in Unicode mode (the `u` flag), the dialect of JSON Schema's `pattern` and
/// `patternProperties`, matched as an unanchored search on Unicode scalars.
///
/// The engine is built for patterns and inputs from untrusted users: the pattern's length, its nesting and the
/// compiled program's size are bounded when it is parsed, and every `matches(_:)` call runs an explicit
/// backtracking machine (no recursion) that counts its steps and stops with `.stepLimit` past
/// `ECMARegexLimits.maxSteps`, so a catastrophic pattern such as `^(a+)+$` fails fast with a typed error.
public struct ECMARegex: Sendable, Hashable {
    /// The pattern as given.
    public let pattern: String
    /// The limits it was compiled with and is matched under.
    public let limits: ECMARegexLimits
    let program: Program

    /// Parses `pattern` (ECMA-262 syntax, Unicode mode as JSON Schema 2019-09+ implies: code points, \u{…}, \p{…}).
    public init(_ pattern: String, limits: ECMARegexLimits = .default) throws(ECMARegexError) {
        self.pattern = pattern
        self.limits = limits
        var scalars: [UInt32] = []
        for scalar in pattern.unicodeScalars {
            if scalars.count >= limits.maxPatternLength {
                throw ECMARegexError(
                    kind: .tooComplex,
                    message: "The pattern is longer than the limit of \(limits.maxPatternLength) code points.",
                    offset: nil)
            }
            scalars.append(scalar.value)
        }
        var parser = Parser(scalars)
        let node = try parser.parse()
        var compiler = Compiler(maxNodes: limits.maxNodes, names: parser.groupNames)
        program = try compiler.compile(node, captureGroups: parser.groupCount)
    }

    /// Whether the pattern matches somewhere in `text` (unanchored search, like RegExp.prototype.test).
    public func matches(_ text: String) throws(ECMARegexError) -> Bool {
        // UTF-8 length bounds the scalar count from above, so the exact count is only needed for long inputs.
        if text.utf8.count > limits.maxInputLength {
            var count = 0
            for _ in text.unicodeScalars {
                count += 1
                if count > limits.maxInputLength {
                    throw ECMARegexError(
                        kind: .inputTooLong,
                        message: "The input is longer than the limit of \(limits.maxInputLength) code points.",
                        offset: nil)
                }
            }
        }
        if let linear = program.linear,
            let outcome = text.utf8.withContiguousStorageIfAvailable({ linear.search($0, maxSteps: limits.maxSteps) })
        {
            switch outcome {
            case .matched: return true
            case .failed: return false
            case .stepLimit: throw .stepLimit(limits.maxSteps)
            }
        }
        var input: [UInt32] = []
        input.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { input.append(scalar.value) }
        var machine = Machine(program: program, input: input, maxSteps: limits.maxSteps)
        return try machine.search()
    }

    /// `matches(_:)` over `utf8`, which must be valid UTF-8 (a JSON reader's checked string bytes): the same
    /// answer, limits and errors as on the `String` of those bytes, without building it when the pattern runs
    /// in a straight line.
    public func matches(utf8: UnsafeBufferPointer<UInt8>) throws(ECMARegexError) -> Bool {
        if utf8.count > limits.maxInputLength {
            var count = 0
            for b in utf8 where b & 0xC0 != 0x80 { count += 1 }
            if count > limits.maxInputLength {
                throw ECMARegexError(
                    kind: .inputTooLong,
                    message: "The input is longer than the limit of \(limits.maxInputLength) code points.",
                    offset: nil)
            }
        }
        if let linear = program.linear {
            switch linear.search(utf8, maxSteps: limits.maxSteps) {
            case .matched: return true
            case .failed: return false
            case .stepLimit: throw .stepLimit(limits.maxSteps)
            }
        }
        return try matches(String(decoding: utf8, as: UTF8.self))
    }

    /// `matches(utf8:)` behind one reference, for callers that match many inputs: calling it passes a pointer
    /// rather than this struct, which is large enough to be copied for every call.
    public var utf8Matcher: ECMARegexUTF8Matcher { ECMARegexUTF8Matcher(self) }

    public static func == (lhs: ECMARegex, rhs: ECMARegex) -> Bool {
        lhs.pattern == rhs.pattern && lhs.limits == rhs.limits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(limits)
    }
}

/// The bounds a pattern is compiled and matched under.
public struct ECMARegexLimits: Sendable, Hashable {
    /// The longest pattern accepted, in code points.
    public var maxPatternLength: Int
    /// The largest compiled program accepted, in instructions (counted repetitions are not unrolled).
    public var maxNodes: Int
    /// The most machine steps one `matches(_:)` call may take: an instruction run, a backtrack, or a scalar
    /// examined by a repetition or a backreference.
    public var maxSteps: Int
    /// The longest input `matches(_:)` accepts, in code points.
    public var maxInputLength: Int

    public init(
        maxPatternLength: Int = 10_000, maxNodes: Int = 100_000, maxSteps: Int = 1_000_000,
        maxInputLength: Int = 1 << 20
    ) {
        self.maxPatternLength = maxPatternLength
        self.maxNodes = maxNodes
        self.maxSteps = maxSteps
        self.maxInputLength = maxInputLength
    }

    /// 10,000 code points of pattern, 100,000 instructions, 1,000,000 steps, 1 Mi code points of input.
    public static let `default` = ECMARegexLimits()
}

/// Why a pattern was rejected or a match was abandoned.
public struct ECMARegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The pattern is not ECMA-262 Unicode-mode syntax.
        case syntax
        /// Valid ECMA-262 that this engine does not implement (Unicode scripts, modifiers).
        case unsupported
        /// The pattern is too long, too deeply nested, or compiles to too large a program.
        case tooComplex
        /// Matching took more than `maxSteps` steps.
        case stepLimit
        /// The input is longer than `maxInputLength`.
        case inputTooLong
    }

    public var kind: Kind
    /// A sentence a person understands.
    public var message: String
    /// The code-point offset in the pattern, for syntax errors.
    public var offset: Int?

    public init(kind: Kind, message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch kind {
        case .syntax: what = "regular expression syntax error"
        case .unsupported: what = "unsupported regular expression"
        case .tooComplex: what = "regular expression too complex"
        case .stepLimit: what = "regular expression step limit reached"
        case .inputTooLong: what = "regular expression input too long"
        }
        if let offset { return "\(what) at offset \(offset): \(message)" }
        return "\(what): \(message)"
    }
}

/// An `ECMARegex`'s `matches(utf8:)` held by reference (see `ECMARegex.utf8Matcher`).
public final class ECMARegexUTF8Matcher: Sendable {
    let regex: ECMARegex
    /// The straight-line form, when the pattern has one, read without copying the regex.
    let linear: LinearProgram?
    let maxSteps: Int
    let maxInputLength: Int

    init(_ regex: ECMARegex) {
        self.regex = regex
        self.linear = regex.program.linear
        self.maxSteps = regex.limits.maxSteps
        self.maxInputLength = regex.limits.maxInputLength
    }

    /// The same answer, limits and errors as `ECMARegex.matches(utf8:)`.
    public func matches(utf8: UnsafeBufferPointer<UInt8>) throws(ECMARegexError) -> Bool {
        if let linear, utf8.count <= maxInputLength {
            switch linear.search(utf8, maxSteps: maxSteps) {
            case .matched: return true
            case .failed: return false
            case .stepLimit: throw .stepLimit(maxSteps)
            }
        }
        return try regex.matches(utf8: utf8)
    }
}
