import ECMARegex
import JSONSupport

/// A run of names in `FastProgram`'s name table: names `first ..< first + count`.
struct NameRange: Sendable {
    var first: Int32
    var count: Int32
    /// Every name in the run is ASCII: a plain ASCII member name is then matched by its bytes alone.
    var allASCII: Bool

    static let empty = NameRange(first: 0, count: 0, allASCII: true)
}

/// A run of `FastProgram.ints`.
struct IntRange: Sendable {
    var start: Int32
    var count: Int32
}

/// `properties` with the `additionalProperties` and `required` beside it folded in: one pass over the members,
/// each name looked up once, evaluated properties and required ones as bits.
struct ObjectShape: Sendable {
    var names: NameRange
    /// The schema of each name: `ints[schemas.start + j]`.
    var schemas: IntRange
    /// `additionalProperties`: its schema, or -1 when it is not folded in here.
    var additional: Int
    /// The `required` names that are among `names`, as bits of their indices.
    var required: UInt64
}

/// A keyword as the fast validator runs it: `Check` with every payload a number or an index into
/// `FastProgram`'s tables, so reading one copies a few words and retains nothing.
enum FastCheck: Sendable {
    /// Folded into another keyword of its subschema.
    case skip
    case ref(Int)
    case types(TypeSet)
    /// `enum` and `const`: the UTF-8 of the string values, and `valueLists[values]`, every value.
    case values(strings: NameRange, values: Int)
    case multipleOf(Int)
    case maximum(Int, exclusive: Bool)
    case minimum(Int, exclusive: Bool)
    case maxLength(Int)
    case minLength(Int)
    case pattern(Int)
    case format(Int)
    case prefixItems(IntRange)
    case itemsFrom(Int, schema: Int)
    case contains(Int, min: Int, max: Int)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case properties(NameRange, schemas: IntRange)
    case shape(Int)
    /// Pairs of `ints`: a pattern index, then its schema.
    case patternProperties(IntRange)
    /// `patterns`: pattern indices in `ints`.
    case additionalProperties(Int, names: NameRange, patterns: IntRange)
    /// Names distinct under `==` (a repeated name adds nothing).
    case required(NameRange)
    case dependentRequired(Int)
    case dependentSchemas(Int)
    case propertyNames(Int)
    case maxProperties(Int)
    case minProperties(Int)
    case allOf(IntRange)
    case anyOf(IntRange)
    case oneOf(IntRange)
    case not(Int)
    case conditional(if: Int, then: Int, else: Int)
}

/// A subschema for the fast validator: its keywords (`checks[start ..< end]`) and, for a boolean schema, its value.
struct FastNode: Sendable {
    var start: Int32
    var end: Int32
    /// -1 for a schema object, 0 for `false`, 1 for `true`.
    var constant: Int8
    /// The subschema's `type`, tested before its other keywords (when `hasTypes`): most subschemas have one, and
    /// this spares it a keyword dispatch.
    var hasTypes: Bool
    var types: TypeSet
}

/// The flat tables the fast validator reads through raw pointers (no retain, no bounds check past what the
/// compiler proved when building them).
struct FastTables {
    let nodes: UnsafeBufferPointer<FastNode>
    let checks: UnsafeBufferPointer<FastCheck>
    let ints: UnsafeBufferPointer<Int>
    let nameBytes: UnsafeBufferPointer<UInt8>
    /// Name `j` is `nameBytes[nameStarts[j] ..< nameStarts[j + 1]]`.
    let nameStarts: UnsafeBufferPointer<Int>
    /// The first eight bytes of each name (fewer for a shorter one, zero above them), as loaded little-endian: most
    /// names are told apart, or found equal, by one comparison of this and their length.
    let namePrefixes: UnsafeBufferPointer<UInt64>
    let shapes: UnsafeBufferPointer<ObjectShape>
    /// The integral value of each number limit, when it has one (the shortcut of `NumberLimit.compare`).
    let limitInts: UnsafeBufferPointer<Int?>
}

/// The program in the form the fast validator runs, or nil when some keyword needs what it does not keep:
/// annotations (`unevaluated*`), the dynamic scope (`$recursiveRef`, `$dynamicRef`) or `properties` names equal
/// under `==`. Keyword indices are `Program.keywords`'.
///
/// `@unchecked Sendable`: every property is immutable after `init`; the raw buffers are copies of arrays, owned by
/// this object and freed in `deinit`, so a validation reads them without closures or retains.
final class FastProgram: @unchecked Sendable {
    let tables: FastTables
    let root: Int
    /// Names as strings, for the `==` comparisons of escaped or non-ASCII names.
    let nameStrings: [String]
    let valueLists: [[JSONValue]]
    let exacts: [ExactNumber]
    let limits: [NumberLimit]
    let patterns: [ECMARegexUTF8Matcher]
    let formats: [String]
    let dependentRequired: [[(NameRange, NameRange)]]
    let dependentSchemas: [[(NameRange, Int)]]

    /// `format` asserts (`JSONSchemaOptions.assertFormat`).
    let assertFormat: Bool

    init?(_ program: Program, assertFormat: Bool) {
        self.assertFormat = assertFormat
        var b = Builder()
        var nodes: [FastNode] = []
        var checks: [FastCheck] = []
        nodes.reserveCapacity(program.subschemas.count)
        checks.reserveCapacity(program.keywords.count)
        for subschema in program.subschemas {
            let start = checks.count
            for k in subschema.keywords {
                guard let check = b.fast(program.keywords[k].check) else { return nil }
                checks.append(check)
            }
            b.fold(&checks[start...])
            // Folded keywords go, and so does `type`, which the node tests itself. Without annotations or reports,
            // the order of the keywords decides nothing but which failure is found first.
            var types: TypeSet?
            var kept: [FastCheck] = []
            for check in checks[start...] {
                switch check {
                case .skip: continue
                case .types(let set) where types == nil: types = set
                default: kept.append(check)
                }
            }
            checks.replaceSubrange(start..., with: kept)
            nodes.append(
                FastNode(
                    start: Int32(start), end: Int32(checks.count), constant: subschema.constant.map { $0 ? 1 : 0 } ?? -1,
                    hasTypes: types != nil, types: types ?? []))
        }
        guard checks.count < Int(Int32.max), b.ints.count < Int(Int32.max), b.names.count < Int(Int32.max) else { return nil }
        var starts: [Int] = []
        var bytes: [UInt8] = []
        for name in b.names {
            starts.append(bytes.count)
            bytes.append(contentsOf: name.utf8)
        }
        starts.append(bytes.count)
        tables = FastTables(
            nodes: Self.copy(nodes), checks: Self.copy(checks), ints: Self.copy(b.ints), nameBytes: Self.copy(bytes),
            nameStarts: Self.copy(starts), namePrefixes: Self.copy(b.names.map { Self.prefix(Array($0.utf8)) }), shapes: Self.copy(b.shapes), limitInts: Self.copy(b.limits.map(\.int)))
        root = program.root
        nameStrings = b.names
        valueLists = b.valueLists
        exacts = b.exacts
        limits = b.limits
        patterns = b.patterns.map(\.utf8Matcher)
        formats = b.formats
        dependentRequired = b.dependentRequired
        dependentSchemas = b.dependentSchemas
    }

    deinit {
        Self.free(tables.nodes)
        Self.free(tables.checks)
        Self.free(tables.ints)
        Self.free(tables.nameBytes)
        Self.free(tables.nameStarts)
        Self.free(tables.namePrefixes)
        Self.free(tables.shapes)
        Self.free(tables.limitInts)
    }

    /// The first eight bytes of `utf8` as `FastContext.prefix` loads them.
    static func prefix(_ utf8: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for (k, b) in utf8.prefix(8).enumerated() { value |= UInt64(b) << UInt64(8 * k) }
        return value
    }

    /// A heap copy of `array` (never a nil base address, even when empty).
    private static func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(start: buffer.baseAddress, count: array.count)
    }

    private static func free<T>(_ buffer: UnsafeBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return }
        let mutable = UnsafeMutablePointer(mutating: base)
        mutable.deinitialize(count: buffer.count)
        mutable.deallocate()
    }

    /// Collects the tables while keywords are translated.
    struct Builder {
        var ints: [Int] = []
        var names: [String] = []
        var shapes: [ObjectShape] = []
        var valueLists: [[JSONValue]] = []
        var exacts: [ExactNumber] = []
        var limits: [NumberLimit] = []
        var patterns: [PatternMatcher] = []
        var formats: [String] = []
        var dependentRequired: [[(NameRange, NameRange)]] = []
        var dependentSchemas: [[(NameRange, Int)]] = []
        /// The names of each `properties` and `additionalProperties` translated, by the range they got, for
        /// folding.
        var propertyNames: [Int32: [String]] = [:]

        mutating func nameRange(_ list: [String]) -> NameRange {
            let first = names.count
            names.append(contentsOf: list)
            return NameRange(
                first: Int32(first), count: Int32(list.count), allASCII: list.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } })
        }

        mutating func intRange(_ list: [Int]) -> IntRange {
            let start = ints.count
            ints.append(contentsOf: list)
            return IntRange(start: Int32(start), count: Int32(list.count))
        }

        mutating func pattern(_ p: PatternMatcher) -> Int {
            patterns.append(p)
            return patterns.count - 1
        }

        mutating func limit(_ l: NumberLimit) -> Int {
            limits.append(l)
            return limits.count - 1
        }

        /// `names` without later names equal (by `==`) to earlier ones: `==` is an equivalence, so a member present
        /// for one name is present for every name of its class.
        static func distinct(_ names: [String]) -> [String] {
            var out: [String] = []
            for name in names where !out.contains(name) { out.append(name) }
            return out
        }

        mutating func fast(_ check: Check) -> FastCheck? {
            switch check {
            case .ref(let target): return .ref(target)
            case .recursiveRef, .dynamicRef, .unevaluatedItems, .unevaluatedProperties: return nil
            case .types(let set): return .types(set)
            case .enumeration(let list): return values(list)
            case .constant(let value): return values([value])
            case .multipleOf(let m):
                exacts.append(m)
                return .multipleOf(exacts.count - 1)
            case .maximum(let l, let exclusive): return .maximum(limit(l), exclusive: exclusive)
            case .minimum(let l, let exclusive): return .minimum(limit(l), exclusive: exclusive)
            case .maxLength(let n): return .maxLength(n)
            case .minLength(let n): return .minLength(n)
            case .pattern(let p): return .pattern(pattern(p))
            case .format(let name):
                formats.append(name)
                return .format(formats.count - 1)
            case .prefixItems(let schemas): return .prefixItems(intRange(schemas))
            case .itemsFrom(let start, let schema): return .itemsFrom(start, schema: schema)
            case .contains(let schema, let min, let max, _): return .contains(schema, min: min, max: max ?? -1)
            case .maxItems(let n): return .maxItems(n)
            case .minItems(let n): return .minItems(n)
            case .uniqueItems: return .uniqueItems
            case .properties(let entries, let uniqueNames):
                guard uniqueNames else { return nil }
                let range = nameRange(entries.map(\.0))
                propertyNames[range.first] = entries.map(\.0)
                return .properties(range, schemas: intRange(entries.map(\.1)))
            case .patternProperties(let list):
                var flat: [Int] = []
                for (p, schema) in list { flat += [pattern(p), schema] }
                return .patternProperties(intRange(flat))
            case .additionalProperties(let schema, let list, let regexes):
                let range = nameRange(list)
                propertyNames[range.first] = list
                return .additionalProperties(schema, names: range, patterns: intRange(regexes.map { pattern($0) }))
            case .required(let list): return .required(nameRange(Self.distinct(list)))
            case .dependentRequired(let dependencies):
                dependentRequired.append(dependencies.map { (nameRange([$0.0]), nameRange(Self.distinct($0.1))) })
                return .dependentRequired(dependentRequired.count - 1)
            case .dependentSchemas(let dependencies):
                dependentSchemas.append(dependencies.map { (nameRange([$0.0]), $0.1) })
                return .dependentSchemas(dependentSchemas.count - 1)
            case .propertyNames(let schema): return .propertyNames(schema)
            case .maxProperties(let n): return .maxProperties(n)
            case .minProperties(let n): return .minProperties(n)
            case .allOf(let list): return .allOf(intRange(list))
            case .anyOf(let list): return .anyOf(intRange(list))
            case .oneOf(let list): return .oneOf(intRange(list))
            case .not(let schema): return .not(schema)
            case .conditional(let condition, let then, let otherwise):
                return .conditional(if: condition, then: then ?? -1, else: otherwise ?? -1)
            }
        }

        mutating func values(_ list: [JSONValue]) -> FastCheck {
            valueLists.append(list)
            return .values(strings: nameRange(list.compactMap(\.stringValue)), values: valueLists.count - 1)
        }

        /// Folds a subschema's `additionalProperties` (without patterns) and `required` into its `properties`.
        /// Without annotations every keyword's verdict stands alone, so the order they run in only decides which
        /// failure comes first, and the fast validator reports none.
        mutating func fold(_ checks: inout ArraySlice<FastCheck>) {
            guard let p = checks.firstIndex(where: { if case .properties = $0 { true } else { false } }),
                case .properties(let names, let schemas) = checks[p], names.count <= 64,
                let propertyList = propertyNames[names.first]
            else { return }
            var shape = ObjectShape(names: names, schemas: schemas, additional: -1, required: 0)
            for i in checks.indices {
                switch checks[i] {
                case .additionalProperties(let schema, let other, let regexes)
                where regexes.count == 0 && propertyNames[other.first] == propertyList:
                    shape.additional = schema
                    checks[i] = .skip
                case .required(let required):
                    // Each required name that equals a property name (by `==`, as a member lookup would match
                    // both) is a bit; the keyword folds in only when every one does.
                    var mask: UInt64 = 0
                    var all = true
                    for r in 0..<Int(required.count) {
                        let name = self.names[Int(required.first) + r]
                        guard let j = propertyList.firstIndex(where: { $0 == name }) else {
                            all = false
                            break
                        }
                        mask |= 1 << UInt64(j)
                    }
                    if all {
                        shape.required |= mask
                        checks[i] = .skip
                    }
                default: break
                }
            }
            shapes.append(shape)
            checks[p] = .shape(shapes.count - 1)
        }

    }
}
