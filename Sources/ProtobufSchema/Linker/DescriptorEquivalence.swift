import SwiftProtobuf

/// Whether two descriptors of one file declare the same schema: the same definitions with the same names, in the
/// same order and nesting, and the same field numbers, labels, types, type names, oneof membership, defaults,
/// JSON names, enum values, methods, package, syntax and imports.
///
/// Used to prove that the canonical text of an accepted descriptor compiles back to it. Left out is what text
/// compilation fills in on its own: the file name (the registry compiles under its own), `source_code_info`,
/// `json_name` where it is the default, and options (the renderer prints those it can decode; a second render
/// of the compiled text catches any that do not survive).
enum DescriptorEquivalence {
    /// A sentence naming the first element where `accepted` and `compiled` differ, or nil when they agree.
    static func firstDifference(_ accepted: FileProto, _ compiled: FileProto) -> String? {
        let acceptedSyntax = accepted.syntax.isEmpty ? "proto2" : accepted.syntax
        let compiledSyntax = compiled.syntax.isEmpty ? "proto2" : compiled.syntax
        if acceptedSyntax != compiledSyntax { return "syntax \(acceptedSyntax) reads back as \(compiledSyntax)" }
        if acceptedSyntax == "editions", accepted.edition != compiled.edition {
            return "edition \(accepted.edition) reads back as \(compiled.edition)"
        }
        if accepted.package != compiled.package {
            return "package \(accepted.package) reads back as \(compiled.package)"
        }
        if accepted.dependency != compiled.dependency || accepted.publicDependency != compiled.publicDependency
            || accepted.weakDependency != compiled.weakDependency
        {
            return "the imports read back as \(compiled.dependency)"
        }
        let scope = accepted.package
        return messages(accepted.messageType, compiled.messageType, scope: scope)
            ?? enums(accepted.enumType, compiled.enumType, scope: scope)
            ?? list(accepted.service, compiled.service, "service", scope: scope, name: \.name, same: services)
            ?? fields(accepted.extension, compiled.extension, "extension", scope: scope)
    }

    /// Compares two lists element by element: the same count, the same names in order, then `same` on each pair.
    static func list<T>(
        _ accepted: [T], _ compiled: [T], _ what: String, scope: String,
        name: (T) -> String, same: (T, T, String) -> String?
    ) -> String? {
        let place = scope.isEmpty ? "the file" : scope
        for (a, c) in zip(accepted, compiled) {
            if name(a) != name(c) {
                return "\(what) \(ProtoRenderText.quoted(name(a))) in \(place) reads back as \(ProtoRenderText.quoted(name(c)))"
            }
            if let difference = same(a, c, ProtoRenderText.join(scope, name(a))) { return difference }
        }
        if accepted.count != compiled.count {
            return "\(place) has \(accepted.count) \(what)s, but its text declares \(compiled.count)"
        }
        return nil
    }

    static func messages(_ accepted: [DescriptorProto], _ compiled: [DescriptorProto], scope: String) -> String? {
        list(accepted, compiled, "message", scope: scope, name: \.name) { a, c, fullName in
            if a.options.mapEntry != c.options.mapEntry { return "\(fullName) reads back with a different map_entry" }
            if a.reservedName != c.reservedName { return "the reserved names of \(fullName) read back differently" }
            if a.reservedRange.map({ [$0.start, $0.end] }) != c.reservedRange.map({ [$0.start, $0.end] }) {
                return "the reserved ranges of \(fullName) read back differently"
            }
            if a.extensionRange.map({ [$0.start, $0.end] }) != c.extensionRange.map({ [$0.start, $0.end] }) {
                return "the extension ranges of \(fullName) read back differently"
            }
            return fields(a.field, c.field, "field", scope: fullName)
                ?? list(a.oneofDecl, c.oneofDecl, "oneof", scope: fullName, name: \.name) { _, _, _ in nil }
                ?? fields(a.extension, c.extension, "extension", scope: fullName)
                ?? messages(a.nestedType, c.nestedType, scope: fullName)
                ?? enums(a.enumType, c.enumType, scope: fullName)
        }
    }

    static func fields(_ accepted: [FieldProto], _ compiled: [FieldProto], _ what: String, scope: String) -> String? {
        list(accepted, compiled, what, scope: scope, name: \.name) { a, c, fullName in
            let parts: [(String, Bool)] = [
                ("number", a.number == c.number),
                ("label", a.label == c.label),
                ("type", a.type == c.type),
                ("type name", a.typeName == c.typeName),
                ("extendee", a.extendee == c.extendee),
                ("oneof", a.hasOneofIndex == c.hasOneofIndex && a.oneofIndex == c.oneofIndex),
                ("proto3 optional", a.proto3Optional == c.proto3Optional),
                ("default", sameDefault(a, c)),
                ("JSON name", !a.extendee.isEmpty || jsonName(a) == jsonName(c)),
            ]
            guard let (part, _) = parts.first(where: { !$0.1 }) else { return nil }
            return "\(what) \(fullName) reads back with a different \(part)"
        }
    }

    static func jsonName(_ field: FieldProto) -> String {
        field.hasJsonName ? field.jsonName : ProtoNames.defaultJSONName(field.name)
    }

    /// Float defaults compare by value (producers spell them differently, e.g. `1e+06` and `1000000`).
    static func sameDefault(_ a: FieldProto, _ c: FieldProto) -> Bool {
        guard a.hasDefaultValue == c.hasDefaultValue else { return false }
        guard a.type == .float || a.type == .double, a.defaultValue != c.defaultValue else {
            return a.defaultValue == c.defaultValue
        }
        guard let x = Double(a.defaultValue), let y = Double(c.defaultValue) else { return false }
        return x == y || (x.isNaN && y.isNaN)
    }

    static func enums(_ accepted: [EnumProto], _ compiled: [EnumProto], scope: String) -> String? {
        list(accepted, compiled, "enum", scope: scope, name: \.name) { a, c, fullName in
            if a.reservedName != c.reservedName { return "the reserved names of \(fullName) read back differently" }
            if a.reservedRange.map({ [$0.start, $0.end] }) != c.reservedRange.map({ [$0.start, $0.end] }) {
                return "the reserved ranges of \(fullName) read back differently"
            }
            return list(a.value, c.value, "enum value", scope: fullName, name: \.name) { x, y, valueName in
                x.number == y.number ? nil : "enum value \(valueName) reads back with a different number"
            }
        }
    }

    static func services(
        _ a: Google_Protobuf_ServiceDescriptorProto, _ c: Google_Protobuf_ServiceDescriptorProto, _ fullName: String
    ) -> String? {
        list(a.method, c.method, "method", scope: fullName, name: \.name) { x, y, methodName in
            let same = x.inputType == y.inputType && x.outputType == y.outputType
                && x.clientStreaming == y.clientStreaming && x.serverStreaming == y.serverStreaming
            return same ? nil : "method \(methodName) reads back with a different signature"
        }
    }
}
