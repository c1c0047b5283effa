import SwiftProtobuf

extension FileBuilder {
    /// `SetOptionValue`: checks the written value against the option's type and encodes it.
    func optionValue(_ option: ParsedOption, field: OptionFieldInfo) throws(ProtobufError) -> [WireRecord] {
        func valueError(_ message: String) -> ProtobufError { error(message, at: option.valuePos) }
        func record(_ payload: WireRecord.Payload) -> [WireRecord] { [WireRecord(number: field.number, payload: payload)] }
        let name = field.fullName
        switch field.type {
        case .int32, .sint32, .sfixed32:
            let range = "Value out of range, -2147483648 to 2147483647, for int32 option \"\(name)\"."
            switch option.value {
            case .positiveInt(let v):
                guard v <= UInt64(Int32.max) else { throw valueError(range) }
                return record(AggregateValueParser.encodeInteger(v, type: field.type))
            case .negativeInt(let v):
                guard v >= Int64(Int32.min) else { throw valueError(range) }
                return record(AggregateValueParser.encodeInteger(UInt64(bitPattern: v), type: field.type))
            default:
                throw valueError("Value must be integer, from -2147483648 to 2147483647, for int32 option \"\(name)\".")
            }
        case .int64, .sint64, .sfixed64:
            switch option.value {
            case .positiveInt(let v):
                guard v <= UInt64(Int64.max) else {
                    throw valueError(
                        "Value out of range, -9223372036854775808 to 9223372036854775807, for int64 option \"\(name)\"."
                    )
                }
                return record(AggregateValueParser.encodeInteger(v, type: field.type))
            case .negativeInt(let v):
                return record(AggregateValueParser.encodeInteger(UInt64(bitPattern: v), type: field.type))
            default:
                throw valueError(
                    "Value must be integer, from -9223372036854775808 to 9223372036854775807, for int64 option \"\(name)\"."
                )
            }
        case .uint32, .fixed32:
            guard case .positiveInt(let v) = option.value else {
                throw valueError("Value must be integer, from 0 to 4294967295, for uint32 option \"\(name)\".")
            }
            guard v <= UInt64(UInt32.max) else {
                throw valueError("Value out of range, 0 to 4294967295, for uint32 option \"\(name)\".")
            }
            return record(AggregateValueParser.encodeInteger(v, type: field.type))
        case .uint64, .fixed64:
            guard case .positiveInt(let v) = option.value else {
                throw valueError("Value must be integer, from 0 to 18446744073709551615, for uint64 option \"\(name)\".")
            }
            return record(AggregateValueParser.encodeInteger(v, type: field.type))
        case .float, .double:
            var value: Double
            switch option.value {
            case .double(let d): value = d
            case .positiveInt(let v): value = Double(v)
            case .negativeInt(let v): value = Double(v)
            case .identifier("inf"): value = .infinity
            case .identifier("nan"): value = .nan
            default:
                throw valueError("Value must be number for \(field.type == .float ? "float" : "double") option \"\(name)\".")
            }
            if field.type == .float {
                return record(.fixed32(Float(value).bitPattern))
            }
            return record(.fixed64(value.bitPattern))
        case .bool:
            guard case .identifier(let text) = option.value else {
                throw valueError("Value must be identifier for boolean option \"\(name)\".")
            }
            switch text {
            case "true": return record(.varint(1))
            case "false": return record(.varint(0))
            default: throw valueError("Value must be \"true\" or \"false\" for boolean option \"\(name)\".")
            }
        case .enum:
            guard case .identifier(let text) = option.value else {
                throw valueError("Value must be identifier for enum-valued option \"\(name)\".")
            }
            return record(.varint(UInt64(bitPattern: Int64(try enumOptionValue(text, field: field, option: option)))))
        case .string, .bytes:
            guard case .string(let bytes) = option.value else {
                throw valueError("Value must be quoted string for string option \"\(name)\".")
            }
            return record(.bytes(bytes))
        case .message, .group:
            guard case .aggregate(let tokens) = option.value else {
                let short = field.name
                throw valueError(
                    "Option \"\(name)\" is a message. To set the entire message, use syntax like \"\(short) = { <proto "
                        + "text format> }\". To set fields within it, use syntax like \"\(short).foo = value\"."
                )
            }
            guard let type = optionMessage(named: field.typeName) else {
                throw valueError("Option \"\(name)\" has an unknown message type.")
            }
            var parser = AggregateValueParser(builder: self, tokens: tokens, maxDepth: limits.maxValueDepth)
            do {
                let bytes = try parser.parseTop(type)
                if field.type == .group {
                    return record(.group(WireRecord.parse(bytes) ?? []))
                }
                return record(.bytes(bytes))
            } catch {
                throw valueError("Error while parsing option value for \"\(field.name)\": \(error.message)")
            }
        }
    }

    /// The number of enum value `text` of the option's enum type, looked up as protoc does (C++ scoping).
    func enumOptionValue(_ text: String, field: OptionFieldInfo, option: ParsedOption) throws(ProtobufError) -> Int32 {
        let enumName = field.typeName
        if symbols.lookup(enumName)?.kind == .enumType {
            let scopeName = enumName.split(separator: ".").dropLast().joined(separator: ".")
            let valueName = scopeName.isEmpty ? text : scopeName + "." + text
            if let symbol = symbols.lookup(valueName), symbol.kind == .enumValue {
                if symbol.parentEnum != enumName {
                    throw error(
                        "Enum type \"\(enumName)\" has no value named \"\(text)\" for option \"\(field.fullName)\". "
                            + "This appears to be a value from a sibling type.",
                        at: option.valuePos
                    )
                }
                if let number = symbols.enumValues[enumName]?[text] { return number }
            }
        } else if let e = optionEnum(named: enumName), let v = e.value.first(where: { $0.name == text }) {
            return v.number
        }
        throw error(
            "Enum type \"\(enumName)\" has no value named \"\(text)\" for option \"\(field.fullName)\".",
            at: option.valuePos
        )
    }

    /// New options for one element: encoded options, or none at all.
    enum OptionUpdate {
        case set([UInt8])
        case clear
    }

    func decodeOptions<M: SwiftProtobuf.Message>(_ update: OptionUpdate, at path: ElementPath) throws(ProtobufError) -> M? {
        guard case .set(let bytes) = update else { return nil }
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw self.error("Some options could not be correctly parsed: \(error)", path, .name)
        }
    }

    /// Stores interpreted options in the descriptors, in one walk over the file (editing a message's arrays one
    /// element at a time would copy them each time).
    mutating func applyOptions(_ updates: [ElementPath: OptionUpdate]) throws(ProtobufError) {
        guard !updates.isEmpty else { return }
        var touched = Set<ElementPath>()
        for path in updates.keys {
            var k = 2
            while k <= path.count {
                touched.insert(Array(path[..<k]))
                k += 2
            }
        }
        if let update = updates[[]] {
            if let options: Google_Protobuf_FileOptions = try decodeOptions(update, at: []) {
                file.options = options
            } else {
                file.clearOptions()
            }
        }
        var messages = file.messageType
        for i in messages.indices where touched.contains([PathTag.fileMessage, Int32(i)]) {
            try apply(updates, touched, to: &messages[i], path: [PathTag.fileMessage, Int32(i)])
        }
        file.messageType = messages
        var enums = file.enumType
        for i in enums.indices where touched.contains([PathTag.fileEnum, Int32(i)]) {
            try apply(updates, touched, to: &enums[i], path: [PathTag.fileEnum, Int32(i)])
        }
        file.enumType = enums
        var extensions = file.extension
        for i in extensions.indices {
            let path: ElementPath = [PathTag.fileExtension, Int32(i)]
            if let update = updates[path] { try set(update, on: &extensions[i], path: path) }
        }
        file.extension = extensions
        var services = file.service
        for i in services.indices where touched.contains([PathTag.fileService, Int32(i)]) {
            let path: ElementPath = [PathTag.fileService, Int32(i)]
            if let update = updates[path] {
                if let options: Google_Protobuf_ServiceOptions = try decodeOptions(update, at: path) {
                    services[i].options = options
                } else {
                    services[i].clearOptions()
                }
            }
            var methods = services[i].method
            for j in methods.indices {
                let methodPath = path + [PathTag.serviceMethod, Int32(j)]
                guard let update = updates[methodPath] else { continue }
                if let options: Google_Protobuf_MethodOptions = try decodeOptions(update, at: methodPath) {
                    methods[j].options = options
                } else {
                    methods[j].clearOptions()
                }
            }
            services[i].method = methods
        }
        file.service = services
    }

    private func set(_ update: OptionUpdate, on field: inout FieldProto, path: ElementPath) throws(ProtobufError) {
        if let options: Google_Protobuf_FieldOptions = try decodeOptions(update, at: path) {
            field.options = options
        } else {
            field.clearOptions()
        }
    }

    private func apply(
        _ updates: [ElementPath: OptionUpdate], _ touched: Set<ElementPath>, to message: inout DescriptorProto,
        path: ElementPath
    ) throws(ProtobufError) {
        if let update = updates[path] {
            if let options: Google_Protobuf_MessageOptions = try decodeOptions(update, at: path) {
                message.options = options
            } else {
                message.clearOptions()
            }
        }
        for (tag, isExtension) in [(PathTag.messageField, false), (PathTag.messageExtension, true)] {
            var fields = isExtension ? message.extension : message.field
            var changed = false
            for i in fields.indices {
                let fieldPath = path + [tag, Int32(i)]
                guard let update = updates[fieldPath] else { continue }
                try set(update, on: &fields[i], path: fieldPath)
                changed = true
            }
            if changed {
                if isExtension { message.extension = fields } else { message.field = fields }
            }
        }
        var oneofs = message.oneofDecl
        var oneofsChanged = false
        for i in oneofs.indices {
            let oneofPath = path + [PathTag.messageOneof, Int32(i)]
            guard let update = updates[oneofPath] else { continue }
            if let options: Google_Protobuf_OneofOptions = try decodeOptions(update, at: oneofPath) {
                oneofs[i].options = options
            } else {
                oneofs[i].clearOptions()
            }
            oneofsChanged = true
        }
        if oneofsChanged { message.oneofDecl = oneofs }
        var ranges = message.extensionRange
        var rangesChanged = false
        for i in ranges.indices {
            let rangePath = path + [PathTag.messageExtensionRange, Int32(i)]
            guard let update = updates[rangePath] else { continue }
            if let options: Google_Protobuf_ExtensionRangeOptions = try decodeOptions(update, at: rangePath) {
                ranges[i].options = options
            } else {
                ranges[i].clearOptions()
            }
            rangesChanged = true
        }
        if rangesChanged { message.extensionRange = ranges }
        var enums = message.enumType
        var enumsChanged = false
        for i in enums.indices where touched.contains(path + [PathTag.messageEnum, Int32(i)]) {
            try apply(updates, touched, to: &enums[i], path: path + [PathTag.messageEnum, Int32(i)])
            enumsChanged = true
        }
        if enumsChanged { message.enumType = enums }
        var nested = message.nestedType
        var nestedChanged = false
        for i in nested.indices where touched.contains(path + [PathTag.messageNested, Int32(i)]) {
            try apply(updates, touched, to: &nested[i], path: path + [PathTag.messageNested, Int32(i)])
            nestedChanged = true
        }
        if nestedChanged { message.nestedType = nested }
    }

    private func apply(
        _ updates: [ElementPath: OptionUpdate], _ touched: Set<ElementPath>, to e: inout EnumProto, path: ElementPath
    ) throws(ProtobufError) {
        if let update = updates[path] {
            if let options: Google_Protobuf_EnumOptions = try decodeOptions(update, at: path) {
                e.options = options
            } else {
                e.clearOptions()
            }
        }
        var values = e.value
        var changed = false
        for i in values.indices {
            let valuePath = path + [PathTag.enumValue, Int32(i)]
            guard let update = updates[valuePath] else { continue }
            if let options: Google_Protobuf_EnumValueOptions = try decodeOptions(update, at: valuePath) {
                values[i].options = options
            } else {
                values[i].clearOptions()
            }
            changed = true
        }
        if changed { e.value = values }
    }
}
