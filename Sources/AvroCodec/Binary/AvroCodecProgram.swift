/// One instruction of a compiled schema: what to read or write for one schema node.
///
/// Instruction `i` describes schema node `i`, so child references are node ids and recursion is a
/// jump back to an earlier instruction. The meaning of `a` and `b` depends on the tag:
/// - record: `a` = first entry in `children`, `b` = field count
/// - union: `a` = first entry in `children`, `b` = branch count
/// - array: `a` = item node; map: `a` = value node
/// - enumeration: `a` = symbol count, `b` = first entry in `symbols`
/// - fixed: `a` = size
struct CodecOp: Sendable {
    enum Tag: UInt8, Sendable {
        case null, boolean, int, long, float, double, bytes, string
        case array, map, union, record, enumeration, fixed
    }

    var tag: Tag
    var a: Int
    var b: Int
}

/// A schema compiled once into flat tables that the binary walkers index without hashing or allocating.
///
/// `@unchecked Sendable`: every property is immutable after `init`; the raw buffers are copies of the
/// arrays, owned by this object and freed in `deinit`, so walkers read them without closures or retains.
final class CodecProgram: @unchecked Sendable {
    let ops: [CodecOp]
    /// Record field nodes and union branch nodes, in schema order.
    let children: [Int]
    /// The instruction of each entry of `children`, copied so the validating walk reads a field's
    /// instruction with one load instead of two dependent ones.
    let childOps: [CodecOp]
    /// For each entry of `children`, the datum-path component used in error messages
    /// (`.field` for record fields, `<type>` for union branches).
    let childLabels: [String]
    /// Enum symbols of every enum, concatenated.
    let symbols: [String]
    let root: Int
    /// The fewest bytes a value of each node can take. A collection block claiming more items than the
    /// remaining input can hold is rejected at its header, before anything is allocated for it.
    let minWidths: [Int]
    /// Raw copies of `ops`, `children`, `childOps` and `symbols` for the walkers.
    let opsBuffer: UnsafeBufferPointer<CodecOp>
    let childrenBuffer: UnsafeBufferPointer<Int>
    let childOpsBuffer: UnsafeBufferPointer<CodecOp>
    let symbolsBuffer: UnsafeBufferPointer<String>
    /// The fast validation program (`FastValidationProgram`) as raw buffers, and its root segment.
    let fastOpsBuffer: UnsafeBufferPointer<FastOp>
    let fastBranchesBuffer: UnsafeBufferPointer<Int32>
    let fastRoot: Int
    /// The encoder's first scratch allocation, in bytes.
    let encodeCapacityHint = 512

    init(schema: AvroSchema) {
        var ops: [CodecOp] = []
        ops.reserveCapacity(schema.nodes.count)
        var children: [Int] = []
        var labels: [String] = []
        var symbols: [String] = []
        for node in schema.nodes {
            switch node.kind {
            case .null: ops.append(CodecOp(tag: .null, a: 0, b: 0))
            case .boolean: ops.append(CodecOp(tag: .boolean, a: 0, b: 0))
            case .int: ops.append(CodecOp(tag: .int, a: 0, b: 0))
            case .long: ops.append(CodecOp(tag: .long, a: 0, b: 0))
            case .float: ops.append(CodecOp(tag: .float, a: 0, b: 0))
            case .double: ops.append(CodecOp(tag: .double, a: 0, b: 0))
            case .bytes: ops.append(CodecOp(tag: .bytes, a: 0, b: 0))
            case .string: ops.append(CodecOp(tag: .string, a: 0, b: 0))
            case .array(let items): ops.append(CodecOp(tag: .array, a: items, b: 0))
            case .map(let values): ops.append(CodecOp(tag: .map, a: values, b: 0))
            case .union(let branches):
                ops.append(CodecOp(tag: .union, a: children.count, b: branches.count))
                for branch in branches {
                    children.append(branch)
                    labels.append("<\(schema.nodes[branch].unionKey)>")
                }
            case .record(let record):
                ops.append(CodecOp(tag: .record, a: children.count, b: record.fields.count))
                for field in record.fields {
                    children.append(field.type)
                    labels.append(".\(field.name)")
                }
            case .enumeration(let e):
                ops.append(CodecOp(tag: .enumeration, a: e.symbols.count, b: symbols.count))
                symbols.append(contentsOf: e.symbols)
            case .fixed(let f):
                ops.append(CodecOp(tag: .fixed, a: max(0, f.size), b: 0))
            }
        }
        self.ops = ops
        self.children = children
        self.childOps = children.map { ops[$0] }
        self.childLabels = labels
        self.symbols = symbols
        self.root = schema.root
        self.minWidths = Self.minimumWidths(schema)
        self.opsBuffer = Self.copy(ops)
        self.childrenBuffer = Self.copy(children)
        self.childOpsBuffer = Self.copy(self.childOps)
        self.symbolsBuffer = Self.copy(symbols)
        let fast = FastValidationProgram(schema: schema, minWidths: self.minWidths)
        self.fastOpsBuffer = Self.copy(fast.ops)
        self.fastBranchesBuffer = Self.copy(fast.branches)
        self.fastRoot = fast.root
    }

    deinit {
        Self.free(opsBuffer)
        Self.free(childrenBuffer)
        Self.free(childOpsBuffer)
        Self.free(symbolsBuffer)
        Self.free(fastOpsBuffer)
        Self.free(fastBranchesBuffer)
    }

    /// Fewest encoded bytes per node, found by iterating to a fixed point (records sum their fields;
    /// recursion always passes through a union, array or map, which take at least one byte).
    private static func minimumWidths(_ schema: AvroSchema) -> [Int] {
        var widths = [Int](repeating: 0, count: schema.nodes.count)
        var changed = true
        var rounds = 0
        while changed && rounds < 64 {
            changed = false
            rounds += 1
            for (id, node) in schema.nodes.enumerated() {
                let width: Int
                switch node.kind {
                case .null: width = 0
                case .boolean, .int, .long, .bytes, .string, .enumeration, .union, .array, .map: width = 1
                case .float: width = 4
                case .double: width = 8
                case .fixed(let f): width = max(0, f.size)
                case .record(let r): width = min(r.fields.reduce(0) { $0 &+ widths[$1.type] }, 1 << 30)
                }
                if width != widths[id] {
                    widths[id] = width
                    changed = true
                }
            }
        }
        return widths
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
}

extension AvroError {
    /// The same error with `component` put in front of its datum path (used while unwinding).
    @inline(never)
    func prefixingDataPath(_ component: String) -> AvroError {
        var copy = self
        copy.dataPath = component + (dataPath ?? "")
        return copy
    }

    /// A map key rendered as a datum-path component: `["key"]`.
    static func dataPathMapKey(_ key: String) -> String {
        var out = "[\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\"]"
    }
}
