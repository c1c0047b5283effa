import JSONSupport

/// A compiled recipe for reading writer-schema bytes as reader-schema values: one step per
/// (writer node, reader node) pair, linked by index, so recursive schemas compile to cycles.
struct AvroResolutionPlan: Sendable {
    enum Promotion: Sendable {
        case intToLong, intToFloat, intToDouble, longToFloat, longToDouble, floatToDouble, stringToBytes, bytesToString
    }

    /// What one writer enum symbol becomes in the reader.
    enum EnumTarget: Sendable {
        case symbol(index: Int, symbol: String)
        /// The reader neither knows the symbol nor has a default: reading it is an error.
        case unknown(String)
    }

    struct FieldAction: Sendable {
        /// The writer field's name, for datum paths.
        var name: String
        /// Where the value goes in the reader record; nil to skip a field the reader does not have.
        var readerIndex: Int?
        var step: Int
    }

    struct RecordPlan: Sendable {
        /// The writer's fields in writer order.
        var fields: [FieldAction]
        /// Reader field values before reading: defaults for fields the writer lacks, placeholders elsewhere.
        var template: [AvroValue]
    }

    enum Step: Sendable {
        /// Only seen while compiling a cycle.
        case pending
        case null, boolean, int, long, float, double, bytes, string
        case promote(Promotion)
        case fixed(size: Int)
        /// One target per writer symbol index.
        case enumeration(writerName: String, readerName: String, targets: [EnumTarget])
        case array(items: Int)
        case map(values: Int)
        case record(RecordPlan)
        /// One step per writer branch; each yields the reader's value (wrapped when the reader is a union).
        case writerUnion(branches: [Int])
        /// A non-union writer value read as branch `branch` of a reader union.
        case readerUnion(branch: Int, step: Int)
        /// The reader cannot read this; reached at decode time only under a writer union branch.
        case fail(AvroError)
    }

    var steps: [Step] = []
    var root = 0
}

/// Builds an `AvroResolutionPlan` following the specification's "Schema Resolution" rules and the behaviour of
/// Java's `Resolver`/`ResolvingGrammarGenerator`.
struct AvroResolutionCompiler {
    let writer: AvroSchema
    let reader: AvroSchema
    var plan = AvroResolutionPlan()

    private struct Key: Hashable {
        var writer: AvroSchema.NodeID
        var reader: AvroSchema.NodeID
        /// True for a plan that reads the writer's type as itself (used to skip writer-only fields).
        var identity: Bool
    }

    private var memo: [Key: Int] = [:]

    init(writer: AvroSchema, reader: AvroSchema) {
        self.writer = writer
        self.reader = reader
    }

    /// Compiles the plan and rejects pairs the reader can never read.
    mutating func compileRoot() throws(AvroError) -> AvroResolutionPlan {
        plan.root = compile(writer.root, reader.root, identity: false)
        if let failure = unconditionalFailure(from: plan.root) { throw failure }
        return plan
    }

    // MARK: - Compiling

    mutating func compile(_ w: AvroSchema.NodeID, _ r: AvroSchema.NodeID, identity: Bool) -> Int {
        let key = Key(writer: w, reader: r, identity: identity)
        if let index = memo[key] { return index }
        let index = plan.steps.count
        plan.steps.append(.pending)
        memo[key] = index
        plan.steps[index] = identity ? buildIdentity(w) : build(w, r)
        return index
    }

    private func unresolvable(_ message: String, at pointer: JSONPointer) -> AvroResolutionPlan.Step {
        .fail(AvroError(.unresolvable, message, pointer: pointer))
    }

    private static func primitiveStep(_ kind: AvroNode.Kind) -> AvroResolutionPlan.Step? {
        switch kind {
        case .null: .null
        case .boolean: .boolean
        case .int: .int
        case .long: .long
        case .float: .float
        case .double: .double
        case .bytes: .bytes
        case .string: .string
        default: nil
        }
    }

    private static func promotion(_ w: AvroNode.Kind, _ r: AvroNode.Kind) -> AvroResolutionPlan.Promotion? {
        switch (w, r) {
        case (.int, .long): .intToLong
        case (.int, .float): .intToFloat
        case (.int, .double): .intToDouble
        case (.long, .float): .longToFloat
        case (.long, .double): .longToDouble
        case (.float, .double): .floatToDouble
        case (.string, .bytes): .stringToBytes
        case (.bytes, .string): .bytesToString
        default: nil
        }
    }

    /// Named types match when their unqualified names are equal or a reader alias is the writer's full name.
    private static func namesMatch(_ w: AvroNode, _ r: AvroNode) -> Bool {
        guard let wName = w.name, let rName = r.name else { return false }
        return wName.name == rName.name || r.aliases.contains { $0.fullName == wName.fullName }
    }

    /// The specification: two decimals match only when precision and scale are equal.
    private func decimalMismatch(_ w: AvroNode, _ r: AvroNode) -> AvroResolutionPlan.Step? {
        guard case .decimal(let wp, let ws)? = w.logicalType, case .decimal(let rp, let rs)? = r.logicalType,
            wp != rp || ws != rs
        else { return nil }
        return unresolvable(
            "writer decimal(\(wp), \(ws)) cannot be read as reader decimal(\(rp), \(rs)): precision and scale must match",
            at: r.pointer
        )
    }

    private mutating func build(_ w: AvroSchema.NodeID, _ r: AvroSchema.NodeID) -> AvroResolutionPlan.Step {
        let wn = writer[w]
        let rn = reader[r]
        if case .union(let branches) = wn.kind {
            return .writerUnion(branches: branches.map { compile($0, r, identity: false) })
        }
        switch (wn.kind, rn.kind) {
        case (.array(let wi), .array(let ri)):
            return .array(items: compile(wi, ri, identity: false))
        case (.map(let wv), .map(let rv)):
            return .map(values: compile(wv, rv, identity: false))
        case (.fixed(let wf), .fixed(let rf)):
            guard Self.namesMatch(wn, rn) else { return nameMismatch(wn, rn) }
            guard wf.size == rf.size else {
                return unresolvable(
                    "writer fixed \(wf.name.fullName) has size \(wf.size), reader fixed \(rf.name.fullName) has size \(rf.size)",
                    at: rn.pointer
                )
            }
            return decimalMismatch(wn, rn) ?? .fixed(size: wf.size)
        case (.enumeration(let we), .enumeration(let re)):
            guard Self.namesMatch(wn, rn) else { return nameMismatch(wn, rn) }
            let defaultIndex = re.defaultSymbol.flatMap { re.symbols.firstIndex(of: $0) }
            let targets = we.symbols.map { symbol -> AvroResolutionPlan.EnumTarget in
                if let index = re.symbols.firstIndex(of: symbol) { return .symbol(index: index, symbol: symbol) }
                if let defaultIndex { return .symbol(index: defaultIndex, symbol: re.symbols[defaultIndex]) }
                return .unknown(symbol)
            }
            return .enumeration(writerName: we.name.fullName, readerName: re.name.fullName, targets: targets)
        case (.record(let wr), .record(let rr)):
            guard Self.namesMatch(wn, rn) else { return nameMismatch(wn, rn) }
            return buildRecord(wr, rr)
        case (_, .union(let branches)):
            return buildReaderUnion(w, branches, rn)
        default:
            if let step = Self.primitiveStep(wn.kind), Self.primitiveStep(rn.kind) != nil, wn.typeName == rn.typeName {
                return decimalMismatch(wn, rn) ?? step
            }
            if let promotion = Self.promotion(wn.kind, rn.kind) { return .promote(promotion) }
            return unresolvable(
                "writer type \(wn.unionKey) cannot be read as reader type \(rn.unionKey)",
                at: rn.pointer
            )
        }
    }

    private func nameMismatch(_ w: AvroNode, _ r: AvroNode) -> AvroResolutionPlan.Step {
        unresolvable(
            "writer \(w.typeName) \(w.unionKey) does not match reader \(r.typeName) \(r.unionKey): "
                + "names differ and no reader alias names the writer",
            at: r.pointer
        )
    }

    private mutating func buildRecord(_ w: AvroRecord, _ r: AvroRecord) -> AvroResolutionPlan.Step {
        var claimed = [Bool](repeating: false, count: r.fields.count)
        var actions: [AvroResolutionPlan.FieldAction] = []
        for wf in w.fields {
            let match = r.fieldIndex(named: wf.name) ?? r.fields.firstIndex { $0.aliases.contains(wf.name) }
            if let ri = match, !claimed[ri] {
                claimed[ri] = true
                actions.append(.init(name: wf.name, readerIndex: ri, step: compile(wf.type, r.fields[ri].type, identity: false)))
            } else {
                actions.append(.init(name: wf.name, readerIndex: nil, step: compile(wf.type, wf.type, identity: true)))
            }
        }
        var template = [AvroValue](repeating: .null, count: r.fields.count)
        for (ri, field) in r.fields.enumerated() where !claimed[ri] {
            guard let defaultJSON = field.defaultValue else {
                return unresolvable(
                    "reader field \"\(field.name)\" of \(r.name.fullName) has no default and writer record "
                        + "\(w.name.fullName) has no such field",
                    at: field.pointer
                )
            }
            do {
                template[ri] = try reader.value(fromDefault: defaultJSON, type: field.type)
            } catch {
                return unresolvable(
                    "the default of reader field \"\(field.name)\" is invalid: \(error.message)",
                    at: field.pointer.appending("default")
                )
            }
        }
        return .record(.init(fields: actions, template: template))
    }

    /// A non-union writer type read into a reader union: the first branch of the same type (and, for named
    /// types, the same full name), else the first named branch that matches by unqualified name or alias and
    /// resolves, else the first branch reachable by promotion — Java's `firstMatchingBranch` order.
    private mutating func buildReaderUnion(
        _ w: AvroSchema.NodeID,
        _ branches: [AvroSchema.NodeID],
        _ rn: AvroNode
    ) -> AvroResolutionPlan.Step {
        let wn = writer[w]
        for (i, b) in branches.enumerated() where wn.typeName == reader[b].typeName {
            if wn.name == nil || wn.name?.fullName == reader[b].name?.fullName {
                return .readerUnion(branch: i, step: compile(w, b, identity: false))
            }
        }
        for (i, b) in branches.enumerated() where wn.name != nil && wn.typeName == reader[b].typeName {
            guard Self.namesMatch(wn, reader[b]) else { continue }
            let step = compile(w, b, identity: false)
            if unconditionalFailure(from: step) == nil { return .readerUnion(branch: i, step: step) }
        }
        for (i, b) in branches.enumerated() where Self.promotion(wn.kind, reader[b].kind) != nil {
            return .readerUnion(branch: i, step: compile(w, b, identity: false))
        }
        let names = branches.map { reader[$0].unionKey }
        return unresolvable("no branch of reader union \(names) matches writer type \(wn.unionKey)", at: rn.pointer)
    }

    /// Reads a writer type as itself (for skipping fields the reader lacks).
    private mutating func buildIdentity(_ w: AvroSchema.NodeID) -> AvroResolutionPlan.Step {
        let node = writer[w]
        if let step = Self.primitiveStep(node.kind) { return step }
        switch node.kind {
        case .array(let items): return .array(items: compile(items, items, identity: true))
        case .map(let values): return .map(values: compile(values, values, identity: true))
        case .fixed(let f): return .fixed(size: f.size)
        case .enumeration(let e):
            let targets = e.symbols.enumerated().map { AvroResolutionPlan.EnumTarget.symbol(index: $0, symbol: $1) }
            return .enumeration(writerName: e.name.fullName, readerName: e.name.fullName, targets: targets)
        case .record(let r):
            let actions = r.fields.enumerated().map { i, f in
                AvroResolutionPlan.FieldAction(name: f.name, readerIndex: i, step: compile(f.type, f.type, identity: true))
            }
            return .record(.init(fields: actions, template: .init(repeating: .null, count: r.fields.count)))
        case .union(let branches):
            return .writerUnion(
                branches: branches.enumerated().map { i, b in
                    let inner = compile(b, b, identity: true)
                    plan.steps.append(.readerUnion(branch: i, step: inner))
                    return plan.steps.count - 1
                }
            )
        default:
            return .fail(AvroError(.unresolvable, "unexpected writer type \(node.typeName)", pointer: node.pointer))
        }
    }

    // MARK: - Checking

    /// The first failure that every datum reaches: failures under a writer union branch are left to decode
    /// time (the specification signals them only when data selects that branch), unless every branch fails.
    func unconditionalFailure(from start: Int) -> AvroError? {
        var visited = Set<Int>()
        var stack = [start]
        while let index = stack.popLast() {
            guard visited.insert(index).inserted else { continue }
            switch plan.steps[index] {
            case .fail(let error): return error
            case .array(let items): stack.append(items)
            case .map(let values): stack.append(values)
            case .readerUnion(_, let step): stack.append(step)
            case .record(let record): stack.append(contentsOf: record.fields.map(\.step))
            case .writerUnion(let branches):
                let failures = branches.compactMap { b -> AvroError? in
                    if case .fail(let error) = plan.steps[b] { return error }
                    return nil
                }
                if !branches.isEmpty, failures.count == branches.count, let first = failures.first { return first }
            default: break
            }
        }
        return nil
    }
}
