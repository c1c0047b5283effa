import CProtobufC
import Foundation
import JSONSupport
import ProtobufSchema
import SwiftProtobuf

extension ProtoCMessages {
    /// Whether protobuf_c_message_unpack accepts `bytes` as `name` (the message is freed again).
    func accepts(_ bytes: [UInt8], as name: String) throws(ProtoCBridgeError) -> Bool {
        guard let descriptor = descriptors.descriptor(name) else { throw ProtoCBridgeError("no message \(name)") }
        guard let message = unpack(bytes, descriptor) else { return false }
        protobuf_c_message_free_unpacked(message, allocator)
        return true
    }

    /// Unpacks `bytes` and reads the struct into proto3 JSON; nil if protobuf-c rejects the bytes.
    func unpackToJSON(_ bytes: [UInt8], as name: String) throws(ProtoCBridgeError) -> JSONValue? {
        guard let descriptor = descriptors.descriptor(name),
              let type = descriptors.schema.pool.messages[ProtoCDescriptors.trimmed(name)]
        else { throw ProtoCBridgeError("no message \(name)") }
        guard let message = unpack(bytes, descriptor) else { return nil }
        defer { protobuf_c_message_free_unpacked(message, allocator) }
        return try json(message, type: type)
    }

    private func unpack(_ bytes: [UInt8], _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> UnsafeMutablePointer<ProtobufCMessage>? {
        let storage = bytes.isEmpty ? [0] : bytes
        return storage.withUnsafeBufferPointer { buffer in
            protobuf_c_message_unpack(descriptor, allocator, bytes.count, buffer.baseAddress)
        }
    }

    private func json(_ message: UnsafeMutablePointer<ProtobufCMessage>, type: ProtoMessageType) throws(ProtoCBridgeError) -> JSONValue {
        var members: [JSONMember] = []
        for field in type.descriptor.field.sorted(by: { $0.number < $1.number }) {
            guard let cField = protobuf_c_message_descriptor_get_field(message.pointee.descriptor, UInt32(bitPattern: field.number)) else {
                throw ProtoCBridgeError("\(type.fullName): no C field \(field.number)")
            }
            let slot = cpbc_member(message, cField)
            let quantifier = cpbc_quantifier(message, cField)
            let label = cField.pointee.label
            if label == PROTOBUF_C_LABEL_REPEATED {
                guard let quantifier else { continue }
                let count = quantifier.load(as: Int.self)
                guard count > 0, let array = slot?.load(as: UnsafeMutableRawPointer?.self) else { continue }
                let size = cpbc_element_size(Int32(bitPattern: cField.pointee.type.rawValue))
                if let entryType = mapEntryType(field) {
                    var entries: [JSONMember] = []
                    for index in 0..<count {
                        let entry = (array + index * size).load(as: UnsafeMutablePointer<ProtobufCMessage>.self)
                        entries.append(try mapEntry(entry, type: entryType))
                    }
                    members.append(JSONMember(field.jsonName, .object(JSONObject(entries))))
                } else {
                    var items: [JSONValue] = []
                    for index in 0..<count {
                        items.append(try load(array + index * size, cField, field: field))
                    }
                    members.append(JSONMember(field.jsonName, .array(items)))
                }
                continue
            }
            guard let slot else { continue }
            if cField.pointee.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0 {
                guard quantifier?.load(as: UInt32.self) == UInt32(bitPattern: field.number) else { continue }
            } else if label == PROTOBUF_C_LABEL_OPTIONAL {
                switch cField.pointee.type {
                case PROTOBUF_C_TYPE_STRING:
                    let pointer = slot.load(as: UnsafeRawPointer?.self)
                    guard let pointer, pointer != cField.pointee.default_value else { continue }
                case PROTOBUF_C_TYPE_MESSAGE:
                    guard slot.load(as: UnsafeRawPointer?.self) != nil else { continue }
                default:
                    guard quantifier?.load(as: Int32.self) != 0 else { continue }
                }
            } else if label == PROTOBUF_C_LABEL_NONE, isZero(slot, cField) {
                continue
            }
            members.append(JSONMember(field.jsonName, try load(slot, cField, field: field)))
        }
        return .object(JSONObject(members))
    }

    /// An implicit-presence field at its zero value (by bits: negative zero is present), as proto3 JSON omits it.
    private func isZero(_ slot: UnsafeMutableRawPointer, _ cField: UnsafePointer<ProtobufCFieldDescriptor>) -> Bool {
        switch cField.pointee.type {
        case PROTOBUF_C_TYPE_STRING:
            return slot.load(as: UnsafePointer<CChar>?.self).map { $0.pointee == 0 } ?? true
        case PROTOBUF_C_TYPE_BYTES:
            return slot.load(as: ProtobufCBinaryData.self).len == 0
        case PROTOBUF_C_TYPE_MESSAGE:
            return slot.load(as: UnsafeRawPointer?.self) == nil
        default:
            return cpbc_element_size(Int32(bitPattern: cField.pointee.type.rawValue)) == 8
                ? slot.load(as: UInt64.self) == 0 : slot.load(as: UInt32.self) == 0
        }
    }

    private func mapEntry(_ entry: UnsafeMutablePointer<ProtobufCMessage>, type: ProtoMessageType) throws(ProtoCBridgeError) -> JSONMember {
        var key = ""
        var value: JSONValue = .null
        for field in type.descriptor.field {
            guard let cField = protobuf_c_message_descriptor_get_field(entry.pointee.descriptor, UInt32(bitPattern: field.number)),
                  let slot = cpbc_member(entry, cField)
            else { throw ProtoCBridgeError("map entry") }
            var loaded: JSONValue
            if field.type == .message, slot.load(as: UnsafeRawPointer?.self) == nil {
                loaded = .object(JSONObject())
            } else if field.type == .string, slot.load(as: UnsafeRawPointer?.self) == nil {
                loaded = .string("")
            } else {
                loaded = try load(slot, cField, field: field)
            }
            if field.number == 1 {
                switch loaded {
                case .string(let text): key = text
                case .bool(let flag): key = flag ? "true" : "false"
                case .number(let number): key = number.text
                default: throw ProtoCBridgeError("map key \(loaded)")
                }
            } else {
                value = loaded
            }
        }
        return JSONMember(key, value)
    }

    private func load(
        _ slot: UnsafeMutableRawPointer,
        _ cField: UnsafePointer<ProtobufCFieldDescriptor>,
        field: Google_Protobuf_FieldDescriptorProto
    ) throws(ProtoCBridgeError) -> JSONValue {
        switch cField.pointee.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32:
            return .integer(slot.load(as: Int32.self))
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32:
            return .integer(slot.load(as: UInt32.self))
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            return .string(String(slot.load(as: Int64.self)))
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            return .string(String(slot.load(as: UInt64.self)))
        case PROTOBUF_C_TYPE_FLOAT:
            return Self.floatingJSON(Double(slot.load(as: Float.self)))
        case PROTOBUF_C_TYPE_DOUBLE:
            return Self.floatingJSON(slot.load(as: Double.self))
        case PROTOBUF_C_TYPE_BOOL:
            return .bool(slot.load(as: Int32.self) != 0)
        case PROTOBUF_C_TYPE_ENUM:
            let number = slot.load(as: Int32.self)
            let values = descriptors.schema.pool.enums[ProtoCDescriptors.trimmed(field.typeName)]?.descriptor.value ?? []
            return values.first(where: { $0.number == number }).map { .string($0.name) } ?? .integer(number)
        case PROTOBUF_C_TYPE_STRING:
            guard let pointer = slot.load(as: UnsafePointer<CChar>?.self) else { return .string("") }
            return .string(String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self))
        case PROTOBUF_C_TYPE_BYTES:
            let binary = slot.load(as: ProtobufCBinaryData.self)
            guard let data = binary.data, binary.len > 0 else { return .string("") }
            return .string(Data(UnsafeBufferPointer(start: data, count: binary.len)).base64EncodedString())
        case PROTOBUF_C_TYPE_MESSAGE:
            guard let child = slot.load(as: UnsafeMutablePointer<ProtobufCMessage>?.self),
                  let childType = descriptors.schema.pool.messages[ProtoCDescriptors.trimmed(field.typeName)]
            else { return .object(JSONObject()) }
            return try json(child, type: childType)
        default:
            throw ProtoCBridgeError("\(field.name): unsupported type")
        }
    }

    static func floatingJSON(_ value: Double) -> JSONValue {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
        return .double(value)
    }
}
