import ProtobufSchema

/// One decoded value of a field.
enum ProtoValue: Sendable {
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case float(Float)
    case double(Double)
    /// A string field's bytes (checked as UTF-8 when the field requires it).
    case string([UInt8])
    case bytes([UInt8])
    case enumValue(Int32)
    case message(ProtoDynamicMessage)
}

/// A decoded message with protobuf's merge semantics applied: last value wins for singular scalars,
/// repeated values concatenate, singular sub-messages merge, setting a oneof member clears the others.
struct ProtoDynamicMessage: Sendable {
    let type: Int
    /// Per field (in the plan's order): nil when absent, one element when singular.
    var slots: [[ProtoValue]?]
    /// Where the last occurrence of this message started (for errors found after merging).
    var offset: Int

    init(type: Int, fieldCount: Int, offset: Int) {
        self.type = type
        self.slots = Array(repeating: nil, count: fieldCount)
        self.offset = offset
    }
}

/// Builds `ProtoDynamicMessage` trees from binary payloads (for JSON output and the merged
/// required-field check). Runs only on payloads that `ProtoValidator` accepted, but checks every
/// bound again instead of trusting that.
struct ProtoMessageDecoder {
    let program: ProtoCodecProgram
    let p: UnsafePointer<UInt8>
    let limits: ProtoCodecLimits

    func decode(message mi: Int, start: Int, end: Int, depth: Int) throws(ProtobufError) -> ProtoDynamicMessage {
        var message = ProtoDynamicMessage(type: mi, fieldCount: program.messages[mi].fields.count, offset: start)
        var pos = start
        try merge(into: &message, pos: &pos, end: end, depth: depth, group: 0)
        return message
    }

    /// Parses fields from `pos` on top of `message`. Returns whether it kept anything as an unknown
    /// field (an undeclared number, a mismatched wire type, a closed enum's undeclared value): a map
    /// entry with unknown fields is itself an unknown field of its parent, as in upb.
    @discardableResult
    func merge(
        into message: inout ProtoDynamicMessage, pos: inout Int, end: Int, depth: Int, group: UInt32
    ) throws(ProtobufError) -> Bool {
        let plan = program.messages[message.type]
        message.offset = pos
        var sawUnknown = false
        while true {
            if pos >= end {
                if group != 0 { throw ProtobufError(.truncatedData, "group \(group) has no end tag", offset: pos) }
                return sawUnknown
            }
            let tagStart = pos
            let tag = try ProtoWire.tag(p, &pos, end)
            let wireType = UInt8(truncatingIfNeeded: tag & 7)
            let number = tag >> 3
            if wireType == 4 {
                guard number == group else {
                    throw ProtobufError(.invalidData, "unexpected end-group tag \(number)", offset: tagStart)
                }
                return sawUnknown
            }
            guard let fi = plan.fieldIndex(number: number) else {
                try ProtoWire.skipUnknown(p, &pos, end, tag: tag, depth: depth, maxDepth: limits.maxDepth)
                sawUnknown = true
                continue
            }
            let field = plan.fields[fi]
            if wireType == field.wireType {
                do {
                    if try readValue(field, index: fi, into: &message, pos: &pos, end: end, depth: depth, number: number) {
                        sawUnknown = true
                    }
                } catch {
                    throw error.prefixingPath("." + field.protoName)
                }
            } else if wireType == 2 && field.isRepeated && field.type.isPackable {
                let n = try ProtoWire.length(p, &pos, end)
                let blockEnd = pos + n
                var values = message.slots[fi] ?? []
                while pos < blockEnd {
                    if let v = try scalar(field, pos: &pos, end: blockEnd) {
                        values.append(v)
                    } else {
                        sawUnknown = true
                    }
                    try checkCount(values.count, field)
                }
                message.slots[fi] = values
            } else {
                try ProtoWire.skipUnknown(p, &pos, end, tag: tag, depth: depth, maxDepth: limits.maxDepth)
                sawUnknown = true
            }
        }
    }

    private func checkCount(_ count: Int, _ field: ProtoFieldPlan) throws(ProtobufError) {
        if count > limits.maxCollectionCount {
            throw ProtobufError(
                .limitExceeded, "field \(field.protoName) has more than \(limits.maxCollectionCount) elements")
        }
    }

    /// Reads one occurrence into its slot; returns true when it was kept as an unknown field instead.
    private func readValue(
        _ field: ProtoFieldPlan, index fi: Int, into message: inout ProtoDynamicMessage,
        pos: inout Int, end: Int, depth: Int, number: UInt32
    ) throws(ProtobufError) -> Bool {
        let value: ProtoValue
        if field.type == .message {
            guard depth < limits.maxDepth else {
                throw ProtobufError(.limitExceeded, "nesting is deeper than \(limits.maxDepth)", offset: pos)
            }
            let childEnd: Int
            let group: UInt32
            if field.isDelimited {
                childEnd = end
                group = number
            } else {
                let n = try ProtoWire.length(p, &pos, end)
                childEnd = pos + n
                group = 0
            }
            var child: ProtoDynamicMessage
            if !field.isRepeated, let existing = message.slots[fi], case .message(let old)? = existing.first {
                child = old
            } else {
                child = ProtoDynamicMessage(
                    type: field.message, fieldCount: program.messages[field.message].fields.count, offset: pos)
            }
            let entryHasUnknown = try merge(into: &child, pos: &pos, end: childEnd, depth: depth + 1, group: group)
            if field.isMap && entryHasUnknown { return true }
            value = .message(child)
        } else {
            guard let v = try scalar(field, pos: &pos, end: end) else { return true }
            value = v
        }
        if field.isRepeated {
            var values = message.slots[fi] ?? []
            values.append(value)
            try checkCount(values.count, field)
            message.slots[fi] = values
        } else {
            if field.oneof >= 0 {
                let plan = program.messages[message.type]
                for (i, other) in plan.fields.enumerated() where other.oneof == field.oneof && i != fi {
                    message.slots[i] = nil
                }
            }
            message.slots[fi] = [value]
        }
        return false
    }

    /// One non-message value; nil for a closed enum's unknown number (protobuf keeps it as an unknown
    /// field, so the field stays as it was).
    private func scalar(_ field: ProtoFieldPlan, pos: inout Int, end: Int) throws(ProtobufError) -> ProtoValue? {
        switch field.type {
        case .int64: return .int(Int64(bitPattern: try ProtoWire.varint(p, &pos, end)))
        case .uint64: return .uint(try ProtoWire.varint(p, &pos, end))
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))))
        case .uint32: return .uint(UInt64(UInt32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))))
        case .sint32:
            let raw = UInt32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))
            return .int(Int64(Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))))
        case .sint64:
            let raw = try ProtoWire.varint(p, &pos, end)
            return .int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        case .bool: return .bool(try ProtoWire.varint(p, &pos, end) != 0)
        case .enumeration:
            let v = Int32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))
            let e = program.enums[field.enumIndex]
            if e.isClosed && e.nameByNumber[v] == nil { return nil }
            return .enumValue(v)
        case .fixed64: return .uint(try ProtoWire.fixed64(p, &pos, end))
        case .sfixed64: return .int(Int64(bitPattern: try ProtoWire.fixed64(p, &pos, end)))
        case .double: return .double(Double(bitPattern: try ProtoWire.fixed64(p, &pos, end)))
        case .fixed32: return .uint(UInt64(try ProtoWire.fixed32(p, &pos, end)))
        case .sfixed32: return .int(Int64(Int32(bitPattern: try ProtoWire.fixed32(p, &pos, end))))
        case .float: return .float(Float(bitPattern: try ProtoWire.fixed32(p, &pos, end)))
        case .string, .bytes:
            let start = pos
            let n = try ProtoWire.length(p, &pos, end)
            let bytes = Array(UnsafeBufferPointer(start: p + pos, count: n))
            if field.type == .string && field.verifyUTF8
                && !ProtoUTF8.isValid(UnsafeRawBufferPointer(start: p + pos, count: n))
            {
                throw ProtobufError(.invalidData, "string is not valid UTF-8", offset: start)
            }
            pos += n
            return field.type == .string ? .string(bytes) : .bytes(bytes)
        case .message:
            throw ProtobufError(.invalidData, "message value read as a scalar", offset: pos)
        }
    }

    /// Checks required fields on a merged tree; the error names the path of the first missing one.
    func checkRequired(_ message: ProtoDynamicMessage) throws(ProtobufError) {
        let plan = program.messages[message.type]
        for (fi, field) in plan.fields.enumerated() {
            if field.isRequired && message.slots[fi] == nil {
                throw ProtobufError(
                    .invalidData, "required field \(field.protoName) of \(plan.fullName) is missing",
                    protoPath: "", offset: message.offset)
            }
            guard field.type == .message, var values = message.slots[fi] else { continue }
            if field.isMap {
                // A later entry with the same key replaces an earlier one before anything is checked.
                values = ProtoJSONPrinter(program: program, limits: limits).mapEntries(field, values)
                    .map { .message($0.entry) }
            }
            for (i, value) in values.enumerated() {
                guard case .message(let child) = value else { continue }
                do {
                    try checkRequired(child)
                } catch {
                    throw error.prefixingPath(field.isRepeated ? ".\(field.protoName)[\(i)]" : ".\(field.protoName)")
                }
            }
        }
    }
}
