import JSONSupport
import SchemaCompatibility

/// Walks a reader schema and a writer schema side by side, as Java's `ReaderWriterCompatibilityChecker` does,
/// but with an explicit stack so that deep or cyclic schemas cannot exhaust the thread's stack.
///
/// Java's algorithm, mirrored step for step:
/// - `getCompatibility(token, reader, writer)` pushes `token` onto the location, looks the (reader, writer)
///   pair up in a memo (an in-progress pair counts as compatible; a finished pair's result is reused as is,
///   locations included), otherwise computes and memoizes it, then pops `token`.
/// - Two places (a writer union read by a reader union, and a reader union's branch search) check a pair with
///   a fresh, empty location instead; their own findings are replaced by one `MISSING_UNION_BRANCH`.
///
/// Every unit of work (a pair entered, a field, a union branch, an enum symbol, a problem passed up) is a step;
/// the walk stops with `CompatibilityBudgetExceeded` once it has taken more than `stepLimit` steps.
struct AvroCompatibilityWalker {
    let reader: AvroSchema
    let writer: AvroSchema
    let stepLimit: Int
    /// Steps taken so far.
    private(set) var steps = 0

    private enum MemoEntry {
        case inProgress
        case done([Incompatibility])
    }

    private struct PairKey: Hashable {
        let reader: AvroSchema.NodeID
        let writer: AvroSchema.NodeID
    }

    /// How a frame was entered, and so what to undo when it finishes.
    private enum Entry {
        /// A token was pushed onto the current location.
        case token
        /// A fresh location was started.
        case freshLocation
    }

    /// What a frame iterates over while it waits for the results of the pairs it checks.
    private enum Task {
        /// Array items or map values: one child, then done.
        case single(token: String, reader: AvroSchema.NodeID, writer: AvroSchema.NodeID)
        /// Reader fields, each matched to a writer field (`fields` is on the location while this runs).
        case recordFields(readerFields: [AvroField], writerFields: [AvroField], writerIndex: [String: Int])
        /// Both sides are unions: each writer branch must be readable by the whole reader union.
        case unionVersusUnion(writerBranches: [AvroSchema.NodeID])
        /// The writer is a union and the reader is not: the reader must read every writer branch.
        case writerUnion(writerBranches: [AvroSchema.NodeID])
        /// The reader is a union and the writer is not: some reader branch must read the writer.
        case readerUnion(readerBranches: [AvroSchema.NodeID])
    }

    private struct Frame {
        let readerNode: AvroSchema.NodeID
        let writerNode: AvroSchema.NodeID
        let entry: Entry
        let task: Task
        var problems: [Incompatibility]
        /// Index of the element (field or branch) whose child check is under way or comes next.
        var next = 0
        /// True while a child check for `next` is outstanding.
        var awaitingChild = false
    }

    /// What a frame asks for after taking a step.
    private enum Action {
        case check(token: String, reader: AvroSchema.NodeID, writer: AvroSchema.NodeID)
        case checkFresh(reader: AvroSchema.NodeID, writer: AvroSchema.NodeID)
        case finish
    }

    private var memo: [PairKey: MemoEntry] = [:]
    /// Location stacks, innermost last; each holds the reference tokens below its (omitted) root token.
    private var locations: [[String]] = []
    private var frames: [Frame] = []

    /// Per reader union searched so far: its branches by kind and name (see `branchesToTry`).
    private var unionIndexes: [AvroSchema.NodeID: ReaderUnionIndex] = [:]
    /// Per reader node, once a union search needs it: true when the node and everything below it is referenced
    /// exactly once in the reader schema (see `branchesToTry`).
    private var referencedOnce: [Bool]?
    /// Per writer record whose fields do not line up with a reader's: field positions by name (the first wins).
    private var writerFieldIndexes: [AvroSchema.NodeID: [String: Int]] = [:]
    /// Per reader enum: its symbols.
    private var readerSymbolSets: [AvroSchema.NodeID: Set<String>] = [:]

    /// A named type's kind and a name, as `schemaNameEquals` compares them.
    private struct NameKey: Hashable {
        let kind: UInt8
        let name: String
    }

    /// The branches of a reader union, grouped for the branch search.
    private struct ReaderUnionIndex {
        /// Positions of the unnamed branches.
        var unnamed: [Int] = []
        /// Positions of named branches whose checks must run whatever the writer type (see `branchesToTry`).
        var alwaysTried: [Int] = []
        /// Positions of named branches by kind and unqualified name.
        var byName: [NameKey: [Int]] = [:]
        /// Positions of named branches by kind and alias (a full name).
        var byAlias: [NameKey: [Int]] = [:]
    }

    init(reader: AvroSchema, writer: AvroSchema, stepLimit: Int = Int.max) {
        self.reader = reader
        self.writer = writer
        self.stepLimit = stepLimit
    }

    // MARK: Driving the stack

    mutating func run() throws(CompatibilityBudgetExceeded) -> [Incompatibility] {
        var delivered = enter(entry: .freshLocation, reader: reader.root, writer: writer.root)
        while !frames.isEmpty {
            guard steps <= stepLimit else { throw CompatibilityBudgetExceeded(limit: stepLimit) }
            let action = step(childResult: delivered)
            delivered = nil
            switch action {
            case .check(let token, let readerNode, let writerNode):
                locations.pushToken(token)
                delivered = enter(entry: .token, reader: readerNode, writer: writerNode)
            case .checkFresh(let readerNode, let writerNode):
                delivered = enter(entry: .freshLocation, reader: readerNode, writer: writerNode)
            case .finish:
                guard let done = frames.popLast() else { break }
                if reader.nodes[done.readerNode].name != nil || writer.nodes[done.writerNode].name != nil {
                    memo[PairKey(reader: done.readerNode, writer: done.writerNode)] = .done(done.problems)
                }
                leave(done.entry)
                delivered = done.problems
            }
        }
        return delivered ?? []
    }

    /// Starts checking a pair whose location token (if any) is already pushed. Returns the result when it is
    /// known at once; otherwise pushes a frame and returns nil.
    private mutating func enter(entry: Entry, reader readerNode: AvroSchema.NodeID, writer writerNode: AvroSchema.NodeID)
        -> [Incompatibility]?
    {
        steps += 1
        if entry == .freshLocation { locations.append([]) }
        // Only a pair with a named side can be met twice (the graph's cycles and shared nodes are named types),
        // so only those are memoized; the rest are walked once each.
        guard reader.nodes[readerNode].name != nil || writer.nodes[writerNode].name != nil else {
            switch begin(readerNode, writerNode) {
            case .immediate(let result):
                leave(entry)
                return result
            case .iterate(let task, let problems):
                frames.append(
                    Frame(readerNode: readerNode, writerNode: writerNode, entry: entry, task: task, problems: problems))
                return nil
            }
        }
        let key = PairKey(reader: readerNode, writer: writerNode)
        switch memo[key] {
        case .inProgress?:
            leave(entry)
            return []
        case .done(let result)?:
            leave(entry)
            return result
        case nil:
            memo[key] = .inProgress
        }
        switch begin(readerNode, writerNode) {
        case .immediate(let result):
            memo[key] = .done(result)
            leave(entry)
            return result
        case .iterate(let task, let problems):
            frames.append(Frame(readerNode: readerNode, writerNode: writerNode, entry: entry, task: task, problems: problems))
            return nil
        }
    }

    private mutating func leave(_ entry: Entry) {
        switch entry {
        case .token: locations.popToken()
        case .freshLocation: _ = locations.popLast()
        }
    }

    private var currentPath: String {
        AvroCompatibilityWalker.javaLocation(locations.last ?? [])
    }

    /// Java's `Incompatibility.getLocation()`: `/` followed by the tokens below the root, JSON-pointer escaped.
    static func javaLocation(_ tokens: [String]) -> String {
        "/" + tokens.map { $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined(separator: "/")
    }

    // MARK: One pair

    private enum Start {
        case immediate([Incompatibility])
        case iterate(Task, problems: [Incompatibility])
    }

    private mutating func begin(_ readerNode: AvroSchema.NodeID, _ writerNode: AvroSchema.NodeID) -> Start {
        let r = reader[readerNode]
        let w = writer[writerNode]
        switch (r.kind, w.kind) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float),
            (.double, .double), (.bytes, .bytes), (.string, .string):
            return .immediate([])
        case (.array(let ri), .array(let wi)):
            return .iterate(.single(token: "items", reader: ri, writer: wi), problems: [])
        case (.map(let rv), .map(let wv)):
            return .iterate(.single(token: "values", reader: rv, writer: wv), problems: [])
        case (.fixed(let rf), .fixed(let wf)):
            var found = nameProblems(r, w)
            if rf.size != wf.size {
                found.append(problem(.fixedSizeMismatch, token: "size", message: Self.fixedSizeMessage(rf, wf)))
            }
            return .immediate(found)
        case (.enumeration(let re), .enumeration(let we)):
            var found = nameProblems(r, w)
            steps += we.symbols.count
            let readerSymbols: Set<String>
            if let known = readerSymbolSets[readerNode] {
                readerSymbols = known
            } else {
                steps += re.symbols.count
                readerSymbols = Set(re.symbols)
                readerSymbolSets[readerNode] = readerSymbols
            }
            let missing = Set(we.symbols.filter { !readerSymbols.contains($0) }).sorted()
            if !missing.isEmpty && re.defaultSymbol == nil {
                found.append(
                    problem(.missingEnumSymbols, token: "symbols", message: Self.missingSymbolsMessage(re, we, missing))
                )
            }
            return .immediate(found)
        case (.record(let rr), .record(let wr)):
            let found = nameProblems(r, w)
            locations.pushToken("fields")
            // Fields are matched by name; when the field lists line up position by position (the usual case of
            // fields appended over versions) no index is needed.
            var index: [String: Int] = [:]
            // Aligned: no reader field has aliases and the shared prefix has equal names position by position.
            // Field names are unique, so a reader field past the writer's last one has no writer field at all.
            let aligned = rr.fields.withUnsafeBufferPointer { readerFields in
                wr.fields.withUnsafeBufferPointer { writerFields in
                    for position in readerFields.indices {
                        guard readerFields[position].aliases.isEmpty,
                            position >= writerFields.count || readerFields[position].name == writerFields[position].name
                        else { return false }
                    }
                    return true
                }
            }
            if !aligned {
                if let known = writerFieldIndexes[writerNode] {
                    index = known
                } else {
                    steps += wr.fields.count
                    for (i, field) in wr.fields.enumerated() where index[field.name] == nil { index[field.name] = i }
                    writerFieldIndexes[writerNode] = index
                }
            }
            return .iterate(
                .recordFields(readerFields: rr.fields, writerFields: wr.fields, writerIndex: index),
                problems: found
            )
        case (.union, .union(let wb)):
            // Every writer branch a primitive the reader union also has: compatible, as the full walk would find.
            if triviallyCompatible(reader: readerNode, writer: writerNode) { return .immediate([]) }
            return .iterate(.unionVersusUnion(writerBranches: wb), problems: [])
        case (_, .union(let wb)):
            return .iterate(.writerUnion(writerBranches: wb), problems: [])
        case (.union(let rb), _):
            return .iterate(
                .readerUnion(readerBranches: branchesToTry(union: readerNode, branches: rb, writer: writerNode)),
                problems: [])
        case (.long, .int), (.float, .int), (.float, .long), (.double, .int), (.double, .long), (.double, .float),
            (.bytes, .string), (.string, .bytes):
            return .immediate([])
        default:
            return .immediate([
                Incompatibility(kind: AvroIncompatibilityKind.typeMismatch.rawValue, path: currentPath,
                                message: Self.typeMismatchMessage(r, w))
            ])
        }
    }

    /// True when the pair is one the walk would find compatible at once: the same primitive, or two unions where
    /// each writer branch is a primitive the reader union also has.
    private func triviallyCompatible(reader readerNode: AvroSchema.NodeID, writer writerNode: AvroSchema.NodeID) -> Bool {
        let r = reader.primitiveMasks[readerNode]
        let w = writer.primitiveMasks[writerNode]
        guard r != 0, w != 0 else { return false }
        let bothUnions = r & AvroSchema.unionBit != 0 && w & AvroSchema.unionBit != 0
        let bothPrimitive = r & AvroSchema.unionBit == 0 && w & AvroSchema.unionBit == 0
        return (bothPrimitive && r == w) || (bothUnions && w & ~r == 0)
    }

    /// Takes the next step of the innermost frame, first folding in the result of the child it waited for.
    private mutating func step(childResult: [Incompatibility]?) -> Action {
        guard var frame = frames.popLast() else { return .finish }
        defer { frames.append(frame) }
        let child = frame.awaitingChild ? childResult : nil
        frame.awaitingChild = false
        switch frame.task {
        case .single(let token, let readerNode, let writerNode):
            if let child {
                steps += child.count
                frame.problems += child
                return .finish
            }
            frame.awaitingChild = true
            return .check(token: token, reader: readerNode, writer: writerNode)

        case .recordFields(let readerFields, let writerFields, let writerIndex):
            if let child {
                steps += child.count
                frame.problems += child
                locations.popToken()
                frame.next += 1
            }
            while frame.next < readerFields.count {
                steps += 1
                let matched = Self.writerFieldPosition(at: frame.next, reader: readerFields, writer: writerFields, index: writerIndex)
                if let matched,
                    triviallyCompatible(
                        reader: readerFields.withUnsafeBufferPointer { $0[frame.next].type },
                        writer: writerFields.withUnsafeBufferPointer { $0[matched].type })
                {
                    // The walk could only find nothing here: skip it (no frame, no location token).
                    frame.next += 1
                    continue
                }
                let field = readerFields[frame.next]
                locations.pushToken(String(frame.next))
                if let matched {
                    frame.awaitingChild = true
                    return .check(token: "type", reader: field.type, writer: writerFields[matched].type)
                }
                if field.defaultValue == nil {
                    if case .enumeration(let e) = reader[field.type].kind, e.defaultSymbol != nil {
                        // Java checks the enum against the writer's whole record here (and so reports a type mismatch).
                        frame.awaitingChild = true
                        return .check(token: "type", reader: field.type, writer: frame.writerNode)
                    }
                    frame.problems.append(
                        Incompatibility(kind: AvroIncompatibilityKind.readerFieldMissingDefaultValue.rawValue,
                                        path: currentPath,
                                        message: missingDefaultMessage(field, writerRecord: frame.writerNode))
                    )
                }
                locations.popToken()
                frame.next += 1
            }
            locations.popToken()  // "fields"
            return .finish

        case .unionVersusUnion(let writerBranches):
            if let child {
                if !child.isEmpty {
                    let branch = writerBranches[frame.next]
                    frame.problems.append(
                        Incompatibility(kind: AvroIncompatibilityKind.missingUnionBranch.rawValue, path: currentPath,
                                        message: unionLacksBranchMessage(writerBranch: branch, index: frame.next))
                    )
                }
                locations.popToken()
                frame.next += 1
            }
            guard frame.next < writerBranches.count else { return .finish }
            steps += 1
            locations.pushToken(String(frame.next))
            frame.awaitingChild = true
            return .checkFresh(reader: frame.readerNode, writer: writerBranches[frame.next])

        case .writerUnion(let writerBranches):
            if let child {
                steps += child.count
                frame.problems += child
                frame.next += 1
            }
            guard frame.next < writerBranches.count else { return .finish }
            steps += 1
            frame.awaitingChild = true
            return .check(token: String(frame.next), reader: frame.readerNode, writer: writerBranches[frame.next])

        case .readerUnion(let readerBranches):
            if let child {
                if child.isEmpty { return .finish }
                frame.next += 1
            }
            guard frame.next < readerBranches.count else {
                frame.problems.append(
                    Incompatibility(kind: AvroIncompatibilityKind.missingUnionBranch.rawValue, path: currentPath,
                                    message: unionLacksTypeMessage(writerNode: frame.writerNode))
                )
                return .finish
            }
            steps += 1
            frame.awaitingChild = true
            return .checkFresh(reader: readerBranches[frame.next], writer: frame.writerNode)
        }
    }

    // MARK: Union branch search

    /// The branches of reader union `union` that the search for a reader of writer type `writerNode` must check,
    /// in union order. The search stops at the first branch that can read the writer, and its result does not
    /// depend on which branch that is; what a skipped branch's check would have left behind in the memo must not
    /// be observable either. So a branch is skipped only when its check
    /// - can only fail: an unnamed branch for a named writer type, a named branch for an unnamed writer type, or
    ///   a named branch of another kind or whose name does not match (`namesMatch`) for a named writer type; and
    /// - leaves nothing another check could read: the branch is unnamed (so it is reached through this union
    ///   only, and only by branch searches, which look at nothing but whether a check found problems), or the
    ///   branch and every type below it are referenced exactly once in the reader schema (the same holds, and
    ///   no check below it can meet a pair under way, so whether it finds problems never depends on the memo).
    /// Named branches that fail the second condition are always checked, in order, as Java checks them.
    private mutating func branchesToTry(
        union: AvroSchema.NodeID, branches: [AvroSchema.NodeID], writer writerNode: AvroSchema.NodeID
    ) -> [AvroSchema.NodeID] {
        let index = readerUnionIndex(union, branches: branches)
        var positions: [Int]
        let w = writer[writerNode]
        if let writerName = w.name, let kind = Self.namedKind(w.kind) {
            positions = index.byName[NameKey(kind: kind, name: writerName.name)] ?? []
            let more = (index.byAlias[NameKey(kind: kind, name: writerName.fullName)] ?? []) + index.alwaysTried
            if !more.isEmpty { positions = Array(Set(positions + more)).sorted() }
        } else {
            positions = index.unnamed
            if !index.alwaysTried.isEmpty { positions = Array(Set(positions + index.alwaysTried)).sorted() }
        }
        steps += positions.count
        return positions.map { branches[$0] }
    }

    private static func namedKind(_ kind: AvroNode.Kind) -> UInt8? {
        switch kind {
        case .record: 1
        case .enumeration: 2
        case .fixed: 3
        default: nil
        }
    }

    private mutating func readerUnionIndex(_ union: AvroSchema.NodeID, branches: [AvroSchema.NodeID])
        -> ReaderUnionIndex
    {
        if let known = unionIndexes[union] { return known }
        let once = readerNodesReferencedOnce()
        steps += branches.count
        var index = ReaderUnionIndex()
        for (position, branch) in branches.enumerated() {
            let node = reader[branch]
            guard let name = node.name, let kind = Self.namedKind(node.kind) else {
                index.unnamed.append(position)
                continue
            }
            if !(once.indices.contains(branch) && once[branch]) { index.alwaysTried.append(position) }
            index.byName[NameKey(kind: kind, name: name.name), default: []].append(position)
            for alias in node.aliases {
                index.byAlias[NameKey(kind: kind, name: alias.fullName), default: []].append(position)
            }
        }
        unionIndexes[union] = index
        return index
    }

    /// The types a node refers to directly.
    private static func children(_ node: AvroNode) -> [AvroSchema.NodeID] {
        switch node.kind {
        case .array(let items): [items]
        case .map(let values): [values]
        case .union(let branches): branches
        case .record(let record): record.fields.map(\.type)
        default: []
        }
    }

    /// Per reader node: true when it is referenced once (the root counting as one reference) and so is every
    /// node below it. Such a node and the nodes below it form a tree reached only through the node's one parent.
    private mutating func readerNodesReferencedOnce() -> [Bool] {
        if let known = referencedOnce { return known }
        let nodes = reader.nodes
        var references = [Int](repeating: 0, count: nodes.count)
        if references.indices.contains(reader.root) { references[reader.root] += 1 }
        for node in nodes {
            for child in Self.children(node) where references.indices.contains(child) { references[child] += 1 }
        }
        steps += nodes.count
        // Depth-first, without recursion: 1 under way, 2 under way but failed, 3 once, 4 not once.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == 0 {
            state[start] = 1
            var stack: [(node: AvroSchema.NodeID, children: [AvroSchema.NodeID], next: Int)] = [
                (start, Self.children(nodes[start]), 0)
            ]
            while let top = stack.last {
                if top.next < top.children.count {
                    stack[stack.count - 1].next += 1
                    let child = top.children[top.next]
                    guard state.indices.contains(child) else {
                        state[top.node] = 2
                        continue
                    }
                    switch state[child] {
                    case 0:
                        state[child] = 1
                        stack.append((child, Self.children(nodes[child]), 0))
                    case 3:
                        break
                    default:
                        // A cycle (a node under way) or a child referenced more than once.
                        state[top.node] = 2
                    }
                    continue
                }
                stack.removeLast()
                let once = state[top.node] == 1 && references[top.node] == 1
                state[top.node] = once ? 3 : 4
                if !once, let parent = stack.last?.node { state[parent] = 2 }
            }
        }
        let result = state.map { $0 == 3 }
        referencedOnce = result
        return result
    }

    // MARK: Rules

    /// Java's `lookupWriterField`: the position of the writer field named like the reader field, else of one
    /// named like one of its aliases. (Java throws when more than one matches; the first match, the direct name
    /// first, is used here.) An empty `index` means the lists are aligned (see `begin`).
    private static func writerFieldPosition(
        at position: Int, reader readerFields: [AvroField], writer writerFields: [AvroField], index: [String: Int]
    ) -> Int? {
        readerFields.withUnsafeBufferPointer { readers in
            writerFields.withUnsafeBufferPointer { writers in
                if index.isEmpty {
                    guard position < writers.count, writers[position].name == readers[position].name else { return nil }
                    return position
                }
                if let found = index[readers[position].name], found < writers.count { return found }
                for alias in readers[position].aliases {
                    if let found = index[alias], found < writers.count { return found }
                }
                return nil
            }
        }
    }

    /// Java's `schemaNameEquals`: equal unqualified names, or a reader alias equal to the writer's full name.
    static func namesMatch(reader r: AvroNode, writer w: AvroNode) -> Bool {
        guard let readerName = r.name, let writerName = w.name else { return true }
        if readerName.name == writerName.name { return true }
        return r.aliases.contains { $0.fullName == writerName.fullName }
    }

    private func nameProblems(_ r: AvroNode, _ w: AvroNode) -> [Incompatibility] {
        if Self.namesMatch(reader: r, writer: w) { return [] }
        return [problem(.nameMismatch, token: "name", message: Self.nameMismatchMessage(r, w))]
    }

    /// An incompatibility located one token below the current location (Java pushes and pops that token).
    private func problem(_ kind: AvroIncompatibilityKind, token: String, message: String) -> Incompatibility {
        Incompatibility(
            kind: kind.rawValue,
            path: Self.javaLocation((locations.last ?? []) + [token]),
            message: message
        )
    }
}

extension [[String]] {
    fileprivate mutating func pushToken(_ token: String) {
        guard !isEmpty else {
            append([token])
            return
        }
        self[count - 1].append(token)
    }

    fileprivate mutating func popToken() {
        guard !isEmpty, !self[count - 1].isEmpty else { return }
        self[count - 1].removeLast()
    }
}
