import SwiftProtobuf

extension ProtoParser {
    // MARK: - Enums

    mutating func parseEnumDefinition(path: ElementPath, visibility: Google_Protobuf_SymbolVisibility? = nil)
        throws(ProtobufError) -> EnumProto
    {
        try consume("enum")
        var enumType = EnumParts()
        mark(path, .name)
        enumType.name = try consumeIdentifier("Expected enum name.")
        try consumeEndOfDeclaration("{")
        while try !tryConsume("}") {
            if atEnd {
                throw error("Reached end of input in enum definition (missing '}').")
            }
            if try tryConsume(";") { continue }
            do {
                try parseEnumStatement(&enumType, path: path)
            } catch {
                try recover(from: error)
            }
        }
        try validateEnumAliasOption(enumType, path: path)
        var descriptor = enumType.descriptor
        if let visibility { descriptor.visibility = visibility }
        return descriptor
    }

    mutating func parseEnumStatement(_ enumType: inout EnumParts, path: ElementPath) throws(ProtobufError) {
        if lookingAt("option") {
            try parseOptionStatement(path: path)
        } else if lookingAt("reserved") {
            try parseEnumReserved(&enumType, path: path)
        } else {
            let valuePath = path + [PathTag.enumValue, Int32(enumType.value.count)]
            var value = Google_Protobuf_EnumValueDescriptorProto()
            mark(valuePath, .name)
            value.name = try consumeIdentifier("Expected enum constant name.")
            try consume("=", "Missing numeric value for enum constant.")
            mark(valuePath, .number)
            value.number = try consumeSignedInteger("Expected integer.")
            if try tryConsume("[") {
                repeat {
                    try parseOption(path: valuePath, statement: false)
                } while try tryConsume(",")
                try consume("]")
            }
            try consumeEndOfDeclaration(";")
            enumType.value.append(value)
        }
    }

    /// protoc's parser rejects `allow_alias = false` and `allow_alias = true` without aliases; it reports
    /// these at the token after the enum.
    func validateEnumAliasOption(_ enumType: EnumParts, path: ElementPath) throws(ProtobufError) {
        guard let option = (result.options[path] ?? []).first(where: { $0.isSimple && $0.name[0].name == "allow_alias" })
        else { return }
        var allow = false
        if case .identifier("true") = option.value { allow = true }
        if !allow {
            throw error(
                "\"\(enumType.name)\" declares 'option allow_alias = false;' which has no effect. "
                    + "Please remove the declaration."
            )
        }
        var seen = Set<Int32>()
        let hasDuplicates = enumType.value.contains { !seen.insert($0.number).inserted }
        if !hasDuplicates {
            throw error(
                "\"\(enumType.name)\" declares support for enum aliases but no enum values share field numbers. "
                    + "Please remove the unnecessary 'option allow_alias = true;' declaration."
            )
        }
    }

    mutating func parseEnumReserved(_ enumType: inout EnumParts, path: ElementPath) throws(ProtobufError) {
        try consume("reserved")
        if token.kind == .string || token.kind == .identifier {
            try parseReservedNames(into: &enumType.reservedName, isEnum: true)
            return
        }
        var first = true
        repeat {
            let rangePath = path + [PathTag.enumReservedRange, Int32(enumType.reservedRange.count)]
            mark(rangePath, .number)
            let start = try consumeSignedInteger(
                first ? "Expected enum value or number range." : "Expected enum number range."
            )
            var end = start
            if try tryConsume("to") {
                if try tryConsume("max") {
                    end = Int32.max
                } else {
                    end = try consumeSignedInteger("Expected integer.")
                }
            }
            var range = Google_Protobuf_EnumDescriptorProto.EnumReservedRange()
            range.start = start
            range.end = end
            enumType.reservedRange.append(range)
            first = false
        } while try tryConsume(",")
        try consumeEndOfDeclaration(";")
    }

    mutating func parseReservedNames(into names: inout [String], isEnum: Bool) throws(ProtobufError) {
        if token.kind == .string {
            if result.edition.isEditions {
                throw error("Reserved names must be identifiers in editions, not string literals.")
            }
            repeat {
                names.append(
                    try consumeUTF8String(
                        isEnum ? "Expected enum value string literal." : "Expected field name string literal."
                    )
                )
            } while try tryConsume(",")
        } else {
            if !result.edition.isEditions {
                throw error("Reserved names must be string literals. (Only editions supports identifiers.)")
            }
            repeat {
                names.append(
                    try consumeIdentifier(
                        isEnum ? "Expected enum value identifier." : "Expected field name identifier."
                    )
                )
            } while try tryConsume(",")
        }
        try consumeEndOfDeclaration(";")
    }

    // MARK: - Message ranges

    mutating func parseMessageReserved(_ message: inout MessageParts, path: ElementPath) throws(ProtobufError) {
        try consume("reserved")
        if token.kind == .string || token.kind == .identifier {
            try parseReservedNames(into: &message.reservedName, isEnum: false)
            return
        }
        var first = true
        repeat {
            let rangePath = path + [PathTag.messageReservedRange, Int32(message.reservedRange.count)]
            mark(rangePath, .number)
            let (start, end) = try parseFieldRange(
                first ? "Expected field name or number range." : "Expected field number range."
            )
            var range = DescriptorProto.ReservedRange()
            range.start = start
            range.end = end
            message.reservedRange.append(range)
            first = false
        } while try tryConsume(",")
        try consumeEndOfDeclaration(";")
    }

    /// `N`, `N to M` or `N to max` as a half-open range; `max` gives end -1, fixed up after the message.
    mutating func parseFieldRange(_ startMessage: String) throws(ProtobufError) -> (Int32, Int32) {
        let start = try consumeInteger(startMessage)
        if start == Int32.max { throw error("Field number out of bounds.") }
        var end = start
        if try tryConsume("to") {
            if try tryConsume("max") {
                return (start, -1)
            }
            end = try consumeInteger("Expected integer.")
            if end == Int32.max { throw error("Field number out of bounds.") }
        }
        return (start, end + 1)
    }

    mutating func parseExtensions(_ message: inout MessageParts, path: ElementPath) throws(ProtobufError) {
        try consume("extensions")
        let firstIndex = message.extensionRange.count
        repeat {
            let rangePath = path + [PathTag.messageExtensionRange, Int32(message.extensionRange.count)]
            mark(rangePath, .number)
            let (start, end) = try parseFieldRange("Expected field number range.")
            var range = DescriptorProto.ExtensionRange()
            range.start = start
            range.end = end
            message.extensionRange.append(range)
        } while try tryConsume(",")
        if lookingAt("[") {
            let firstPath = path + [PathTag.messageExtensionRange, Int32(firstIndex)]
            try consume("[")
            repeat {
                try parseOption(path: firstPath, statement: false)
            } while try tryConsume(",")
            try consume("]")
            let options = result.options[firstPath] ?? []
            for i in (firstIndex + 1)..<max(firstIndex + 1, message.extensionRange.count) {
                result.options[path + [PathTag.messageExtensionRange, Int32(i)]] = options
            }
        }
        try consumeEndOfDeclaration(";")
    }

    // MARK: - Extend

    mutating func parseExtend(
        extensions: inout [FieldProto],
        extensionPath: ElementPath,
        nested: inout [DescriptorProto],
        nestedPath: ElementPath,
        scopeIsFile: Bool
    ) throws(ProtobufError) {
        try consume("extend")
        let extendeePos = pos
        let extendee = try parseUserDefinedType()
        try consumeEndOfDeclaration("{")
        repeat {
            if atEnd {
                throw error("Reached end of input in extend definition (missing '}').")
            }
            let path = extensionPath + [Int32(extensions.count)]
            mark(path, .extendee, extendeePos)
            var field = FieldProto()
            field.extendee = extendee
            do {
                try parseMessageField(&field, path: path, nested: &nested, nestedPath: nestedPath)
                extensions.append(field)
            } catch {
                try recover(from: error)
            }
        } while try !tryConsume("}")
    }

    // MARK: - Services

    mutating func parseService(path: ElementPath) throws(ProtobufError) -> Google_Protobuf_ServiceDescriptorProto {
        try consume("service")
        var service = Google_Protobuf_ServiceDescriptorProto()
        mark(path, .name)
        service.name = try consumeIdentifier("Expected service name.")
        try consumeEndOfDeclaration("{")
        while try !tryConsume("}") {
            if atEnd {
                throw error("Reached end of input in service definition (missing '}').")
            }
            if try tryConsume(";") { continue }
            do {
                if lookingAt("option") {
                    try parseOptionStatement(path: path)
                } else {
                    let methodPath = path + [PathTag.serviceMethod, Int32(service.method.count)]
                    service.method.append(try parseMethod(path: methodPath))
                }
            } catch {
                try recover(from: error)
            }
        }
        return service
    }

    mutating func parseMethod(path: ElementPath) throws(ProtobufError) -> Google_Protobuf_MethodDescriptorProto {
        try consume("rpc")
        var method = Google_Protobuf_MethodDescriptorProto()
        mark(path, .name)
        method.name = try consumeIdentifier("Expected method name.")
        try consume("(")
        if try tryConsume("stream") { method.clientStreaming = true }
        mark(path, .inputType)
        method.inputType = try parseUserDefinedType()
        try consume(")")
        try consume("returns")
        try consume("(")
        if try tryConsume("stream") { method.serverStreaming = true }
        mark(path, .outputType)
        method.outputType = try parseUserDefinedType()
        try consume(")")
        if lookingAt("{") {
            try consume("{")
            // protoc gives a method with an options block an options message, even an empty one.
            method.options = Google_Protobuf_MethodOptions()
            while try !tryConsume("}") {
                if atEnd {
                    throw error("Reached end of input in method options (missing '}').")
                }
                if try tryConsume(";") { continue }
                do {
                    try parseOptionStatement(path: path)
                } catch {
                    try recover(from: error)
                }
            }
        } else {
            try consumeEndOfDeclaration(";")
        }
        return method
    }

    // MARK: - Options

    mutating func parseOptionStatement(path: ElementPath) throws(ProtobufError) {
        try consume("option")
        try parseOption(path: path, statement: true)
    }

    /// `name = value` (after `option`, or inside `[...]`), recorded for interpretation when linking.
    mutating func parseOption(path: ElementPath, statement: Bool) throws(ProtobufError) {
        let namePos = pos
        var parts: [ParsedOption.NamePart] = []
        repeat {
            if try tryConsume("(") {
                var name = ""
                if token.kind == .identifier {
                    name = try consumeIdentifier("Expected identifier.")
                }
                while try tryConsume(".") {
                    name += "." + (try consumeIdentifier("Expected identifier."))
                }
                try consume(")")
                parts.append(.init(name: name, isExtension: true))
            } else {
                parts.append(.init(name: try consumeIdentifier("Expected identifier."), isExtension: false))
            }
        } while try tryConsume(".")
        try consume("=")
        let valuePos = pos
        let negative = try tryConsume("-")
        let value: ParsedOption.Value
        switch token.kind {
        case .end:
            throw error("Unexpected end of stream while parsing option value.")
        case .identifier:
            let text = try consumeIdentifier("Expected identifier.")
            if negative {
                if text == "inf" {
                    value = .double(-.infinity)
                } else if text == "nan" {
                    value = .double(.nan)
                } else {
                    throw error("Identifier after '-' symbol must be inf or nan.")
                }
            } else {
                value = .identifier(text)
            }
        case .integer, .float:
            let max = negative ? UInt64(Int64.max) + 1 : UInt64.max
            if token.kind == .integer, let int = ProtoLexer.parseInteger(token.text, max: max) {
                try advance()
                value = negative ? .negativeInt(Int64(truncatingIfNeeded: 0 &- int)) : .positiveInt(int)
            } else {
                let number = try consumeNumber("Expected number.")
                value = .double(negative ? -number : number)
            }
        case .string:
            if negative { throw error("Invalid '-' symbol before string.") }
            value = .string(try consumeString("Expected string."))
        case .symbol:
            guard lookingAt("{") else { throw error("Expected option value.") }
            value = .aggregate(try parseAggregateTokens())
        }
        result.options[path, default: []].append(
            ParsedOption(name: parts, value: value, namePos: namePos, valuePos: valuePos)
        )
        if statement {
            try consumeEndOfDeclaration(";")
        }
    }

    /// The tokens of a `{ ... }` option value, without the outer braces.
    mutating func parseAggregateTokens() throws(ProtobufError) -> [ProtoToken] {
        try consume("{")
        var tokens: [ProtoToken] = []
        var depth = 1
        while true {
            if atEnd { throw error("Unexpected end of stream while parsing aggregate value.") }
            if lookingAt("{") {
                depth += 1
            } else if lookingAt("}") {
                depth -= 1
                if depth == 0 { break }
            }
            tokens.append(token)
            try advance()
        }
        try advance()
        return tokens
    }
}

/// An enum being parsed (see `MessageParts`).
struct EnumParts {
    var name = ""
    var value: [Google_Protobuf_EnumValueDescriptorProto] = []
    var reservedRange: [EnumProto.EnumReservedRange] = []
    var reservedName: [String] = []

    var descriptor: EnumProto {
        var e = EnumProto()
        e.name = name
        e.value = value
        e.reservedRange = reservedRange
        e.reservedName = reservedName
        return e
    }
}
