import JSONSupport
import ProtobufSchema

/// Encodes proto3 JSON to the binary format, field by field in field-number order.
///
/// Accepts what protobuf's JSON parsers accept by default (Python's `json_format.Parse` was the
/// reference): both field names, enum names or numbers, integers as numbers or strings, "NaN" and
/// "Infinity", base64 in either alphabet with or without padding, null for "not set". Rejects unknown
/// field names, a field given twice (under both names), two members of one oneof, and values of the
/// wrong JSON kind, with a JSON pointer to the bad value.
struct ProtoJSONEncoder {
    let program: ProtoCodecProgram
    let limits: ProtoCodecLimits
    var out: [UInt8] = []

    init(program: ProtoCodecProgram, limits: ProtoCodecLimits) {
        self.program = program
        self.limits = limits
        out.reserveCapacity(256)
    }

    mutating func encodeRoot(_ json: JSONValue, message mi: Int) throws(ProtobufError) {
        try messageBody(json, mi, depth: 0)
        if out.count > limits.maxMessageBytes {
            throw ProtobufError(
                .limitExceeded, "encoded message of \(out.count) bytes is over the limit of \(limits.maxMessageBytes)",
                jsonPointer: "")
        }
    }

    // MARK: Writing

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func tag(_ number: UInt32, _ wireType: UInt8) {
        varint(UInt64(number) << 3 | UInt64(wireType))
    }

    @inline(__always)
    mutating func fixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// Reserves one byte for a length prefix; returns where the content starts.
    @inline(__always)
    mutating func beginLength() -> Int {
        out.append(0)
        return out.count
    }

    /// Fills in the length prefix reserved by `beginLength`, widening it when the content is 128 bytes
    /// or more.
    @inline(__always)
    mutating func endLength(_ start: Int) {
        let length = out.count - start
        if length < 0x80 {
            out[start - 1] = UInt8(truncatingIfNeeded: length)
            return
        }
        var extra = 0
        var v = UInt64(length) >> 7
        while v > 0 {
            extra &+= 1
            v >>= 7
        }
        out.insert(contentsOf: repeatElement(0, count: extra), at: start)
        v = UInt64(length)
        var i = start &- 1
        while v >= 0x80 {
            out[i] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            i &+= 1
        }
        out[i] = UInt8(truncatingIfNeeded: v)
    }

    mutating func bytesField(_ number: UInt32, _ bytes: some Collection<UInt8>) {
        tag(number, 2)
        varint(UInt64(bytes.count))
        out.append(contentsOf: bytes)
    }

    // MARK: Messages

    static func pointerToken(_ key: String) -> String {
        var out = "/"
        for ch in key {
            switch ch {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(ch)
            }
        }
        return out
    }

    func kindError(_ expected: String, _ json: JSONValue) -> ProtobufError {
        ProtobufError(.invalidValue, "expected \(expected), found \(json.kindName)", jsonPointer: "")
    }

    /// Writes the fields of message `mi` from `json` (without a tag or length).
    mutating func messageBody(_ json: JSONValue, _ mi: Int, depth: Int) throws(ProtobufError) {
        let plan = program.messages[mi]
        if let wkt = plan.wellKnown {
            try wellKnownBody(wkt, json, mi, depth: depth)
            return
        }
        guard case .object(let object) = json else { throw kindError("an object for \(plan.fullName)", json) }
        try fields(of: object.members, mi, depth: depth, skipping: nil)
    }

    /// Writes the members of an object as the fields of message `mi`; `skipping` names a member that
    /// is not a field (`@type` inside an Any).
    ///
    /// Members are matched to fields first (by the next field's JSON name, else by the name table),
    /// into a stack buffer of member indexes per field, then written in field-number order.
    mutating func fields(
        of members: [JSONMember], _ mi: Int, depth: Int, skipping: String?
    ) throws(ProtobufError) {
        let plan = program.messages[mi]
        let fieldCount = plan.fields.count
        let oneofCount = plan.oneofs.count
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: fieldCount &+ oneofCount &+ 1) {
            (buffer) throws(ProtobufError) in
            guard let chosen = buffer.baseAddress else { return }
            chosen.initialize(repeating: -1, count: fieldCount &+ oneofCount)
            let oneofSet = chosen + fieldCount
            var hint = 0
            for index in members.indices {
                let key = members[index].key
                if let skipping, key == skipping { continue }
                let fi: Int
                if hint < fieldCount && plan.fields[hint].jsonName == key {
                    fi = hint
                } else if let found = plan.byName[key] {
                    fi = found
                } else {
                    throw ProtobufError(
                        .invalidValue, "\(plan.fullName) has no field named \"\(key)\"",
                        jsonPointer: Self.pointerToken(key))
                }
                hint = fi &+ 1
                if chosen[fi] >= 0 {
                    throw ProtobufError(
                        .invalidValue, "field \(plan.fields[fi].protoName) is given more than once",
                        jsonPointer: Self.pointerToken(key))
                }
                chosen[fi] = Int32(truncatingIfNeeded: index)
                let oneof = plan.fields[fi].oneof
                if oneof >= 0 && !members[index].value.isNull {
                    if oneofSet[oneof] >= 0 {
                        throw ProtobufError(
                            .invalidValue, "oneof \(plan.oneofs[oneof]) has more than one member set",
                            jsonPointer: Self.pointerToken(key))
                    }
                    oneofSet[oneof] = 1
                }
            }
            for fi in 0..<fieldCount where chosen[fi] >= 0 {
                let index = Int(chosen[fi])
                do throws(ProtobufError) {
                    try field(plan.fields[fi], members[index].value, depth: depth)
                } catch {
                    throw error.prefixingPointer(Self.pointerToken(members[index].key))
                }
            }
        }
    }

    /// Writes one field's occurrences from its JSON value.
    mutating func field(_ field: ProtoFieldPlan, _ json: JSONValue, depth: Int) throws(ProtobufError) {
        if json.isNull {
            try null(field, depth: depth)
            return
        }
        if field.isMap {
            guard case .object(let object) = json else { throw kindError("an object (map)", json) }
            try map(field, object, depth: depth)
        } else if field.isRepeated {
            guard case .array(let items) = json else { throw kindError("an array", json) }
            if items.count > limits.maxCollectionCount {
                throw ProtobufError(
                    .limitExceeded, "more than \(limits.maxCollectionCount) elements", jsonPointer: "")
            }
            if field.isPacked {
                if items.isEmpty { return }
                tag(field.number, 2)
                let start = beginLength()
                for (i, item) in items.enumerated() {
                    do throws(ProtobufError) {
                        try scalar(field, item, writeTag: false, omitDefault: false)
                    } catch {
                        throw error.prefixingPointer("/\(i)")
                    }
                }
                endLength(start)
            } else {
                for (i, item) in items.enumerated() {
                    do throws(ProtobufError) {
                        if item.isNull && !Self.acceptsNull(field, program: program) {
                            throw ProtobufError(.invalidValue, "null is not allowed in a repeated field", jsonPointer: "")
                        }
                        try single(field, item, omitDefault: false, depth: depth)
                    } catch {
                        throw error.prefixingPointer("/\(i)")
                    }
                }
            }
        } else {
            try single(field, json, omitDefault: !field.hasPresence, depth: depth)
        }
    }

    /// Whether JSON null is a value of this field's type (google.protobuf.Value and NullValue).
    static func acceptsNull(_ field: ProtoFieldPlan, program: ProtoCodecProgram) -> Bool {
        if field.type == .message { return program.messages[field.message].wellKnown == .value }
        if field.type == .enumeration { return program.enums[field.enumIndex].isNullValue }
        return false
    }

    /// null: a Value holding null_value, NullValue's only value, or "not set" for anything else.
    mutating func null(_ field: ProtoFieldPlan, depth: Int) throws(ProtobufError) {
        guard Self.acceptsNull(field, program: program), !field.isRepeated else { return }
        try single(field, .null, omitDefault: !field.hasPresence, depth: depth)
    }

    /// One value with its tag (a message, group or scalar).
    mutating func single(_ field: ProtoFieldPlan, _ json: JSONValue, omitDefault: Bool, depth: Int) throws(ProtobufError) {
        if field.type != .message {
            try scalar(field, json, writeTag: true, omitDefault: omitDefault)
            return
        }
        guard depth < limits.maxDepth else {
            throw ProtobufError(.limitExceeded, "nesting is deeper than \(limits.maxDepth)", jsonPointer: "")
        }
        if field.isDelimited {
            tag(field.number, 3)
            try messageBody(json, field.message, depth: depth + 1)
            tag(field.number, 4)
        } else {
            tag(field.number, 2)
            let start = beginLength()
            try messageBody(json, field.message, depth: depth + 1)
            endLength(start)
        }
    }

    mutating func map(_ field: ProtoFieldPlan, _ object: JSONObject, depth: Int) throws(ProtobufError) {
        let entry = program.messages[field.message]
        guard let ki = entry.fieldIndex(number: 1), let vi = entry.fieldIndex(number: 2) else { return }
        let keyField = entry.fields[ki]
        let valueField = entry.fields[vi]
        if object.count > limits.maxCollectionCount {
            throw ProtobufError(.limitExceeded, "more than \(limits.maxCollectionCount) entries", jsonPointer: "")
        }
        if keyField.type == .string && Self.stringKeysAscend(object.members) {
            // Already in the order protobuf writes and without duplicates: no key table to build.
            for member in object.members {
                do throws(ProtobufError) {
                    try mapEntry(field, keyField, valueField, key: .string(member.key), member.value, depth: depth)
                } catch {
                    throw error.prefixingPointer(Self.pointerToken(member.key))
                }
            }
            return
        }
        var keyed: [(key: ProtoMapKey, member: JSONMember)] = []
        keyed.reserveCapacity(object.count)
        for member in object.members {
            let key: ProtoMapKey
            do throws(ProtobufError) {
                key = try ProtoMapKey(member.key, keyField.type)
            } catch {
                throw error.prefixingPointer(Self.pointerToken(member.key))
            }
            if keyed.contains(where: { $0.key == key }) {
                throw ProtobufError(.invalidValue, "map key \"\(member.key)\" is given more than once",
                    jsonPointer: Self.pointerToken(member.key))
            }
            keyed.append((key, member))
        }
        keyed.sort { $0.key < $1.key }
        for (key, member) in keyed {
            do throws(ProtobufError) {
                try mapEntry(field, keyField, valueField, key: key, member.value, depth: depth)
            } catch {
                throw error.prefixingPointer(Self.pointerToken(member.key))
            }
        }
    }

    @inline(__always)
    private mutating func mapEntry(
        _ field: ProtoFieldPlan, _ keyField: ProtoFieldPlan, _ valueField: ProtoFieldPlan,
        key: ProtoMapKey, _ value: JSONValue, depth: Int
    ) throws(ProtobufError) {
        if value.isNull && !Self.acceptsNull(valueField, program: program) {
            throw ProtobufError(.invalidValue, "null is not allowed as a map value", jsonPointer: "")
        }
        tag(field.number, 2)
        let start = beginLength()
        key.write(into: &self, field: keyField)
        try single(valueField, value, omitDefault: false, depth: depth)
        endLength(start)
    }

    /// Whether the keys are in strictly ascending UTF-8 order (so sorted and distinct).
    static func stringKeysAscend(_ members: [JSONMember]) -> Bool {
        var i = 1
        while i < members.count {
            if !members[i &- 1].key.utf8.lexicographicallyPrecedes(members[i].key.utf8) { return false }
            i &+= 1
        }
        return true
    }
}

extension ProtobufError {
    /// The same error with `token` put in front of its JSON pointer (used while unwinding).
    @inline(never)
    func prefixingPointer(_ token: String) -> ProtobufError {
        var copy = self
        copy.jsonPointer = token + (jsonPointer ?? "")
        return copy
    }
}
