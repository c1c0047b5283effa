/// A set of code points: sorted, merged ranges plus Unicode property tests, optionally complemented.
/// ASCII membership is precomputed into a 128-bit map so the common case is two shifts.
struct CharSet: Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []
    private(set) var properties: [PropertyTest] = []
    private(set) var negated = false
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init() {}

    init(ranges: [ClosedRange<UInt32>], properties: [PropertyTest] = [], negated: Bool = false) {
        self.ranges = ranges
        self.properties = CharSet.simplify(properties)
        self.negated = negated
        finish()
    }

    /// Normalises the ranges (sorted, merged) and fills the ASCII map. Call after building a set.
    private mutating func finish() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(ranges.count)
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                if range.upperBound > last.upperBound {
                    merged[merged.count - 1] = last.lowerBound...range.upperBound
                }
            } else {
                merged.append(range)
            }
        }
        ranges = merged
        asciiLow = 0
        asciiHigh = 0
        for value in UInt32(0)..<128 where slowContains(value) {
            if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
        }
    }

    /// Whether `value` is in the set (after complementing, for a negated set).
    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
        return slowContains(value)
    }

    private func slowContains(_ value: UInt32) -> Bool {
        var member = false
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if value < range.lowerBound {
                high = mid
            } else if value > range.upperBound {
                low = mid + 1
            } else {
                member = true
                break
            }
        }
        if !member, !properties.isEmpty, let scalar = Unicode.Scalar(value) {
            for test in properties where test.property.holds(for: scalar) != test.negated {
                member = true
                break
            }
        }
        return member != negated
    }

    /// Folds every general-category test (`\p{L}`, `\P{Nd}`) into one mask and drops repeated binary tests, so
    /// a class's membership test costs at most one mask and one test per distinct binary property.
    private static func simplify(_ tests: [PropertyTest]) -> [PropertyTest] {
        var mask: UInt32 = 0
        var hasCategories = false
        var binary: [PropertyTest] = []
        for test in tests {
            switch test.property {
            case .categories(let categories):
                hasCategories = true
                mask |= test.negated ? ~categories & GeneralCategoryNames.allCategories : categories
            case .binary(let property):
                if !binary.contains(where: { $0.negated == test.negated && $0.property.isBinary(property) }) {
                    binary.append(test)
                }
            }
        }
        return hasCategories ? [PropertyTest(property: .categories(mask), negated: false)] + binary : binary
    }

    /// The complement of sorted, merged ranges over all code points.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= next { next = range.upperBound &+ 1 }
            if range.upperBound == maxCodePoint { return result }
        }
        if next <= maxCodePoint { result.append(next...maxCodePoint) }
        return result
    }

    static let maxCodePoint: UInt32 = 0x10FFFF

    /// `\d`: ASCII digits only, as ECMA-262 says.
    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    /// `\w`: `[A-Za-z0-9_]` (Unicode mode without the `i` flag).
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// `\s`: ECMA-262 WhiteSpace (TAB, VT, FF, SP, NBSP, ZWNBSP, Zs) and LineTerminator (LF, CR, LS, PS).
    static let spaceRanges: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]

    @inline(__always)
    static func isWordCharacter(_ value: UInt32) -> Bool {
        (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
            || value == 0x5F
    }

    @inline(__always)
    static func isLineTerminator(_ value: UInt32) -> Bool {
        value == 0x0A || value == 0x0D || value == 0x2028 || value == 0x2029
    }
}

/// One `\p{…}` or `\P{…}` inside a set.
struct PropertyTest: Sendable {
    var property: UnicodeProperty
    var negated: Bool
}

/// The Unicode properties `\p{…}` understands: general categories (a bit set of them) and binary properties.
enum UnicodeProperty: Sendable {
    case categories(UInt32)
    case binary(BinaryProperty)

    func holds(for scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .categories(let mask):
            return mask & (1 << GeneralCategoryNames.bit(scalar.properties.generalCategory)) != 0
        case .binary(let property):
            return property.holds(for: scalar)
        }
    }

    func isBinary(_ other: BinaryProperty) -> Bool {
        if case .binary(let property) = self { return property == other }
        return false
    }

    enum Lookup {
        case found(UnicodeProperty)
        case unsupported(String)
        case unknown
    }

    /// Resolves the text between the braces of `\p{…}`: `Name`, `Name=Value`.
    static func lookup(_ text: String) -> Lookup {
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            switch name {
            case "General_Category", "gc":
                if let mask = GeneralCategoryNames.mask(for: value) { return .found(.categories(mask)) }
                return .unknown
            case "Script", "sc", "Script_Extensions", "scx":
                return .unsupported("Unicode script properties (\\p{\(text)}) are not supported")
            default:
                return .unknown
            }
        }
        if let mask = GeneralCategoryNames.mask(for: text) { return .found(.categories(mask)) }
        if let property = BinaryProperty.named[text] { return .found(.binary(property)) }
        if BinaryProperty.unsupportedNames.contains(text) {
            return .unsupported("the Unicode property \\p{\(text)} is not supported")
        }
        return .unknown
    }
}

enum GeneralCategoryNames {
    // Bit positions, one per general category.
    static func bit(_ category: Unicode.GeneralCategory) -> UInt32 {
        switch category {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 5
        case .spacingMark: 6
        case .enclosingMark: 7
        case .decimalNumber: 8
        case .letterNumber: 9
        case .otherNumber: 10
        case .connectorPunctuation: 11
        case .dashPunctuation: 12
        case .openPunctuation: 13
        case .closePunctuation: 14
        case .initialPunctuation: 15
        case .finalPunctuation: 16
        case .otherPunctuation: 17
        case .mathSymbol: 18
        case .currencySymbol: 19
        case .modifierSymbol: 20
        case .otherSymbol: 21
        case .spaceSeparator: 22
        case .lineSeparator: 23
        case .paragraphSeparator: 24
        case .control: 25
        case .format: 26
        case .surrogate: 27
        case .privateUse: 28
        case .unassigned: 29
        @unknown default: 29
        }
    }

    /// One bit for each of the 30 general categories.
    static let allCategories: UInt32 = (1 << 30) - 1

    private static func bits(_ range: ClosedRange<UInt32>) -> UInt32 {
        var mask: UInt32 = 0
        for bit in range { mask |= 1 << bit }
        return mask
    }

    /// Short names, long names and the aliases of Unicode's PropertyValueAliases for General_Category.
    static let masks: [String: UInt32] = {
        let table: [([String], UInt32)] = [
            (["L", "Letter"], bits(0...4)),
            (["LC", "Cased_Letter"], bits(0...2)),
            (["Lu", "Uppercase_Letter"], 1 << 0),
            (["Ll", "Lowercase_Letter"], 1 << 1),
            (["Lt", "Titlecase_Letter"], 1 << 2),
            (["Lm", "Modifier_Letter"], 1 << 3),
            (["Lo", "Other_Letter"], 1 << 4),
            (["M", "Mark", "Combining_Mark"], bits(5...7)),
            (["Mn", "Nonspacing_Mark"], 1 << 5),
            (["Mc", "Spacing_Mark"], 1 << 6),
            (["Me", "Enclosing_Mark"], 1 << 7),
            (["N", "Number"], bits(8...10)),
            (["Nd", "Decimal_Number", "digit"], 1 << 8),
            (["Nl", "Letter_Number"], 1 << 9),
            (["No", "Other_Number"], 1 << 10),
            (["P", "Punctuation", "punct"], bits(11...17)),
            (["Pc", "Connector_Punctuation"], 1 << 11),
            (["Pd", "Dash_Punctuation"], 1 << 12),
            (["Ps", "Open_Punctuation"], 1 << 13),
            (["Pe", "Close_Punctuation"], 1 << 14),
            (["Pi", "Initial_Punctuation"], 1 << 15),
            (["Pf", "Final_Punctuation"], 1 << 16),
            (["Po", "Other_Punctuation"], 1 << 17),
            (["S", "Symbol"], bits(18...21)),
            (["Sm", "Math_Symbol"], 1 << 18),
            (["Sc", "Currency_Symbol"], 1 << 19),
            (["Sk", "Modifier_Symbol"], 1 << 20),
            (["So", "Other_Symbol"], 1 << 21),
            (["Z", "Separator"], bits(22...24)),
            (["Zs", "Space_Separator"], 1 << 22),
            (["Zl", "Line_Separator"], 1 << 23),
            (["Zp", "Paragraph_Separator"], 1 << 24),
            (["C", "Other"], bits(25...29)),
            (["Cc", "Control", "cntrl"], 1 << 25),
            (["Cf", "Format"], 1 << 26),
            (["Cs", "Surrogate"], 1 << 27),
            (["Co", "Private_Use"], 1 << 28),
            (["Cn", "Unassigned"], 1 << 29),
        ]
        var result: [String: UInt32] = [:]
        for (names, mask) in table {
            for name in names { result[name] = mask }
        }
        return result
    }()

    static func mask(for name: String) -> UInt32? { masks[name] }
}

/// The binary Unicode properties of ECMA-262's table that the standard library can answer.
enum BinaryProperty: Sendable {
    case any, ascii, assigned, asciiHexDigit, alphabetic, bidiControl, bidiMirrored, cased, caseIgnorable
    case changesWhenCasefolded, changesWhenCasemapped, changesWhenLowercased, changesWhenNFKCCasefolded
    case changesWhenTitlecased, changesWhenUppercased, dash, defaultIgnorableCodePoint, deprecated, diacritic
    case emoji, emojiModifier, emojiModifierBase, emojiPresentation, extender, graphemeBase, graphemeExtend
    case hexDigit, idsBinaryOperator, idsTrinaryOperator, idContinue, idStart, ideographic, joinControl
    case logicalOrderException, lowercase, math, noncharacterCodePoint, patternSyntax, patternWhiteSpace
    case quotationMark, radical, regionalIndicator, sentenceTerminal, softDotted, terminalPunctuation
    case unifiedIdeograph, uppercase, variationSelector, whiteSpace, xidContinue, xidStart

    func holds(for scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        switch self {
        case .any: return true
        case .ascii: return scalar.value < 0x80
        case .assigned: return p.generalCategory != .unassigned
        case .asciiHexDigit: return p.isASCIIHexDigit
        case .alphabetic: return p.isAlphabetic
        case .bidiControl: return p.isBidiControl
        case .bidiMirrored: return p.isBidiMirrored
        case .cased: return p.isCased
        case .caseIgnorable: return p.isCaseIgnorable
        case .changesWhenCasefolded: return p.changesWhenCaseFolded
        case .changesWhenCasemapped: return p.changesWhenCaseMapped
        case .changesWhenLowercased: return p.changesWhenLowercased
        case .changesWhenNFKCCasefolded: return p.changesWhenNFKCCaseFolded
        case .changesWhenTitlecased: return p.changesWhenTitlecased
        case .changesWhenUppercased: return p.changesWhenUppercased
        case .dash: return p.isDash
        case .defaultIgnorableCodePoint: return p.isDefaultIgnorableCodePoint
        case .deprecated: return p.isDeprecated
        case .diacritic: return p.isDiacritic
        case .emoji: return p.isEmoji
        case .emojiModifier: return p.isEmojiModifier
        case .emojiModifierBase: return p.isEmojiModifierBase
        case .emojiPresentation: return p.isEmojiPresentation
        case .extender: return p.isExtender
        case .graphemeBase: return p.isGraphemeBase
        case .graphemeExtend: return p.isGraphemeExtend
        case .hexDigit: return p.isHexDigit
        case .idsBinaryOperator: return p.isIDSBinaryOperator
        case .idsTrinaryOperator: return p.isIDSTrinaryOperator
        case .idContinue: return p.isIDContinue
        case .idStart: return p.isIDStart
        case .ideographic: return p.isIdeographic
        case .joinControl: return p.isJoinControl
        case .logicalOrderException: return p.isLogicalOrderException
        case .lowercase: return p.isLowercase
        case .math: return p.isMath
        case .noncharacterCodePoint: return p.isNoncharacterCodePoint
        case .patternSyntax: return p.isPatternSyntax
        case .patternWhiteSpace: return p.isPatternWhitespace
        case .quotationMark: return p.isQuotationMark
        case .radical: return p.isRadical
        case .regionalIndicator: return scalar.value >= 0x1F1E6 && scalar.value <= 0x1F1FF
        case .sentenceTerminal: return p.isSentenceTerminal
        case .softDotted: return p.isSoftDotted
        case .terminalPunctuation: return p.isTerminalPunctuation
        case .unifiedIdeograph: return p.isUnifiedIdeograph
        case .uppercase: return p.isUppercase
        case .variationSelector: return p.isVariationSelector
        case .whiteSpace: return p.isWhitespace
        case .xidContinue: return p.isXIDContinue
        case .xidStart: return p.isXIDStart
        }
    }

    /// ECMA-262's names and short aliases of the binary properties.
    static let named: [String: BinaryProperty] = [
        "Any": .any, "ASCII": .ascii, "Assigned": .assigned,
        "ASCII_Hex_Digit": .asciiHexDigit, "AHex": .asciiHexDigit,
        "Alphabetic": .alphabetic, "Alpha": .alphabetic,
        "Bidi_Control": .bidiControl, "Bidi_C": .bidiControl,
        "Bidi_Mirrored": .bidiMirrored, "Bidi_M": .bidiMirrored,
        "Cased": .cased, "Case_Ignorable": .caseIgnorable, "CI": .caseIgnorable,
        "Changes_When_Casefolded": .changesWhenCasefolded, "CWCF": .changesWhenCasefolded,
        "Changes_When_Casemapped": .changesWhenCasemapped, "CWCM": .changesWhenCasemapped,
        "Changes_When_Lowercased": .changesWhenLowercased, "CWL": .changesWhenLowercased,
        "Changes_When_NFKC_Casefolded": .changesWhenNFKCCasefolded, "CWKCF": .changesWhenNFKCCasefolded,
        "Changes_When_Titlecased": .changesWhenTitlecased, "CWT": .changesWhenTitlecased,
        "Changes_When_Uppercased": .changesWhenUppercased, "CWU": .changesWhenUppercased,
        "Dash": .dash,
        "Default_Ignorable_Code_Point": .defaultIgnorableCodePoint, "DI": .defaultIgnorableCodePoint,
        "Deprecated": .deprecated, "Dep": .deprecated,
        "Diacritic": .diacritic, "Dia": .diacritic,
        "Emoji": .emoji, "Emoji_Modifier": .emojiModifier, "EMod": .emojiModifier,
        "Emoji_Modifier_Base": .emojiModifierBase, "EBase": .emojiModifierBase,
        "Emoji_Presentation": .emojiPresentation, "EPres": .emojiPresentation,
        "Extender": .extender, "Ext": .extender,
        "Grapheme_Base": .graphemeBase, "Gr_Base": .graphemeBase,
        "Grapheme_Extend": .graphemeExtend, "Gr_Ext": .graphemeExtend,
        "Hex_Digit": .hexDigit, "Hex": .hexDigit,
        "IDS_Binary_Operator": .idsBinaryOperator, "IDSB": .idsBinaryOperator,
        "IDS_Trinary_Operator": .idsTrinaryOperator, "IDST": .idsTrinaryOperator,
        "ID_Continue": .idContinue, "IDC": .idContinue,
        "ID_Start": .idStart, "IDS": .idStart,
        "Ideographic": .ideographic, "Ideo": .ideographic,
        "Join_Control": .joinControl, "Join_C": .joinControl,
        "Logical_Order_Exception": .logicalOrderException, "LOE": .logicalOrderException,
        "Lowercase": .lowercase, "Lower": .lowercase,
        "Math": .math,
        "Noncharacter_Code_Point": .noncharacterCodePoint, "NChar": .noncharacterCodePoint,
        "Pattern_Syntax": .patternSyntax, "Pat_Syn": .patternSyntax,
        "Pattern_White_Space": .patternWhiteSpace, "Pat_WS": .patternWhiteSpace,
        "Quotation_Mark": .quotationMark, "QMark": .quotationMark,
        "Radical": .radical,
        "Regional_Indicator": .regionalIndicator, "RI": .regionalIndicator,
        "Sentence_Terminal": .sentenceTerminal, "STerm": .sentenceTerminal,
        "Soft_Dotted": .softDotted, "SD": .softDotted,
        "Terminal_Punctuation": .terminalPunctuation, "Term": .terminalPunctuation,
        "Unified_Ideograph": .unifiedIdeograph, "UIdeo": .unifiedIdeograph,
        "Uppercase": .uppercase, "Upper": .uppercase,
        "Variation_Selector": .variationSelector, "VS": .variationSelector,
        "White_Space": .whiteSpace, "space": .whiteSpace,
        "XID_Continue": .xidContinue, "XIDC": .xidContinue,
        "XID_Start": .xidStart, "XIDS": .xidStart,
    ]

    /// Binary properties of ECMA-262 that the standard library cannot answer: reported as unsupported.
    static let unsupportedNames: Set<String> = [
        "Emoji_Component", "EComp", "Extended_Pictographic", "ExtPict",
    ]
}
