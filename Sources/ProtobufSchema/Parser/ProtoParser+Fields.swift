import SwiftProtobuf

extension ProtoParser {
    static let scalarTypes: [String: FieldProto.TypeEnum] = [
        "double": .double, "float": .float, "int64": .int64, "uint64": .uint64, "int32": .int32,
        "fixed64": .fixed64, "fixed32": .fixed32, "bool": .bool, "string": .string, "group": .group,
        "bytes": .bytes, "uint32": .uint32, "sfixed32": .sfixed32, "sfixed64": .sfixed64,
        "sint32": .sint32, "sint64": .sint64,
    ]

    mutating func parseMessageField(
        _ field: inout FieldProto,
        path: ElementPath,
        nested: inout [DescriptorProto],
        nestedPath: ElementPath
    ) throws(ProtobufError) {
        if lookingAt("optional") || lookingAt("repeated") || lookingAt("required") {
            // protoc reports these and reads on (its `RecordError` without failing the statement).
            if result.edition.isEditions && lookingAt("optional") {
                try report(
                    "Label \"optional\" is not supported in editions. By default, all singular fields have "
                        + "presence unless features.field_presence is set."
                )
            }
            if result.edition.isEditions && lookingAt("required") {
                try report(
                    "Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED."
                )
            }
            mark(path, .label)
            if try tryConsume("optional") {
                field.label = .optional
                if result.edition == .proto3 { field.proto3Optional = true }
            } else if try tryConsume("repeated") {
                field.label = .repeated
            } else {
                try consume("required")
                field.label = .required
            }
        }
        try parseMessageFieldNoLabel(&field, path: path, nested: &nested, nestedPath: nestedPath)
    }

    mutating func parseType() throws(ProtobufError) -> (FieldProto.TypeEnum?, String) {
        if token.kind == .identifier, let type = Self.scalarTypes[token.text] {
            if result.edition.isEditions && type == .group {
                try report(
                    "Group syntax is no longer supported in editions. To get group behavior you can specify "
                        + "features.message_encoding = DELIMITED on a message field."
                )
            }
            try advance()
            return (type, "")
        }
        return (nil, try parseUserDefinedType())
    }

    mutating func parseUserDefinedType() throws(ProtobufError) -> String {
        if token.kind == .identifier, Self.scalarTypes[token.text] != nil {
            // protoc reports it and takes the word as the type name to read on.
            try report("Expected message type.")
            let name = token.text
            try advance()
            return name
        }
        var name = ""
        if try tryConsume(".") { name = "." }
        name += try consumeIdentifier("Expected type name.")
        while try tryConsume(".") {
            name += "." + (try consumeIdentifier("Expected identifier."))
        }
        return name
    }

    mutating func parseMessageFieldNoLabel(
        _ field: inout FieldProto,
        path: ElementPath,
        nested: inout [DescriptorProto],
        nestedPath: ElementPath
    ) throws(ProtobufError) {
        mark(path, .type)
        var isMap = false
        var mapKey: (FieldProto.TypeEnum?, String) = (nil, "")
        var mapValue: (FieldProto.TypeEnum?, String) = (nil, "")
        var typeParsed = false
        if try tryConsume("map") {
            if lookingAt("<") {
                isMap = true
                if field.hasOneofIndex { throw error("Map fields are not allowed in oneofs.") }
                if field.hasLabel {
                    throw error("Field labels (required/optional/repeated) are not allowed on map fields.")
                }
                if field.hasExtendee { throw error("Map fields are not allowed to be extensions.") }
                field.label = .repeated
                try consume("<")
                mapKey = try parseType()
                try consume(",")
                mapValue = try parseType()
                try consume(">")
            } else {
                typeParsed = true
                field.typeName = "map"
            }
        }
        if !isMap {
            if !field.hasLabel {
                if result.edition == .proto2 {
                    // protoc assumes the label was left out, reports it and reads on.
                    try report("Expected \"required\", \"optional\", or \"repeated\".")
                }
                field.label = .optional
            }
            if !typeParsed {
                let (type, name) = try parseType()
                if let type { field.type = type } else { field.typeName = name }
            }
        }
        let nameToken = token
        mark(path, .name)
        field.name = try consumeIdentifier("Expected field name.")
        try consume("=", "Missing field number.")
        mark(path, .number)
        field.number = try consumeInteger("Expected field number.")
        try parseFieldOptions(&field, path: path)

        if field.hasType && field.type == .group {
            let groupPath = nestedPath + [Int32(nested.count)]
            var group = MessageParts()
            group.name = field.name
            result.locations[LocKey(path: groupPath, kind: .name)] = SourcePos(
                line: nameToken.line, column: nameToken.column
            )
            if let first = group.name.utf8.first, !(first >= 0x41 && first <= 0x5A) {
                try report(
                    "Group names must start with a capital letter.",
                    at: SourcePos(line: nameToken.line, column: nameToken.column)
                )
            }
            field.name = field.name.lowercased()
            field.typeName = group.name
            guard lookingAt("{") else { throw error("Missing group body.") }
            try enterNesting()
            defer { depth -= 1 }
            try parseMessageBlock(&group, path: groupPath)
            nested.append(group.descriptor)
        } else {
            try consumeEndOfDeclaration(";")
        }

        if isMap {
            let entryPath = nestedPath + [Int32(nested.count)]
            nested.append(makeMapEntry(field: &field, key: mapKey, value: mapValue, fieldPath: path, entryPath: entryPath))
        }
    }

    static func mapEntryName(_ fieldName: String) -> String {
        var out = ""
        var capNext = true
        for c in fieldName {
            if c == "_" {
                capNext = true
            } else if capNext {
                out.append(c.isASCII && c.isLowercase ? Character(c.uppercased()) : c)
                capNext = false
            } else {
                out.append(c)
            }
        }
        return out + "Entry"
    }

    mutating func makeMapEntry(
        field: inout FieldProto,
        key: (FieldProto.TypeEnum?, String),
        value: (FieldProto.TypeEnum?, String),
        fieldPath: ElementPath,
        entryPath: ElementPath
    ) -> DescriptorProto {
        let name = Self.mapEntryName(field.name)
        field.typeName = name
        var entry = DescriptorProto()
        entry.name = name
        entry.options.mapEntry = true
        func part(_ n: String, _ number: Int32, _ t: (FieldProto.TypeEnum?, String)) -> FieldProto {
            var f = FieldProto()
            f.name = n
            f.label = .optional
            f.number = number
            if let type = t.0 { f.type = type } else { f.typeName = t.1 }
            return f
        }
        entry.field = [part("key", 1, key), part("value", 2, value)]
        // Features (and enforce_utf8 on string parts) written on a map field apply to its key and value.
        for option in result.options[fieldPath] ?? [] where !option.name[0].isExtension {
            for (i, f) in entry.field.enumerated() {
                let copy = option.name[0].name == "features"
                    || (option.name.count == 1 && option.name[0].name == "enforce_utf8" && f.type == .string)
                if copy {
                    result.options[entryPath + [PathTag.messageField, Int32(i)], default: []].append(option)
                }
            }
        }
        let typePos = result.position(fieldPath, .type)
        for i in 0..<2 {
            let p = entryPath + [PathTag.messageField, Int32(i)]
            for kind in [LocKind.name, .number, .type] {
                if let typePos { result.locations[LocKey(path: p, kind: kind)] = typePos }
            }
        }
        if let typePos { result.locations[LocKey(path: entryPath, kind: .name)] = typePos }
        result.mapEntryPaths.insert(entryPath)
        return entry
    }

    mutating func parseFieldOptions(_ field: inout FieldProto, path: ElementPath) throws(ProtobufError) {
        guard lookingAt("[") else { return }
        try consume("[")
        repeat {
            if lookingAt("default") {
                try parseDefaultAssignment(&field, path: path)
            } else if lookingAt("json_name") {
                if field.hasJsonName {
                    try report("Already set option \"json_name\".")
                    field.clearJsonName()
                }
                mark(path, .jsonName)
                try consume("json_name")
                try consume("=")
                field.jsonName = try consumeUTF8String("Expected string for JSON name.")
            } else {
                try parseOption(path: path, statement: false)
            }
        } while try tryConsume(",")
        try consume("]")
    }

    mutating func parseDefaultAssignment(_ field: inout FieldProto, path: ElementPath) throws(ProtobufError) {
        if field.hasDefaultValue {
            try report("Already set option \"default\".")
            field.clearDefaultValue()
        }
        try consume("default")
        try consume("=")
        mark(path, .defaultValue)
        guard field.hasType else {
            // A named type: an enum value name checked when linking (or a message, which is an error then).
            field.defaultValue = token.text
            try advance()
            return
        }
        var text = ""
        switch field.type {
        case .int32, .int64, .sint32, .sint64, .sfixed32, .sfixed64:
            var max = UInt64(Int64.max)
            if [.int32, .sint32, .sfixed32].contains(field.type) { max = UInt64(Int32.max) }
            if try tryConsume("-") {
                text = "-"
                max += 1
            }
            text += String(try consumeInteger64(max: max, "Expected integer for field default value."))
        case .uint32, .uint64, .fixed32, .fixed64:
            let max = (field.type == .uint32 || field.type == .fixed32) ? UInt64(UInt32.max) : UInt64.max
            if try tryConsume("-") { try report("Unsigned field can't have negative default value.") }
            text = String(try consumeInteger64(max: max, "Expected integer for field default value."))
        case .float, .double:
            if try tryConsume("-") { text = "-" }
            text += ProtoNumberText.simpleDtoa(try consumeNumber("Expected number."))
        case .bool:
            if try tryConsume("true") {
                text = "true"
            } else if try tryConsume("false") {
                text = "false"
            } else {
                throw error("Expected \"true\" or \"false\".")
            }
        case .string:
            text = try consumeUTF8String("Expected string for field default value.")
        case .bytes:
            text = ProtoNumberText.cEscape(try consumeString("Expected string."))
        case .enum:
            text = try consumeIdentifier("Expected enum identifier for field default value.")
        case .message, .group:
            throw error("Messages can't have default values.")
        }
        field.defaultValue = text
    }
}
