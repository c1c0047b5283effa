import SwiftProtobuf

extension FileBuilder {
    /// protoc's `ValidateOptions` pass and the command line's reserved-number check, after options are known.
    /// Each element's first problem is recorded and the walk goes on with the next element.
    mutating func validateFile() throws(ProtobufError) {
        if edition.isEditions {
            if file.options.features.fieldPresence == .legacyRequired {
                try log.record(error("Required presence can't be specified by default.", [], .other))
            }
            if file.options.javaStringCheckUtf8 {
                try log.record(error(
                    "File option java_string_check_utf8 is not allowed under editions. Use the (pb.java).utf8_validation "
                        + "feature to control this behavior.",
                    [], .other
                ))
            }
        }
        if file.options.optimizeFor != .liteRuntime {
            for (i, dependency) in file.dependency.enumerated()
            where linked[dependency]?.descriptor.options.optimizeFor == .liteRuntime {
                let at = parsed.importPositions.indices.contains(i) ? parsed.importPositions[i] : SourcePos(line: 0, column: 0)
                try log.record(error(
                    "Files that do not use optimize_for = LITE_RUNTIME cannot import files which do use this option.  "
                        + "This file is not lite, but it imports \"\(dependency)\" which is.",
                    at: at
                ))
                break
            }
        }
        for (i, message) in file.messageType.enumerated() {
            try validateMessage(message, path: [PathTag.fileMessage, Int32(i)], scope: file.package)
        }
        for (i, e) in file.enumType.enumerated() {
            try log.collect { () throws(ProtobufError) in try validateEnum(e, path: [PathTag.fileEnum, Int32(i)]) }
        }
        for (i, ext) in file.extension.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try validateField(
                    ext, path: [PathTag.fileExtension, Int32(i)], fullName: Self.join(file.package, ext.name), message: nil
                )
            }
        }
        try validateEditionRules()
        // The command line's own checks run on a file the pool accepted.
        if isMain && !hasErrors {
            try log.collect { () throws(ProtobufError) in try checkLibraryReservedNumbers() }
            try log.collect { () throws(ProtobufError) in try checkOptionTargets() }
        }
    }

    func isClosedEnum(_ fullName: String) -> Bool {
        guard let symbol = symbols.lookup(fullName), let e = enumDescriptor(named: fullName) else { return false }
        switch editionOf(file: symbol.file) {
        case .proto2: return true
        case .proto3: return false
        case .edition2023, .edition2024:
            if e.options.features.hasEnumType { return e.options.features.enumType == .closed }
            let features = symbol.file == fileName ? file.options.features : linked[symbol.file]?.descriptor.options.features
            return features?.enumType == .closed
        }
    }

    func validateMessage(_ message: DescriptorProto, path: ElementPath, scope: String) throws(ProtobufError) {
        let fullName = Self.join(scope, message.name)
        if edition == .proto3 {
            if !message.extensionRange.isEmpty {
                try log.record(
                    error("Extension ranges are not allowed in proto3.", path + [PathTag.messageExtensionRange, 0], .number)
                )
            }
            if message.options.messageSetWireFormat {
                try log.record(error("MessageSet is not supported in proto3.", path, .name))
            }
        }
        let maxExtension = message.options.messageSetWireFormat ? Int64(Int32.max) : Int64(ProtoLimits.maxFieldNumber)
        for (i, range) in message.extensionRange.enumerated() where Int64(range.end) > maxExtension + 1 {
            try log.record(error(
                "Extension numbers cannot be greater than \(maxExtension).",
                path + [PathTag.messageExtensionRange, Int32(i)], .number
            ))
        }
        try log.collect { () throws(ProtobufError) in try checkJSONNames(message, path: path, fullName: fullName) }
        for (i, field) in message.field.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try validateField(
                    field, path: path + [PathTag.messageField, Int32(i)], fullName: fullName + "." + field.name, message: message
                )
            }
        }
        for (i, ext) in message.extension.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try validateField(
                    ext, path: path + [PathTag.messageExtension, Int32(i)], fullName: fullName + "." + ext.name, message: nil
                )
            }
        }
        for (i, nested) in message.nestedType.enumerated() {
            try validateMessage(nested, path: path + [PathTag.messageNested, Int32(i)], scope: fullName)
        }
        for (i, e) in message.enumType.enumerated() {
            try log.collect { () throws(ProtobufError) in try validateEnum(e, path: path + [PathTag.messageEnum, Int32(i)]) }
        }
    }

    func jsonFormatIsLegacy(_ message: DescriptorProto) -> Bool {
        if message.options.deprecatedLegacyJsonFieldConflicts { return true }
        switch edition {
        case .proto2: return true
        case .proto3: return false
        case .edition2023, .edition2024:
            if message.options.features.hasJsonFormat { return message.options.features.jsonFormat == .legacyBestEffort }
            return file.options.features.jsonFormat == .legacyBestEffort
        }
    }

    func checkJSONNames(_ message: DescriptorProto, path: ElementPath, fullName: String) throws(ProtobufError) {
        if message.options.deprecatedLegacyJsonFieldConflicts { return }
        let legacy = jsonFormatIsLegacy(message)
        for useCustom in [false, true] {
            var seen: [String: (field: FieldProto, custom: Bool)] = [:]
            for (i, field) in message.field.enumerated() {
                let defaultName = ProtoNames.defaultJSONName(field.name)
                let custom = useCustom && field.hasJsonName && field.jsonName != defaultName
                let name = custom ? field.jsonName : defaultName
                let fieldPath = path + [PathTag.messageField, Int32(i)]
                if custom && name.hasPrefix("[") && name.hasSuffix("]") {
                    throw error(
                        "The custom JSON name of field \"\(field.name)\" (\"\(name)\") is invalid: JSON names may not "
                            + "start with '[' and end with ']'.",
                        fieldPath, .name
                    )
                }
                guard let match = seen[name] else {
                    seen[name] = (field, custom)
                    continue
                }
                if useCustom && !custom && !match.custom { continue }
                let involvesDefault = !custom || !match.custom
                if legacy && involvesDefault { continue }
                throw error(
                    "The \(custom ? "custom" : "default") JSON name of field \"\(field.name)\" (\"\(name)\") conflicts "
                        + "with the \(match.custom ? "custom" : "default") JSON name of field \"\(match.field.name)\".",
                    fieldPath, .name
                )
            }
        }
    }

    func hasPresence(_ field: FieldProto) -> Bool {
        if field.label == .repeated { return false }
        if field.type == .message || field.type == .group || field.hasOneofIndex || field.hasExtendee { return true }
        switch edition {
        case .proto2: return true
        case .proto3: return field.proto3Optional
        case .edition2023, .edition2024:
            if field.options.features.hasFieldPresence { return field.options.features.fieldPresence != .implicit }
            return file.options.features.fieldPresence != .implicit
        }
    }

    func isRequired(_ field: FieldProto) -> Bool {
        if field.label == .required { return true }
        guard edition.isEditions, field.label != .repeated else { return false }
        if field.options.features.hasFieldPresence { return field.options.features.fieldPresence == .legacyRequired }
        return file.options.features.fieldPresence == .legacyRequired
    }

    static func isPackable(_ field: FieldProto) -> Bool {
        guard field.label == .repeated else { return false }
        switch field.type {
        case .string, .bytes, .message, .group: return false
        default: return true
        }
    }

    func validateField(_ field: FieldProto, path: ElementPath, fullName: String, message: DescriptorProto?)
        throws(ProtobufError)
    {
        let typeName = String(field.typeName.dropFirst())
        if edition == .proto3 {
            if field.hasExtendee && !Self.isOptionsMessage(String(field.extendee.dropFirst())) {
                throw error("Extensions in proto3 are only allowed for defining options.", path, .extendee)
            }
            if field.label == .required { throw error("Required fields are not allowed in proto3.", path, .type) }
            if field.hasDefaultValue {
                throw error("Explicit default values are not allowed in proto3.", path, .defaultValue)
            }
            if field.type == .enum, isClosedEnum(typeName), let message {
                throw error(
                    "Enum type \"\(typeName)\" is not an open enum, but is used in \"\(Self.fullNameOfMessage(fullName, message))\" "
                        + "which is a proto3 message type.",
                    path, .type
                )
            }
            if field.type == .group { throw error("Groups are not supported in proto3 syntax.", path, .type) }
        }
        if edition.isEditions {
            try validateFieldFeatures(field, path: path, typeName: typeName, inMapEntry: message?.options.mapEntry ?? false)
        }
        if field.options.lazy || field.options.unverifiedLazy {
            if field.type != .message {
                throw error("[lazy = true] can only be specified for submessage fields.", path, .type)
            }
            if field.options.unverifiedLazy && field.hasExtendee {
                throw error("Extensions cannot be marked as unverified_lazy.", path, .type)
            }
        }
        if field.options.packed && !Self.isPackable(field) {
            throw error("[packed = true] can only be specified for repeated primitive fields.", path, .type)
        }
        if let message, message.options.messageSetWireFormat {
            throw error("MessageSets cannot have fields, only extensions.", path, .name)
        }
        if field.hasExtendee, let extendee = messageDescriptor(named: String(field.extendee.dropFirst())),
            extendee.options.messageSetWireFormat, field.label != .optional || field.type != .message
        {
            throw error("Extensions of MessageSets must be optional messages.", path, .type)
        }
        if field.type == .message, field.label == .repeated, let entry = messageDescriptor(named: typeName), entry.options.mapEntry {
            try validateMapField(field, entry: entry, path: path, typeName: typeName, fullName: fullName)
        }
        if field.type == .group, let entry = messageDescriptor(named: typeName), entry.options.mapEntry {
            throw error(
                "Groups cannot be map entries. Use a regular message field with map<KeyType, ValueType> syntax instead.",
                path, .type
            )
        }
        try validateJSType(field, path: path)
        if field.hasExtendee && field.hasJsonName && field.jsonName != ProtoNames.defaultJSONName(field.name) {
            throw error("option json_name is not allowed on extension fields.", path, .jsonName)
        }
        if field.jsonName.contains("\0") {
            throw error("json_name cannot have embedded null characters.", path, .jsonName)
        }
    }

    static func fullNameOfMessage(_ fieldFullName: String, _ message: DescriptorProto) -> String {
        guard let dot = fieldFullName.lastIndex(of: ".") else { return message.name }
        return String(fieldFullName[..<dot])
    }

    static func isOptionsMessage(_ name: String) -> Bool {
        [
            "google.protobuf.FileOptions", "google.protobuf.MessageOptions", "google.protobuf.FieldOptions",
            "google.protobuf.OneofOptions", "google.protobuf.EnumOptions", "google.protobuf.EnumValueOptions",
            "google.protobuf.ServiceOptions", "google.protobuf.MethodOptions",
            "google.protobuf.ExtensionRangeOptions", "google.protobuf.FeatureSet",
            "google.protobuf.SourceCodeInfo", "google.protobuf.GeneratedCodeInfo",
        ].contains(name)
    }

    func validateMapField(_ field: FieldProto, entry: DescriptorProto, path: ElementPath, typeName: String, fullName: String)
        throws(ProtobufError)
    {
        let expectedName = ProtoNumberText.upperCamel(field.name) + "Entry"
        let fieldScope = fullName.split(separator: ".").dropLast().joined(separator: ".")
        let entryScope = typeName.split(separator: ".").dropLast().joined(separator: ".")
        let mapEntryError = error(
            "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.", path, .type
        )
        if entry.name != expectedName || field.hasExtendee || fieldScope != entryScope {
            throw mapEntryError
        }
        guard entry.field.count == 2, entry.extension.isEmpty, entry.extensionRange.isEmpty, entry.nestedType.isEmpty,
            entry.enumType.isEmpty
        else { throw mapEntryError }
        let key = entry.field[0], value = entry.field[1]
        guard key.name == "key", key.number == 1, key.label == .optional, value.name == "value", value.number == 2,
            value.label == .optional
        else { throw mapEntryError }
        switch key.type {
        case .enum:
            throw error("Key in map fields cannot be enum types.", path, .type)
        case .float, .double, .message, .group, .bytes:
            throw error("Key in map fields cannot be float/double, bytes or message types.", path, .type)
        default: break
        }
        if value.type == .enum, let e = enumDescriptor(named: String(value.typeName.dropFirst())), e.value.first?.number != 0 {
            throw error("Enum value in map must define 0 as the first value.", path, .type)
        }
    }

    func validateJSType(_ field: FieldProto, path: ElementPath) throws(ProtobufError) {
        let jstype = field.options.jstype
        guard jstype != .jsNormal else { return }
        switch field.type {
        case .int64, .uint64, .sint64, .fixed64, .sfixed64:
            return
        default:
            throw error("jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.", path, .type)
        }
    }
}

extension FileBuilder {
    static let featureTargets: [String: Set<ElementKind>] = [
        "field_presence": [.field, .file],
        "enum_type": [.enumType, .file],
        "repeated_field_encoding": [.field, .file],
        "utf8_validation": [.field, .file],
        "message_encoding": [.field, .file],
        "json_format": [.message, .enumType, .file],
        "enforce_naming_style": [
            .file, .extensionRange, .message, .field, .oneof, .enumType, .enumValue, .service, .method,
        ],
        "default_symbol_visibility": [.file],
    ]

    /// protoc (the command line) checks the `targets` of the options set on each element of the files it compiles.
    func checkOptionTargets() throws(ProtobufError) {
        for path in parsed.options.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let kind = ElementKind.classify(path) else { continue }
            // Options copied from a map field to its entry's key and value are checked on the map field.
            if kind == .field, parsed.mapEntryPaths.contains(Array(path.dropLast(2))) { continue }
            for option in parsed.options[path] ?? [] {
                var fullName = ""
                var allowed: Set<ElementKind>?
                if !option.name[0].isExtension, option.name[0].name == "features", option.name.count > 1,
                    !option.name[1].isExtension
                {
                    fullName = "google.protobuf.FeatureSet." + option.name[1].name
                    allowed = Self.featureTargets[option.name[1].name]
                } else if option.name[0].isExtension,
                    case .success(let info) = optionExtension(option.name[0].name, relativeTo: optionNameScope(path, kind: kind)),
                    let field = fieldDescriptor(named: info.fullName), !field.options.targets.isEmpty
                {
                    fullName = info.fullName
                    allowed = Set(field.options.targets.compactMap(Self.elementKind))
                }
                if let allowed, !allowed.contains(kind) {
                    throw error(
                        "Option \(fullName) cannot be set on an entity of type `\(Self.targetName(kind))`.",
                        at: option.namePos
                    )
                }
            }
        }
    }

    static func elementKind(_ target: Google_Protobuf_FieldOptions.OptionTargetType) -> ElementKind? {
        switch target {
        case .targetTypeFile: .file
        case .targetTypeExtensionRange: .extensionRange
        case .targetTypeMessage: .message
        case .targetTypeField: .field
        case .targetTypeOneof: .oneof
        case .targetTypeEnum: .enumType
        case .targetTypeEnumEntry: .enumValue
        case .targetTypeService: .service
        case .targetTypeMethod: .method
        default: nil
        }
    }

    static func targetName(_ kind: ElementKind) -> String {
        switch kind {
        case .file: "file"
        case .extensionRange: "extension range"
        case .message: "message"
        case .field: "field"
        case .oneof: "oneof"
        case .enumType: "enum"
        case .enumValue: "enum entry"
        case .service: "service"
        case .method: "method"
        }
    }
}
