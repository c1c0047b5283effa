import JSONSupport
import ProtobufSchema

/// Turns a merged `ProtoDynamicMessage` tree into `ProtoMessage` nodes: values in field-number order,
/// map entries sorted by key without duplicates and with absent keys and values as defaults.
struct ProtoFlattener {
    let program: ProtoCodecProgram
    let fields: UnsafePointer<ProtoWriteField>
    let messages: UnsafePointer<ProtoWalkMessage>
    var nodes: [ProtoNode] = []
    var arena: [UInt8] = []

    init(program: ProtoCodecProgram) {
        self.program = program
        fields = UnsafePointer(program.writeFields)
        messages = UnsafePointer(program.walkMessages)
    }

    /// The fields of `m`.
    mutating func message(_ m: ProtoDynamicMessage) throws(ProtobufError) {
        let layout = messages[m.type]
        let n = min(m.slots.count, Int(layout.count))
        for fi in 0..<n {
            guard let values = m.slots[fi] else { continue }
            let global = Int(layout.first) &+ fi
            guard global < ProtoNode.fieldLimit else {
                throw ProtobufError(.limitExceeded, "the schema has too many fields for an in-memory message")
            }
            let index = Int32(truncatingIfNeeded: global)
            let f = fields[global]
            switch f.shape {
            case .singular:
                if let v = values.last { try value(v, index) }
            case .repeated:
                for v in values { try value(v, index) }
            case .packed:
                if values.isEmpty { continue }
                let header = nodes.count
                nodes.append(ProtoNode(field: index, kind: .packed, aux: 0))
                for v in values { try value(v, index) }
                try close(header)
            case .map:
                try map(values, index, f)
            }
        }
    }

    /// Sets the node count of the sub-message or packed field whose node is at `header`.
    mutating func close(_ header: Int) throws(ProtobufError) {
        let inside = nodes.count &- header &- 1
        guard inside <= Int(UInt32.max) else {
            throw ProtobufError(.limitExceeded, "a sub-message holds too many values for an in-memory message")
        }
        nodes[header].word = nodes[header].word & 0xFFFF_FFFF | UInt64(inside) << 32
    }

    /// One value as a node (a sub-message followed by its own nodes).
    mutating func value(_ v: ProtoValue, _ field: Int32) throws(ProtobufError) {
        switch v {
        case .int(let x): scalar(UInt64(bitPattern: x), field)
        case .uint(let x): scalar(x, field)
        case .bool(let b): scalar(b ? 1 : 0, field)
        case .enumValue(let x): scalar(UInt64(bitPattern: Int64(x)), field)
        case .float(let x): scalar(UInt64(x.bitPattern), field)
        case .double(let x): scalar(x.bitPattern, field)
        case .string(let b), .bytes(let b):
            guard b.count <= Int(UInt32.max) else {
                throw ProtobufError(.limitExceeded, "a value of \(b.count) bytes is too long for an in-memory message")
            }
            nodes.append(ProtoNode(field: field, kind: .bytes, aux: UInt32(truncatingIfNeeded: b.count)))
            arena.append(contentsOf: b)
        case .message(let m):
            let header = nodes.count
            nodes.append(ProtoNode(field: field, kind: .message, aux: 0))
            try message(m)
            try close(header)
        }
    }

    mutating func scalar(_ bits: UInt64, _ field: Int32) {
        if bits <= UInt64(UInt32.max) {
            nodes.append(ProtoNode(field: field, kind: .scalar32, aux: UInt32(truncatingIfNeeded: bits)))
        } else if Int64(bitPattern: bits) < 0 && Int64(bitPattern: bits) >= Int64(Int32.min) {
            nodes.append(ProtoNode(field: field, kind: .negative32, aux: UInt32(truncatingIfNeeded: bits)))
        } else {
            nodes.append(ProtoNode(field: field, kind: .scalar64, aux: 0))
            nodes.append(ProtoNode(word: bits))
        }
    }

    /// A field's default value (an absent map key or value).
    mutating func defaultValue(_ field: Int32) throws(ProtobufError) {
        let f = fields[Int(field)]
        switch f.type {
        case .message:
            try value(.message(ProtoDynamicMessage(type: Int(f.message), fieldCount: 0, offset: 0)), field)
        case .string, .bytes:
            nodes.append(ProtoNode(field: field, kind: .bytes, aux: 0))
        default:
            scalar(0, field)
        }
    }

    // MARK: Maps

    /// A map entry's key (nil when the entry has none: the key type's default).
    private static func key(_ entry: ProtoValue, _ f: ProtoWriteField) -> ProtoValue? {
        guard case .message(let m) = entry, f.mapKey >= 0, Int(f.mapKey) < m.slots.count else { return nil }
        return m.slots[Int(f.mapKey)]?.last
    }

    /// Protobuf's deterministic key order (absent keys are the default: 0, false or empty).
    static func keyPrecedes(_ a: ProtoValue?, _ b: ProtoValue?) -> Bool {
        switch a ?? b {
        case .int?: return signed(a) < signed(b)
        case .uint?: return unsigned(a) < unsigned(b)
        case .bool?: return !flag(a) && flag(b)
        default: return text(a).lexicographicallyPrecedes(text(b))
        }
    }

    private static func signed(_ v: ProtoValue?) -> Int64 {
        if case .int(let x)? = v { return x }
        return 0
    }

    private static func unsigned(_ v: ProtoValue?) -> UInt64 {
        if case .uint(let x)? = v { return x }
        return 0
    }

    private static func flag(_ v: ProtoValue?) -> Bool {
        if case .bool(let x)? = v { return x }
        return false
    }

    private static func text(_ v: ProtoValue?) -> [UInt8] {
        if case .string(let b)? = v { return b }
        return []
    }

    /// The entries sorted by key, the last of equal keys kept; each as an entry node, its key and its value.
    mutating func map(_ entries: [ProtoValue], _ field: Int32, _ f: ProtoWriteField) throws(ProtobufError) {
        let keys = entries.map { Self.key($0, f) }
        // Sorted by key, then by position, so that the last of equal keys comes last among them.
        let order = entries.indices.sorted { x, y in
            if Self.keyPrecedes(keys[x], keys[y]) { return true }
            if Self.keyPrecedes(keys[y], keys[x]) { return false }
            return x < y
        }
        guard f.message >= 0 else { return }
        let layout = messages[Int(f.message)]
        for (k, current) in order.enumerated() {
            if k &+ 1 < order.count && !Self.keyPrecedes(keys[current], keys[order[k &+ 1]]) { continue }
            guard case .message(let m) = entries[current] else { continue }
            let header = nodes.count
            nodes.append(ProtoNode(field: field, kind: .message, aux: 0))
            for local in [f.mapKey, f.mapValue] where local >= 0 && local < layout.count {
                let index = layout.first &+ local
                if Int(local) < m.slots.count, let v = m.slots[Int(local)]?.last {
                    try value(v, index)
                } else {
                    try defaultValue(index)
                }
            }
            try close(header)
        }
    }
}
