import SwiftProtobuf

/// Decodes option messages (`FileOptions`, `FieldOptions`, …) generically from their wire bytes
/// against `descriptor.proto` and every extension the schema's files declare, and prints them as
/// `.proto` option assignments. Standard options and custom ones (extensions, which swift-protobuf
/// keeps as unknown fields) go through the same path.
struct ProtoOptionPrinter {
    struct Extension {
        let field: Google_Protobuf_FieldDescriptorProto
        let fullName: String
    }

    /// One option field and its values in wire order (several for a repeated field).
    struct Decoded {
        let field: Google_Protobuf_FieldDescriptorProto
        /// The extension's full name; nil for an ordinary field of the options message.
        let extensionName: String?
        var values: [Value]
    }

    indirect enum Value {
        case literal(String)
        case message([Decoded])
    }

    private var messages: [String: Google_Protobuf_DescriptorProto] = [:]
    private var enums: [String: Google_Protobuf_EnumDescriptorProto] = [:]
    private var extensions: [String: [Int32: Extension]] = [:]
    private let symbols: ProtoSymbolTable
    /// Nesting bound for aggregate values (hostile descriptors cannot recurse without end).
    private let maxDepth = 32

    /// `files` are searched for message, enum and extension definitions; the built-in
    /// `descriptor.proto` comes first so that a schema's own copy of it takes precedence.
    init(files: [Google_Protobuf_FileDescriptorProto], symbols: ProtoSymbolTable) {
        self.symbols = symbols
        for file in [ProtoWellKnownTypes.descriptorProtoDescriptor].compactMap({ $0 }) + files {
            for message in file.messageType { index(message, scope: file.package) }
            for enumType in file.enumType { enums[ProtoRenderText.join(file.package, enumType.name)] = enumType }
            for field in file.extension { addExtension(field, scope: file.package) }
        }
    }

    private mutating func index(_ message: Google_Protobuf_DescriptorProto, scope: String) {
        let name = ProtoRenderText.join(scope, message.name)
        messages[name] = message
        for nested in message.nestedType { index(nested, scope: name) }
        for enumType in message.enumType { enums["\(name).\(enumType.name)"] = enumType }
        for field in message.extension { addExtension(field, scope: name) }
    }

    private mutating func addExtension(_ field: Google_Protobuf_FieldDescriptorProto, scope: String) {
        let extendee = ProtoRenderText.strip(field.extendee)
        extensions[extendee, default: [:]][field.number] = Extension(
            field: field,
            fullName: ProtoRenderText.join(scope, field.name)
        )
    }

    // MARK: Printing

    /// The assignments of `options` (a `google.protobuf.<typeName>`) as `name = value` pairs in field
    /// number order, names as written after `option` (`deprecated`, `(my.opt)`, `features.field_presence`),
    /// extension names resolved from the element whose full name is `relativeTo`.
    func assignments(
        of options: some SwiftProtobuf.Message,
        typeName: String,
        relativeTo: String
    ) -> [(name: String, value: String)] {
        guard let bytes: [UInt8] = try? options.serializedBytes(partial: true), !bytes.isEmpty else { return [] }
        let decoded = decode(bytes[...], messageName: "google.protobuf.\(typeName)", depth: 0)
        var result: [(name: String, value: String)] = []
        for option in decoded {
            let name = optionName(option, relativeTo: relativeTo)
            if option.extensionName == nil, option.field.name == "features", option.values.count == 1,
                case .message(let inner) = option.values[0], !inner.isEmpty
            {
                flatten(inner, prefix: name, relativeTo: relativeTo, into: &result)
                continue
            }
            for value in option.values { result.append((name, text(value, depth: 0))) }
        }
        return result
    }

    private func optionName(_ option: Decoded, relativeTo: String) -> String {
        guard let full = option.extensionName else { return option.field.name }
        return "(\(symbols.shortestName(for: full, relativeTo: relativeTo, typesOnly: false)))"
    }

    /// `features.a.b = v` for singular sub-messages; repeated or empty ones stay aggregates.
    private func flatten(
        _ fields: [Decoded],
        prefix: String,
        relativeTo: String,
        into result: inout [(name: String, value: String)]
    ) {
        for option in fields {
            let name = "\(prefix).\(optionName(option, relativeTo: relativeTo))"
            if option.values.count == 1, case .message(let inner) = option.values[0], !inner.isEmpty {
                flatten(inner, prefix: name, relativeTo: relativeTo, into: &result)
            } else {
                for value in option.values { result.append((name, text(value, depth: 0))) }
            }
        }
    }

    /// A value as it follows `=`: a literal, or a text-format aggregate in braces.
    private func text(_ value: Value, depth: Int) -> String {
        switch value {
        case .literal(let literal):
            return literal
        case .message(let fields):
            if fields.isEmpty { return "{}" }
            var parts: [String] = []
            for field in fields {
                let name: String
                if let full = field.extensionName {
                    name = "[\(full)]"
                } else if field.field.type == .group {
                    // Text format names a group field by its message type's name.
                    name = String(field.field.typeName.split(separator: ".").last ?? Substring(field.field.name))
                } else {
                    name = field.field.name
                }
                for value in field.values {
                    switch value {
                    case .literal(let literal): parts.append("\(name): \(literal)")
                    case .message: parts.append("\(name) \(text(value, depth: depth + 1))")
                    }
                }
            }
            return "{ " + parts.joined(separator: " ") + " }"
        }
    }

    // MARK: Decoding

    private func field(number: Int32, in messageName: String) -> (Google_Protobuf_FieldDescriptorProto, String?)? {
        if let message = messages[messageName], let field = message.field.first(where: { $0.number == number }) {
            return (field, nil)
        }
        if let ext = extensions[messageName]?[number] { return (ext.field, ext.fullName) }
        return nil
    }

    /// The known fields of `bytes` (a `messageName`), ordered by field number; fields that no
    /// definition explains, and malformed bytes, are left out.
    func decode(_ bytes: ArraySlice<UInt8>, messageName: String, depth: Int) -> [Decoded] {
        var reader = ProtoWireReader(bytes)
        var order: [Int32] = []
        var byNumber: [Int32: Decoded] = [:]
        while let record = reader.next() {
            guard record.number <= Int(Int32.max), record.number > 0 else { break }
            let number = Int32(record.number)
            guard let (definition, extensionName) = field(number: number, in: messageName) else { continue }
            let values = decodeValues(record.payload, field: definition, depth: depth)
            if values.isEmpty { continue }
            if byNumber[number] == nil {
                order.append(number)
                byNumber[number] = Decoded(field: definition, extensionName: extensionName, values: values)
            } else {
                byNumber[number]?.values += values
            }
        }
        return order.sorted().compactMap { byNumber[$0] }
    }

    private func decodeValues(
        _ payload: ProtoWireReader.Payload,
        field: Google_Protobuf_FieldDescriptorProto,
        depth: Int
    ) -> [Value] {
        switch (payload, field.type) {
        case (.lengthDelimited(let bytes), .message), (.group(let bytes), .group):
            guard depth < maxDepth else { return [] }
            let name = ProtoRenderText.strip(field.typeName)
            return [.message(decode(bytes, messageName: name, depth: depth + 1))]
        case (.lengthDelimited(let bytes), .string):
            return [.literal(ProtoRenderText.quoted(Array(bytes), keepUTF8: true))]
        case (.lengthDelimited(let bytes), .bytes):
            return [.literal(ProtoRenderText.quoted(Array(bytes), keepUTF8: false))]
        case (.lengthDelimited(let bytes), _):
            // A packed run of scalars.
            var reader = ProtoWireReader(bytes)
            var values: [Value] = []
            while let scalar = reader.nextPacked(field.type) {
                values += decodeValues(scalar, field: field, depth: depth)
            }
            return values
        case (.varint(let raw), _):
            return scalarVarint(raw, field: field).map { [.literal($0)] } ?? []
        case (.fixed32(let raw), .fixed32): return [.literal("\(raw)")]
        case (.fixed32(let raw), .sfixed32): return [.literal("\(Int32(bitPattern: raw))")]
        case (.fixed32(let raw), .float): return [.literal(ProtoRenderText.floating(Float(bitPattern: raw)))]
        case (.fixed64(let raw), .fixed64): return [.literal("\(raw)")]
        case (.fixed64(let raw), .sfixed64): return [.literal("\(Int64(bitPattern: raw))")]
        case (.fixed64(let raw), .double): return [.literal(ProtoRenderText.floating(Double(bitPattern: raw)))]
        default:
            return []
        }
    }

    private func scalarVarint(_ raw: UInt64, field: Google_Protobuf_FieldDescriptorProto) -> String? {
        switch field.type {
        case .int32: return "\(Int32(truncatingIfNeeded: raw))"
        case .int64: return "\(Int64(bitPattern: raw))"
        case .uint32: return "\(UInt32(truncatingIfNeeded: raw))"
        case .uint64: return "\(raw)"
        case .sint32:
            let value = UInt32(truncatingIfNeeded: raw)
            return "\(Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1))))"
        case .sint64: return "\(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))"
        case .bool: return raw == 0 ? "false" : "true"
        case .enum:
            let number = Int32(truncatingIfNeeded: raw)
            let enumType = enums[ProtoRenderText.strip(field.typeName)]
            return enumType?.value.first(where: { $0.number == number })?.name ?? "\(number)"
        default: return nil
        }
    }
}

/// A bounded protobuf wire-format reader over a byte slice; malformed input ends the iteration.
struct ProtoWireReader {
    enum Payload {
        case varint(UInt64)
        case fixed32(UInt32)
        case fixed64(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        case group(ArraySlice<UInt8>)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    private mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.endIndex, shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    private mutating func fixed(_ count: Int) -> UInt64? {
        guard bytes.endIndex - position >= count else { return nil }
        var result: UInt64 = 0
        for offset in 0..<count { result |= UInt64(bytes[position + offset]) << (8 * UInt64(offset)) }
        position += count
        return result
    }

    /// The next field record, or nil at the end or on malformed bytes.
    mutating func next() -> (number: Int, payload: Payload)? {
        guard position < bytes.endIndex, let tag = varint() else { return nil }
        let number = Int(truncatingIfNeeded: tag >> 3)
        guard number > 0, let payload = payload(wireType: Int(tag & 7), number: number, depth: 0) else { return nil }
        return (number, payload)
    }

    private mutating func payload(wireType: Int, number: Int, depth: Int) -> Payload? {
        switch wireType {
        case 0: return varint().map(Payload.varint)
        case 1: return fixed(8).map(Payload.fixed64)
        case 5: return fixed(4).map { Payload.fixed32(UInt32(truncatingIfNeeded: $0)) }
        case 2:
            guard let length = varint(), length <= UInt64(bytes.endIndex - position) else { return nil }
            let end = position + Int(length)
            defer { position = end }
            return .lengthDelimited(bytes[position..<end])
        case 3:
            guard depth < 32 else { return nil }
            let start = position
            while position < bytes.endIndex {
                let before = position
                guard let tag = varint() else { return nil }
                let innerNumber = Int(truncatingIfNeeded: tag >> 3)
                if tag & 7 == 4 {
                    return innerNumber == number ? .group(bytes[start..<before]) : nil
                }
                guard payload(wireType: Int(tag & 7), number: innerNumber, depth: depth + 1) != nil else {
                    return nil
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// The next element of a packed run of `type`.
    mutating func nextPacked(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> Payload? {
        guard position < bytes.endIndex else { return nil }
        switch type {
        case .fixed32, .sfixed32, .float: return fixed(4).map { Payload.fixed32(UInt32(truncatingIfNeeded: $0)) }
        case .fixed64, .sfixed64, .double: return fixed(8).map(Payload.fixed64)
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool, .enum: return varint().map(Payload.varint)
        default: return nil
        }
    }
}
