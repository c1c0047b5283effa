import ProtobufSchema
import SwiftProtobuf

/// A field's type as the codec sees it (groups and delimited messages are `.message` with `isDelimited`).
enum ProtoFieldType: UInt8, Sendable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32
    case sfixed32, sfixed64, sint32, sint64, enumeration, message

    /// The wire type of one unpacked value.
    var wireType: UInt8 {
        switch self {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        case .string, .bytes, .message: 2
        default: 0
        }
    }

    /// Whether repeated fields of this type may be packed.
    var isPackable: Bool {
        switch self {
        case .string, .bytes, .message: false
        default: true
        }
    }

    /// Whether JSON writes this type as a string (the 64-bit integers).
    var isInt64Family: Bool {
        switch self {
        case .int64, .uint64, .fixed64, .sfixed64, .sint64: true
        default: false
        }
    }
}

/// The well-known types whose JSON form is special.
enum ProtoWellKnown: UInt8, Sendable {
    case any, timestamp, duration, structValue, value, listValue, fieldMask, empty
    case doubleValue, floatValue, int64Value, uint64Value, int32Value, uint32Value, boolValue, stringValue, bytesValue

    init?(fullName: String) {
        switch fullName {
        case "google.protobuf.Any": self = .any
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.Struct": self = .structValue
        case "google.protobuf.Value": self = .value
        case "google.protobuf.ListValue": self = .listValue
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Empty": self = .empty
        case "google.protobuf.DoubleValue": self = .doubleValue
        case "google.protobuf.FloatValue": self = .floatValue
        case "google.protobuf.Int64Value": self = .int64Value
        case "google.protobuf.UInt64Value": self = .uint64Value
        case "google.protobuf.Int32Value": self = .int32Value
        case "google.protobuf.UInt32Value": self = .uint32Value
        case "google.protobuf.BoolValue": self = .boolValue
        case "google.protobuf.StringValue": self = .stringValue
        case "google.protobuf.BytesValue": self = .bytesValue
        default: return nil
        }
    }

    var isWrapper: Bool { rawValue >= ProtoWellKnown.doubleValue.rawValue }
}

/// One field of a compiled message.
struct ProtoFieldPlan: Sendable {
    let number: UInt32
    /// The name in the `.proto` file (used in error paths).
    let protoName: String
    /// The JSON name: `json_name` from the descriptor, or protoc's lowerCamel rule.
    let jsonName: String
    let type: ProtoFieldType
    let isRepeated: Bool
    /// Repeated scalars written packed.
    let isPacked: Bool
    let isRequired: Bool
    /// Explicit presence: set-but-default values are kept (messages, oneof members, proto2 and proto3
    /// `optional`, editions EXPLICIT). Fields without it are absent when they hold the default.
    let hasPresence: Bool
    /// Messages written as groups (proto2 groups, editions DELIMITED).
    let isDelimited: Bool
    let verifyUTF8: Bool
    let isMap: Bool
    /// Index of the message type in `ProtoCodecProgram.messages`, or -1.
    let message: Int
    /// Index of the enum type in `ProtoCodecProgram.enums`, or -1.
    let enumIndex: Int
    /// Index of the containing real oneof in the message's `oneofs`, or -1.
    let oneof: Int
    /// Bit of this field in the message's required mask, or -1.
    let requiredBit: Int

    /// The wire type a well-formed occurrence has (packed repeated scalars also accept 2).
    var wireType: UInt8 { isDelimited ? 3 : type.wireType }
}

/// One compiled message type.
struct ProtoMessagePlan: Sendable {
    let fullName: String
    /// Fields sorted by number.
    let fields: [ProtoFieldPlan]
    /// Field index by JSON name and by proto name.
    let byName: [String: Int]
    let oneofs: [String]
    let wellKnown: ProtoWellKnown?
    let isMapEntry: Bool
    let requiredCount: Int

    /// Whether an Any holding this type writes it under "value": the well-known types whose JSON is not
    /// an object of fields. Empty is printed as a plain message (`{"@type": ...}`), as Python does.
    var usesValueInAny: Bool { wellKnown != nil && wellKnown != .empty }

    /// The index in `fields` of field `number`, if declared.
    func fieldIndex(number: UInt32) -> Int? {
        var low = 0
        var high = fields.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let n = fields[mid].number
            if n == number { return mid }
            if n < number { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}

/// One compiled enum type.
struct ProtoEnumPlan: Sendable {
    let fullName: String
    let isClosed: Bool
    /// The first declared name of each number (aliases print as the first name, like protobuf).
    let nameByNumber: [Int32: String]
    let numberByName: [String: Int32]
    var isNullValue: Bool { fullName == "google.protobuf.NullValue" }
}

/// protoc's default JSON name: underscores removed and the letter after each one upper-cased.
func protoJSONName(_ name: String) -> String {
    var out = ""
    var upperNext = false
    for ch in name {
        if ch == "_" {
            upperNext = true
        } else if upperNext {
            out += ch.uppercased()
            upperNext = false
        } else {
            out.append(ch)
        }
    }
    return out
}
