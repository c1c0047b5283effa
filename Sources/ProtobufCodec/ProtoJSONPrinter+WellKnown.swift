import JSONSupport
import ProtobufSchema

extension ProtoJSONPrinter {
    /// The last value of field `number` of `m`, if set.
    func field(_ m: ProtoDynamicMessage, _ number: UInt32) -> ProtoValue? {
        guard let i = program.messages[m.type].fieldIndex(number: number) else { return nil }
        return m.slots[i]?.last
    }

    func values(_ m: ProtoDynamicMessage, _ number: UInt32) -> [ProtoValue] {
        guard let i = program.messages[m.type].fieldIndex(number: number) else { return [] }
        return m.slots[i] ?? []
    }

    private func int(_ v: ProtoValue?) -> Int64 {
        switch v {
        case .int(let x)?: x
        case .uint(let x)?: Int64(truncatingIfNeeded: x)
        default: 0
        }
    }

    private func bad(_ message: String) -> ProtobufError {
        ProtobufError(.invalidValue, message)
    }

    func wellKnown(_ wkt: ProtoWellKnown, _ m: ProtoDynamicMessage, depth: Int) throws(ProtobufError) -> JSONValue {
        let plan = program.messages[m.type]
        switch wkt {
        case .timestamp:
            let (s, n) = (int(field(m, 1)), int(field(m, 2)))
            guard let text = ProtoTime.formatTimestamp(seconds: s, nanos: n) else {
                throw bad("Timestamp seconds \(s) nanos \(n) is out of range")
            }
            return .string(text)
        case .duration:
            let (s, n) = (int(field(m, 1)), int(field(m, 2)))
            guard let text = ProtoTime.formatDuration(seconds: s, nanos: n) else {
                throw bad("Duration seconds \(s) nanos \(n) is out of range or mixes signs")
            }
            return .string(text)
        case .fieldMask:
            var paths: [String] = []
            for v in values(m, 1) {
                guard case .string(let b) = v else { continue }
                guard let camel = Self.camelPath(try Self.text(b)) else {
                    throw bad("FieldMask path \"\(String(decoding: b, as: UTF8.self))\" has no JSON form")
                }
                paths.append(camel)
            }
            return .string(paths.joined(separator: ","))
        case .empty:
            return .object(JSONObject())
        case .structValue:
            guard let i = plan.fieldIndex(number: 1), let entries = m.slots[i] else { return .object(JSONObject()) }
            return try message(m, mapField: plan.fields[i], entries: entries, depth: depth)
        case .listValue:
            guard let i = plan.fieldIndex(number: 1) else { return .array([]) }
            var items: [JSONValue] = []
            for v in m.slots[i] ?? [] {
                do {
                    items.append(try value(v, plan.fields[i], depth: depth))
                } catch {
                    throw error.prefixingPath(".values[\(items.count)]")
                }
            }
            return .array(items)
        case .value:
            // The last kind set wins (a oneof); no kind prints as null, as Python's printer does.
            for (i, f) in plan.fields.enumerated().reversed() where m.slots[i] != nil && f.oneof >= 0 {
                guard let v = m.slots[i]?.last else { continue }
                if case .double(let d) = v, !d.isFinite {
                    throw bad("Value.number_value \(d) has no JSON form")
                }
                return try value(v, f, depth: depth)
            }
            return .null
        case .any:
            return try any(m, depth: depth)
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
            .stringValue, .bytesValue:
            guard let i = plan.fieldIndex(number: 1) else { return .null }
            if let v = m.slots[i]?.last { return try value(v, plan.fields[i], depth: depth) }
            return try defaultJSON(plan.fields[i], depth: depth)
        }
    }

    private func message(
        _ m: ProtoDynamicMessage, mapField: ProtoFieldPlan, entries: [ProtoValue], depth: Int
    ) throws(ProtobufError) -> JSONValue {
        var members: [JSONMember] = []
        let entryPlan = program.messages[mapField.message]
        for (key, entry) in mapEntries(mapField, entries) {
            guard let vi = entryPlan.fieldIndex(number: 2) else { continue }
            let v = entry.slots[vi]?.last
            do {
                let printed = try v.map { (x) throws(ProtobufError) in try value(x, entryPlan.fields[vi], depth: depth) } ?? .null
                members.append(JSONMember(key, printed))
            } catch {
                throw error.prefixingPath(".fields[\(JSONValue.string(key).serialized())]")
            }
        }
        return .object(JSONObject(members))
    }

    /// snake_case to lowerCamel; nil when the path would not come back unchanged (upper-case letters,
    /// or an underscore not followed by a lower-case letter).
    static func camelPath(_ path: String) -> String? {
        var out = ""
        var afterUnderscore = false
        for ch in path {
            if ch.isUppercase { return nil }
            if afterUnderscore {
                guard ch.isLowercase, ch.isASCII else { return nil }
                out += ch.uppercased()
                afterUnderscore = false
            } else if ch == "_" {
                afterUnderscore = true
            } else {
                out.append(ch)
            }
        }
        return afterUnderscore ? nil : out
    }

    private func any(_ m: ProtoDynamicMessage, depth: Int) throws(ProtobufError) -> JSONValue {
        let url: String
        switch field(m, 1) {
        case .string(let b)?: url = try Self.text(b)
        default: url = ""
        }
        var payload: [UInt8] = []
        if case .bytes(let b)? = field(m, 2) { payload = b }
        if url.isEmpty && payload.isEmpty { return .object(JSONObject()) }
        let typeName = url.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let mi = program.messageIndex[typeName] else {
            throw ProtobufError(.unknownType, "Any type \"\(url)\" is not in the schema", protoPath: ".type_url")
        }
        guard depth < limits.maxDepth else {
            throw ProtobufError(.limitExceeded, "nesting is deeper than \(limits.maxDepth)")
        }
        let inner: ProtoDynamicMessage
        do {
            inner = try ProtoMessageCodec.decodeTree(
                program: program, message: mi, bytes: payload, limits: limits, depth: depth + 1)
        } catch {
            // Offsets inside the Any's bytes are not offsets of the payload, so say it in the message.
            var wrapped = ProtobufError(
                .invalidValue,
                "Any value is not a valid \(typeName): \(error.message)"
                    + (error.offset.map { " (byte \($0) of the value)" } ?? ""),
                protoPath: ".value" + (error.protoPath ?? ""))
            wrapped.offset = nil
            throw wrapped
        }
        let printed = try message(inner, depth: depth + 1)
        var members = [JSONMember("@type", .string(url))]
        if program.messages[mi].usesValueInAny {
            members.append(JSONMember("value", printed))
        } else if case .object(let o) = printed {
            members.append(contentsOf: o.members)
        }
        return .object(JSONObject(members))
    }
}
