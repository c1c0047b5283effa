import ECMARegex
import JSONSupport

/// A schema in one of the two graphs of a comparison.
struct SideNode: Hashable {
    var inOriginal: Bool
    var id: NodeID
}

struct PairKey: Hashable {
    var original: SideNode
    var update: SideNode

    func hash(into hasher: inout Hasher) {
        hasher.combine(original.id &* 2 &+ (original.inOriginal ? 1 : 0))
        hasher.combine(update.id &* 2 &+ (update.inOriginal ? 1 : 0))
    }
}

struct RawDifference: Hashable {
    var kind: String
    var path: [String]
}

/// The differences found so far at one place in the walk (Confluent's `Context`, minus the shared state).
struct DiffContext {
    var path: [String]
    var diffs: [RawDifference] = []

    mutating func add(_ kind: String) { diffs.append(RawDifference(kind: kind, path: path)) }
    mutating func add(_ attribute: String, _ kind: String) {
        diffs.append(RawDifference(kind: kind, path: path + [attribute]))
    }
}

/// The comparison walk, with the memo, cycle handling and bounds shared over one pass. A struct walked through
/// `mutating` methods, so its memo and counters are accessed without a class's run-time exclusivity checks.
struct DiffEngine {
    let original: SchemaGraph
    let update: SchemaGraph
    let compatible: Set<String>
    let limits: JSONSchemaDiffLimits
    /// A pair's differences once compared, or `nil` while it is being compared (a pair met again then is a cycle).
    private var memo = PairTable()
    private var seed: [PairKey: [RawDifference]] = [:]
    private(set) var optimismUsed = false
    private var comparisons = 0
    private var depth = 0
    var regexes: [String: ECMARegex] = [:]

    init(original: SchemaGraph, update: SchemaGraph, compatible: Set<String>, limits: JSONSchemaDiffLimits) {
        self.original = original
        self.update = update
        self.compatible = compatible
        self.limits = limits
    }

    /// Runs passes until the set of pairs known to be incompatible stops growing (Confluent's fixpoint).
    mutating func run(_ root: PairKey) throws(JSONSchemaDiffError) -> [RawDifference] {
        var seedKeys: Set<PairKey> = []
        while true {
            memo = PairTable(expected: min(original.nodes.count, update.nodes.count))
            optimismUsed = false
            var ctx = DiffContext(path: [])
            try compare(&ctx, root.original, root.update)
            // No cycle was cut short: this pass is exact, and the next one would find the same.
            if !optimismUsed { return ctx.diffs }
            var incompatible: [PairKey: [RawDifference]] = [:]
            memo.forEachCompared { key, diffs in
                if diffs.contains(where: { !compatible.contains($0.kind) }) { incompatible[key] = diffs }
            }
            let keys = Set(incompatible.keys)
            if keys == seedKeys { return ctx.diffs }
            seed = incompatible
            seedKeys = keys
        }
    }

    func graph(_ node: SideNode) -> SchemaGraph { node.inOriginal ? original : update }
    func node(_ ref: SideNode) -> SchemaNode { graph(ref)[ref.id] }
    func child(_ parent: SideNode, _ id: NodeID?) -> SideNode? {
        id.map { SideNode(inOriginal: parent.inOriginal, id: $0) }
    }

    func isCompatible(_ ctx: DiffContext) -> Bool { ctx.diffs.allSatisfy { compatible.contains($0.kind) } }

    mutating func compare(_ ctx: inout DiffContext, _ a: SideNode?, _ b: SideNode?) throws(JSONSchemaDiffError) {
        guard let a else {
            if b != nil { ctx.add("SCHEMA_ADDED") }
            return
        }
        guard let b else {
            ctx.add("SCHEMA_REMOVED")
            return
        }
        let o = SideNode(inOriginal: a.inOriginal, id: try graph(a).normalized(a.id))
        let u = SideNode(inOriginal: b.inOriginal, id: try graph(b).normalized(b.id))
        let relative = try compareMemoized(o, u)
        if ctx.path.isEmpty {
            // At the root the paths are already complete: no array is rebuilt for each difference.
            ctx.diffs.append(contentsOf: relative)
            return
        }
        for diff in relative {
            ctx.diffs.append(RawDifference(kind: diff.kind, path: ctx.path + diff.path))
        }
    }

    private mutating func compareMemoized(_ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) -> [RawDifference] {
        let key = PairKey(original: o, update: u)
        if let entry = memo[key] {
            if let cached = entry { return cached }
            if let seeded = seed[key] { return seeded }
            optimismUsed = true
            return []
        }
        comparisons += 1
        if comparisons > limits.maxComparisons { throw .tooManyComparisons(limit: limits.maxComparisons) }
        depth += 1
        if depth > limits.maxDepth { throw .tooDeep(limit: limits.maxDepth) }
        memo.start(key)
        defer { depth -= 1 }
        var sub = DiffContext(path: [])
        try compareTypes(&sub, o, u)
        memo.finish(key, sub.diffs)
        return sub.diffs
    }

    private mutating func compareTypes(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        if on.kind != .combined && un.kind == .combined {
            if un.subschemas.count == 1, let only = child(u, un.subschemas.first) {
                var sub = DiffContext(path: ctx.path)
                try compare(&sub, o, only)
                if isCompatible(sub) {
                    ctx.diffs += sub.diffs
                    return
                }
            } else if un.criterion == .anyOf || un.criterion == .oneOf {
                for id in un.subschemas {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, o, child(u, id))
                    if isCompatible(sub) {
                        ctx.diffs += sub.diffs
                        ctx.add("SUM_TYPE_EXTENDED")
                        return
                    }
                }
            }
        } else if on.kind == .combined && un.kind != .combined {
            if on.subschemas.count == 1, let only = child(o, on.subschemas.first) {
                var sub = DiffContext(path: ctx.path)
                try compare(&sub, only, u)
                if isCompatible(sub) {
                    ctx.diffs += sub.diffs
                    return
                }
            } else if on.criterion == .allOf {
                for id in on.subschemas {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, child(o, id), u)
                    if isCompatible(sub) {
                        ctx.diffs += sub.diffs
                        ctx.add("PRODUCT_TYPE_NARROWED")
                        return
                    }
                }
            }
        }

        if on.kind != un.kind {
            if on.kind == .falseSchema || un.isEmptyLike { return }
            if on.connectType == "bytes" && un.connectType == "bytes" { return }
            ctx.add("TYPE_CHANGED")
            return
        }

        if on.id != un.id { ctx.add("ID_CHANGED") }
        if on.title != un.title { ctx.add("TITLE_CHANGED") }
        if on.description != un.description { ctx.add("DESCRIPTION_CHANGED") }
        if !JavaValues.defaultsEqual(on.defaultValue, un.defaultValue) { ctx.add("DEFAULT_CHANGED") }

        switch on.kind {
        case .string: compareString(&ctx, on, un)
        case .number: compareNumber(&ctx, on, un)
        case .const:
            if let a = on.constValue, let b = un.constValue, !JavaValues.equal(a, b) {
                ctx.add("const", "ENUM_ARRAY_CHANGED")
            }
        case .enumeration: compareEnum(&ctx, on, un)
        case .combined: try compareCombined(&ctx, o, u)
        case .not:
            ctx.path.append("not")
            var sub = DiffContext(path: ctx.path)
            try compare(&sub, child(u, un.mustNotMatch), child(o, on.mustNotMatch))
            ctx.add(isCompatible(sub) ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED")
            ctx.path.removeLast()
        case .object: try compareObject(&ctx, o, u)
        case .array: try compareArray(&ctx, o, u)
        default: break
        }
    }

    // MARK: Strings, numbers, enums

    func compareLimit(
        _ ctx: inout DiffContext, _ name: String, _ a: Int?, _ b: Int?, _ prefix: String
    ) {
        guard a != b else { return }
        if a == nil {
            ctx.add(name, prefix + "_ADDED")
        } else if b == nil {
            ctx.add(name, prefix + "_REMOVED")
        } else if let a, let b {
            ctx.add(name, prefix + (a < b ? "_INCREASED" : "_DECREASED"))
        }
    }

    private func compareString(_ ctx: inout DiffContext, _ o: SchemaNode, _ u: SchemaNode) {
        compareLimit(&ctx, "maxLength", o.maxLength, u.maxLength, "MAX_LENGTH")
        compareLimit(&ctx, "minLength", o.minLength, u.minLength, "MIN_LENGTH")
        if o.pattern == nil && u.pattern != nil {
            ctx.add("pattern", "PATTERN_ADDED")
        } else if o.pattern != nil && u.pattern == nil {
            ctx.add("pattern", "PATTERN_REMOVED")
        } else if let a = o.pattern, let b = u.pattern, a != b {
            ctx.add("pattern", "PATTERN_CHANGED")
        }
    }

    private func compareNumberLimit(
        _ ctx: inout DiffContext, _ name: String, _ a: JSONNumber?, _ b: JSONNumber?, _ prefix: String,
        decreasedAgainst: JSONNumber?? = nil
    ) {
        switch (a, b) {
        case (nil, nil): return
        case (nil, .some): ctx.add(name, prefix + "_ADDED")
        case (.some, nil): ctx.add(name, prefix + "_REMOVED")
        case (.some(let x), .some(let y)):
            if JavaValues.numbersEqual(x, y) { return }
            if x.doubleValue < y.doubleValue {
                ctx.add(name, prefix + "_INCREASED")
                return
            }
            // Confluent compares a lowered exclusiveMaximum with the update's `maximum` (a slip in its code);
            // where the update has no maximum (Confluent fails there), the limit itself is used.
            var other = y
            if let against = decreasedAgainst, let value = against { other = value }
            if x.doubleValue > other.doubleValue { ctx.add(name, prefix + "_DECREASED") }
        }
    }

    private func compareNumber(_ ctx: inout DiffContext, _ o: SchemaNode, _ u: SchemaNode) {
        compareNumberLimit(&ctx, "maximum", o.maximum, u.maximum, "MAXIMUM")
        compareNumberLimit(&ctx, "minimum", o.minimum, u.minimum, "MINIMUM")
        compareNumberLimit(&ctx, "exclusiveMaximum", o.exclusiveMaximum, u.exclusiveMaximum, "EXCLUSIVE_MAXIMUM",
            decreasedAgainst: .some(u.maximum))
        compareNumberLimit(&ctx, "exclusiveMinimum", o.exclusiveMinimum, u.exclusiveMinimum, "EXCLUSIVE_MINIMUM")
        let om = o.multipleOf.flatMap(ExactDecimal.init)
        let um = u.multipleOf.flatMap(ExactDecimal.init)
        let equal: Bool
        switch (om, um) {
        case (nil, nil): equal = true
        case (.some(let a), .some(let b)): equal = a.numericallyEqual(b)
        default: equal = false
        }
        if !equal {
            if om == nil {
                ctx.add("multipleOf", "MULTIPLE_OF_ADDED")
            } else if um == nil {
                ctx.add("multipleOf", "MULTIPLE_OF_REMOVED")
            } else if let a = om, let b = um {
                if !a.isZero, b.isMultiple(of: a) ?? multipleByDouble(b, a) {
                    ctx.add("multipleOf", "MULTIPLE_OF_EXPANDED")
                } else if !b.isZero, a.isMultiple(of: b) ?? multipleByDouble(a, b) {
                    ctx.add("multipleOf", "MULTIPLE_OF_REDUCED")
                } else {
                    ctx.add("multipleOf", "MULTIPLE_OF_CHANGED")
                }
            }
        }
        if o.requiresInteger != u.requiresInteger {
            ctx.add(o.requiresInteger ? "TYPE_EXTENDED" : "TYPE_NARROWED")
        }
    }

    private func multipleByDouble(_ a: ExactDecimal, _ b: ExactDecimal) -> Bool {
        let q = a.double / b.double
        return q.isFinite && q.rounded() == q
    }

    private func compareEnum(_ ctx: inout DiffContext, _ o: SchemaNode, _ u: SchemaNode) {
        let forward = JavaValues.contains(u.enumValues, all: o.enumValues)
        let backward = JavaValues.contains(o.enumValues, all: u.enumValues)
        if forward && backward { return }
        if forward {
            ctx.add("enum", "ENUM_ARRAY_EXTENDED")
        } else if backward {
            ctx.add("enum", "ENUM_ARRAY_NARROWED")
        } else {
            ctx.add("enum", "ENUM_ARRAY_CHANGED")
        }
    }
}
