// Shared by the differential tests and accord-bench (Sources/accord-bench/ProtoCDescriptors.swift is a
// symbolic link to this file), so both drive protobuf-c through exactly the same descriptors.
import CProtobufC
import ProtobufSchema
import SwiftProtobuf

/// Why a schema cannot be handed to protobuf-c, or protobuf-c failed.
struct ProtoCBridgeError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// protobuf-c message descriptors for every message of a schema, built at run time by the C shim
/// (`cpbc_descriptor_new`) from our FileDescriptorProtos: labels and presence, packing, oneofs, defaults,
/// and message-typed fields linked to each other. Owns the descriptors and frees them in `deinit`.
///
/// Groups and delimited encoding are refused: protobuf-c cannot read or write them.
final class ProtoCDescriptors {
    let schema: ProtoSchema
    private var descriptors: [String: UnsafeMutablePointer<ProtobufCMessageDescriptor>] = [:]

    init(schema: ProtoSchema) throws(ProtoCBridgeError) {
        self.schema = schema
        let names = schema.pool.messages.keys.sorted()
        for name in names {
            guard let type = schema.pool.messages[name] else { continue }
            descriptors[name] = try Self.makeDescriptor(type, schema: schema)
        }
        for name in names {
            guard let type = schema.pool.messages[name], let descriptor = descriptors[name] else { continue }
            for field in type.descriptor.field where field.type == .message {
                let target = Self.trimmed(field.typeName)
                guard let linked = descriptors[target],
                      cpbc_descriptor_link(descriptor, UInt32(bitPattern: field.number), linked) == 0
                else { throw ProtoCBridgeError("\(name).\(field.name): cannot link \(target)") }
            }
        }
    }

    deinit {
        for descriptor in descriptors.values {
            cpbc_descriptor_free(descriptor)
        }
    }

    /// The descriptor of a message by full name (with or without a leading dot).
    func descriptor(_ name: String) -> UnsafePointer<ProtobufCMessageDescriptor>? {
        descriptors[Self.trimmed(name)].map { UnsafePointer($0) }
    }

    static func trimmed(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    // MARK: - Specs

    private struct Spec {
        var name: String
        var number: UInt32
        var label: ProtobufCLabel
        var type: ProtobufCType
        var packed: Bool
        var oneof: Int32
        var defaultBytes: [UInt8]?
    }

    private static func makeDescriptor(
        _ type: ProtoMessageType,
        schema: ProtoSchema
    ) throws(ProtoCBridgeError) -> UnsafeMutablePointer<ProtobufCMessageDescriptor> {
        let message = type.descriptor
        let file = schema.pool.files[type.fileIndex]
        let syntax = ProtoSyntax(file)
        // Real oneofs only (proto3 `optional` makes synthetic ones), renumbered from zero.
        var oneofNumbers: [Int32: Int32] = [:]
        for field in message.field where field.hasOneofIndex && !field.proto3Optional {
            if oneofNumbers[field.oneofIndex] == nil {
                oneofNumbers[field.oneofIndex] = Int32(oneofNumbers.count)
            }
        }
        var specs: [Spec] = []
        for field in message.field {
            let cType = try cType(field, syntax: syntax, file: file, message: message, name: type.fullName)
            let oneof = field.hasOneofIndex && !field.proto3Optional ? oneofNumbers[field.oneofIndex] ?? -1 : -1
            let label: ProtobufCLabel
            switch field.label {
            case .repeated: label = PROTOBUF_C_LABEL_REPEATED
            case .required: label = PROTOBUF_C_LABEL_REQUIRED
            default:
                if case .editions = syntax, field.options.features.fieldPresence == .legacyRequired {
                    label = PROTOBUF_C_LABEL_REQUIRED
                } else if message.options.mapEntry || oneof >= 0 || field.proto3Optional || field.type == .message
                    || explicitPresence(field, syntax: syntax, file: file, message: message) {
                    // Map entries always carry key and value: protobuf-c writes optional members when set.
                    label = PROTOBUF_C_LABEL_OPTIONAL
                } else {
                    label = PROTOBUF_C_LABEL_NONE
                }
            }
            specs.append(Spec(
                name: field.name,
                number: UInt32(bitPattern: field.number),
                label: label,
                type: cType,
                packed: field.label == .repeated && isPacked(field, type: cType, syntax: syntax, file: file, message: message),
                oneof: oneof,
                defaultBytes: field.hasDefaultValue ? try defaultBytes(field, type: cType, schema: schema) : nil
            ))
        }

        // One buffer of NUL-terminated names and one of default values, pointed into by the C specs.
        var names: [CChar] = []
        var nameStarts: [Int] = []
        var defaults: [UInt8] = [0]
        var defaultStarts: [Int?] = []
        for spec in specs {
            nameStarts.append(names.count)
            names.append(contentsOf: spec.name.utf8.map { CChar(bitPattern: $0) })
            names.append(0)
            defaultStarts.append(spec.defaultBytes.map { bytes in
                defer { defaults.append(contentsOf: bytes) }
                return defaults.count
            })
        }
        let created = type.fullName.withCString { fullName in
            names.withUnsafeBufferPointer { nameBuffer in
                defaults.withUnsafeBufferPointer { defaultBuffer in
                    var cSpecs: [cpbc_field_spec] = []
                    for (index, spec) in specs.enumerated() {
                        var cSpec = cpbc_field_spec()
                        cSpec.name = nameBuffer.baseAddress.map { $0 + nameStarts[index] }
                        cSpec.number = spec.number
                        cSpec.label = Int32(bitPattern: spec.label.rawValue)
                        cSpec.type = Int32(bitPattern: spec.type.rawValue)
                        cSpec.packed = spec.packed ? 1 : 0
                        cSpec.oneof_index = spec.oneof
                        if let start = defaultStarts[index], let bytes = spec.defaultBytes {
                            cSpec.default_bytes = defaultBuffer.baseAddress.map { $0 + start }
                            cSpec.default_length = bytes.count
                        }
                        cSpecs.append(cSpec)
                    }
                    return cpbc_descriptor_new(fullName, cSpecs, UInt32(cSpecs.count), UInt32(oneofNumbers.count))
                }
            }
        }
        guard let created else { throw ProtoCBridgeError("\(type.fullName): cpbc_descriptor_new failed") }
        return created
    }

    private static func cType(
        _ field: Google_Protobuf_FieldDescriptorProto,
        syntax: ProtoSyntax,
        file: Google_Protobuf_FileDescriptorProto,
        message: Google_Protobuf_DescriptorProto,
        name: String
    ) throws(ProtoCBridgeError) -> ProtobufCType {
        switch field.type {
        case .int32: return PROTOBUF_C_TYPE_INT32
        case .sint32: return PROTOBUF_C_TYPE_SINT32
        case .sfixed32: return PROTOBUF_C_TYPE_SFIXED32
        case .int64: return PROTOBUF_C_TYPE_INT64
        case .sint64: return PROTOBUF_C_TYPE_SINT64
        case .sfixed64: return PROTOBUF_C_TYPE_SFIXED64
        case .uint32: return PROTOBUF_C_TYPE_UINT32
        case .fixed32: return PROTOBUF_C_TYPE_FIXED32
        case .uint64: return PROTOBUF_C_TYPE_UINT64
        case .fixed64: return PROTOBUF_C_TYPE_FIXED64
        case .float: return PROTOBUF_C_TYPE_FLOAT
        case .double: return PROTOBUF_C_TYPE_DOUBLE
        case .bool: return PROTOBUF_C_TYPE_BOOL
        case .enum: return PROTOBUF_C_TYPE_ENUM
        case .string: return PROTOBUF_C_TYPE_STRING
        case .bytes: return PROTOBUF_C_TYPE_BYTES
        case .message:
            if case .editions = syntax,
               resolved(field, file, message, \.messageEncoding, unset: .unknown, fallback: .lengthPrefixed) == .delimited {
                throw ProtoCBridgeError("\(name).\(field.name): protobuf-c has no delimited encoding")
            }
            return PROTOBUF_C_TYPE_MESSAGE
        default:
            throw ProtoCBridgeError("\(name).\(field.name): protobuf-c has no groups")
        }
    }

    /// A feature as editions resolve it, looking at the field, then its message, then its file
    /// (features of enclosing messages of nested types are not consulted).
    private static func resolved<Value: Equatable>(
        _ field: Google_Protobuf_FieldDescriptorProto,
        _ file: Google_Protobuf_FileDescriptorProto,
        _ message: Google_Protobuf_DescriptorProto,
        _ key: KeyPath<Google_Protobuf_FeatureSet, Value>,
        unset: Value,
        fallback: Value
    ) -> Value {
        for features in [field.options.features, message.options.features, file.options.features] {
            let value = features[keyPath: key]
            if value != unset { return value }
        }
        return fallback
    }

    private static func explicitPresence(
        _ field: Google_Protobuf_FieldDescriptorProto,
        syntax: ProtoSyntax,
        file: Google_Protobuf_FileDescriptorProto,
        message: Google_Protobuf_DescriptorProto
    ) -> Bool {
        switch syntax {
        case .proto2: return true
        case .proto3: return false
        case .editions:
            return resolved(field, file, message, \.fieldPresence, unset: .unknown, fallback: .explicit) != .implicit
        }
    }

    private static func isPacked(
        _ field: Google_Protobuf_FieldDescriptorProto,
        type: ProtobufCType,
        syntax: ProtoSyntax,
        file: Google_Protobuf_FileDescriptorProto,
        message: Google_Protobuf_DescriptorProto
    ) -> Bool {
        guard type != PROTOBUF_C_TYPE_STRING, type != PROTOBUF_C_TYPE_BYTES, type != PROTOBUF_C_TYPE_MESSAGE else {
            return false
        }
        switch syntax {
        case .proto2: return field.options.packed
        case .proto3: return field.options.hasPacked ? field.options.packed : true
        case .editions:
            return resolved(field, file, message, \.repeatedFieldEncoding, unset: .unknown, fallback: .packed) == .packed
        }
    }

    /// A proto2 default (protoc's text form) as the bytes cpbc_field_spec takes.
    private static func defaultBytes(
        _ field: Google_Protobuf_FieldDescriptorProto,
        type: ProtobufCType,
        schema: ProtoSchema
    ) throws(ProtoCBridgeError) -> [UInt8] {
        let text = field.defaultValue
        func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        func floating(_ text: String) -> Double? {
            switch text {
            case "inf": .infinity
            case "-inf": -.infinity
            case "nan": .nan
            default: Double(text)
            }
        }
        let bytes: [UInt8]?
        switch type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32:
            bytes = Int32(text).map(little)
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32:
            bytes = UInt32(text).map(little)
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            bytes = Int64(text).map(little)
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            bytes = UInt64(text).map(little)
        case PROTOBUF_C_TYPE_FLOAT:
            bytes = floating(text).map { little(Float($0).bitPattern) }
        case PROTOBUF_C_TYPE_DOUBLE:
            bytes = floating(text).map { little($0.bitPattern) }
        case PROTOBUF_C_TYPE_BOOL:
            bytes = text == "true" ? little(Int32(1)) : text == "false" ? little(Int32(0)) : nil
        case PROTOBUF_C_TYPE_ENUM:
            let values = schema.pool.enums[trimmed(field.typeName)]?.descriptor.value ?? []
            bytes = values.first { $0.name == text }.map { little($0.number) }
        case PROTOBUF_C_TYPE_STRING:
            bytes = Array(text.utf8)
        case PROTOBUF_C_TYPE_BYTES:
            bytes = unescapeC(text)
        default:
            bytes = nil
        }
        guard let bytes else { throw ProtoCBridgeError("\(field.name): unusable default \"\(text)\"") }
        return bytes
    }

    /// protoc writes bytes defaults C-escaped: `\n`, `\"`, `\\`, octal `\123` and hex `\x7f`.
    static func unescapeC(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        func digit(_ byte: UInt8, radix: UInt8) -> UInt8? {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            return value < radix ? value : nil
        }
        while index < input.count {
            let byte = input[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            guard index < input.count else { return nil }
            let escape = input[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(10)
            case UInt8(ascii: "r"): output.append(13)
            case UInt8(ascii: "t"): output.append(9)
            case UInt8(ascii: "x"):
                var value: UInt16 = 0
                var count = 0
                while count < 2, index < input.count, let d = digit(input[index], radix: 16) {
                    value = value * 16 + UInt16(d)
                    index += 1
                    count += 1
                }
                guard count > 0 else { return nil }
                output.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt16(escape - UInt8(ascii: "0"))
                var count = 1
                while count < 3, index < input.count, let d = digit(input[index], radix: 8) {
                    value = value * 8 + UInt16(d)
                    index += 1
                    count += 1
                }
                output.append(UInt8(truncatingIfNeeded: value))
            default: output.append(escape)
            }
        }
        return output
    }
}
