import ECMARegex
import JSONSupport

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
