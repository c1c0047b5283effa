import SwiftProtobuf

extension FileBuilder {
    func notDefinedError(_ miss: SymbolTable.Miss, name: String, _ path: ElementPath, _ kind: LocKind)
        -> ProtobufError
    {
        switch miss {
        case .notFound:
            return error("\"\(name)\" is not defined.", path, kind)
        case .notImported(let full, let other):
            return error(
                "\"\(full)\" seems to be defined in \"\(other)\", which is not imported by \"\(fileName)\".  "
                    + "To use it here, please add the necessary import.",
                path, kind
            )
        case .resolvedElsewhere(let full):
            return error(
                "\"\(name)\" is resolved to \"\(full)\", which is not defined. The innermost scope is searched first "
                    + "in name resolution. Consider using a leading '.'(i.e., \".\(name)\") to start from the "
                    + "outermost scope.",
                path, kind
            )
        }
    }

    func resolve(_ name: String, relativeTo: String, typesOnly: Bool, _ path: ElementPath, _ kind: LocKind)
        throws(ProtobufError) -> (String, SymbolTable.Symbol)
    {
        switch symbols.resolve(name, relativeTo: relativeTo, typesOnly: typesOnly, from: scope) {
        case .success(let found): return found
        case .failure(let miss): throw notDefinedError(miss, name: name, path, kind)
        }
    }

    // MARK: - Cross-linking

    mutating func crossLinkFile() throws(ProtobufError) {
        let package = file.package
        var messages = file.messageType
        for i in messages.indices {
            try crossLinkMessage(&messages[i], path: [PathTag.fileMessage, Int32(i)], scope: package)
        }
        file.messageType = messages
        var extensions = file.extension
        for i in extensions.indices {
            let path: ElementPath = [PathTag.fileExtension, Int32(i)]
            try log.collect { () throws(ProtobufError) in
                try crossLinkField(&extensions[i], path: path, fullName: Self.join(package, extensions[i].name))
                try checkExtensionNumber(extensions[i], path: path, scope: package)
            }
        }
        file.extension = extensions
        for i in file.service.indices {
            let serviceName = Self.join(file.package, file.service[i].name)
            for j in file.service[i].method.indices {
                let path: ElementPath = [PathTag.fileService, Int32(i), PathTag.serviceMethod, Int32(j)]
                let methodName = serviceName + "." + file.service[i].method[j].name
                for input in [true, false] {
                    try log.collect { () throws(ProtobufError) in
                        let written = input ? file.service[i].method[j].inputType : file.service[i].method[j].outputType
                        let kind: LocKind = input ? .inputType : .outputType
                        let (full, symbol) = try resolve(written, relativeTo: methodName, typesOnly: false, path, kind)
                        guard symbol.kind == .message else {
                            throw error("\"\(written)\" is not a message type.", path, kind)
                        }
                        if let message = visibilityError(full, symbol) { throw error(message, path, kind) }
                        if input {
                            file.service[i].method[j].inputType = "." + full
                        } else {
                            file.service[i].method[j].outputType = "." + full
                        }
                    }
                }
            }
        }
    }

    mutating func crossLinkMessage(_ message: inout DescriptorProto, path: ElementPath, scope: String)
        throws(ProtobufError)
    {
        let fullName = Self.join(scope, message.name)
        var nested = message.nestedType
        for i in nested.indices {
            try crossLinkMessage(&nested[i], path: path + [PathTag.messageNested, Int32(i)], scope: fullName)
        }
        message.nestedType = nested
        var fields = message.field
        var byNumber: [Int32: String] = [:]
        for i in fields.indices {
            let fieldPath = path + [PathTag.messageField, Int32(i)]
            try log.collect { () throws(ProtobufError) in
                try crossLinkField(&fields[i], path: fieldPath, fullName: fullName + "." + fields[i].name)
            }
            // protoc 35 checks the number of a field whose type did not resolve too.
            let field = fields[i]
            if let other = byNumber[field.number] {
                try log.record(error(
                    "Field number \(field.number) has already been used in \"\(fullName)\" by field \"\(other)\". "
                        + Self.nextFieldNumberHint(message) + ".",
                    fieldPath, .number
                ))
            } else {
                byNumber[field.number] = field.name
            }
        }
        message.field = fields
        var extensions = message.extension
        for i in extensions.indices {
            let extPath = path + [PathTag.messageExtension, Int32(i)]
            try log.collect { () throws(ProtobufError) in
                try crossLinkField(&extensions[i], path: extPath, fullName: fullName + "." + extensions[i].name)
                try checkExtensionNumber(extensions[i], path: extPath, scope: fullName)
            }
        }
        message.extension = extensions
        let usedOneofs = Set(fields.lazy.filter(\.hasOneofIndex).map(\.oneofIndex))
        for i in message.oneofDecl.indices where !usedOneofs.contains(Int32(i)) {
            try log.record(error("Oneof must have at least one field.", path + [PathTag.messageOneof, Int32(i)], .name))
        }
    }

    /// protoc's hint after a duplicate field number: the first number not used by a field or a range, found as
    /// protoc finds it (it stops at the first used span, in order, that does not hold the candidate).
    static func nextFieldNumberHint(_ message: DescriptorProto) -> String {
        var used: [(Int64, Int64)] = message.field.map { (Int64($0.number), Int64($0.number)) }
        used += message.extensionRange.map { (Int64($0.start), Int64($0.end) - 1) }
        used += message.reservedRange.map { (Int64($0.start), Int64($0.end) - 1) }
        var proposed: Int64 = 1
        for (start, end) in used.sorted(by: { $0 < $1 }) {
            if start <= proposed && proposed <= end {
                proposed = end + 1
            } else {
                break
            }
        }
        return proposed <= Int64(ProtoLimits.maxFieldNumber)
            ? "Next available field number is \(proposed)" : "There are no available field numbers"
    }

    /// The extendee must declare the number in an extension range, and one file may not use it twice.
    mutating func checkExtensionNumber(_ field: FieldProto, path: ElementPath, scope: String) throws(ProtobufError) {
        let extendee = String(field.extendee.dropFirst())
        guard let message = messageDescriptor(named: extendee) else { return }
        let ranges = extensionRangeIndexes[extendee] ?? RangeIndex(message.extensionRange.map { ($0.start, $0.end) })
        extensionRangeIndexes[extendee] = ranges
        if ranges.first(containing: field.number) == nil {
            throw error("\"\(extendee)\" does not declare \(field.number) as an extension number.", path, .number)
        }
        let fullName = Self.join(scope, field.name)
        if let other = extensionNumbersInFile[extendee]?[field.number] {
            throw error(
                "Extension number \(field.number) has already been used in \"\(extendee)\" by extension \"\(other)\".",
                path, .number
            )
        }
        extensionNumbersInFile[extendee, default: [:]][field.number] = fullName
    }

    mutating func crossLinkField(_ field: inout FieldProto, path: ElementPath, fullName: String) throws(ProtobufError) {
        if field.hasExtendee {
            let (full, symbol) = try resolve(field.extendee, relativeTo: fullName, typesOnly: false, path, .extendee)
            guard symbol.kind == .message else {
                throw error("\"\(field.extendee)\" is not a message type.", path, .extendee)
            }
            if let message = visibilityError(full, symbol, usage: "target of extend") {
                throw error(message, path, .extendee)
            }
            field.extendee = "." + full
        }
        if field.hasTypeName {
            let written = field.typeName
            let (full, symbol) = try resolve(written, relativeTo: fullName, typesOnly: true, path, .type)
            if let message = visibilityError(full, symbol) { throw error(message, path, .type) }
            if !field.hasType {
                switch symbol.kind {
                case .message: field.type = .message
                case .enumType: field.type = .enum
                default: throw error("\"\(written)\" is not a type.", path, .type)
                }
            }
            switch field.type {
            case .message, .group:
                guard symbol.kind == .message else { throw error("\"\(written)\" is not a message type.", path, .type) }
                if field.hasDefaultValue {
                    throw error("Messages can't have default values.", path, .defaultValue)
                }
            case .enum:
                guard symbol.kind == .enumType else { throw error("\"\(written)\" is not an enum type.", path, .type) }
                if field.hasDefaultValue {
                    if !ProtoNumberText.isIdentifier(field.defaultValue) {
                        throw error("Default value for an enum field must be an identifier.", path, .defaultValue)
                    }
                    if symbols.enumValues[full]?[field.defaultValue] == nil {
                        throw error(
                            "Enum type \"\(full)\" has no value named \"\(field.defaultValue)\".", path, .defaultValue
                        )
                    }
                }
            default:
                throw error("Field with primitive type has type_name.", path, .type)
            }
            field.typeName = "." + full
        }
        if !field.hasTypeName && [.message, .group, .enum].contains(field.type) {
            throw error("Field with message or enum type missing type_name.", path, .type)
        }
        if field.hasDefaultValue {
            field.defaultValue = Self.normalizedDefault(field.defaultValue, type: field.type)
        }
    }

    /// The default as protoc's `DefaultValueAsString` prints it after parsing the parser's text.
    static func normalizedDefault(_ text: String, type: FieldProto.TypeEnum) -> String {
        switch type {
        case .int32, .int64, .sint32, .sint64, .sfixed32, .sfixed64:
            return Int64(text).map { String($0) } ?? text
        case .uint32, .uint64, .fixed32, .fixed64:
            return UInt64(text).map { String($0) } ?? text
        case .double:
            switch text {
            case "inf", "-inf", "nan": return text
            default: return ProtoNumberText.simpleDtoa(Double(text) ?? .nan)
            }
        case .float:
            switch text {
            case "inf", "-inf", "nan": return text
            default: return ProtoNumberText.simpleFtoa(ProtoNumberText.safeFloat(Double(text) ?? .nan))
            }
        default:
            return text
        }
    }

    // MARK: - Finding linked types

    /// The descriptor of message `fullName` (no leading dot) in this file or a linked one.
    func messageDescriptor(named fullName: String) -> DescriptorProto? {
        guard let symbol = symbols.lookup(fullName), symbol.kind == .message else { return nil }
        let root = symbol.file == fileName ? file : linked[symbol.file]?.descriptor
        guard let root else { return nil }
        return Self.message(in: root, at: symbol.path)
    }

    func enumDescriptor(named fullName: String) -> EnumProto? {
        guard let symbol = symbols.lookup(fullName), symbol.kind == .enumType else { return nil }
        let root = symbol.file == fileName ? file : linked[symbol.file]?.descriptor
        guard let root, let last = symbol.path.last else { return nil }
        if symbol.path.count == 2 {
            return root.enumType.indices.contains(Int(last)) ? root.enumType[Int(last)] : nil
        }
        guard let parent = Self.message(in: root, at: Array(symbol.path.dropLast(2))),
            parent.enumType.indices.contains(Int(last))
        else { return nil }
        return parent.enumType[Int(last)]
    }

    func fieldDescriptor(named fullName: String) -> FieldProto? {
        guard let symbol = symbols.lookup(fullName), symbol.kind == .extensionField || symbol.kind == .field else {
            return nil
        }
        let root = symbol.file == fileName ? file : linked[symbol.file]?.descriptor
        guard let root, let last = symbol.path.last.map(Int.init) else { return nil }
        if symbol.path.count == 2 {
            return root.extension.indices.contains(last) ? root.extension[last] : nil
        }
        guard let parent = Self.message(in: root, at: Array(symbol.path.dropLast(2))) else { return nil }
        let list = symbol.path[symbol.path.count - 2] == PathTag.messageExtension ? parent.extension : parent.field
        return list.indices.contains(last) ? list[last] : nil
    }

    func editionOf(file name: String) -> ProtoEditionKind {
        name == fileName ? edition : (linked[name]?.edition ?? .proto2)
    }

    static func message(in file: FileProto, at path: ElementPath) -> DescriptorProto? {
        guard path.count >= 2, path[0] == PathTag.fileMessage, file.messageType.indices.contains(Int(path[1])) else {
            return nil
        }
        var message = file.messageType[Int(path[1])]
        var i = 2
        while i + 1 < path.count {
            guard path[i] == PathTag.messageNested, message.nestedType.indices.contains(Int(path[i + 1])) else {
                return nil
            }
            message = message.nestedType[Int(path[i + 1])]
            i += 2
        }
        return message
    }
}
