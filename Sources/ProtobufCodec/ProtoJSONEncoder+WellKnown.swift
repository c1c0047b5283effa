import JSONSupport
import ProtobufSchema

extension ProtoJSONEncoder {
    private func field(_ mi: Int, _ number: UInt32) throws(ProtobufError) -> ProtoFieldPlan {
        let plan = program.messages[mi]
        guard let i = plan.fieldIndex(number: number) else {
            throw ProtobufError(.invalidSchema, "\(plan.fullName) has no field \(number)", jsonPointer: "")
        }
        return plan.fields[i]
    }

    private func bad(_ message: String) -> ProtobufError {
        ProtobufError(.invalidValue, message, jsonPointer: "")
    }

    /// The special JSON forms of the well-known types.
    mutating func wellKnownBody(_ wkt: ProtoWellKnown, _ json: JSONValue, _ mi: Int, depth: Int) throws(ProtobufError) {
        switch wkt {
        case .timestamp, .duration:
            guard case .string(let text) = json else { throw kindError("a string", json) }
            let parsed = wkt == .timestamp ? ProtoTime.parseTimestamp(text) : ProtoTime.parseDuration(text)
            guard let (seconds, nanos) = parsed else {
                throw bad("\"\(text)\" is not a valid \(wkt == .timestamp ? "Timestamp" : "Duration")")
            }
            if seconds != 0 {
                tag(1, 0)
                varint(UInt64(bitPattern: seconds))
            }
            if nanos != 0 {
                tag(2, 0)
                varint(UInt64(bitPattern: nanos))
            }
        case .fieldMask:
            guard case .string(let text) = json else { throw kindError("a string", json) }
            if text.isEmpty { return }
            for path in text.split(separator: ",", omittingEmptySubsequences: false) {
                var snake = ""
                for ch in path {
                    if ch == "_" { throw bad("FieldMask path \"\(path)\" must not contain \"_\"") }
                    if ch.isUppercase {
                        snake += "_" + ch.lowercased()
                    } else {
                        snake.append(ch)
                    }
                }
                bytesField(1, snake.utf8)
            }
        case .empty:
            guard case .object(let object) = json else { throw kindError("an object", json) }
            if !object.isEmpty { throw bad("google.protobuf.Empty has no fields") }
        case .structValue:
            guard case .object = json else { throw kindError("an object", json) }
            try self.field(try field(mi, 1), json, depth: depth)
        case .listValue:
            guard case .array = json else { throw kindError("an array", json) }
            try self.field(try field(mi, 1), json, depth: depth)
        case .value:
            try value(json, mi, depth: depth)
        case .any:
            try any(json, depth: depth)
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
            .stringValue, .bytesValue:
            try scalar(try field(mi, 1), json, writeTag: true, omitDefault: true)
        }
    }

    /// google.protobuf.Value: the JSON kind picks the member of its oneof.
    private mutating func value(_ json: JSONValue, _ mi: Int, depth: Int) throws(ProtobufError) {
        switch json {
        case .null:
            tag(1, 0)
            varint(0)
        case .number(let n):
            let d = n.doubleValue
            guard d.isFinite else { throw bad("\(n.text) is out of range for a double") }
            tag(2, 1)
            fixed64(d.bitPattern)
        case .string(var s):
            tag(3, 2)
            varint(UInt64(s.utf8.count))
            s.withUTF8 { out.append(contentsOf: $0) }
        case .bool(let b):
            tag(4, 0)
            varint(b ? 1 : 0)
        case .object:
            try single(try field(mi, 5), json, omitDefault: false, depth: depth)
        case .array:
            try single(try field(mi, 6), json, omitDefault: false, depth: depth)
        }
    }

    /// google.protobuf.Any: `{"@type": url, ...fields}`, or `{"@type": url, "value": ...}` for a
    /// well-known type; the type must be in the schema.
    private mutating func any(_ json: JSONValue, depth: Int) throws(ProtobufError) {
        guard case .object(let object) = json else { throw kindError("an object", json) }
        if object.isEmpty { return }
        guard let typeValue = object["@type"] else { throw bad("Any has no \"@type\"") }
        guard case .string(let url) = typeValue else {
            throw kindError("a string", typeValue).prefixingPointer("/@type")
        }
        let typeName = url.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let inner = program.messageIndex[typeName], url.contains("/") else {
            throw ProtobufError(.unknownType, "Any type \"\(url)\" is not in the schema", jsonPointer: "/@type")
        }
        guard depth < limits.maxDepth else {
            throw ProtobufError(.limitExceeded, "nesting is deeper than \(limits.maxDepth)", jsonPointer: "")
        }
        var nested = ProtoJSONEncoder(program: program, limits: limits)
        if program.messages[inner].usesValueInAny {
            for member in object.members where member.key != "@type" && member.key != "value" {
                throw bad("Any of a well-known type has only \"@type\" and \"value\"")
                    .prefixingPointer(Self.pointerToken(member.key))
            }
            if let v = object["value"] {
                do {
                    try nested.messageBody(v, inner, depth: depth + 1)
                } catch {
                    throw error.prefixingPointer("/value")
                }
            }
        } else {
            try nested.fields(of: object.members, inner, depth: depth + 1, skipping: "@type")
        }
        bytesField(1, url.utf8)
        if !nested.out.isEmpty { bytesField(2, nested.out) }
    }
}
