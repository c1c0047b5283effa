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

/// The comparison walk, with the memo, cycle handling and bounds shared over one pass.
final class DiffEngine {
    let original: SchemaGraph
    let update: SchemaGraph
    let compatible: Set<String>
    let limits: JSONSchemaDiffLimits
    /// A pair's differences once compared, or `nil` while it is being compared (a pair met again then is a cycle).
    private var memo: [PairKey: [RawDifference]?] = [:]
    private var seed: [PairKey: [RawDifference]] = [:]
    private(set) var optimismUsed = false
    private var comparisons = 0
    private var depth = 0
    private var regexes: [String: ECMARegex] = [:]

    init(original: SchemaGraph, update: SchemaGraph, compatible: Set<String>, limits: JSONSchemaDiffLimits) {
        self.original = original
        self.update = update
        self.compatible = compatible
        self.limits = limits
    }

    /// Runs passes until the set of pairs known to be incompatible stops growing (Confluent's fixpoint).
    func run(_ root: PairKey) throws(JSONSchemaDiffError) -> [RawDifference] {
        var seedKeys: Set<PairKey> = []
        while true {
            memo = [:]
            optimismUsed = false
            var ctx = DiffContext(path: [])
            try compare(&ctx, root.original, root.update)
            var incompatible: [PairKey: [RawDifference]] = [:]
            for (key, entry) in memo {
                if let diffs = entry, diffs.contains(where: { !compatible.contains($0.kind) }) {
                    incompatible[key] = diffs
                }
            }
            let keys = Set(incompatible.keys)
            if !optimismUsed || keys == seedKeys { return ctx.diffs }
            seed = incompatible
            seedKeys = keys
        }
    }

    private func graph(_ node: SideNode) -> SchemaGraph { node.inOriginal ? original : update }
    private func node(_ ref: SideNode) -> SchemaNode { graph(ref)[ref.id] }
    private func child(_ parent: SideNode, _ id: NodeID?) -> SideNode? {
        id.map { SideNode(inOriginal: parent.inOriginal, id: $0) }
    }

    func isCompatible(_ ctx: DiffContext) -> Bool { ctx.diffs.allSatisfy { compatible.contains($0.kind) } }

    func compare(_ ctx: inout DiffContext, _ a: SideNode?, _ b: SideNode?) throws(JSONSchemaDiffError) {
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
        for diff in relative {
            ctx.diffs.append(RawDifference(kind: diff.kind, path: ctx.path + diff.path))
        }
    }

    private func compareMemoized(_ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) -> [RawDifference] {
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
        memo[key] = .some(nil)
        defer { depth -= 1 }
        var sub = DiffContext(path: [])
        try compareTypes(&sub, o, u)
        memo[key] = sub.diffs
        return sub.diffs
    }

    private func compareTypes(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
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

    private func compareLimit(
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

    // MARK: Combined schemas

    private func dedup(_ n: SchemaNode) -> [NodeID] {
        var seen: [JSONValue] = []
        var result: [NodeID] = []
        for (index, id) in n.subschemas.enumerated() {
            let json = index < n.subschemaJSON.count ? n.subschemaJSON[index] : .string("\u{0}\(id)")
            if seen.contains(json) { continue }
            seen.append(json)
            result.append(id)
        }
        return result
    }

    private func compareCombined(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        let singleO = on.subschemas.count == 1
        let singleU = un.subschemas.count == 1
        if on.criterion != un.criterion {
            if un.criterion == .anyOf || (singleO && singleU) || (singleO && un.criterion == .oneOf)
                || (singleU && on.criterion == .allOf)
            {
                ctx.add("COMBINED_TYPE_EXTENDED")
            } else {
                ctx.add("COMBINED_TYPE_CHANGED")
                return
            }
        }
        let originals = dedup(on)
        let updates = dedup(un)
        if originals.count < updates.count {
            ctx.add(un.criterion == .allOf ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED")
        } else if originals.count > updates.count {
            ctx.add(on.criterion == .allOf ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED")
        }
        var edges: [[Int: [RawDifference]]] = Array(repeating: [:], count: originals.count)
        for (i, oid) in originals.enumerated() {
            for (j, uid) in updates.enumerated() {
                var sub = DiffContext(path: ctx.path + ["\(on.criterion.rawValue)/\(i)"])
                try compare(&sub, child(o, oid), child(u, uid))
                if isCompatible(sub) { edges[i][j] = sub.diffs }
            }
        }
        let matching = Self.maximumMatching(edges, left: originals.count, right: updates.count)
        for (i, j) in matching.sorted(by: { $0.key < $1.key }) {
            if let diffs = edges[i][j] { ctx.diffs += diffs }
        }
        if matching.count < min(originals.count, updates.count) {
            ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED")
        }
    }

    /// Maximum-cardinality bipartite matching (greedy start, then augmenting paths), original index → update index.
    static func maximumMatching(_ edges: [[Int: [RawDifference]]], left: Int, right: Int) -> [Int: Int] {
        var matchOfRight = [Int?](repeating: nil, count: right)
        var matchOfLeft = [Int?](repeating: nil, count: left)
        for i in 0..<left {
            for j in edges[i].keys.sorted() where matchOfRight[j] == nil {
                matchOfRight[j] = i
                matchOfLeft[i] = j
                break
            }
        }
        func augment(_ i: Int, _ visited: inout [Bool]) -> Bool {
            for j in edges[i].keys.sorted() where !visited[j] {
                visited[j] = true
                if let other = matchOfRight[j] {
                    if augment(other, &visited) {
                        matchOfRight[j] = i
                        matchOfLeft[i] = j
                        return true
                    }
                } else {
                    matchOfRight[j] = i
                    matchOfLeft[i] = j
                    return true
                }
            }
            return false
        }
        for i in 0..<left where matchOfLeft[i] == nil {
            var visited = [Bool](repeating: false, count: right)
            _ = augment(i, &visited)
        }
        var result: [Int: Int] = [:]
        for i in 0..<left { if let j = matchOfLeft[i] { result[i] = j } }
        return result
    }

    // MARK: Objects

    private func isOpenObject(_ n: SchemaNode, _ side: SideNode) -> Bool {
        guard n.permitsAdditionalProperties, n.additionalPropertiesSchema == nil, n.patternProperties.isEmpty else {
            return false
        }
        guard let uneval = n.unevaluatedProperties else { return true }
        return graph(side)[uneval].isEmptyLike
    }

    private func regex(_ pattern: String, _ location: @autoclosure () -> String) throws(JSONSchemaDiffError)
        -> ECMARegex
    {
        if let known = regexes[pattern] { return known }
        do {
            let compiled = try ECMARegex(pattern)
            regexes[pattern] = compiled
            return compiled
        } catch {
            throw .invalidSchema(location: location(), reason: "patternProperties has an invalid regex '\(pattern)'")
        }
    }

    private func partialSchema(_ n: SchemaNode, _ side: SideNode, property: String) throws(JSONSchemaDiffError)
        -> SideNode?
    {
        for entry in n.patternProperties {
            let compiled = try regex(entry.pattern, n.location)
            let matched: Bool
            do {
                matched = try compiled.matches(property)
            } catch {
                throw .invalidSchema(location: n.location, reason: "patternProperties '\(entry.pattern)' cannot be matched: \(error.message)")
            }
            if matched { return child(side, entry.schema) }
        }
        if let schema = n.additionalPropertiesSchema { return child(side, schema) }
        if n.permitsAdditionalProperties, let uneval = n.unevaluatedProperties {
            let kind = graph(side)[uneval].kind
            if kind != .falseSchema && kind != .empty && kind != .trueSchema { return child(side, uneval) }
        }
        return nil
    }

    private func hasDefault(_ side: SideNode, _ id: NodeID) -> Bool { graph(side)[id].defaultValue != nil }

    private func compareObject(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        // The original's properties in its Java order with the update's schema for each, then the update's
        // properties the original lacks (each name looked up once).
        let common = on.orderedProperties.map { (entry: $0, update: un.property($0.name)) }
        let added = un.orderedProperties.filter { on.property($0.name) == nil }
        // required
        ctx.path.append("required")
        for item in common {
            guard let schema = item.update else { continue }
            let name = item.entry.name
            let wasRequired = on.isRequired(name)
            let isRequired = un.isRequired(name)
            if wasRequired && !isRequired {
                ctx.add(name, "REQUIRED_ATTRIBUTE_REMOVED")
            } else if !wasRequired && isRequired {
                ctx.add(name, hasDefault(u, schema) ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED")
            }
        }
        ctx.path.removeLast()

        // properties: `new HashSet<>(original names)` then `addAll(update names)`.
        ctx.path.append("properties")
        let spreads = common.map(\.entry.spread) + added.map(\.spread)
        let order = JavaHashOrder.orderIndices(spreads: spreads, capacity: JavaHashOrder.unionCapacity(common.count))
        for index in order {
            let name: String
            let originalSchema: NodeID?
            let updateSchema: NodeID?
            if index < common.count {
                name = common[index].entry.name
                originalSchema = common[index].entry.schema
                updateSchema = common[index].update
            } else {
                name = added[index - common.count].name
                originalSchema = nil
                updateSchema = added[index - common.count].schema
            }
            ctx.path.append(name)
            defer { ctx.path.removeLast() }
            if let originalSchema, updateSchema == nil {
                if isOpenObject(un, u) {
                    ctx.add("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL")
                } else if let covering = try partialSchema(un, u, property: name) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, child(o, originalSchema), covering)
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else if graph(o)[originalSchema].kind == .falseSchema {
                    ctx.add("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                } else {
                    ctx.add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                }
            } else if let updateSchema, originalSchema == nil {
                let required = un.isRequired(name)
                if isOpenObject(on, o) {
                    if graph(u)[updateSchema].isEmptyLike {
                        ctx.add("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL")
                    } else if required {
                        ctx.add(hasDefault(u, updateSchema)
                            ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                            : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
                    } else {
                        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
                    }
                } else {
                    if let covering = try partialSchema(on, o, property: name) {
                        var sub = DiffContext(path: ctx.path)
                        try compare(&sub, covering, child(u, updateSchema))
                        ctx.diffs += sub.diffs
                        ctx.add(isCompatible(sub)
                            ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                            : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                    }
                    if required {
                        ctx.add(hasDefault(u, updateSchema)
                            ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
                            : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")
                    } else {
                        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")
                    }
                }
            } else {
                try compare(&ctx, child(o, originalSchema), child(u, updateSchema))
            }
        }
        ctx.path.removeLast()

        // dependencies
        ctx.path.append("dependencies")
        let dependencyNames = JavaHashOrder.unionOrder(
            JavaHashOrder.mapOrder(on.propertyDependencies.map(\.name)),
            JavaHashOrder.mapOrder(un.propertyDependencies.map(\.name)))
        for name in dependencyNames {
            let before = on.propertyDependencies.first { $0.name == name }.map { Set($0.requires) }
            let after = un.propertyDependencies.first { $0.name == name }.map { Set($0.requires) }
            if after == nil {
                ctx.add(name, "DEPENDENCY_ARRAY_REMOVED")
            } else if before == nil {
                ctx.add(name, "DEPENDENCY_ARRAY_ADDED")
            } else if let before, let after, before != after {
                if after.isSuperset(of: before) {
                    ctx.add(name, "DEPENDENCY_ARRAY_EXTENDED")
                } else if before.isSuperset(of: after) {
                    ctx.add(name, "DEPENDENCY_ARRAY_NARROWED")
                } else {
                    ctx.add(name, "DEPENDENCY_ARRAY_CHANGED")
                }
            }
        }
        let schemaDependencyNames = JavaHashOrder.unionOrder(
            JavaHashOrder.mapOrder(on.schemaDependencies.map(\.name)),
            JavaHashOrder.mapOrder(un.schemaDependencies.map(\.name)))
        for name in schemaDependencyNames {
            let before = on.schemaDependencies.first { $0.name == name }?.schema
            let after = un.schemaDependencies.first { $0.name == name }?.schema
            if after == nil {
                ctx.add(name, "DEPENDENCY_SCHEMA_REMOVED")
            } else if before == nil {
                ctx.add(name, "DEPENDENCY_SCHEMA_ADDED")
            } else {
                ctx.path.append(name)
                try compare(&ctx, child(o, before), child(u, after))
                ctx.path.removeLast()
            }
        }
        ctx.path.removeLast()

        // additionalProperties
        ctx.path.append("additionalProperties")
        if on.permitsAdditionalProperties != un.permitsAdditionalProperties {
            ctx.add(un.permitsAdditionalProperties ? "ADDITIONAL_PROPERTIES_ADDED" : "ADDITIONAL_PROPERTIES_REMOVED")
        } else if on.additionalPropertiesSchema == nil && un.additionalPropertiesSchema != nil {
            ctx.add("ADDITIONAL_PROPERTIES_NARROWED")
        } else if un.additionalPropertiesSchema == nil && on.additionalPropertiesSchema != nil {
            ctx.add("ADDITIONAL_PROPERTIES_EXTENDED")
        } else {
            try compare(&ctx, child(o, on.additionalPropertiesSchema), child(u, un.additionalPropertiesSchema))
        }
        ctx.path.removeLast()

        try compareUnevaluated(&ctx, "unevaluatedProperties", "UNEVALUATED_PROPERTIES",
            child(o, on.unevaluatedProperties), child(u, un.unevaluatedProperties))

        compareLimit(&ctx, "maxProperties", on.maxProperties, un.maxProperties, "MAX_PROPERTIES")
        compareLimit(&ctx, "minProperties", on.minProperties, un.minProperties, "MIN_PROPERTIES")
    }

    private func compareUnevaluated(
        _ ctx: inout DiffContext, _ keyword: String, _ prefix: String, _ a: SideNode?, _ b: SideNode?
    ) throws(JSONSchemaDiffError) {
        if a == nil && b == nil { return }
        ctx.path.append(keyword)
        defer { ctx.path.removeLast() }
        let aKind = a.map { node($0).kind }
        let bKind = b.map { node($0).kind }
        let aEmpty = aKind == .empty || aKind == .trueSchema
        let bEmpty = bKind == .empty || bKind == .trueSchema
        if a == nil {
            ctx.add(prefix + (bKind == .falseSchema ? "_REMOVED" : "_NARROWED"))
        } else if b == nil {
            ctx.add(prefix + (aKind == .falseSchema ? "_ADDED" : "_EXTENDED"))
        } else if aKind == .falseSchema && bKind != .falseSchema {
            ctx.add(prefix + "_ADDED")
        } else if aKind != .falseSchema && bKind == .falseSchema {
            ctx.add(prefix + "_REMOVED")
        } else if aEmpty && !bEmpty {
            ctx.add(prefix + "_NARROWED")
        } else if !aEmpty && bEmpty {
            ctx.add(prefix + "_EXTENDED")
        } else {
            try compare(&ctx, a, b)
        }
    }

    // MARK: Arrays

    private func isOpenArray(_ n: SchemaNode, _ side: SideNode) -> Bool {
        guard n.permitsAdditionalItems, n.additionalItemsSchema == nil else { return false }
        guard let uneval = n.unevaluatedItems else { return true }
        return graph(side)[uneval].isEmptyLike
    }

    private func partialItems(_ n: SchemaNode, _ side: SideNode) -> SideNode? {
        if let schema = n.additionalItemsSchema { return child(side, schema) }
        if n.permitsAdditionalItems, let uneval = n.unevaluatedItems {
            let kind = graph(side)[uneval].kind
            if kind != .falseSchema && kind != .empty && kind != .trueSchema { return child(side, uneval) }
        }
        return nil
    }

    private func compareArray(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        ctx.path.append("items")
        try compare(&ctx, child(o, on.allItems), child(u, un.allItems))
        ctx.path.removeLast()

        let originals = on.itemSchemas ?? []
        let updates = un.itemSchemas ?? []
        for index in 0..<max(originals.count, updates.count) {
            ctx.path.append("items/\(index)")
            defer { ctx.path.removeLast() }
            if index < originals.count && index < updates.count {
                try compare(&ctx, child(o, originals[index]), child(u, updates[index]))
            } else if index < originals.count {
                if isOpenArray(un, u) {
                    ctx.add("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL")
                } else if let covering = partialItems(un, u) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, child(o, originals[index]), covering)
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else if graph(o)[originals[index]].kind == .falseSchema {
                    ctx.add("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                } else {
                    ctx.add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL")
                }
            } else {
                if isOpenArray(on, o) {
                    ctx.add(graph(u)[updates[index]].isEmptyLike
                        ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL")
                } else if let covering = partialItems(on, o) {
                    var sub = DiffContext(path: ctx.path)
                    try compare(&sub, covering, child(u, updates[index]))
                    ctx.diffs += sub.diffs
                    ctx.add(isCompatible(sub)
                        ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL")
                } else {
                    ctx.add("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL")
                }
            }
        }

        ctx.path.append("additionalItems")
        if on.permitsAdditionalItems != un.permitsAdditionalItems {
            ctx.add(on.permitsAdditionalItems ? "ADDITIONAL_ITEMS_REMOVED" : "ADDITIONAL_ITEMS_ADDED")
        } else if on.additionalItemsSchema == nil && un.additionalItemsSchema != nil {
            ctx.add("ADDITIONAL_ITEMS_NARROWED")
        } else if un.additionalItemsSchema == nil && on.additionalItemsSchema != nil {
            ctx.add("ADDITIONAL_ITEMS_EXTENDED")
        } else {
            try compare(&ctx, child(o, on.additionalItemsSchema), child(u, un.additionalItemsSchema))
        }
        ctx.path.removeLast()

        try compareUnevaluated(&ctx, "unevaluatedItems", "UNEVALUATED_ITEMS",
            child(o, on.unevaluatedItems), child(u, un.unevaluatedItems))

        compareLimit(&ctx, "maxItems", on.maxItems, un.maxItems, "MAX_ITEMS")
        compareLimit(&ctx, "minItems", on.minItems, un.minItems, "MIN_ITEMS")
        if on.uniqueItems != un.uniqueItems {
            ctx.add("uniqueItems", on.uniqueItems ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED")
        }
        compareLimit(&ctx, "maxContains", on.maxContains, un.maxContains, "MAX_CONTAINS")
        compareLimit(&ctx, "minContains", on.minContains, un.minContains, "MIN_CONTAINS")
    }
}
