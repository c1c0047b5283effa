import CProtobufC
import Foundation
import JSONSupport
import ProtobufSchema
import SwiftProtobuf

/// protobuf-c driven in-process on descriptors from `ProtoCDescriptors`: builds its C structs from
/// proto3 JSON and packs them, and unpacks bytes and reads the structs back into proto3 JSON.
///
/// Every protobuf-c allocation goes through this object's own counting allocator, so `liveBytes`
/// must be back to zero once each call returns (checked by the tests).
final class ProtoCMessages {
    let descriptors: ProtoCDescriptors
    private let stats: UnsafeMutablePointer<cpbc_alloc_stats>
    let allocator: UnsafeMutablePointer<ProtobufCAllocator>

    init(schema: ProtoSchema) throws(ProtoCBridgeError) {
        descriptors = try ProtoCDescriptors(schema: schema)
        stats = .allocate(capacity: 1)
        stats.initialize(to: cpbc_alloc_stats())
        allocator = .allocate(capacity: 1)
        allocator.initialize(to: cpbc_counting_allocator(stats))
    }

    deinit {
        allocator.deallocate()
        stats.deallocate()
    }

    /// Bytes protobuf-c holds right now (zero between calls).
    var liveBytes: Int64 { stats.pointee.live_bytes }
    /// Allocations protobuf-c has made so far (shows the counter really sees them).
    var totalAllocations: Int64 { stats.pointee.total_blocks }

    private func message(_ name: String) throws(ProtoCBridgeError) -> (UnsafePointer<ProtobufCMessageDescriptor>, ProtoMessageType) {
        guard let descriptor = descriptors.descriptor(name),
              let type = descriptors.schema.pool.messages[ProtoCDescriptors.trimmed(name)]
        else { throw ProtoCBridgeError("no message \(name)") }
        return (descriptor, type)
    }

    // MARK: - Pack

    /// Builds the C struct for `json` and packs it; checks get_packed_size agrees with pack.
    func pack(_ json: JSONValue, as name: String) throws(ProtoCBridgeError) -> [UInt8] {
        let (descriptor, type) = try message(name)
        guard let built = cpbc_message_new(descriptor, allocator) else { throw ProtoCBridgeError("out of memory") }
        defer { protobuf_c_message_free_unpacked(built, allocator) }
        try fill(built, type: type, from: json)
        var length = 0
        guard let buffer = cpbc_pack(built, &length) else {
            throw ProtoCBridgeError("protobuf_c_message_pack wrote other than get_packed_size bytes")
        }
        defer { free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: length))
    }

    private func fill(_ target: UnsafeMutablePointer<ProtobufCMessage>, type: ProtoMessageType, from json: JSONValue) throws(ProtoCBridgeError) {
        guard case .object(let object) = json else { throw ProtoCBridgeError("\(type.fullName): not an object") }
        let descriptor = target.pointee.descriptor
        for member in object.members where !member.value.isNull {
            guard let field = type.descriptor.field.first(where: { $0.jsonName == member.key || $0.name == member.key }),
                  let cField = protobuf_c_message_descriptor_get_field(descriptor, UInt32(bitPattern: field.number))
            else { throw ProtoCBridgeError("\(type.fullName): no field \(member.key)") }
            guard let slot = cpbc_member(target, cField) else { throw ProtoCBridgeError("\(field.name): no slot") }
            let quantifier = cpbc_quantifier(target, cField)
            if cField.pointee.label == PROTOBUF_C_LABEL_REPEATED {
                let items: [JSONValue]
                if let entryType = mapEntryType(field) {
                    guard case .object(let entries) = member.value else { throw ProtoCBridgeError("\(field.name): not a map") }
                    items = entries.members.map { .object(JSONObject(["key": .string($0.key), "value": $0.value])) }
                    try fillRepeated(slot, quantifier, cField, items, field: field, entryType: entryType)
                } else {
                    guard case .array(let array) = member.value else { throw ProtoCBridgeError("\(field.name): not an array") }
                    try fillRepeated(slot, quantifier, cField, array, field: field, entryType: nil)
                }
                continue
            }
            if cField.pointee.type == PROTOBUF_C_TYPE_BYTES, cField.pointee.label == PROTOBUF_C_LABEL_NONE,
               member.value == .string("") {
                continue // protobuf-c tests implicit bytes for a NULL data pointer, not a zero length
            }
            try store(member.value, at: slot, cField, field: field)
            if let quantifier {
                if cField.pointee.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0 {
                    quantifier.storeBytes(of: UInt32(bitPattern: field.number), as: UInt32.self)
                } else {
                    quantifier.storeBytes(of: Int32(1), as: Int32.self)
                }
            }
        }
    }

    private func fillRepeated(
        _ slot: UnsafeMutableRawPointer,
        _ quantifier: UnsafeMutableRawPointer?,
        _ cField: UnsafePointer<ProtobufCFieldDescriptor>,
        _ items: [JSONValue],
        field: Google_Protobuf_FieldDescriptorProto,
        entryType: ProtoMessageType?
    ) throws(ProtoCBridgeError) {
        guard !items.isEmpty, let quantifier else { return }
        let size = cpbc_element_size(Int32(bitPattern: cField.pointee.type.rawValue))
        guard let array = allocator.pointee.alloc(allocator.pointee.allocator_data, size * items.count) else {
            throw ProtoCBridgeError("out of memory")
        }
        memset(array, 0, size * items.count)
        slot.storeBytes(of: array, as: UnsafeMutableRawPointer.self)
        quantifier.storeBytes(of: items.count, as: Int.self)
        for (index, item) in items.enumerated() {
            if let entryType {
                guard let entryDescriptor = cField.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                      let entry = cpbc_message_new(entryDescriptor, allocator)
                else { throw ProtoCBridgeError("map entry") }
                (array + index * size).storeBytes(of: entry, as: UnsafeMutablePointer<ProtobufCMessage>.self)
                try fillEntry(entry, type: entryType, item)
            } else {
                try store(item, at: array + index * size, cField, field: field)
            }
        }
    }

    /// A map entry always carries both its key and its value (as protoc-generated code writes it).
    private func fillEntry(_ entry: UnsafeMutablePointer<ProtobufCMessage>, type: ProtoMessageType, _ item: JSONValue) throws(ProtoCBridgeError) {
        guard case .object(let pair) = item, pair.members.count == 2 else { throw ProtoCBridgeError("map entry") }
        for (member, number) in zip(pair.members, [Int32(1), 2]) {
            guard let field = type.descriptor.field.first(where: { $0.number == number }),
                  let cField = protobuf_c_message_descriptor_get_field(entry.pointee.descriptor, UInt32(number))
            else { throw ProtoCBridgeError("map entry field \(number)") }
            var value = member.value
            if number == 1, case .string(let key) = value, field.type != .string {
                value = field.type == .bool ? .bool(key == "true") : .number(JSONNumber(validatedText: key))
            }
            guard let slot = cpbc_member(entry, cField) else { throw ProtoCBridgeError("map entry slot") }
            try store(value, at: slot, cField, field: field)
            cpbc_quantifier(entry, cField)?.storeBytes(of: Int32(1), as: Int32.self)
        }
    }

    private func store(
        _ value: JSONValue,
        at slot: UnsafeMutableRawPointer,
        _ cField: UnsafePointer<ProtobufCFieldDescriptor>,
        field: Google_Protobuf_FieldDescriptorProto
    ) throws(ProtoCBridgeError) {
        let bad = ProtoCBridgeError("\(field.name): cannot store \(value)")
        switch cField.pointee.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32:
            guard let number = integer(value).flatMap({ Int32(exactly: $0) }) else { throw bad }
            slot.storeBytes(of: number, as: Int32.self)
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32:
            guard let number = unsigned(value).flatMap({ UInt32(exactly: $0) }) else { throw bad }
            slot.storeBytes(of: number, as: UInt32.self)
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            guard let number = integer(value) else { throw bad }
            slot.storeBytes(of: number, as: Int64.self)
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            guard let number = unsigned(value) else { throw bad }
            slot.storeBytes(of: number, as: UInt64.self)
        case PROTOBUF_C_TYPE_FLOAT:
            guard let number = floating(value) else { throw bad }
            slot.storeBytes(of: Float(number), as: Float.self)
        case PROTOBUF_C_TYPE_DOUBLE:
            guard let number = floating(value) else { throw bad }
            slot.storeBytes(of: number, as: Double.self)
        case PROTOBUF_C_TYPE_BOOL:
            guard case .bool(let flag) = value else { throw bad }
            slot.storeBytes(of: Int32(flag ? 1 : 0), as: Int32.self)
        case PROTOBUF_C_TYPE_ENUM:
            let values = descriptors.schema.pool.enums[ProtoCDescriptors.trimmed(field.typeName)]?.descriptor.value ?? []
            if case .string(let name) = value, let match = values.first(where: { $0.name == name }) {
                slot.storeBytes(of: match.number, as: Int32.self)
            } else if let number = integer(value).flatMap({ Int32(exactly: $0) }) {
                slot.storeBytes(of: number, as: Int32.self)
            } else {
                throw bad
            }
        case PROTOBUF_C_TYPE_STRING:
            guard case .string(let text) = value, let copy = allocate(Array(text.utf8), terminated: true) else { throw bad }
            slot.storeBytes(of: copy, as: UnsafeMutableRawPointer.self)
        case PROTOBUF_C_TYPE_BYTES:
            guard case .string(let text) = value, let data = Data(base64Encoded: text) else { throw bad }
            var binary = ProtobufCBinaryData()
            binary.len = data.count
            binary.data = allocate(Array(data), terminated: false)?.assumingMemoryBound(to: UInt8.self)
            slot.storeBytes(of: binary, as: ProtobufCBinaryData.self)
        case PROTOBUF_C_TYPE_MESSAGE:
            guard let childDescriptor = cField.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                  let childType = descriptors.schema.pool.messages[ProtoCDescriptors.trimmed(field.typeName)],
                  let child = cpbc_message_new(childDescriptor, allocator)
            else { throw bad }
            slot.storeBytes(of: child, as: UnsafeMutablePointer<ProtobufCMessage>.self)
            try fill(child, type: childType, from: value)
        default:
            throw bad
        }
    }

    private func allocate(_ bytes: [UInt8], terminated: Bool) -> UnsafeMutableRawPointer? {
        let count = bytes.count + (terminated ? 1 : 0)
        guard count > 0, let memory = allocator.pointee.alloc(allocator.pointee.allocator_data, count) else { return nil }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { memory.copyMemory(from: base, byteCount: source.count) }
        }
        if terminated { memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self) }
        return memory
    }

    private func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let number): Int64(number.text)
        case .string(let text): Int64(text)
        default: nil
        }
    }

    private func unsigned(_ value: JSONValue) -> UInt64? {
        switch value {
        case .number(let number): UInt64(number.text)
        case .string(let text): UInt64(text)
        default: nil
        }
    }

    private func floating(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number.doubleValue
        case .string("NaN"): .nan
        case .string("Infinity"): .infinity
        case .string("-Infinity"): -.infinity
        case .string(let text): Double(text)
        default: nil
        }
    }

    func mapEntryType(_ field: Google_Protobuf_FieldDescriptorProto) -> ProtoMessageType? {
        guard field.label == .repeated, field.type == .message,
              let type = descriptors.schema.pool.messages[ProtoCDescriptors.trimmed(field.typeName)],
              type.descriptor.options.mapEntry
        else { return nil }
        return type
    }
}
