/// What one step of input a single-scalar instruction accepts.
enum ScalarTest: Sendable {
    case char(UInt32)
    /// `.`: anything but a line terminator.
    case any
    /// An index into `Program.sets`.
    case set(Int)
}

/// One instruction of the backtracking machine. `backward` instructions (inside a lookbehind) read the scalar
/// before the position and move left, as ECMA-262's direction −1 says.
enum Instruction: Sendable {
    case one(ScalarTest, backward: Bool)
    case assertStart
    case assertEnd
    case wordBoundary(negated: Bool)
    /// Continue at `prefer`; on backtracking, at `other`.
    case split(prefer: Int, other: Int)
    case jump(Int)
    /// Records the position in a capture slot (2g is a group's start, 2g+1 its end).
    case save(Int)
    case backreference(Int, backward: Bool)
    /// Starts a counted loop: its count register becomes 0.
    case loopInit(loop: Int)
    /// Decides whether to run another iteration (at the next instruction) or leave (at `exit`).
    case loopHead(loop: Int, min: Int, max: Int, greedy: Bool, exit: Int)
    /// Starts an iteration: remembers where it starts and resets the captures inside the loop.
    case loopEnter(loop: Int, slots: Range<Int>)
    /// Ends an iteration: an iteration past `min` that consumed nothing fails (ECMA-262's empty check).
    case loopTail(loop: Int, min: Int, head: Int)
    /// A loop over one scalar test, run without per-iteration frames.
    case repeatOne(ScalarTest, min: Int, max: Int, greedy: Bool, backward: Bool)
    /// Opens a lookaround whose body follows; after it succeeds (or, negative, fails) the match goes on at `next`.
    case lookStart(negative: Bool, next: Int)
    case lookEnd
    case match
}

/// A compiled pattern.
struct Program: Sendable {
    var code: [Instruction] = []
    var sets: [CharSet] = []
    /// Two per capturing group, plus two for the whole match.
    var slotCount = 2
    /// Two per counted loop: the iteration count and where the current iteration started.
    var registerCount = 0
    /// Every alternative starts with `^`: only position 0 needs trying.
    var anchored = false
    /// A test the first scalar of any match passes, when the program starts with one.
    var firstTest: ScalarTest?
    /// The same pattern as a straight line that never backtracks, when it is one.
    var linear: LinearProgram?
}

struct Compiler {
    private let maxNodes: Int
    private let names: [String: Int]
    private var program = Program()
    private var loops = 0

    init(maxNodes: Int, names: [String: Int]) {
        self.maxNodes = maxNodes
        self.names = names
    }

    mutating func compile(_ node: Node, captureGroups: Int) throws(ECMARegexError) -> Program {
        program.slotCount = 2 * (captureGroups + 1)
        try emit(node, backward: false)
        try append(.match)
        program.registerCount = 2 * loops
        program.anchored = Compiler.startsAnchored(node)
        switch program.code.first {
        case .one(let test, backward: false)?: program.firstTest = test
        case .repeatOne(let test, let min, _, _, backward: false)? where min > 0: program.firstTest = test
        default: break
        }
        program.linear = LinearProgram(program)
        return program
    }

    @discardableResult
    private mutating func append(_ instruction: Instruction) throws(ECMARegexError) -> Int {
        if program.code.count >= maxNodes {
            throw ECMARegexError(
                kind: .tooComplex,
                message: "The pattern compiles to more than the limit of \(maxNodes) instructions.", offset: nil)
        }
        program.code.append(instruction)
        return program.code.count - 1
    }

    private mutating func scalarTest(_ node: Node) -> ScalarTest? {
        switch node {
        case .char(let c): return .char(c)
        case .any: return .any
        case .set(let set):
            program.sets.append(set)
            return .set(program.sets.count - 1)
        case .alternation:
            guard let set = Compiler.foldedSet(node) else { return nil }
            program.sets.append(set)
            return .set(program.sets.count - 1)
        default: return nil
        }
    }

    /// An alternation whose alternatives each match exactly one scalar and capture nothing (`a|b|[0-9]`) tests
    /// the same as the union of their sets, and a set runs in one step (and loops as a `repeatOne`).
    private static func foldedSet(_ node: Node) -> CharSet? {
        guard case .alternation(let alternatives) = node else { return nil }
        var ranges: [ClosedRange<UInt32>] = []
        var properties: [PropertyTest] = []
        for alternative in alternatives {
            switch alternative {
            case .char(let c): ranges.append(c...c)
            case .set(let set) where !set.negated:
                ranges.append(contentsOf: set.ranges)
                properties.append(contentsOf: set.properties)
            default: return nil
            }
        }
        return CharSet(ranges: ranges, properties: properties)
    }

    private mutating func emit(_ node: Node, backward: Bool) throws(ECMARegexError) {
        switch node {
        case .empty:
            break
        case .char, .any, .set:
            if let test = scalarTest(node) { try append(.one(test, backward: backward)) }
        case .sequence(let nodes):
            if backward {
                for child in nodes.reversed() { try emit(child, backward: true) }
            } else {
                for child in nodes { try emit(child, backward: false) }
            }
        case .alternation(let alternatives):
            if let test = scalarTest(node) {
                try append(.one(test, backward: backward))
                return
            }
            var jumps: [Int] = []
            for (index, alternative) in alternatives.enumerated() {
                if index < alternatives.count - 1 {
                    let split = try append(.split(prefer: 0, other: 0))
                    try emit(alternative, backward: backward)
                    jumps.append(try append(.jump(0)))
                    program.code[split] = .split(prefer: split + 1, other: program.code.count)
                } else {
                    try emit(alternative, backward: backward)
                }
            }
            for jump in jumps { program.code[jump] = .jump(program.code.count) }
        case .group(let body, let index):
            // Backward, the group's end is reached first.
            try append(.save(backward ? 2 * index + 1 : 2 * index))
            try emit(body, backward: backward)
            try append(.save(backward ? 2 * index : 2 * index + 1))
        case .assertStart:
            try append(.assertStart)
        case .assertEnd:
            try append(.assertEnd)
        case .wordBoundary(let negated):
            try append(.wordBoundary(negated: negated))
        case .look(let body, let behind, let negative):
            let start = try append(.lookStart(negative: negative, next: 0))
            try emit(body, backward: behind)
            try append(.lookEnd)
            program.code[start] = .lookStart(negative: negative, next: program.code.count)
        case .backreference(let group):
            // The parser checks references against a pre-scan of the groups; slots are sized from the parse.
            guard group < program.slotCount / 2 else {
                throw ECMARegexError(
                    kind: .syntax, message: "The backreference \\\(group) names a group that does not exist.",
                    offset: nil)
            }
            try append(.backreference(group, backward: backward))
        case .namedBackreference(let name, let offset):
            guard let group = names[name] else {
                throw ECMARegexError(
                    kind: .syntax, message: "The backreference \\k<\(name)> names a group that does not exist.",
                    offset: offset)
            }
            try append(.backreference(group, backward: backward))
        case .repetition(let body, let min, let max, let greedy, let groups):
            if max == 0 { return }
            if min == 1, max == 1 {
                try emit(body, backward: backward)
                return
            }
            if let test = scalarTest(body) {
                try append(.repeatOne(test, min: min, max: max, greedy: greedy, backward: backward))
                return
            }
            let loop = loops
            loops += 1
            try append(.loopInit(loop: loop))
            let head = try append(.loopHead(loop: loop, min: min, max: max, greedy: greedy, exit: 0))
            try append(.loopEnter(loop: loop, slots: (2 * groups.lowerBound)..<(2 * groups.upperBound)))
            try emit(body, backward: backward)
            try append(.loopTail(loop: loop, min: min, head: head))
            program.code[head] = .loopHead(loop: loop, min: min, max: max, greedy: greedy, exit: program.code.count)
        }
    }

    /// Whether every match must start at position 0 (the pattern begins with `^` in every alternative).
    private static func startsAnchored(_ node: Node) -> Bool {
        var current = node
        // Walks down first elements iteratively; alternations recurse once per alternative (bounded by nesting).
        while true {
            switch current {
            case .assertStart: return true
            case .sequence(let nodes):
                guard let first = nodes.first else { return false }
                current = first
            case .group(let body, _): current = body
            case .alternation(let alternatives): return alternatives.allSatisfy(startsAnchored)
            case .repetition(let body, let min, _, _, _) where min > 0: current = body
            default: return false
            }
        }
    }
}
