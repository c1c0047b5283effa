import JSONSupport
import ProtobufSchema

/// Prints proto3 JSON straight from the bytes, without building a `ProtoDynamicMessage`, for the
/// common payload that needs no merging: known fields in increasing number order, each singular field
/// and each oneof at most once, repeated fields in one run, map keys distinct, no groups, no
/// well-known types. Anything else (and anything wrong) returns nil, and the caller takes the general
/// path (`ProtoMessageDecoder` + `ProtoJSONPrinter`), which gives the same JSON or the located error.
/// So this path never throws and never has to reproduce an error.
struct ProtoDirectPrinter {
    let program: ProtoCodecProgram
    let p: UnsafePointer<UInt8>
    let limits: ProtoCodecLimits

    /// Small maps check their keys for duplicates by a linear scan; larger ones take the general path.
    static let maxDirectMapEntries = 32

    func message(_ mi: Int, start: Int, end: Int, depth: Int) -> JSONValue? {
        let plan = program.messages[mi]
        if plan.wellKnown != nil || plan.oneofs.count > 64 { return nil }
        var members: [JSONMember] = []
        members.reserveCapacity(plan.fields.count)
        var pos = start
        var lastNumber: UInt32 = 0
        var oneofSeen: UInt64 = 0
        // The repeated field being collected (its plan index), and its values so far.
        var runField = -1
        var run: [JSONValue] = []
        while pos < end {
            guard let tag = try? ProtoWire.tag(p, &pos, end) else { return nil }
            let wireType = UInt8(truncatingIfNeeded: tag & 7)
            let number = tag >> 3
            if wireType == 4 { return nil }
            guard let fi = plan.fieldIndex(number: number) else {
                guard (try? ProtoWire.skipUnknown(p, &pos, end, tag: tag, depth: depth, maxDepth: limits.maxDepth)) != nil
                else { return nil }
                continue
            }
            let field = plan.fields[fi]
            if number < lastNumber || (number == lastNumber && !field.isRepeated) { return nil }
            if number != lastNumber && runField >= 0 {
                if !run.isEmpty { members.append(JSONMember(plan.fields[runField].jsonName, Self.collection(plan.fields[runField], run))) }
                run = []
                runField = -1
            }
            lastNumber = number
            if field.isDelimited { return nil }
            if wireType != field.wireType {
                if wireType == 2 && field.isRepeated && field.type.isPackable {
                    guard let n = try? ProtoWire.length(p, &pos, end) else { return nil }
                    let blockEnd = pos &+ n
                    runField = fi
                    while pos < blockEnd {
                        guard let v = scalar(field, pos: &pos, end: blockEnd) else { return nil }
                        if let v { run.append(v) }
                    }
                    if run.count > limits.maxCollectionCount { return nil }
                    continue
                }
                guard (try? ProtoWire.skipUnknown(p, &pos, end, tag: tag, depth: depth, maxDepth: limits.maxDepth)) != nil
                else { return nil }
                continue
            }
            if field.isRepeated {
                runField = fi
                if field.isMap {
                    guard let entry = mapEntry(field, pos: &pos, end: end, depth: depth) else { return nil }
                    if let entry {
                        if run.count >= Self.maxDirectMapEntries { return nil }
                        // run holds [key, value] pairs flattened as .array for the duration of the run.
                        for case .array(let pair) in run where pair.first == entry.key { return nil }
                        run.append(.array([entry.key, entry.value]))
                    }
                } else if field.type == .message {
                    guard let v = child(field, pos: &pos, end: end, depth: depth) else { return nil }
                    run.append(v)
                } else {
                    guard let v = scalar(field, pos: &pos, end: end) else { return nil }
                    if let v { run.append(v) }
                }
                if run.count > limits.maxCollectionCount { return nil }
                continue
            }
            let value: JSONValue
            if field.type == .message {
                guard let v = child(field, pos: &pos, end: end, depth: depth) else { return nil }
                value = v
            } else {
                let start = pos
                guard let read = scalar(field, pos: &pos, end: end) else { return nil }
                // A closed enum's undeclared number leaves the field unset.
                guard let v = read else { continue }
                if !field.hasPresence && isDefault(field, from: start, end: end) { continue }
                value = v
            }
            if field.oneof >= 0 {
                let bit: UInt64 = 1 &<< UInt64(field.oneof)
                if oneofSeen & bit != 0 { return nil }
                oneofSeen |= bit
            }
            members.append(JSONMember(field.jsonName, value))
        }
        if pos != end { return nil }
        if runField >= 0 && !run.isEmpty {
            members.append(JSONMember(plan.fields[runField].jsonName, Self.collection(plan.fields[runField], run)))
        }
        return .object(JSONObject(members))
    }

    /// A repeated field's JSON: an array, or for a map the object of its collected pairs.
    private static func collection(_ field: ProtoFieldPlan, _ run: [JSONValue]) -> JSONValue {
        guard field.isMap else { return .array(run) }
        var members: [JSONMember] = []
        members.reserveCapacity(run.count)
        for case .array(let pair) in run where pair.count == 2 {
            if case .string(let key) = pair[0] { members.append(JSONMember(key, pair[1])) }
        }
        return .object(JSONObject(members))
    }

    /// Whether the scalar just read from `start` is its type's default (zero bits, empty bytes).
    /// (Varints are read again: a zero may be written in more than one byte, and 32-bit types drop
    /// the high bits.)
    private func isDefault(_ field: ProtoFieldPlan, from start: Int, end: Int) -> Bool {
        switch field.type.wireType {
        case 1: return UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self) == 0
        case 5: return UnsafeRawPointer(p + start).loadUnaligned(as: UInt32.self) == 0
        default:
            var at = start
            guard let raw = try? ProtoWire.varint(p, &at, end) else { return false }
            switch field.type {
            case .int32, .uint32, .sint32, .enumeration: return UInt32(truncatingIfNeeded: raw) == 0
            default: return raw == 0
            }
        }
    }

    /// A length-delimited sub-message (never a well-known type here).
    private func child(_ field: ProtoFieldPlan, pos: inout Int, end: Int, depth: Int) -> JSONValue? {
        guard depth &+ 1 < limits.maxDepth, let n = try? ProtoWire.length(p, &pos, end) else { return nil }
        let childEnd = pos &+ n
        guard let v = message(field.message, start: pos, end: childEnd, depth: depth &+ 1) else { return nil }
        pos = childEnd
        return v
    }

    /// One map entry as (key text, value); `.some(nil)` when the entry has unknown fields (it is then
    /// an unknown field of the parent); nil for the general path.
    private func mapEntry(
        _ field: ProtoFieldPlan, pos: inout Int, end: Int, depth: Int
    ) -> (key: JSONValue, value: JSONValue)?? {
        guard depth &+ 1 < limits.maxDepth, let n = try? ProtoWire.length(p, &pos, end) else { return nil }
        let entryEnd = pos &+ n
        let entry = program.messages[field.message]
        guard entry.fields.count == 2, entry.fields[0].number == 1, entry.fields[1].number == 2 else { return nil }
        let keyField = entry.fields[0]
        let valueField = entry.fields[1]
        var key: JSONValue?
        var value: JSONValue?
        var unknown = false
        var at = pos
        while at < entryEnd {
            guard let tag = try? ProtoWire.tag(p, &at, entryEnd) else { return nil }
            let wireType = UInt8(truncatingIfNeeded: tag & 7)
            if wireType == 4 { return nil }
            let number = tag >> 3
            if number == 1 && wireType == keyField.wireType {
                if key != nil { return nil }
                guard let k = scalar(keyField, pos: &at, end: entryEnd) else { return nil }
                guard let k else { return nil }
                key = k
            } else if number == 2 && wireType == valueField.wireType {
                if value != nil { return nil }
                if valueField.type == .message {
                    if valueField.isDelimited || program.messages[valueField.message].wellKnown != nil { return nil }
                    guard let v = child(valueField, pos: &at, end: entryEnd, depth: depth &+ 1) else { return nil }
                    value = v
                } else {
                    guard let v = scalar(valueField, pos: &at, end: entryEnd) else { return nil }
                    if let v { value = v } else { unknown = true }
                }
            } else {
                guard (try? ProtoWire.skipUnknown(p, &at, entryEnd, tag: tag, depth: depth &+ 1, maxDepth: limits.maxDepth)) != nil
                else { return nil }
                unknown = true
            }
        }
        if at != entryEnd { return nil }
        pos = entryEnd
        if unknown { return .some(nil) }
        let keyText: String
        switch key {
        case .string(let s)?: keyText = s
        case .number(let n)?: keyText = n.text
        case .bool(let b)?: keyText = b ? "true" : "false"
        case nil: keyText = keyField.type == .bool ? "false" : (keyField.type == .string ? "" : "0")
        default: return nil
        }
        if let value { return (.string(keyText), value) }
        guard let v = try? ProtoJSONPrinter(program: program, limits: limits).defaultJSON(valueField, depth: depth) else {
            return nil
        }
        return (.string(keyText), v)
    }

    /// One scalar as JSON; `.some(nil)` for a closed enum's undeclared number; nil for the general path.
    @inline(__always)
    private func scalar(_ field: ProtoFieldPlan, pos: inout Int, end: Int) -> JSONValue?? {
        do throws(ProtobufError) {
            switch field.type {
            case .int64, .sint64:
                var raw = try ProtoWire.varint(p, &pos, end)
                if field.type == .sint64 { raw = (raw >> 1) ^ (0 &- (raw & 1)) }
                return .string(String(Int64(bitPattern: raw)))
            case .uint64: return .string(String(try ProtoWire.varint(p, &pos, end)))
            case .int32: return .integer(Int32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end)))
            case .uint32: return .integer(UInt32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end)))
            case .sint32:
                let raw = UInt32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))
                return .integer(Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
            case .bool: return .bool(try ProtoWire.varint(p, &pos, end) != 0)
            case .enumeration:
                let v = Int32(truncatingIfNeeded: try ProtoWire.varint(p, &pos, end))
                let e = program.enums[field.enumIndex]
                if let name = e.nameByNumber[v] { return e.isNullValue ? .null : .string(name) }
                if e.isClosed { return .some(nil) }
                return e.isNullValue ? .null : .integer(v)
            case .fixed64: return .string(String(try ProtoWire.fixed64(p, &pos, end)))
            case .sfixed64: return .string(String(Int64(bitPattern: try ProtoWire.fixed64(p, &pos, end))))
            case .double: return ProtoJSONPrinter.double(Double(bitPattern: try ProtoWire.fixed64(p, &pos, end)))
            case .fixed32: return .integer(try ProtoWire.fixed32(p, &pos, end))
            case .sfixed32: return .integer(Int32(bitPattern: try ProtoWire.fixed32(p, &pos, end)))
            case .float: return ProtoJSONPrinter.float(Float(bitPattern: try ProtoWire.fixed32(p, &pos, end)))
            case .string:
                let n = try ProtoWire.length(p, &pos, end)
                let bytes = UnsafeBufferPointer(start: p + pos, count: n)
                // JSON needs UTF-8 whether or not the field asks for the check.
                guard ProtoUTF8.isValid(UnsafeRawBufferPointer(bytes)) else { return nil }
                pos &+= n
                return .string(String(decoding: bytes, as: UTF8.self))
            case .bytes:
                let n = try ProtoWire.length(p, &pos, end)
                let bytes = UnsafeBufferPointer(start: p + pos, count: n)
                pos &+= n
                return .string(ProtoBase64.encode(bytes))
            case .message:
                return nil
            }
        } catch {
            return nil
        }
    }
}
