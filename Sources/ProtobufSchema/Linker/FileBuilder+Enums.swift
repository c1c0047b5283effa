import SwiftProtobuf

extension FileBuilder {
    /// Edition 2023 rules on fields: no `packed`, what implicit presence allows, where each feature may be set.
    func validateFieldFeatures(_ field: FieldProto, path: ElementPath, typeName: String, inMapEntry: Bool = false)
        throws(ProtobufError)
    {
        if field.options.hasPacked {
            throw error(
                "Field option packed is not allowed under editions.  Use the repeated_field_encoding feature to "
                    + "control this behavior.",
                path, .name
            )
        }
        let repeated = field.label == .repeated
        if !repeated && !hasPresence(field) {
            if field.hasDefaultValue { throw error("Implicit presence fields can't specify defaults.", path, .name) }
            if field.type == .enum && isClosedEnum(typeName) {
                throw error("Implicit presence enum fields must always be open.", path, .name)
            }
        }
        if field.hasExtendee && isRequired(field) { throw error("Extensions can't be required.", path, .name) }
        if inMapEntry { return }
        let features = field.options.features
        if features.hasFieldPresence {
            if field.hasOneofIndex {
                throw error("Oneof fields can't specify field presence.", path, .name)
            } else if repeated {
                throw error("Repeated fields can't specify field presence.", path, .name)
            } else if field.hasExtendee && features.fieldPresence != .legacyRequired {
                throw error("Extensions can't specify field presence.", path, .name)
            } else if (field.type == .message || field.type == .group) && features.fieldPresence == .implicit {
                throw error("Message fields can't specify implicit presence.", path, .name)
            }
        }
        if !repeated && features.hasRepeatedFieldEncoding {
            throw error("Only repeated fields can specify repeated field encoding.", path, .name)
        }
        let isMap = field.type == .message && (messageDescriptor(named: typeName)?.options.mapEntry ?? false)
        let isStringMap = isMap && (messageDescriptor(named: typeName)?.field.contains { $0.type == .string } ?? false)
        if field.type != .string && !isStringMap && features.hasUtf8Validation {
            throw error("Only string fields can specify utf8 validation.", path, .name)
        }
        if !Self.isPackable(field) && features.hasRepeatedFieldEncoding && features.repeatedFieldEncoding == .packed {
            throw error("Only repeated primitive fields can specify PACKED repeated field encoding.", path, .name)
        }
        if (field.type != .message || isMap) && features.hasMessageEncoding {
            throw error("Only message fields can specify message encoding.", path, .name)
        }
    }

    func isOpenEnum(_ e: EnumProto) -> Bool {
        switch edition {
        case .proto2: return false
        case .proto3: return true
        case .edition2023, .edition2024:
            if e.options.features.hasEnumType { return e.options.features.enumType == .open }
            return file.options.features.enumType != .closed
        }
    }

    func validateEnum(_ e: EnumProto, path: ElementPath) throws(ProtobufError) {
        let prefix = String(e.name.unicodeScalars.filter { $0 != "_" }.map { Character(ProtoNumberText.asciiLower($0)) })
        var byStripped: [String: Google_Protobuf_EnumValueDescriptorProto] = [:]
        for (i, value) in e.value.enumerated() {
            let stripped = ProtoNumberText.enumValuePascalCase(Self.removePrefix(prefix, from: value.name))
            if let other = byStripped[stripped] {
                if other.name != value.name && other.number != value.number {
                    throw error(
                        "Enum name \(value.name) has the same name as \(other.name) if you ignore case and strip out the "
                            + "enum name prefix (if any). (If you are using allow_alias, please assign the same number "
                            + "to each enum value name.)",
                        path + [PathTag.enumValue, Int32(i)], .name
                    )
                }
            } else {
                byStripped[stripped] = value
            }
        }
        if isOpenEnum(e), let first = e.value.first, first.number != 0 {
            throw error("The first enum value must be zero for open enums.", path + [PathTag.enumValue, 0], .number)
        }
        if !e.options.allowAlias {
            let scopeName = fullNames[path].map { $0.split(separator: ".").dropLast().joined(separator: ".") } ?? ""
            var used: [Int32: String] = [:]
            for (i, value) in e.value.enumerated() {
                let valueName = Self.join(scopeName, value.name)
                if let other = used[value.number] {
                    let numbers = Set(e.value.map { Int64($0.number) })
                    var next = Int64(value.number) + 1
                    while numbers.contains(next) { next += 1 }
                    var message = "\"\(valueName)\" uses the same enum value as \"\(other)\". If this is intended, set "
                        + "'option allow_alias = true;' to the enum definition."
                    if next < Int64(Int32.max) { message += " The next available enum value is \(next)." }
                    throw error(message, path + [PathTag.enumValue, Int32(i)], .number)
                }
                used[value.number] = valueName
            }
        }
    }

    /// protoc's `PrefixRemover`: drops the enum's name (case- and underscore-insensitively) from a value name.
    static func removePrefix(_ prefix: String, from name: String) -> String {
        let chars = Array(name.unicodeScalars)
        let prefixChars = Array(prefix.unicodeScalars)
        var i = 0, j = 0
        while i < chars.count && j < prefixChars.count {
            if chars[i] == "_" {
                i += 1
                continue
            }
            if ProtoNumberText.asciiLower(chars[i]) != prefixChars[j] { return name }
            i += 1
            j += 1
        }
        if j < prefixChars.count { return name }
        while i < chars.count && chars[i] == "_" { i += 1 }
        if i == chars.count { return name }
        var out = ""
        out.unicodeScalars.append(contentsOf: chars[i...])
        return out
    }

    /// protoc (the command line) rejects fields numbered 19000–19999 in the files it is asked to compile.
    func checkLibraryReservedNumbers() throws(ProtobufError) {
        try forEachField { field, path throws(ProtobufError) in
            if field.number >= ProtoLimits.firstReservedNumber && field.number <= ProtoLimits.lastReservedNumber {
                throw error(
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.",
                    path, .number)
            }
        }
    }

    /// Every field and extension of the file, in messages nested at any depth, with its source path, in
    /// declaration order (a message's fields, its nested messages, then its extensions).
    func forEachField(_ body: (FieldProto, ElementPath) throws(ProtobufError) -> Void) throws(ProtobufError) {
        func fields(_ list: [FieldProto], _ path: ElementPath, _ tag: Int32) throws(ProtobufError) {
            for (i, field) in list.enumerated() { try body(field, path + [tag, Int32(i)]) }
        }
        func visit(_ message: DescriptorProto, _ path: ElementPath) throws(ProtobufError) {
            try fields(message.field, path, PathTag.messageField)
            for (i, nested) in message.nestedType.enumerated() {
                try visit(nested, path + [PathTag.messageNested, Int32(i)])
            }
            try fields(message.extension, path, PathTag.messageExtension)
        }
        for (i, message) in file.messageType.enumerated() {
            try visit(message, [PathTag.fileMessage, Int32(i)])
        }
        try fields(file.extension, [], PathTag.fileExtension)
    }

    /// protoc's descriptor sets carry a `json_name` on every field.
    mutating func finishJSONNames() {
        func fill(_ fields: inout [FieldProto]) {
            for i in fields.indices where !fields[i].hasJsonName {
                fields[i].jsonName = ProtoNames.defaultJSONName(fields[i].name)
            }
        }
        func visit(_ message: inout DescriptorProto) {
            fill(&message.field)
            fill(&message.extension)
            var nested = message.nestedType
            for i in nested.indices { visit(&nested[i]) }
            message.nestedType = nested
        }
        for i in file.messageType.indices { visit(&file.messageType[i]) }
        fill(&file.extension)
    }
}
