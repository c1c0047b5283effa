/// The instruction tags of the fast validation program (see `FastValidationProgram`).
enum FastTag: UInt8, Sendable {
    /// Ends a segment.
    case end
    /// Heads a record segment: `a` = the deepest inlined record level, `b` = fields of all inlined records.
    case enter
    case boolean, int, long, float, double, bytes, string
    /// `a` = symbol count.
    case enumeration
    /// `a` = size.
    case fixed
    /// `a` = item segment, `b` = fewest bytes per item.
    case array
    /// `a` = value segment, `b` = fewest bytes per entry (key included).
    case map
    /// `a` = first entry in the branch table, `b` = branch count.
    case union
    /// A record that was not inlined: `a` = its segment.
    case call
    /// Something the fast walk does not handle; the full validator decides.
    case fail
}

/// One compact instruction of the fast validation program. `level` is the nesting level of the inlined
/// record the instruction sits in (0 outside any record of its segment).
struct FastOp: Sendable {
    var tag: FastTag
    var level: UInt8
    var a: Int32
    var b: Int32

    init(_ tag: FastTag, level: Int = 0, a: Int = 0, b: Int = 0) {
        self.tag = tag
        self.level = UInt8(clamping: level)
        self.a = Int32(clamping: a)
        self.b = Int32(clamping: b)
    }
}

/// The schema compiled for the success path of validation: one flat instruction stream per segment, with
/// records nested in records inlined into their parent's segment (bounded, never recursively).
///
/// A segment starts at the instruction for an array item, map value, union branch, the root, or a record
/// that was not inlined. A record segment starts with `enter`, which checks the whole inlined depth once
/// and counts every inlined field at once: values only grow, so this accepts exactly what the full
/// validator accepts, it just may fail earlier (and then the full validator runs to produce the error).
struct FastValidationProgram {
    var ops: [FastOp] = []
    var branches: [Int32] = []
    var root = 0

    /// Deepest inlined record level, and most instructions in one segment, before records become calls.
    static let maxInlineLevel = 16
    static let maxInlineOps = 512

    init(schema: AvroSchema, minWidths: [Int]) {
        var builder = Builder(schema: schema, minWidths: minWidths)
        let rootSegment = builder.segment(for: schema.root)
        builder.drain()
        // Lay the segments out one after another and turn segment numbers into instruction offsets.
        var starts: [Int] = []
        starts.reserveCapacity(builder.segments.count)
        var total = 0
        for segment in builder.segments {
            starts.append(total)
            total &+= segment.count
        }
        guard total < Int(Int32.max) / 2, builder.branches.count < Int(Int32.max) / 2 else {
            ops = [FastOp(.fail), FastOp(.end)]
            return
        }
        ops.reserveCapacity(total)
        for segment in builder.segments {
            for var op in segment {
                switch op.tag {
                case .array, .map, .call: op.a = Int32(truncatingIfNeeded: starts[Int(op.a)])
                default: break
                }
                ops.append(op)
            }
        }
        branches = builder.branches.map { Int32(truncatingIfNeeded: starts[Int($0)]) }
        root = starts[rootSegment]
    }

    private struct Builder {
        let schema: AvroSchema
        let minWidths: [Int]
        var segments: [[FastOp]] = []
        var branches: [Int32] = []
        var segmentOfNode: [Int: Int] = [:]
        var pending: [(node: Int, segment: Int)] = []

        init(schema: AvroSchema, minWidths: [Int]) {
            self.schema = schema
            self.minWidths = minWidths
        }

        /// The segment number for `node`, compiled later by `drain`.
        mutating func segment(for node: Int) -> Int {
            if let known = segmentOfNode[node] { return known }
            let index = segments.count
            segments.append([])
            segmentOfNode[node] = index
            pending.append((node, index))
            return index
        }

        mutating func drain() {
            while let (node, index) = pending.popLast() {
                var body: [FastOp] = []
                if case .record(let record) = schema.nodes[node].kind {
                    body.append(FastOp(.enter))
                    let (deepest, values) = emitFields(record, level: 1, stack: [node], into: &body)
                    body[0] = FastOp(.enter, a: deepest, b: values)
                } else {
                    _ = emit(node, level: 0, stack: [], into: &body)
                }
                body.append(FastOp(.end))
                segments[index] = body
            }
        }

        /// Emits the fields of `record` (at inlined `level`); returns the deepest level and the field count.
        mutating func emitFields(
            _ record: AvroRecord, level: Int, stack: [Int], into body: inout [FastOp]
        ) -> (Int, Int) {
            var deepest = level
            var values = record.fields.count
            for field in record.fields {
                let (d, v) = emit(field.type, level: level, stack: stack, into: &body)
                deepest = max(deepest, d)
                values &+= v
            }
            return (deepest, values)
        }

        /// Emits one value of `node`; returns the deepest inlined level and inlined field count it adds.
        mutating func emit(_ node: Int, level: Int, stack: [Int], into body: inout [FastOp]) -> (Int, Int) {
            switch schema.nodes[node].kind {
            case .null: break
            case .boolean: body.append(FastOp(.boolean))
            case .int: body.append(FastOp(.int))
            case .long: body.append(FastOp(.long))
            case .float: body.append(FastOp(.float))
            case .double: body.append(FastOp(.double))
            case .bytes: body.append(FastOp(.bytes))
            case .string: body.append(FastOp(.string))
            case .enumeration(let e): body.append(FastOp(.enumeration, a: e.symbols.count))
            case .fixed(let f):
                body.append(f.size >= 0 && f.size < Int(Int32.max) ? FastOp(.fixed, a: f.size) : FastOp(.fail))
            case .array(let items):
                let width = minWidths[items]
                body.append(FastOp(.array, level: level, a: segment(for: items), b: width))
            case .map(let values):
                let width = 1 &+ minWidths[values]
                body.append(FastOp(.map, level: level, a: segment(for: values), b: width))
            case .union(let choices):
                body.append(FastOp(.union, level: level, a: branches.count, b: choices.count))
                for choice in choices {
                    branches.append(Int32(truncatingIfNeeded: segment(for: choice)))
                }
            case .record(let record):
                if level < Self.maxInlineLevel, body.count < Self.maxInlineOps, !stack.contains(node) {
                    return emitFields(record, level: level &+ 1, stack: stack + [node], into: &body)
                }
                body.append(FastOp(.call, level: level, a: segment(for: node)))
            }
            return (0, 0)
        }

        static var maxInlineLevel: Int { FastValidationProgram.maxInlineLevel }
        static var maxInlineOps: Int { FastValidationProgram.maxInlineOps }
    }
}
