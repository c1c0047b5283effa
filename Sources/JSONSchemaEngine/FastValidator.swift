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

/// What a fast validation reads and never changes: the program (whose tables it reads through) and the
/// document's tape. Five words: a helper called from the validator's mutating methods gets a copy of it, which
/// must stay this small (the tables themselves, copied along, made every call copy 192 bytes).
struct FastContext {
    let program: FastProgram
    let tape: JSONTape

    var t: FastTables {
        @inline(__always) get { program.tables }
    }

    var entries: UnsafeBufferPointer<JSONTapeEntry> {
        @inline(__always) get { tape.entries }
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        @inline(__always) get { tape.bytes }
    }

    var assertFormat: Bool { program.assertFormat }

    /// The entry after value `v` and everything inside it.
    @inline(__always)
    func next(_ v: Int) -> Int {
        let entry = entries[v]
        return entry.kind.rawValue >= JSONTapeEntry.Kind.array.rawValue ? Int(entry.offset) : v + 1
    }

    @inline(__always)
    func raw(_ v: Int) -> UnsafeBufferPointer<UInt8> {
        let entry = entries[v]
        return UnsafeBufferPointer(start: bytes.baseAddress.map { $0 + Int(entry.offset) }, count: Int(entry.count))
    }

    @inline(never)
    func otherValue(_ v: Int, _ values: Int) -> Bool {
        program.valueLists[values].contains { equal(v, $0) }
    }

    func isFalse(_ index: Int) -> Bool { t.nodes[index].constant == 0 }

    /// The index (within `names`) of the first name equal, as `String` `==` judges, to the tape's string `key`,
    /// looked for from `cursor` round (a hit moves `cursor` past it, so members in table order cost one
    /// comparison each); -1 when none is.
    @inline(__always)
    func find(_ key: Int, in names: NameRange, cursor: inout Int) -> Int {
        let n = Int(names.count)
        guard n > 0 else { return -1 }
        if names.allASCII && entries[key].isPlainASCII {
            // Both sides ASCII: `==` is byte equality.
            let raw = raw(key)
            let head = prefix(raw)
            let first = Int(names.first)
            var j = cursor < n ? cursor : 0
            for _ in 0..<n {
                let name = first + j
                if t.namePrefixes[name] == head && t.nameStarts[name + 1] - t.nameStarts[name] == raw.count
                    && (raw.count <= 8 || nameEquals(name, raw))
                {
                    cursor = j + 1
                    return j
                }
                j += 1
                if j == n { j = 0 }
            }
            return -1
        }
        // An escaped or non-ASCII name on either side: `==` on strings, which equates canonically equivalent ones.
        let string = tape.string(key)
        for j in 0..<n where program.nameStrings[Int(names.first) + j] == string {
            cursor = j + 1
            return j
        }
        return -1
    }

    /// The first eight bytes of `raw` (fewer when it is shorter, zero above them), loaded little-endian.
    @inline(__always)
    func prefix(_ raw: UnsafeBufferPointer<UInt8>, inDocument: Bool = true) -> UInt64 {
        guard let start = raw.baseAddress else { return 0 }
        let n = raw.count
        if inDocument, let end = bytes.baseAddress.map({ $0 + bytes.count }), end - start >= 8 {
            // The document goes on past a short name (its closing quote at least): load eight bytes and keep the
            // name's.
            let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            return n >= 8 ? word : word & ((1 << UInt64(8 * n)) &- 1)
        }
        var value: UInt64 = 0
        for k in 0..<min(n, 8) { value |= UInt64(start[k]) << UInt64(8 * k) }
        return value
    }

    /// The index within `names` of the name whose UTF-8 is `utf8` (code point equality, as `jsonEqual` compares
    /// strings), or -1.
    func find(_ utf8: UnsafeBufferPointer<UInt8>, in names: NameRange, inDocument: Bool) -> Int {
        let head = prefix(utf8, inDocument: inDocument)
        for j in 0..<Int(names.count) {
            let name = Int(names.first) + j
            if t.namePrefixes[name] == head && t.nameStarts[name + 1] - t.nameStarts[name] == utf8.count
                && (utf8.count <= 8 || nameEquals(name, utf8))
            {
                return j
            }
        }
        return -1
    }

    @inline(__always)
    func nameEquals(_ name: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = t.nameStarts[name]
        guard t.nameStarts[name + 1] - start == raw.count else { return false }
        for k in 0..<raw.count where t.nameBytes[start + k] != raw[k] { return false }
        return true
    }

    /// Whether object `v` has a member for every name in `names` (by `==`, the names distinct under it).
    func hasAll(_ v: Int, _ names: NameRange) -> Bool {
        let needed = Int(names.count)
        if needed == 0 { return true }
        let end = Int(entries[v].offset)
        if needed <= 64 {
            // Member names are distinct under `==`, and so are the names: a member finds at most one name, and
            // no name is found by two members.
            var found = 0
            var cursor = 0
            var key = v + 1
            while key < end {
                if find(key, in: names, cursor: &cursor) >= 0 {
                    found += 1
                    if found == needed { return true }
                }
                key = next(key + 1)
            }
            return false
        }
        for j in 0..<needed {
            let one = NameRange(first: names.first + Int32(j), count: 1, allASCII: names.allASCII)
            var cursor = 0
            var key = v + 1
            var present = false
            while key < end {
                if find(key, in: one, cursor: &cursor) >= 0 {
                    present = true
                    break
                }
                key = next(key + 1)
            }
            if !present { return false }
        }
        return true
    }

    // MARK: Values

    @inline(__always)
    func matches(_ entry: JSONTapeEntry, _ v: Int, _ set: TypeSet) -> Bool {
        switch entry.kind {
        case .null: return set.contains(.null)
        case .bool: return set.contains(.boolean)
        case .string: return set.contains(.string)
        case .array: return set.contains(.array)
        case .object: return set.contains(.object)
        case .number:
            if set.contains(.number) { return true }
            guard set.contains(.integer) else { return false }
            return entry.flags & JSONTapeEntry.notIntegral == 0 || ExactNumber(tape.number(v)).isInteger
        }
    }

    /// Whether pattern `p` matches string `v`; nil when the regex gave up (a step or input limit).
    func matches(_ v: Int, pattern p: Int) -> Bool? {
        let regex = program.patterns[p]
        if entries[v].flags & JSONTapeEntry.escaped == 0 { return try? regex.matches(utf8: raw(v)) }
        return try? tape.decodedBytes(v).withUnsafeBufferPointer { try regex.matches(utf8: $0) }
    }

    /// `NumberLimit.compare` of number `v` against limit `l`: integral limits against plain decimals on the
    /// bytes, anything else through the literal's text.
    func compare(_ v: Int, _ l: Int) -> Int {
        if let int = t.limitInts[l], let x = plainDecimal(utf8: raw(v)) {
            let whole = x.negative ? -x.integer : x.integer
            if !x.fraction { return whole < int ? -1 : (whole == int ? 0 : 1) }
            if x.negative { return whole <= int ? -1 : 1 }
            return whole >= int ? 1 : -1
        }
        return program.limits[l].compare(tape.number(v))
    }

    static func scalarCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in utf8 where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// `jsonEqual(value, tape value v)`: JSON Schema equality (numbers by value, strings by code points, objects
    /// as sets of members), without building the tape's value.
    func equal(_ v: Int, _ value: JSONValue) -> Bool {
        let entry = entries[v]
        switch (entry.kind, value) {
        case (.null, .null): return true
        case (.bool, .bool(let b)): return (entry.flags != 0) == b
        case (.string, .string(let s)):
            var s = s
            return s.withUTF8 { x in tape.withUTF8(v) { y in x.elementsEqual(y) } }
        case (.number, .number(let n)):
            var text = n.text
            if text.withUTF8({ $0.elementsEqual(raw(v)) }) { return true }
            return ExactNumber(n) == ExactNumber(tape.number(v))
        case (.array, .array(let items)):
            guard Int(entry.count) == items.count else { return false }
            var item = v + 1
            for x in items {
                if !equal(item, x) { return false }
                item = next(item)
            }
            return true
        case (.object, .object(let object)):
            guard Int(entry.count) == object.count else { return false }
            for m in object.members {
                var name = m.key
                let found: Int? = name.withUTF8 { x in
                    var key = v + 1
                    while key < Int(entry.offset) {
                        if tape.withUTF8(key, { $0.elementsEqual(x) }) { return key + 1 }
                        key = next(key + 1)
                    }
                    return nil
                }
                guard let found, equal(found, m.value) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Tape values `a` and `b` are equal as `jsonEqual` compares.
    func equal(_ a: Int, _ b: Int) -> Bool {
        let x = entries[a]
        let y = entries[b]
        guard x.kind == y.kind else { return false }
        switch x.kind {
        case .null: return true
        case .bool: return x.flags == y.flags
        case .string:
            if x.flags & JSONTapeEntry.escaped == 0 && y.flags & JSONTapeEntry.escaped == 0 { return raw(a).elementsEqual(raw(b)) }
            return tape.withUTF8(a) { p in tape.withUTF8(b) { q in p.elementsEqual(q) } }
        case .number:
            if raw(a).elementsEqual(raw(b)) { return true }
            return ExactNumber(tape.number(a)) == ExactNumber(tape.number(b))
        case .array, .object:
            return jsonEqual(tape.value(at: a), tape.value(at: b))
        }
    }

    /// `uniqueItems` as `Validator` decides it: pairwise for short arrays, by canonical form for long ones.
    func uniqueItems(_ v: Int) -> Bool {
        let entry = entries[v]
        let end = Int(entry.offset)
        if entry.count <= 16 {
            var item = v + 1
            while item < end {
                var earlier = v + 1
                while earlier < item {
                    if equal(earlier, item) { return false }
                    earlier = next(earlier)
                }
                item = next(item)
            }
            return true
        }
        var seen: Set<CanonicalJSON> = []
        var item = v + 1
        while item < end {
            guard seen.insert(CanonicalJSON(tape.value(at: item))).inserted else { return false }
            item = next(item)
        }
        return true
    }
}

/// A verdict-only validation over a `JSONTape`: the keywords of `Validator` with `report` off, the same limits
/// counted the same way, no value tree and no annotations. A run that a limit stops has no verdict here (`nil`):
/// the caller asks `Validator`, which says why.
struct FastValidator {
    let c: FastContext
    let maxEvaluationDepth: Int
    let maxRefsFollowed: Int
    let maxInstanceDepth: Int
    var refStack: [(target: Int, instanceDepth: Int)] = []
    var refsFollowed = 0
    var depth = 0
    var instanceDepth = 0
    var isStopped = false

    init(program: FastProgram, options: JSONSchemaOptions, tape: JSONTape) {
        c = FastContext(program: program, tape: tape)
        maxEvaluationDepth = options.limits.maxEvaluationDepth
        maxRefsFollowed = options.limits.maxRefsFollowed
        maxInstanceDepth = options.limits.maxInstanceDepth
    }

    mutating func run() -> Bool? {
        let valid = evaluate(c.program.root, 0)
        return isStopped ? nil : valid
    }

    mutating func evaluate(_ index: Int, _ v: Int) -> Bool {
        if isStopped { return false }
        let node = c.t.nodes[index]
        if node.constant >= 0 { return node.constant == 1 }
        depth += 1
        defer { depth -= 1 }
        if depth > maxEvaluationDepth {
            isStopped = true
            return false
        }
        if node.hasTypes && !c.matches(c.entries[v], v, node.types) { return false }
        for k in Int(node.start)..<Int(node.end) where !apply(k, v) { return false }
        return true
    }

    mutating func follow(_ target: Int, _ v: Int) -> Bool {
        refsFollowed += 1
        if refsFollowed > maxRefsFollowed {
            isStopped = true
            return false
        }
        for frame in refStack.reversed() {
            if frame.instanceDepth != instanceDepth { break }
            if frame.target == target {
                isStopped = true
                return false
            }
        }
        refStack.append((target, instanceDepth))
        defer { refStack.removeLast() }
        return evaluate(target, v)
    }

    mutating func descend(_ schema: Int, _ v: Int) -> Bool {
        instanceDepth += 1
        defer { instanceDepth -= 1 }
        if instanceDepth > maxInstanceDepth {
            isStopped = true
            return false
        }
        return evaluate(schema, v)
    }

    mutating func apply(_ k: Int, _ v: Int) -> Bool {
        let entry = c.entries[v]
        let check = c.t.checks[k]
        switch check {
        case .skip:
            return true
        case .ref(let target):
            return follow(target, v)
        case .types(let set):
            return c.matches(entry, v, set)
        case .values(let strings, let values):
            if entry.kind == .string {
                if entry.flags & JSONTapeEntry.escaped == 0 { return c.find(c.raw(v), in: strings, inDocument: true) >= 0 }
                return c.tape.decodedBytes(v).withUnsafeBufferPointer { c.find($0, in: strings, inDocument: false) >= 0 }
            }
            return c.otherValue(v, values)
        case .maximum(let l, let exclusive):
            guard entry.kind == .number else { return true }
            let order = c.compare(v, l)
            return exclusive ? order < 0 : order <= 0
        case .minimum(let l, let exclusive):
            guard entry.kind == .number else { return true }
            let order = c.compare(v, l)
            return exclusive ? order > 0 : order >= 0
        case .maxLength(let limit):
            guard entry.kind == .string else { return true }
            // Decoding never lengthens a string, and a string has at most as many code points as UTF-8 c.bytes.
            if Int(entry.count) <= limit { return true }
            return c.tape.withUTF8(v) { FastContext.scalarCount($0) } <= limit
        case .minLength(let limit):
            guard entry.kind == .string else { return true }
            if entry.flags & JSONTapeEntry.escaped == 0 && Int(entry.count) / 4 >= limit { return true }
            return c.tape.withUTF8(v) { FastContext.scalarCount($0) } >= limit
        case .pattern(let p):
            guard entry.kind == .string else { return true }
            return c.matches(v, pattern: p) == true
        case .itemsFrom(let start, let schema):
            guard entry.kind == .array else { return true }
            var i = 0
            var item = v + 1
            while item < Int(entry.offset) {
                if i >= start && !descend(schema, item) { return false }
                i += 1
                item = c.next(item)
            }
            return true
        case .maxItems(let limit):
            return entry.kind != .array || Int(entry.count) <= limit
        case .minItems(let limit):
            return entry.kind != .array || Int(entry.count) >= limit
        case .uniqueItems:
            guard entry.kind == .array else { return true }
            return c.uniqueItems(v)
        case .properties(let names, let schemas):
            guard entry.kind == .object else { return true }
            var cursor = 0
            var key = v + 1
            while key < Int(entry.offset) {
                let j = c.find(key, in: names, cursor: &cursor)
                if j >= 0 && !descend(c.t.ints[Int(schemas.start) + j], key + 1) { return false }
                key = c.next(key + 1)
            }
            return true
        case .shape(let s):
            guard entry.kind == .object else { return true }
            return shape(v, c.t.shapes[s])
        case .required(let names):
            guard entry.kind == .object else { return true }
            return c.hasAll(v, names)
        case .maxProperties(let limit):
            return entry.kind != .object || Int(entry.count) <= limit
        case .minProperties(let limit):
            return entry.kind != .object || Int(entry.count) >= limit
        case .allOf(let list):
            for i in Int(list.start)..<Int(list.start + list.count) where !evaluate(c.t.ints[i], v) { return false }
            return true
        case .anyOf(let list):
            for i in Int(list.start)..<Int(list.start + list.count) {
                if evaluate(c.t.ints[i], v) { return true }
                if isStopped { return false }
            }
            return false
        case .oneOf(let list):
            var matched = 0
            for i in Int(list.start)..<Int(list.start + list.count) {
                let ok = evaluate(c.t.ints[i], v)
                if isStopped { return false }
                if ok {
                    matched += 1
                    if matched > 1 { break }
                }
            }
            return matched == 1
        default:
            return applyRare(check, entry, v)
        }
    }

    /// The keywords `apply` leaves out of its own frame, which stays small on the recursion path.
    @inline(never)
    mutating func applyRare(_ check: FastCheck, _ entry: JSONTapeEntry, _ v: Int) -> Bool {
        switch check {
        case .multipleOf(let m):
            guard entry.kind == .number else { return true }
            return ExactNumber(c.tape.number(v)).isMultiple(of: c.program.exacts[m])
        case .format(let f):
            guard c.assertFormat, entry.kind == .string else { return true }
            return Formats.check(c.program.formats[f], .string(c.tape.string(v)))
        case .prefixItems(let schemas):
            guard entry.kind == .array else { return true }
            var i = 0
            var item = v + 1
            while i < Int(schemas.count) && item < Int(entry.offset) {
                if !descend(c.t.ints[Int(schemas.start) + i], item) { return false }
                i += 1
                item = c.next(item)
            }
            return true
        case .contains(let schema, let minimum, let maximum):
            guard entry.kind == .array else { return true }
            var matched = 0
            var item = v + 1
            while item < Int(entry.offset) {
                if descend(schema, item) { matched += 1 }
                item = c.next(item)
            }
            if isStopped { return false }
            return matched >= minimum && (maximum < 0 || matched <= maximum)
        case .patternProperties(let list):
            guard entry.kind == .object else { return true }
            var key = v + 1
            while key < Int(entry.offset) {
                for i in stride(from: Int(list.start), to: Int(list.start + list.count), by: 2) {
                    guard let hit = c.matches(key, pattern: c.t.ints[i]) else { return false }
                    if hit && !descend(c.t.ints[i + 1], key + 1) { return false }
                }
                key = c.next(key + 1)
            }
            return true
        case .additionalProperties(let schema, let names, let patterns):
            guard entry.kind == .object else { return true }
            var cursor = 0
            var key = v + 1
            while key < Int(entry.offset) {
                if c.find(key, in: names, cursor: &cursor) < 0 {
                    var excluded = false
                    for i in Int(patterns.start)..<Int(patterns.start + patterns.count) where c.matches(key, pattern: c.t.ints[i]) == true {
                        excluded = true
                        break
                    }
                    if !excluded && (c.isFalse(schema) || !descend(schema, key + 1)) { return false }
                }
                key = c.next(key + 1)
            }
            return true
        case .dependentRequired(let d):
            guard entry.kind == .object else { return true }
            for (name, required) in c.program.dependentRequired[d] where c.hasAll(v, name) {
                if !c.hasAll(v, required) { return false }
            }
            return true
        case .dependentSchemas(let d):
            guard entry.kind == .object else { return true }
            for (name, schema) in c.program.dependentSchemas[d] where c.hasAll(v, name) {
                if !evaluate(schema, v) { return false }
            }
            return true
        case .propertyNames(let schema):
            guard entry.kind == .object else { return true }
            var key = v + 1
            while key < Int(entry.offset) {
                if !descend(schema, key) { return false }
                key = c.next(key + 1)
            }
            return true
        case .not(let schema):
            let ok = evaluate(schema, v)
            if isStopped { return false }
            return !ok
        case .conditional(let condition, let thenSchema, let elseSchema):
            let holds = evaluate(condition, v)
            if isStopped { return false }
            let branch = holds ? thenSchema : elseSchema
            return branch < 0 || evaluate(branch, v)
        default:
            return true
        }
    }

    // MARK: Objects

    /// `properties`, and the `additionalProperties` and `required` folded into it, in one pass over the members.
    mutating func shape(_ v: Int, _ shape: ObjectShape) -> Bool {
        let end = Int(c.entries[v].offset)
        var seen: UInt64 = 0
        var cursor = 0
        var key = v + 1
        while key < end {
            let j = c.find(key, in: shape.names, cursor: &cursor)
            if j >= 0 {
                seen |= 1 << UInt64(j)
                if !descend(c.t.ints[Int(shape.schemas.start) + j], key + 1) { return false }
            } else if shape.additional >= 0 {
                if c.isFalse(shape.additional) || !descend(shape.additional, key + 1) { return false }
            }
            key = c.next(key + 1)
        }
        return seen & shape.required == shape.required
    }

}
