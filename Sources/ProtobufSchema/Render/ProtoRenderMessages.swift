import SwiftProtobuf

typealias ProtoField = Google_Protobuf_FieldDescriptorProto

extension ProtoFileRenderer {
    static func indent(_ lines: [String]) -> [String] {
        lines.map { $0.isEmpty ? $0 : "  " + $0 }
    }

    /// `{` … `}` around `body`, or `{}` when it is empty.
    static func braced(_ head: String, _ body: [String]) -> [String] {
        body.isEmpty ? [head + " {}"] : [head + " {"] + indent(body) + ["}"]
    }

    private static func visibility(_ value: Google_Protobuf_SymbolVisibility, set: Bool) -> String {
        guard set else { return "" }
        switch value {
        case .visibilityExport: return "export "
        case .visibilityLocal: return "local "
        default: return ""
        }
    }

    // MARK: Messages

    func messageLines(_ message: Google_Protobuf_DescriptorProto, scope: String) -> [String] {
        let head = Self.visibility(message.visibility, set: message.hasVisibility) + "message \(message.name)"
        return Self.braced(head, messageBody(message, scope: scope))
    }

    func messageBody(_ message: Google_Protobuf_DescriptorProto, scope: String) -> [String] {
        let name = ProtoRenderText.join(scope, message.name)
        var items: [ProtoRenderItem] = statements(message.options, "MessageOptions", relativeTo: name).map {
            ProtoRenderItem(kind: .header, lines: [$0])
        }
        let setMax: Int32 = message.options.messageSetWireFormat ? Int32.max - 1 : 536_870_911
        if !message.reservedRange.isEmpty {
            let ranges = message.reservedRange.map { Self.range($0.start, $0.end &- 1, max: 536_870_911) }
            items.append(ProtoRenderItem(kind: .header, lines: ["reserved \(ranges.joined(separator: ", "));"]))
        }
        if !message.reservedName.isEmpty {
            items.append(ProtoRenderItem(kind: .header, lines: [reservedNames(message.reservedName)]))
        }
        for range in message.extensionRange {
            let entries = bracketEntries(range.options, "ExtensionRangeOptions", relativeTo: name)
            let text = Self.range(range.start, range.end &- 1, max: setMax)
            items.append(ProtoRenderItem(kind: .header, lines: ["extensions \(text)\(Self.bracket(entries));"]))
        }

        // Fields, grouped into oneof blocks.
        var fieldUnits: [Unit] = []
        var index = 0
        while index < message.field.count {
            let field = message.field[index]
            if field.hasOneofIndex, !field.proto3Optional,
                message.oneofDecl.indices.contains(Int(field.oneofIndex))
            {
                var members: [ProtoField] = []
                while index < message.field.count, message.field[index].hasOneofIndex,
                    !message.field[index].proto3Optional, message.field[index].oneofIndex == field.oneofIndex
                {
                    members.append(message.field[index])
                    index += 1
                }
                let oneof = message.oneofDecl[Int(field.oneofIndex)]
                var body = statements(oneof.options, "OneofOptions", relativeTo: "\(name).\(oneof.name)")
                var owned: [Int] = []
                for member in members {
                    let (lines, nested) = fieldLines(member, scope: name, siblings: message.nestedType, inOneof: true)
                    body += lines
                    owned += nested.map { [$0] } ?? []
                }
                fieldUnits.append(Unit(owned: owned, item: ProtoRenderItem(kind: .block, lines: Self.braced("oneof \(oneof.name)", body))))
            } else {
                let (lines, nested) = fieldLines(field, scope: name, siblings: message.nestedType, inOneof: false)
                fieldUnits.append(Unit(owned: nested.map { [$0] } ?? [], item: ProtoRenderItem(kind: .field, lines: lines)))
                index += 1
            }
        }
        let extensionUnits = extendUnits(message.extension, scope: name, siblings: message.nestedType)
        let enums = message.enumType.map { ProtoRenderItem(kind: .block, lines: enumLines($0, scope: name)) }
        items += Self.merge(
            fieldUnits: fieldUnits,
            extendUnits: extensionUnits,
            nestedCount: message.nestedType.count,
            nested: { ProtoRenderItem(kind: .block, lines: messageLines(message.nestedType[$0], scope: name)) },
            tail: enums
        )
        return ProtoRenderItem.join(items)
    }

    static func range(_ start: Int32, _ endInclusive: Int32, max: Int32) -> String {
        if start == endInclusive { return "\(start)" }
        return "\(start) to \(endInclusive == max ? "max" : "\(endInclusive)")"
    }

    func reservedNames(_ names: [String]) -> String {
        let list = names.map { syntax == .editions ? $0 : ProtoRenderText.quoted($0) }
        return "reserved \(list.joined(separator: ", "));"
    }

    // MARK: Fields

    /// The nested type (index into `siblings`) that `field` declares inline: its map entry or group body.
    func declaredNestedType(_ field: ProtoField, scope: String, siblings: [Google_Protobuf_DescriptorProto]) -> Int? {
        guard field.type == .message || field.type == .group else { return nil }
        let target = ProtoRenderText.strip(field.typeName)
        guard let index = siblings.firstIndex(where: { ProtoRenderText.join(scope, $0.name) == target }) else {
            return nil
        }
        let nested = siblings[index]
        if field.type == .group {
            return nested.name.lowercased() == field.name ? index : nil
        }
        let isMap = field.label == .repeated && nested.options.mapEntry && field.extendee.isEmpty
            && nested.field.count == 2 && nested.field.contains { $0.number == 1 } && nested.field.contains { $0.number == 2 }
        return isMap ? index : nil
    }

    private func label(_ field: ProtoField, inOneof: Bool) -> String {
        if inOneof { return "" }
        switch field.label {
        case .repeated: return "repeated "
        case .required: return syntax == .proto2 ? "required " : ""
        default:
            switch syntax {
            case .proto2: return "optional "
            case .proto3: return field.proto3Optional ? "optional " : ""
            case .editions: return ""
            }
        }
    }

    private func typeText(_ field: ProtoField, relativeTo: String) -> String {
        if field.hasType, let keyword = ProtoRenderText.scalarKeyword(field.type) { return keyword }
        return symbols.shortestName(for: ProtoRenderText.strip(field.typeName), relativeTo: relativeTo, typesOnly: true)
    }

    private func defaultText(_ field: ProtoField) -> String {
        switch field.type {
        case .string: ProtoRenderText.quoted(field.defaultValue)
        case .bytes: "\"" + field.defaultValue + "\""
        default: field.defaultValue
        }
    }

    /// The lines of one field (several for a group) and the nested type it declares, if any.
    func fieldLines(
        _ field: ProtoField,
        scope: String,
        siblings: [Google_Protobuf_DescriptorProto],
        inOneof: Bool
    ) -> ([String], Int?) {
        let fullName = ProtoRenderText.join(scope, field.name)
        var entries: [String] = []
        if field.hasDefaultValue { entries.append("default = \(defaultText(field))") }
        if field.hasJsonName, field.extendee.isEmpty, field.jsonName != ProtoNames.defaultJSONName(field.name) {
            entries.append("json_name = \(ProtoRenderText.quoted(field.jsonName))")
        }
        entries += bracketEntries(field.options, "FieldOptions", relativeTo: fullName)
        let options = Self.bracket(entries)
        let nestedIndex = declaredNestedType(field, scope: scope, siblings: siblings)
        if let nestedIndex {
            let nested = siblings[nestedIndex]
            let nestedName = ProtoRenderText.join(scope, nested.name)
            if field.type == .group {
                let head = "\(label(field, inOneof: inOneof))group \(nested.name) = \(field.number)\(options)"
                return (Self.braced(head, messageBody(nested, scope: scope)), nestedIndex)
            }
            let key = nested.field.first { $0.number == 1 }
            let value = nested.field.first { $0.number == 2 }
            if let key, let value {
                let keyText = typeText(key, relativeTo: "\(nestedName).\(key.name)")
                let valueText = typeText(value, relativeTo: "\(nestedName).\(value.name)")
                return (["map<\(keyText), \(valueText)> \(field.name) = \(field.number)\(options);"], nestedIndex)
            }
        }
        let type = typeText(field, relativeTo: fullName)
        return (["\(label(field, inOneof: inOneof))\(type) \(field.name) = \(field.number)\(options);"], nil)
    }

    /// `extend` blocks for runs of extensions with the same extendee.
    func extendUnits(_ fields: [ProtoField], scope: String, siblings: [Google_Protobuf_DescriptorProto]) -> [Unit] {
        var units: [Unit] = []
        var index = 0
        while index < fields.count {
            let extendee = fields[index].extendee
            var body: [String] = []
            var owned: [Int] = []
            let first = ProtoRenderText.join(scope, fields[index].name)
            while index < fields.count, fields[index].extendee == extendee {
                let (lines, nested) = fieldLines(fields[index], scope: scope, siblings: siblings, inOneof: false)
                body += lines
                owned += nested.map { [$0] } ?? []
                index += 1
            }
            let name = symbols.shortestName(for: ProtoRenderText.strip(extendee), relativeTo: first, typesOnly: false)
            units.append(Unit(owned: owned, item: ProtoRenderItem(kind: .block, lines: Self.braced("extend \(name)", body))))
        }
        return units
    }

    // MARK: Enums and services

    func enumLines(_ enumType: Google_Protobuf_EnumDescriptorProto, scope: String) -> [String] {
        let name = ProtoRenderText.join(scope, enumType.name)
        var body = statements(enumType.options, "EnumOptions", relativeTo: name)
        if !enumType.reservedRange.isEmpty {
            let ranges = enumType.reservedRange.map { Self.range($0.start, $0.end, max: Int32.max) }
            body.append("reserved \(ranges.joined(separator: ", "));")
        }
        if !enumType.reservedName.isEmpty { body.append(reservedNames(enumType.reservedName)) }
        for value in enumType.value {
            let entries = bracketEntries(value.options, "EnumValueOptions", relativeTo: ProtoRenderText.join(scope, value.name))
            body.append("\(value.name) = \(value.number)\(Self.bracket(entries));")
        }
        let head = Self.visibility(enumType.visibility, set: enumType.hasVisibility) + "enum \(enumType.name)"
        return Self.braced(head, body)
    }

    func serviceLines(_ service: Google_Protobuf_ServiceDescriptorProto, scope: String) -> [String] {
        let name = ProtoRenderText.join(scope, service.name)
        var body = statements(service.options, "ServiceOptions", relativeTo: name)
        for method in service.method {
            let methodName = "\(name).\(method.name)"
            let input = symbols.shortestName(for: ProtoRenderText.strip(method.inputType), relativeTo: methodName, typesOnly: false)
            let output = symbols.shortestName(for: ProtoRenderText.strip(method.outputType), relativeTo: methodName, typesOnly: false)
            let head = "rpc \(method.name)(\(method.clientStreaming ? "stream " : "")\(input)) returns (\(method.serverStreaming ? "stream " : "")\(output))"
            let methodOptions = statements(method.options, "MethodOptions", relativeTo: methodName)
            body += methodOptions.isEmpty ? [head + ";"] : [head + " {"] + Self.indent(methodOptions) + ["}"]
        }
        return Self.braced("service \(service.name)", body)
    }
}
