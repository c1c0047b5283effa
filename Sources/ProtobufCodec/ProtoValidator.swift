import ProtobufSchema

/// The validate-only walk: checks a payload against a compiled message without building anything.
///
/// It allocates nothing unless it fails: field lookups index the program's flat tables, required
/// fields are a bit mask per message on the stack, and error paths are built only while unwinding.
/// A sub-message occurrence that lacks required fields may be completed by a later occurrence of the
/// same field (protobuf merges them), so that case only sets `needsMergedCheck`; the caller then
/// checks required fields on the merged messages (`ProtoMessageDecoder`).
struct ProtoValidator {
    let program: ProtoCodecProgram
    let p: UnsafePointer<UInt8>
    let maxDepth: Int
    private let messages: UnsafeMutablePointer<ProtoWalkMessage>
    private let fields: UnsafeMutablePointer<ProtoWalkField>
    private let lookup: UnsafeMutablePointer<UInt16>
    /// Set when a non-root message occurrence lacked required fields.
    var needsMergedCheck = false

    init(program: ProtoCodecProgram, base: UnsafePointer<UInt8>, maxDepth: Int) {
        self.program = program
        self.p = base
        self.maxDepth = maxDepth
        self.messages = program.walkMessages
        self.fields = program.walkFields
        self.lookup = program.smallLookup
    }

    /// The walk field for `number` in message `m`, if declared.
    @inline(__always)
    private func field(_ m: ProtoWalkMessage, index mi: Int, number: UInt32) -> UnsafeMutablePointer<ProtoWalkField>? {
        if number < ProtoCodecProgram.smallLimit {
            let slot = lookup[mi &* Int(ProtoCodecProgram.smallLimit) &+ Int(number)]
            return slot == 0 ? nil : fields + (Int(m.first) &+ Int(slot) &- 1)
        }
        var low = Int(m.first)
        var high = low &+ Int(m.count) &- 1
        while low <= high {
            let mid = (low &+ high) >> 1
            let n = fields[mid].number
            if n == number { return fields + mid }
            if n < number { low = mid &+ 1 } else { high = mid &- 1 }
        }
        return nil
    }

    /// Walks message `mi` from `pos` to `end` (or to the end tag of group `group` when it is not 0).
    mutating func walk(
        message mi: Int, pos: inout Int, end: Int, depth: Int, group: UInt32, isRoot: Bool
    ) throws(ProtobufError) {
        let m = messages[mi]
        let start = pos
        var seen: UInt64 = 0
        while true {
            if pos >= end {
                if group != 0 {
                    throw ProtobufError(.truncatedData, "group \(group) has no end tag", offset: pos)
                }
                break
            }
            let tagStart = pos
            let tag = try ProtoWire.tag(p, &pos, end)
            let wireType = UInt8(truncatingIfNeeded: tag & 7)
            let number = tag >> 3
            if wireType == 4 {
                guard number == group else {
                    throw ProtobufError(
                        .invalidData,
                        group == 0
                            ? "end-group tag \(number) without a start"
                            : "end tag of group \(number) closes group \(group)",
                        offset: tagStart)
                }
                break
            }
            if wireType > 5 {
                throw ProtobufError(.invalidData, "wire type \(wireType) does not exist", offset: tagStart)
            }
            guard let f = field(m, index: mi, number: number) else {
                try skipUnknown(pos: &pos, end: end, tag: tag, depth: depth, message: mi, start: start, tagStart: tagStart)
                continue
            }
            let fw = f.pointee
            if wireType == fw.wireType {
                if fw.requiredBit != 0 { seen |= 1 &<< UInt64(fw.requiredBit &- 1) }
                switch fw.op {
                case .varint:
                    _ = try ProtoWire.varint(p, &pos, end)
                case .fixed64:
                    try ProtoWire.skip(8, &pos, end, what: "fixed64")
                case .fixed32:
                    try ProtoWire.skip(4, &pos, end, what: "fixed32")
                case .bytes:
                    let n = try ProtoWire.length(p, &pos, end)
                    pos &+= n
                case .utf8String:
                    let n = try ProtoWire.length(p, &pos, end)
                    let bytes = UnsafeRawBufferPointer(start: p + pos, count: n)
                    if !ProtoUTF8.isValid(bytes) {
                        throw try utf8Error(message: mi, start: start, tagStart: tagStart, number: number)
                    }
                    pos &+= n
                case .message:
                    let n = try ProtoWire.length(p, &pos, end)
                    let childEnd = pos &+ n
                    guard depth < maxDepth else {
                        throw ProtobufError(.limitExceeded, "nesting is deeper than \(maxDepth)", offset: tagStart)
                    }
                    do {
                        try walk(message: Int(fw.child), pos: &pos, end: childEnd, depth: depth &+ 1, group: 0, isRoot: false)
                    } catch {
                        throw error.prefixingPath(try pathComponent(message: mi, start: start, upTo: tagStart, number: number))
                    }
                case .group:
                    guard depth < maxDepth else {
                        throw ProtobufError(.limitExceeded, "nesting is deeper than \(maxDepth)", offset: tagStart)
                    }
                    do {
                        try walk(message: Int(fw.child), pos: &pos, end: end, depth: depth &+ 1, group: number, isRoot: false)
                    } catch {
                        throw error.prefixingPath(try pathComponent(message: mi, start: start, upTo: tagStart, number: number))
                    }
                }
            } else if wireType == 2 && fw.packable {
                let n = try ProtoWire.length(p, &pos, end)
                do {
                    try ProtoWire.checkPacked(p, pos, n, wireType: fw.wireType)
                } catch {
                    throw error.prefixingPath(fieldName(message: mi, number: number))
                }
                pos &+= n
            } else {
                // A declared field with another wire type is an unknown field to protobuf parsers.
                try skipUnknown(pos: &pos, end: end, tag: tag, depth: depth, message: mi, start: start, tagStart: tagStart)
            }
        }
        if seen & m.requiredMask != m.requiredMask || m.requiredOverflow {
            if isRoot && !m.requiredOverflow {
                throw missingRequired(message: mi, seen: seen, offset: pos)
            }
            needsMergedCheck = true
        }
    }

    @inline(never)
    private func utf8Error(message mi: Int, start: Int, tagStart: Int, number: UInt32) throws(ProtobufError) -> ProtobufError {
        ProtobufError(.invalidData, "string is not valid UTF-8", offset: tagStart)
            .prefixingPath(try pathComponent(message: mi, start: start, upTo: tagStart, number: number))
    }

    private func skipUnknown(
        pos: inout Int, end: Int, tag: UInt32, depth: Int, message mi: Int, start: Int, tagStart: Int
    ) throws(ProtobufError) {
        do {
            try ProtoWire.skipUnknown(p, &pos, end, tag: tag, depth: depth, maxDepth: maxDepth)
        } catch {
            throw error.prefixingPath(".#\(tag >> 3)")
        }
    }

    @inline(never)
    private func missingRequired(message mi: Int, seen: UInt64, offset: Int) -> ProtobufError {
        let plan = program.messages[mi]
        let missing = plan.fields.first { $0.requiredBit >= 0 && $0.requiredBit < 64 && seen & (1 << UInt64($0.requiredBit)) == 0 }
        let name = missing?.protoName ?? "?"
        return ProtobufError(
            .invalidData, "required field \(name) of \(plan.fullName) is missing", protoPath: "", offset: offset)
    }

    @inline(never)
    private func fieldName(message mi: Int, number: UInt32) -> String {
        let plan = program.messages[mi]
        guard let i = plan.fieldIndex(number: number) else { return ".#\(number)" }
        return "." + plan.fields[i].protoName
    }

    /// `.name` for a singular field, `.name[i]` for the `i`-th element of a repeated one, found by
    /// rescanning the message up to the failing occurrence (only on the error path).
    @inline(never)
    private func pathComponent(message mi: Int, start: Int, upTo tagStart: Int, number: UInt32) throws(ProtobufError) -> String {
        let plan = program.messages[mi]
        guard let i = plan.fieldIndex(number: number) else { return ".#\(number)" }
        let field = plan.fields[i]
        guard field.isRepeated else { return "." + field.protoName }
        var index = 0
        var pos = start
        while pos < tagStart {
            let tag = try ProtoWire.tag(p, &pos, tagStart)
            if tag >> 3 == number {
                if tag & 7 == 2 && field.type.isPackable {
                    let n = try ProtoWire.length(p, &pos, tagStart)
                    index += Self.packedCount(p, pos, n, wireType: field.type.wireType)
                    pos += n
                    continue
                }
                index += 1
            }
            if tag & 7 == 4 { break }
            try ProtoWire.skipUnknown(p, &pos, tagStart, tag: tag, depth: 0, maxDepth: Int.max)
        }
        return ".\(field.protoName)[\(index)]"
    }

    static func packedCount(_ p: UnsafePointer<UInt8>, _ pos: Int, _ n: Int, wireType: UInt8) -> Int {
        switch wireType {
        case 1: return n / 8
        case 5: return n / 4
        default:
            var count = 0
            for i in pos..<(pos + n) where p[i] < 0x80 { count += 1 }
            return count
        }
    }
}
