import JSONSupport
import ProtobufSchema

/// Prints decoded messages as proto3 canonical JSON, as protobuf's printers do with default options:
/// JSON names as keys, fields in field-number order, fields without presence omitted when they hold the
/// default, 64-bit integers as strings, well-known types in their special forms.
struct ProtoJSONPrinter {
    let program: ProtoCodecProgram
    let limits: ProtoCodecLimits

    func message(_ m: ProtoDynamicMessage, depth: Int) throws(ProtobufError) -> JSONValue {
        let plan = program.messages[m.type]
        if let wkt = plan.wellKnown {
            return try wellKnown(wkt, m, depth: depth)
        }
        var members: [JSONMember] = []
        members.reserveCapacity(plan.fields.count)
        for (fi, field) in plan.fields.enumerated() {
            guard let values = m.slots[fi] else { continue }
            do {
                if field.isMap {
                    if values.isEmpty { continue }
                    members.append(JSONMember(field.jsonName, try map(field, values, depth: depth)))
                } else if field.isRepeated {
                    if values.isEmpty { continue }
                    var items: [JSONValue] = []
                    items.reserveCapacity(values.count)
                    for v in values { items.append(try value(v, field, depth: depth)) }
                    members.append(JSONMember(field.jsonName, .array(items)))
                } else if let v = values.last {
                    if !field.hasPresence && Self.isDefault(v) { continue }
                    members.append(JSONMember(field.jsonName, try value(v, field, depth: depth)))
                }
            } catch {
                throw error.prefixingPath("." + field.protoName)
            }
        }
        return .object(JSONObject(members))
    }

    /// Whether a singular value is its type's default (zero bits for floating point, so -0.0 is set).
    static func isDefault(_ v: ProtoValue) -> Bool {
        switch v {
        case .int(let x): x == 0
        case .uint(let x): x == 0
        case .bool(let x): !x
        case .float(let x): x.bitPattern == 0
        case .double(let x): x.bitPattern == 0
        case .string(let x), .bytes(let x): x.isEmpty
        case .enumValue(let x): x == 0
        case .message: false
        }
    }

    /// Map entries with later duplicates of a key replacing earlier ones (kept at the first position).
    func mapEntries(_ field: ProtoFieldPlan, _ values: [ProtoValue]) -> [(key: String, entry: ProtoDynamicMessage)] {
        var out: [(key: String, entry: ProtoDynamicMessage)] = []
        var position: [String: Int] = [:]
        for v in values {
            guard case .message(let entry) = v else { continue }
            let key = mapKeyText(entry)
            if let i = position[key] {
                out[i].entry = entry
            } else {
                position[key] = out.count
                out.append((key, entry))
            }
        }
        return out
    }

    private func mapKeyText(_ entry: ProtoDynamicMessage) -> String {
        let plan = program.messages[entry.type]
        guard let ki = plan.fieldIndex(number: 1), let key = entry.slots[ki]?.last else {
            return plan.fieldIndex(number: 1).map { plan.fields[$0].type == .bool ? "false" : (plan.fields[$0].type == .string ? "" : "0") } ?? ""
        }
        switch key {
        case .int(let x): return String(x)
        case .uint(let x): return String(x)
        case .bool(let x): return x ? "true" : "false"
        case .string(let b): return String(decoding: b, as: UTF8.self)
        default: return ""
        }
    }

    private func map(_ field: ProtoFieldPlan, _ values: [ProtoValue], depth: Int) throws(ProtobufError) -> JSONValue {
        let entryPlan = program.messages[field.message]
        var members: [JSONMember] = []
        for (key, entry) in mapEntries(field, values) {
            if let ki = entryPlan.fieldIndex(number: 1), case .string(let b)? = entry.slots[ki]?.last,
                !ProtoUTF8.isValid(b.withUnsafeBytes { $0 })
            {
                throw ProtobufError(.invalidData, "map key is not valid UTF-8; JSON cannot hold it")
            }
            guard let vi = entryPlan.fieldIndex(number: 2) else { continue }
            let valueField = entryPlan.fields[vi]
            let printed: JSONValue
            do {
                if let v = entry.slots[vi]?.last {
                    printed = try value(v, valueField, depth: depth)
                } else {
                    printed = try defaultJSON(valueField, depth: depth)
                }
            } catch {
                throw error.prefixingPath("[\(JSONValue.string(key).serialized())]")
            }
            members.append(JSONMember(key, printed))
        }
        return .object(JSONObject(members))
    }

    /// The JSON of a field's default value (a map entry without its value).
    func defaultJSON(_ field: ProtoFieldPlan, depth: Int) throws(ProtobufError) -> JSONValue {
        switch field.type {
        case .message:
            let empty = ProtoDynamicMessage(
                type: field.message, fieldCount: program.messages[field.message].fields.count, offset: 0)
            return try message(empty, depth: depth + 1)
        case .enumeration: return try value(.enumValue(0), field, depth: depth)
        case .bool: return .bool(false)
        case .string, .bytes: return .string("")
        case .double, .float: return .number(JSONNumber(validatedText: "0"))
        default: return field.type.isInt64Family ? .string("0") : .integer(0)
        }
    }

    func value(_ v: ProtoValue, _ field: ProtoFieldPlan, depth: Int) throws(ProtobufError) -> JSONValue {
        switch v {
        case .int(let x): return field.type.isInt64Family ? .string(String(x)) : .integer(x)
        case .uint(let x): return field.type.isInt64Family ? .string(String(x)) : .integer(x)
        case .bool(let x): return .bool(x)
        case .float(let x): return Self.float(x)
        case .double(let x): return Self.double(x)
        case .string(let b): return .string(try Self.text(b))
        case .bytes(let b): return .string(ProtoBase64.encode(b))
        case .enumValue(let x):
            let e = program.enums[field.enumIndex]
            if e.isNullValue { return .null }
            if let name = e.nameByNumber[x] { return .string(name) }
            return .integer(x)
        case .message(let m):
            guard depth < limits.maxDepth else {
                throw ProtobufError(.limitExceeded, "nesting is deeper than \(limits.maxDepth)")
            }
            return try message(m, depth: depth + 1)
        }
    }

    static func text(_ b: [UInt8]) throws(ProtobufError) -> String {
        guard b.withUnsafeBytes({ ProtoUTF8.isValid($0) }) else {
            throw ProtobufError(.invalidData, "string is not valid UTF-8; JSON cannot hold it")
        }
        return String(decoding: b, as: UTF8.self)
    }

    static func float(_ x: Float) -> JSONValue {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x < 0 ? "-Infinity" : "Infinity") }
        return .number(JSONNumber(validatedText: x.description))
    }

    static func double(_ x: Double) -> JSONValue {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x < 0 ? "-Infinity" : "Infinity") }
        return .number(JSONNumber(double: x))
    }
}
