import SwiftProtobuf

extension DescriptorValidation {
    // MARK: Messages

    /// `depth` counts `message` as 1 at the top level. The parser refuses a message (or group body) declared at
    /// `maxDepth` levels; a map entry, which text never declares, may sit one level deeper.
    func checkMessage(_ message: DescriptorProto, scope: String, depth: Int) throws(ProtobufError) {
        let fullName = ProtoRenderText.join(scope, message.name)
        let deepest = message.options.mapEntry ? limits.maxDepth : limits.maxDepth - 1
        guard depth <= deepest else {
            throw Self.invalid("message \(message.name) is nested deeper than \(limits.maxDepth - 1) levels", at: fullName)
        }
        let isMessageSet = message.options.messageSetWireFormat
        let maxEnd = isMessageSet ? Int32.max : ProtoLimits.maxFieldNumber + 1
        try checkRanges(message.reservedRange.map { ($0.start, $0.end) }, "reserved", maxEnd: maxEnd, in: fullName)
        try checkRanges(message.extensionRange.map { ($0.start, $0.end) }, "extension", maxEnd: maxEnd, in: fullName)
        try checkReservedNames(message.reservedName, in: fullName)

        var names = Namespace(scope: fullName)
        var numbers: [Int32: String] = [:]
        for field in message.field {
            try checkField(field, scope: fullName, isExtension: false)
            try names.declare(field.name, "field")
            if let other = numbers[field.number] {
                throw Self.invalid("field \(field.name) uses number \(field.number), already used by \(other)", at: fullName)
            }
            numbers[field.number] = field.name
            if message.reservedName.contains(field.name) {
                throw Self.invalid("field \(field.name) uses a reserved name", at: fullName)
            }
            let inRange = { (start: Int32, end: Int32) in field.number >= start && field.number < end }
            if message.reservedRange.contains(where: { inRange($0.start, $0.end) }) {
                throw Self.invalid("field \(field.name) uses reserved number \(field.number)", at: fullName)
            }
            if message.extensionRange.contains(where: { inRange($0.start, $0.end) }) {
                throw Self.invalid("field \(field.name) uses number \(field.number) of an extension range", at: fullName)
            }
        }
        try checkOneofs(message, scope: fullName, names: &names)
        for field in message.extension {
            try checkField(field, scope: fullName, isExtension: true)
            try names.declare(field.name, "extension")
        }
        for nested in message.nestedType {
            try requireIdentifier(nested.name, "message", in: fullName)
            try names.declare(nested.name, "message")
            if nested.options.mapEntry { try checkMapEntry(nested, in: message, scope: fullName) }
            try checkMessage(nested, scope: fullName, depth: depth + 1)
        }
        for enumType in message.enumType {
            try checkEnum(enumType, scope: fullName, names: &names)
        }
    }

    /// Half-open `[start, end)` ranges: positive, not empty, within field numbers, not overlapping.
    func checkRanges(_ ranges: [(Int32, Int32)], _ what: String, maxEnd: Int32, in scope: String) throws(ProtobufError) {
        for (start, end) in ranges where start < 1 || start >= end || end > maxEnd {
            throw Self.invalid("\(what) range \(start) to \(Int64(end) - 1) is not a range of field numbers", at: scope)
        }
        let sorted = ranges.sorted { $0.0 < $1.0 }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.0 < previous.1 {
            throw Self.invalid("\(what) range starting at \(next.0) overlaps the one starting at \(previous.0)", at: scope)
        }
    }

    /// Oneofs are named like fields, have members, and their members are consecutive fields (text can only
    /// declare them as one block). proto3 `optional` fields sit alone in a synthetic oneof.
    func checkOneofs(_ message: DescriptorProto, scope: String, names: inout Namespace) throws(ProtobufError) {
        for oneof in message.oneofDecl {
            try requireIdentifier(oneof.name, "oneof", in: scope)
            try names.declare(oneof.name, "oneof")
        }
        var members = Array(repeating: 0, count: message.oneofDecl.count)
        var lastIndex: Int32?
        var closed = Set<Int32>()
        for field in message.field {
            if field.proto3Optional {
                guard syntax == .proto3, field.hasOneofIndex, field.label == .optional else {
                    throw Self.invalid("field \(field.name) is proto3 optional outside a proto3 synthetic oneof", at: scope)
                }
            }
            guard field.hasOneofIndex else {
                if let lastIndex { closed.insert(lastIndex) }
                lastIndex = nil
                continue
            }
            let index = field.oneofIndex
            guard message.oneofDecl.indices.contains(Int(index)) else {
                throw Self.invalid("field \(field.name) is in oneof \(index), which does not exist", at: scope)
            }
            guard field.label == .optional, !field.hasExtendee else {
                throw Self.invalid("field \(field.name) in a oneof must be a singular field", at: scope)
            }
            if let lastIndex, lastIndex != index { closed.insert(lastIndex) }
            guard !closed.contains(index) else {
                throw Self.invalid("the fields of oneof \(message.oneofDecl[Int(index)].name) are not consecutive", at: scope)
            }
            lastIndex = index
            members[Int(index)] += 1
        }
        for (index, count) in members.enumerated() where count == 0 {
            throw Self.invalid("oneof \(message.oneofDecl[index].name) has no fields", at: scope)
        }
    }

    /// A map entry is what `map<K, V> name = n;` synthesizes: `NameEntry` beside exactly one repeated field of
    /// that type, with fields `key = 1` (an integral, bool or string type) and `value = 2` and nothing else.
    func checkMapEntry(_ entry: DescriptorProto, in parent: DescriptorProto, scope: String) throws(ProtobufError) {
        let entryName = "\(scope).\(entry.name)"
        let refersToEntry = { (field: FieldProto) in
            (field.type == .message || field.type == .group) && ProtoRenderText.strip(field.typeName) == entryName
        }
        let users = parent.field.filter(refersToEntry) + parent.extension.filter(refersToEntry)
        guard users.count == 1, let user = users.first, user.label == .repeated, user.type == .message,
            !user.hasExtendee, !user.hasOneofIndex, ProtoParser.mapEntryName(user.name) == entry.name
        else {
            throw Self.invalid(
                "map entry \(entry.name) must be the type of exactly one repeated field whose name gives "
                    + "\(entry.name)", at: entryName)
        }
        guard entry.field.count == 2, entry.nestedType.isEmpty, entry.enumType.isEmpty, entry.extension.isEmpty,
            entry.extensionRange.isEmpty, entry.oneofDecl.isEmpty, entry.reservedRange.isEmpty,
            entry.reservedName.isEmpty
        else {
            throw Self.invalid("map entry \(entry.name) must have only a key and a value field", at: entryName)
        }
        let key = entry.field[0], value = entry.field[1]
        guard key.name == "key", key.number == 1, key.label == .optional, value.name == "value", value.number == 2,
            value.label == .optional
        else {
            throw Self.invalid("map entry \(entry.name) must have fields key = 1 and value = 2", at: entryName)
        }
        switch key.type {
        case .float, .double, .bytes, .message, .group, .enum:
            throw Self.invalid("map entry \(entry.name) has a key of type \(key.type), which maps cannot have", at: entryName)
        default: break
        }
        if value.type == .group {
            throw Self.invalid("map entry \(entry.name) has a group value", at: entryName)
        }
    }

    // MARK: Fields

    func checkField(_ field: FieldProto, scope: String, isExtension: Bool) throws(ProtobufError) {
        try requireIdentifier(field.name, isExtension ? "extension" : "field", in: scope)
        let fullName = ProtoRenderText.join(scope, field.name)
        if isExtension {
            guard field.number >= 1 else {
                throw Self.invalid("extension \(field.name) has number \(field.number), not a positive integer", at: fullName)
            }
            guard field.hasExtendee else {
                throw Self.invalid("extension \(field.name) does not say which message it extends", at: fullName)
            }
            try requireTypeName(field.extendee, "extendee", in: fullName)
        } else {
            guard field.number >= 1, field.number <= ProtoLimits.maxFieldNumber else {
                throw Self.invalid(
                    "field \(field.name) has number \(field.number), outside 1 to \(ProtoLimits.maxFieldNumber)", at: fullName)
            }
            if field.number >= ProtoLimits.firstReservedNumber && field.number <= ProtoLimits.lastReservedNumber {
                throw Self.invalid(
                    "field \(field.name) has number \(field.number); 19000 to 19999 are reserved for the Protocol Buffer "
                        + "implementation", at: fullName)
            }
            guard !field.hasExtendee else {
                throw Self.invalid("field \(field.name) has an extendee but is not an extension", at: fullName)
            }
        }
        if field.label == .required, syntax != .proto2 {
            throw Self.invalid("field \(field.name) is required, which only proto2 allows", at: fullName)
        }
        guard field.hasType else {
            throw Self.invalid("field \(field.name) has no type (a compiled descriptor sets every type)", at: fullName)
        }
        switch field.type {
        case .message, .enum, .group:
            try requireTypeName(field.typeName, "type of field \(field.name)", in: fullName)
        default:
            guard field.typeName.isEmpty else {
                throw Self.invalid("field \(field.name) is a \(field.type) but names type \(ProtoRenderText.quoted(field.typeName))", at: fullName)
            }
        }
        if field.type == .group, syntax != .proto2 {
            throw Self.invalid("field \(field.name) is a group, which only proto2 allows", at: fullName)
        }
        if field.hasDefaultValue { try checkDefault(field, at: fullName) }
    }

    /// A default value is spelled as protoc stores it; the renderer writes it into the text as it is (quoting only
    /// strings), so it must be a single literal of the field's type.
    func checkDefault(_ field: FieldProto, at fullName: String) throws(ProtobufError) {
        let value = field.defaultValue
        let fail = Self.invalid(
            "field \(field.name) has default \(ProtoRenderText.quoted(value)), not a \(field.type) literal", at: fullName)
        guard syntax != .proto3, field.label != .repeated else {
            throw Self.invalid("field \(field.name) cannot have a default value", at: fullName)
        }
        switch field.type {
        case .message, .group:
            throw Self.invalid("field \(field.name) is a message and cannot have a default value", at: fullName)
        case .string:
            return
        case .bool:
            guard value == "true" || value == "false" else { throw fail }
        case .enum:
            guard Self.isIdentifier(value) else { throw fail }
        case .int32, .sint32, .sfixed32:
            guard Self.isDecimal(value, signed: true), Int32(value) != nil else { throw fail }
        case .int64, .sint64, .sfixed64:
            guard Self.isDecimal(value, signed: true), Int64(value) != nil else { throw fail }
        case .uint32, .fixed32:
            guard Self.isDecimal(value, signed: false), UInt32(value) != nil else { throw fail }
        case .uint64, .fixed64:
            guard Self.isDecimal(value, signed: false), UInt64(value) != nil else { throw fail }
        case .float, .double:
            guard Self.isFloatLiteral(value) else { throw fail }
        case .bytes:
            guard Self.isCEscaped(value) else { throw fail }
        }
    }

    static func isDecimal(_ text: String, signed: Bool) -> Bool {
        var digits = Substring(text)
        if signed, digits.hasPrefix("-") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.allSatisfy(ProtoLexer.isDigit)
    }

    /// `inf`, `-inf`, `nan` or a decimal number (no hex, no spaces).
    static func isFloatLiteral(_ text: String) -> Bool {
        if ["inf", "-inf", "nan"].contains(text) { return true }
        let allowed = text.utf8.allSatisfy { ProtoLexer.isDigit($0) || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 || $0 == 0x2B || $0 == 0x2D }
        return allowed && text.utf8.contains(where: ProtoLexer.isDigit) && Double(text) != nil
    }

    /// Printable ASCII where every `"` is escaped and no backslash ends the text: it stays one string literal
    /// between the quotes the renderer adds.
    static func isCEscaped(_ text: String) -> Bool {
        var escaped = false
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F else { return false }
            if escaped {
                escaped = false
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x22 {
                return false
            }
        }
        return !escaped
    }
}
