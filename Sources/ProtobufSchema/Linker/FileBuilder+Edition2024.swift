import SwiftProtobuf

/// Edition 2024: symbol visibility (`export`, `local`, `features.default_symbol_visibility`) and the rules
/// protoc enforces from that edition on. `enforce_naming_style` and `default_symbol_visibility` are source-only
/// features (left out of descriptors), so they are read from the options as written.
extension FileBuilder {
    typealias DefaultVisibility = Google_Protobuf_FeatureSet.VisibilityFeature.DefaultSymbolVisibility

    /// The identifier written for `features.<name>` on the element at `path` or the nearest element around it
    /// (features are inherited: file, message, nested message, field), nil when none sets it.
    func sourceFeature(_ name: String, at path: ElementPath) -> String? {
        var p = path
        while true {
            for option in (parsed.options[p] ?? []).reversed()
            where option.name.count == 2 && !option.name[0].isExtension && option.name[0].name == "features"
                && !option.name[1].isExtension && option.name[1].name == name
            {
                if case .identifier(let value) = option.value { return value }
            }
            if p.isEmpty { return nil }
            p.removeLast(min(2, p.count))
        }
    }

    /// This file's default visibility: as set, else the edition's (EXPORT_TOP_LEVEL from 2024, EXPORT_ALL before).
    var defaultSymbolVisibility: DefaultVisibility {
        if let name = sourceFeature("default_symbol_visibility", at: []), let value = Self.visibilityDefault(named: name) {
            return value
        }
        return edition >= .edition2024 ? .exportTopLevel : .exportAll
    }

    static func visibilityDefault(named name: String) -> DefaultVisibility? {
        switch name {
        case "EXPORT_ALL": .exportAll
        case "EXPORT_TOP_LEVEL": .exportTopLevel
        case "LOCAL_ALL": .localAll
        case "STRICT": .strict
        default: nil
        }
    }

    static func visibilityName(_ value: DefaultVisibility) -> String {
        switch value {
        case .exportAll: "EXPORT_ALL"
        case .exportTopLevel: "EXPORT_TOP_LEVEL"
        case .localAll: "LOCAL_ALL"
        case .strict: "STRICT"
        default: "DEFAULT_SYMBOL_VISIBILITY_UNKNOWN"
        }
    }

    /// protoc's `IsVisibleFrom`: a message or enum of another file is usable here only if it is exported, by its
    /// keyword or by its file's default. Returns protoc's error when it is not.
    func visibilityError(_ fullName: String, _ symbol: SymbolTable.Symbol, usage: String = "") -> String? {
        guard symbol.isType, symbol.file != fileName, let other = linked[symbol.file] else { return nil }
        let keyword: Google_Protobuf_SymbolVisibility
        if symbol.kind == .message {
            keyword = messageDescriptor(named: fullName)?.visibility ?? .visibilityUnset
        } else {
            keyword = enumDescriptor(named: fullName)?.visibility ?? .visibilityUnset
        }
        let isNested = symbol.path.count > 2
        var exported: Bool
        switch keyword {
        case .visibilityExport: exported = true
        case .visibilityLocal: exported = false
        default:
            switch other.defaultSymbolVisibility {
            case .exportTopLevel: exported = !isNested
            case .localAll, .strict: exported = false
            default: exported = true
            }
        }
        if exported { return nil }
        let reason = keyword == .visibilityLocal
            ? "It is explicitly marked 'local'"
            : "It defaulted to local from file-level 'option features.default_symbol_visibility = '"
                + Self.visibilityName(other.defaultSymbolVisibility) + "';"
        return "Symbol \"\(fullName)\", defined in \"\(symbol.file)\" \(usage) is not visible from \"\(fileName)\". "
            + "\(reason) and cannot be accessed outside its own file"
    }

    /// Rules protoc checks in its validation pass from edition 2024 on (`ctype` is replaced by the C++
    /// `string_type` feature).
    func validateEditionRules() throws(ProtobufError) {
        guard edition >= .edition2024 else { return }
        try forEachField { field, path throws(ProtobufError) in
            if field.options.hasCtype {
                try log.record(error(
                    "ctype option is not allowed under edition 2024 and beyond. Use the feature string_type = "
                        + "VIEW|CORD|STRING|... instead.",
                    path, .type))
            }
        }
    }

    /// Options removed in edition 2024 (protoc's feature-lifetime check, which runs last): only
    /// `java_multiple_files` among the options protoc itself defines.
    func checkRemovedOptions() throws(ProtobufError) {
        guard edition >= .edition2024 else { return }
        for option in parsed.options[[]] ?? [] where option.isSimple && option.name[0].name == "java_multiple_files" {
            try log.record(error(
                "google.protobuf.FileOptions.java_multiple_files has been removed in edition 2024: This behavior is "
                    + "enabled by default in editions 2024 and above. To disable it, you can set "
                    + "`features.(pb.java).nest_in_file_class = YES` on individual messages, enums, or services.",
                [2], .name  // protoc places it at the file's name: the package statement, if any
            ))
        }
    }

    /// STRICT visibility (edition 2024): a nested message or enum may not be `export`, except an enum in a
    /// top-level local message that only namespaces it (`local message N { export enum E {...} reserved 1 to max; }`).
    func checkStrictVisibility() throws(ProtobufError) {
        guard edition >= .edition2024, defaultSymbolVisibility == .strict else { return }
        func isNamespace(_ message: DescriptorProto, _ path: ElementPath) -> Bool {
            guard path.count == 2, message.visibility != .visibilityExport, message.reservedRange.count == 1 else {
                return false
            }
            let range = message.reservedRange[0]
            return range.start == 1 && range.end == ProtoLimits.maxFieldNumber + 1
        }
        func visit(_ message: DescriptorProto, _ path: ElementPath) throws(ProtobufError) {
            let fullName = fullNames[path] ?? message.name
            for (i, nested) in message.nestedType.enumerated() {
                let nestedPath = path + [PathTag.messageNested, Int32(i)]
                if nested.visibility == .visibilityExport {
                    let name = fullNames[nestedPath] ?? (fullName + "." + nested.name)
                    try log.record(error(
                        "\"\(name)\" is a nested message and cannot be `export` with STRICT default_symbol_visibility. "
                            + "It must be moved to top-level, ideally in its own file in order to be `export`.",
                        nestedPath, .name
                    ))
                }
                try visit(nested, nestedPath)
            }
            for (i, e) in message.enumType.enumerated() where e.visibility == .visibilityExport && !isNamespace(message, path) {
                let enumPath = path + [PathTag.messageEnum, Int32(i)]
                let name = fullNames[enumPath] ?? (fullName + "." + e.name)
                try log.record(error(
                    "\"\(name)\" is a nested enum and cannot be marked `export` with STRICT default_symbol_visibility. "
                        + "It must be moved to top-level, ideally in its own file in order to be `export`. For C++ "
                        + "namespacing of enums in a messages use: `local message <OuterNamespace> { export enum "
                        + "\(name) {...} reserved 1 to max; }`",
                    enumPath, .name
                ))
            }
        }
        for (i, message) in file.messageType.enumerated() {
            try visit(message, [PathTag.fileMessage, Int32(i)])
        }
    }
}
