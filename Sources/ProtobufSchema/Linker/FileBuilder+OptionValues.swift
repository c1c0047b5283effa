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

    /// Decodes the interpreted options into the element's options message.
    mutating func storeOptions(_ records: [WireRecord], kind: ElementKind, path: ElementPath, clear: Bool)
        throws(ProtobufError)
    {
        if clear {
            clearOptions(kind: kind, path: path)
            return
        }
        let bytes = WireRecord.encode(records)
        func decode<M: SwiftProtobuf.Message>(_ type: M.Type) throws(ProtobufError) -> M {
            do {
                return try M(serializedBytes: bytes)
            } catch {
                throw self.error("Some options could not be correctly parsed: \(error)", path, .name)
            }
        }
        switch kind {
        case .file:
            file.options = try decode(Google_Protobuf_FileOptions.self)
        case .message:
            let options = try decode(Google_Protobuf_MessageOptions.self)
            Self.modifyMessage(&file, path) { $0.options = options }
        case .field:
            let options = try decode(Google_Protobuf_FieldOptions.self)
            Self.modifyField(&file, path) { $0.options = options }
        case .oneof:
            let options = try decode(Google_Protobuf_OneofOptions.self)
            Self.modifyMessage(&file, Array(path.dropLast(2))) { m in
                if let i = path.last.map(Int.init), m.oneofDecl.indices.contains(i) { m.oneofDecl[i].options = options }
            }
        case .extensionRange:
            let options = try decode(Google_Protobuf_ExtensionRangeOptions.self)
            Self.modifyMessage(&file, Array(path.dropLast(2))) { m in
                if let i = path.last.map(Int.init), m.extensionRange.indices.contains(i) { m.extensionRange[i].options = options }
            }
        case .enumType:
            let options = try decode(Google_Protobuf_EnumOptions.self)
            Self.modifyEnum(&file, path) { $0.options = options }
        case .enumValue:
            let options = try decode(Google_Protobuf_EnumValueOptions.self)
            Self.modifyEnum(&file, Array(path.dropLast(2))) { e in
                if let i = path.last.map(Int.init), e.value.indices.contains(i) { e.value[i].options = options }
            }
        case .service:
            let options = try decode(Google_Protobuf_ServiceOptions.self)
            if let i = path.last.map(Int.init), file.service.indices.contains(i) { file.service[i].options = options }
        case .method:
            let options = try decode(Google_Protobuf_MethodOptions.self)
            let s = Int(path[1]), m = Int(path[3])
            if file.service.indices.contains(s), file.service[s].method.indices.contains(m) {
                file.service[s].method[m].options = options
            }
        }
    }

    mutating func clearOptions(kind: ElementKind, path: ElementPath) {
        let index = path.last.map(Int.init) ?? 0
        switch kind {
        case .file: file.clearOptions()
        case .message: Self.modifyMessage(&file, path) { $0.clearOptions() }
        case .field: Self.modifyField(&file, path) { $0.clearOptions() }
        case .oneof:
            Self.modifyMessage(&file, Array(path.dropLast(2))) { m in
                if m.oneofDecl.indices.contains(index) { m.oneofDecl[index].clearOptions() }
            }
        case .extensionRange:
            Self.modifyMessage(&file, Array(path.dropLast(2))) { m in
                if m.extensionRange.indices.contains(index) { m.extensionRange[index].clearOptions() }
            }
        case .enumType: Self.modifyEnum(&file, path) { $0.clearOptions() }
        case .enumValue:
            Self.modifyEnum(&file, Array(path.dropLast(2))) { e in
                if e.value.indices.contains(index) { e.value[index].clearOptions() }
            }
        case .service:
            if file.service.indices.contains(index) { file.service[index].clearOptions() }
        case .method:
            let s = Int(path[1])
            if file.service.indices.contains(s), file.service[s].method.indices.contains(index) {
                file.service[s].method[index].clearOptions()
            }
        }
    }

    // MARK: - Editing elements by path

    static func modifyMessage(_ file: inout FileProto, _ path: ElementPath, _ body: (inout DescriptorProto) -> Void) {
        guard path.count >= 2, path[0] == PathTag.fileMessage, file.messageType.indices.contains(Int(path[1])) else {
            return
        }
        modifyNested(&file.messageType[Int(path[1])], path.dropFirst(2), body)
    }

    private static func modifyNested(
        _ message: inout DescriptorProto, _ rest: ArraySlice<Int32>, _ body: (inout DescriptorProto) -> Void
    ) {
        guard rest.count >= 2 else {
            body(&message)
            return
        }
        let tag = rest[rest.startIndex], index = Int(rest[rest.startIndex + 1])
        guard tag == PathTag.messageNested, message.nestedType.indices.contains(index) else { return }
        modifyNested(&message.nestedType[index], rest.dropFirst(2), body)
    }

    static func modifyField(_ file: inout FileProto, _ path: ElementPath, _ body: (inout FieldProto) -> Void) {
        guard let last = path.last.map(Int.init) else { return }
        if path.count == 2 {
            if file.extension.indices.contains(last) { body(&file.extension[last]) }
            return
        }
        let tag = path[path.count - 2]
        modifyMessage(&file, Array(path.dropLast(2))) { m in
            if tag == PathTag.messageField, m.field.indices.contains(last) { body(&m.field[last]) }
            if tag == PathTag.messageExtension, m.extension.indices.contains(last) { body(&m.extension[last]) }
        }
    }

    static func modifyEnum(_ file: inout FileProto, _ path: ElementPath, _ body: (inout EnumProto) -> Void) {
        guard let last = path.last.map(Int.init) else { return }
        if path.count == 2 {
            if file.enumType.indices.contains(last) { body(&file.enumType[last]) }
            return
        }
        modifyMessage(&file, Array(path.dropLast(2))) { m in
            if m.enumType.indices.contains(last) { body(&m.enumType[last]) }
        }
    }
}
