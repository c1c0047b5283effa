/// A backtracking frame. Choice points resume the match; undo frames restore a capture slot or a loop register
/// when backtracking passes them; a lookaround marker closes a lookaround's body.
enum Frame {
    case choice(pc: Int, pos: Int)
    case slot(Int, Int)
    case register(Int, Int)
    case look(negative: Bool, next: Int, pos: Int, previous: Int)
    /// A greedy `repeatOne` that can give back scalars down to `floor`.
    case giveBack(next: Int, floor: Int, pos: Int, backward: Bool)
    /// A lazy `repeatOne` that can take up to `left` more scalars.
    case takeMore(next: Int, pos: Int, left: Int, test: ScalarTest, backward: Bool)
}

/// Runs a program over one input: an explicit-stack backtracking machine that counts its steps.
struct Machine {
    private let code: [Instruction]
    private let sets: [CharSet]
    private let input: [UInt32]
    private let maxSteps: Int
    private let anchored: Bool
    private let firstTest: ScalarTest?
    private var steps = 0
    private var stack: [Frame] = []
    private var slots: [Int]
    private var registers: [Int]

    init(program: Program, input: [UInt32], maxSteps: Int) {
        code = program.code
        sets = program.sets
        self.input = input
        self.maxSteps = maxSteps
        anchored = program.anchored
        firstTest = program.firstTest
        slots = Array(repeating: -1, count: program.slotCount)
        registers = Array(repeating: 0, count: program.registerCount)
    }

    /// Tries each start position in turn, like RegExp.prototype.test without the `y` flag.
    mutating func search() throws(ECMARegexError) -> Bool {
        let last = anchored ? 0 : input.count
        var start = 0
        while start <= last {
            if let firstTest, start < input.count, !test(firstTest, input[start]) {
                start += 1
                continue
            }
            if try run(from: start) { return true }
            start += 1
        }
        return false
    }

    @inline(__always)
    private func test(_ test: ScalarTest, _ c: UInt32) -> Bool { test.accepts(c, sets) }

    private func stepLimit() -> ECMARegexError { .stepLimit(maxSteps) }

    private func equalRuns(_ a: Int, _ b: Int, count: Int) -> Bool {
        var k = 0
        while k < count {
            if input[a + k] != input[b + k] { return false }
            k += 1
        }
        return true
    }

    // The machine is one loop over instructions; failing pops frames until a choice point resumes it.
    private mutating func run(from start: Int) throws(ECMARegexError) -> Bool {
        let n = input.count
        var pc = 0
        var pos = start
        var look = -1
        stack.removeAll(keepingCapacity: true)

        execute: while true {
            steps += 1
            if steps > maxSteps { throw stepLimit() }
            var failed = false
            switch code[pc] {
            case .one(let t, let backward):
                if backward {
                    if pos > 0, test(t, input[pos - 1]) {
                        pos -= 1
                        pc += 1
                    } else {
                        failed = true
                    }
                } else if pos < n, test(t, input[pos]) {
                    pos += 1
                    pc += 1
                } else {
                    failed = true
                }
            case .assertStart:
                if pos == 0 { pc += 1 } else { failed = true }
            case .assertEnd:
                if pos == n { pc += 1 } else { failed = true }
            case .wordBoundary(let negated):
                let before = pos > 0 && CharSet.isWordCharacter(input[pos - 1])
                let after = pos < n && CharSet.isWordCharacter(input[pos])
                if (before != after) != negated { pc += 1 } else { failed = true }
            case .split(let prefer, let other):
                stack.append(.choice(pc: other, pos: pos))
                pc = prefer
            case .jump(let target):
                pc = target
            case .save(let slot):
                stack.append(.slot(slot, slots[slot]))
                slots[slot] = pos
                pc += 1
            case .backreference(let group, let backward):
                let begin = slots[2 * group]
                let end = slots[2 * group + 1]
                if begin < 0 || end < begin {
                    pc += 1  // an unset group matches the empty string
                } else {
                    let length = end - begin
                    steps += length
                    if steps > maxSteps { throw stepLimit() }
                    if backward {
                        if pos - length >= 0, equalRuns(begin, pos - length, count: length) {
                            pos -= length
                            pc += 1
                        } else {
                            failed = true
                        }
                    } else if pos + length <= n, equalRuns(begin, pos, count: length) {
                        pos += length
                        pc += 1
                    } else {
                        failed = true
                    }
                }
            case .loopInit(let loop):
                stack.append(.register(2 * loop, registers[2 * loop]))
                stack.append(.register(2 * loop + 1, registers[2 * loop + 1]))
                registers[2 * loop] = 0
                registers[2 * loop + 1] = -1
                pc += 1
            case .loopHead(let loop, let min, let max, let greedy, let exit):
                let count = registers[2 * loop]
                if count < min {
                    pc += 1
                } else if count >= max {
                    pc = exit
                } else if greedy {
                    stack.append(.choice(pc: exit, pos: pos))
                    pc += 1
                } else {
                    stack.append(.choice(pc: pc + 1, pos: pos))
                    pc = exit
                }
            case .loopEnter(let loop, let range):
                steps += range.count / 2  // resetting many groups is work too
                if steps > maxSteps { throw stepLimit() }
                stack.append(.register(2 * loop + 1, registers[2 * loop + 1]))
                registers[2 * loop + 1] = pos
                for slot in range where slots[slot] >= 0 {
                    stack.append(.slot(slot, slots[slot]))
                    slots[slot] = -1
                }
                pc += 1
            case .loopTail(let loop, let min, let head):
                let count = registers[2 * loop]
                if count >= min, pos == registers[2 * loop + 1] {
                    failed = true
                } else {
                    stack.append(.register(2 * loop, count))
                    registers[2 * loop] = count + 1
                    pc = head
                }
            case .repeatOne(let t, let min, let max, let greedy, let backward):
                var p = pos
                var taken = 0
                let limit = greedy ? max : min
                while taken < limit {
                    if backward {
                        guard p > 0, test(t, input[p - 1]) else { break }
                        p -= 1
                    } else {
                        guard p < n, test(t, input[p]) else { break }
                        p += 1
                    }
                    taken += 1
                }
                steps += taken
                if steps > maxSteps { throw stepLimit() }
                if taken < min {
                    failed = true
                } else {
                    if greedy {
                        if taken > min {
                            let floor = backward ? pos - min : pos + min
                            stack.append(.giveBack(next: pc + 1, floor: floor, pos: p, backward: backward))
                        }
                    } else if max > min {
                        stack.append(.takeMore(next: pc + 1, pos: p, left: max - min, test: t, backward: backward))
                    }
                    pos = p
                    pc += 1
                }
            case .lookStart(let negative, let next):
                stack.append(.look(negative: negative, next: next, pos: pos, previous: look))
                look = stack.count - 1
                pc += 1
            case .lookEnd:
                guard look >= 0, look < stack.count, case .look(let negative, let next, let saved, let previous) = stack[look]
                else {
                    failed = true  // unreachable: every lookEnd has its marker
                    break
                }
                if negative {
                    // The body matched, so the assertion fails: undo everything the body did.
                    while stack.count > look + 1, let frame = stack.popLast() {
                        switch frame {
                        case .slot(let slot, let value): slots[slot] = value
                        case .register(let register, let value): registers[register] = value
                        default: break
                        }
                    }
                    stack.removeLast()
                    look = previous
                    failed = true
                } else {
                    // Lookarounds are atomic: drop the body's choice points, keep its undo frames.
                    var write = look
                    var read = look + 1
                    while read < stack.count {
                        switch stack[read] {
                        case .slot, .register:
                            stack[write] = stack[read]
                            write += 1
                        default: break
                        }
                        read += 1
                    }
                    stack.removeLast(stack.count - write)
                    look = previous
                    pos = saved
                    pc = next
                }
            case .match:
                return true
            }
            if !failed { continue execute }

            // Backtrack.
            while let frame = stack.popLast() {
                switch frame {
                case .slot(let slot, let value):
                    slots[slot] = value
                case .register(let register, let value):
                    registers[register] = value
                case .choice(let resume, let at):
                    pc = resume
                    pos = at
                    continue execute
                case .look(let negative, let next, let saved, let previous):
                    // The body failed: a negative lookaround succeeds, a positive one fails on.
                    look = previous
                    if negative {
                        pc = next
                        pos = saved
                        continue execute
                    }
                case .giveBack(let next, let floor, let at, let backward):
                    let shorter = backward ? at + 1 : at - 1
                    if shorter != floor {
                        stack.append(.giveBack(next: next, floor: floor, pos: shorter, backward: backward))
                    }
                    pc = next
                    pos = shorter
                    continue execute
                case .takeMore(let next, let at, let left, let t, let backward):
                    let longer: Int
                    if backward {
                        guard at > 0, test(t, input[at - 1]) else { continue }
                        longer = at - 1
                    } else {
                        guard at < n, test(t, input[at]) else { continue }
                        longer = at + 1
                    }
                    if left > 1 {
                        stack.append(.takeMore(next: next, pos: longer, left: left - 1, test: t, backward: backward))
                    }
                    pc = next
                    pos = longer
                    continue execute
                }
            }
            return false
        }
    }
}
