import SwiftProtobuf

/// The kind of element an element path addresses.
enum ElementKind: Sendable {
    case file, message, field, oneof, enumType, enumValue, extensionRange, service, method

    var optionsType: String {
        switch self {
        case .file: "google.protobuf.FileOptions"
        case .message: "google.protobuf.MessageOptions"
        case .field: "google.protobuf.FieldOptions"
        case .oneof: "google.protobuf.OneofOptions"
        case .enumType: "google.protobuf.EnumOptions"
        case .enumValue: "google.protobuf.EnumValueOptions"
        case .extensionRange: "google.protobuf.ExtensionRangeOptions"
        case .service: "google.protobuf.ServiceOptions"
        case .method: "google.protobuf.MethodOptions"
        }
    }

    /// Classifies a path built by the parser.
    static func classify(_ path: ElementPath) -> ElementKind? {
        if path.isEmpty { return .file }
        guard path.count % 2 == 0 else { return nil }
        var kind: ElementKind
        switch path[0] {
        case PathTag.fileMessage: kind = .message
        case PathTag.fileEnum: kind = .enumType
        case PathTag.fileService: kind = .service
        case PathTag.fileExtension: kind = .field
        default: return nil
        }
        var i = 2
        while i < path.count {
            switch (kind, path[i]) {
            case (.message, PathTag.messageField), (.message, PathTag.messageExtension): kind = .field
            case (.message, PathTag.messageNested): kind = .message
            case (.message, PathTag.messageEnum): kind = .enumType
            case (.message, PathTag.messageOneof): kind = .oneof
            case (.message, PathTag.messageExtensionRange): kind = .extensionRange
            case (.enumType, PathTag.enumValue): kind = .enumValue
            case (.service, PathTag.serviceMethod): kind = .method
            default: return nil
            }
            i += 2
        }
        return kind
    }
}

extension FileBuilder {
    /// Interprets every element's options in protoc's two passes (standard options and features first, then
    /// custom options), and stores them in the descriptors.
    mutating func interpretAllOptions() throws(ProtobufError) {
        let paths = parsed.options.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var first: [ElementPath: [WireRecord]] = [:]
        var updates: [ElementPath: OptionUpdate] = [:]
        // As protoc: an element's options stop at its first bad one, and the other elements go on.
        for path in paths {
            guard let kind = ElementKind.classify(path) else { continue }
            let options = parsed.options[path] ?? []
            try log.collect { () throws(ProtobufError) in
                try checkFeatureUse(options, path: path)
                var records: [WireRecord] = []
                var byNumber: [Int32: [WireRecord]] = [:]
                for option in options where !option.name[0].isExtension {
                    let added = try interpretOption(option, kind: kind, path: path, existing: byNumber)
                    records += added
                    for record in added { byNumber[record.number, default: []].append(record) }
                }
                first[path] = records
                updates[path] = .set(WireRecord.encode(records))
            }
        }
        try applyOptions(updates)
        updates.removeAll()
        // Standard options may have changed fields of this file's types (packed, features).
        fieldCache.byType.removeAll()
        var second: [ElementPath: [WireRecord]] = [:]
        for path in paths {
            guard let kind = ElementKind.classify(path) else { continue }
            try log.collect { () throws(ProtobufError) in
                var records: [WireRecord] = []
                var byNumber: [Int32: [WireRecord]] = [:]
                for option in parsed.options[path] ?? [] where option.name[0].isExtension {
                    let added = try interpretOption(option, kind: kind, path: path, existing: byNumber)
                    records += added
                    for record in added { byNumber[record.number, default: []].append(record) }
                }
                second[path] = records
            }
        }
        guard !paths.isEmpty, !hasErrors else { return }
        let canonicalizer = OptionCanonicalizer(builder: self)
        for path in paths {
            guard let kind = ElementKind.classify(path) else { continue }
            let records = (first[path] ?? []) + (second[path] ?? [])
            let canonical = canonicalizer.canonicalize(records, type: kind.optionsType)
            // Options emptied by dropping source-retention fields are removed altogether.
            updates[path] = !records.isEmpty && canonical.isEmpty ? .clear : .set(WireRecord.encode(canonical))
        }
        try applyOptions(updates)
    }

    func checkFeatureUse(_ options: [ParsedOption], path: ElementPath) throws(ProtobufError) {
        for option in options where !option.name[0].isExtension && option.name[0].name == "features" {
            if !edition.isEditions {
                throw error("Features are only valid under editions.", path, .name)
            }
            if option.name.count > 1, !option.name[1].isExtension {
                let feature = option.name[1].name
                let introducedIn: [String: ProtoEditionKind?] = [
                    "enforce_naming_style": .edition2024, "default_symbol_visibility": .edition2024,
                    "enforce_proto_limits": nil,
                ]
                if let introduced = introducedIn[feature], introduced.map({ edition < $0 }) ?? true {
                    let name = introduced == nil ? "2026" : "2024"
                    throw error(
                        "google.protobuf.FeatureSet.\(feature) wasn't introduced until edition \(name) and can't be "
                            + "used in edition \(edition == .edition2023 ? "2023" : "2024")",
                        at: option.namePos
                    )
                }
                if case .identifier(let value) = option.value, value.hasSuffix("_UNKNOWN") {
                    throw error("Feature field `\(feature)` must resolve to a known value, found \(value)", path, .name)
                }
            }
        }
    }

    /// The full name options of the element at `path` resolve custom option names from.
    func optionNameScope(_ path: ElementPath, kind: ElementKind) -> String {
        switch kind {
        case .file: return file.package + ".dummy"
        case .extensionRange: return fullNames[Array(path.dropLast(2))] ?? file.package
        default: return fullNames[path] ?? file.package
        }
    }

    /// `InterpretSingleOption`: the wire records one `option` statement adds to its options message.
    func interpretOption(
        _ option: ParsedOption, kind: ElementKind, path: ElementPath, existing: [Int32: [WireRecord]]
    )
        throws(ProtobufError) -> [WireRecord]
    {
        if option.name[0].name == "uninterpreted_option" && !option.name[0].isExtension {
            throw error("Option must not use reserved name \"uninterpreted_option\".", at: option.namePos)
        }
        guard var message = optionMessage(named: kind.optionsType) else { return [] }
        var chain: [OptionFieldInfo] = []
        var debugName = ""
        for (i, part) in option.name.enumerated() {
            if !debugName.isEmpty { debugName += "." }
            var field: OptionFieldInfo
            if part.isExtension {
                debugName += "(\(part.name))"
                switch optionExtension(part.name, relativeTo: optionNameScope(path, kind: kind)) {
                case .success(let found):
                    field = found
                case .failure(.resolvedElsewhere(let full)):
                    throw error(
                        "Option \"\(debugName)\" is resolved to \"(\(full))\", which is not defined. The innermost "
                            + "scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(."
                            + "\(debugName.dropFirst())\") to start from the outermost scope.",
                        at: option.namePos
                    )
                case .failure:
                    throw unknownOption(debugName, option)
                }
                if field.containingType != message.fullName {
                    let short = message.fullName.split(separator: ".").last.map(String.init) ?? message.fullName
                    throw error(
                        "Option field \"\(debugName)\" is not a field or extension of message \"\(short)\".",
                        at: option.namePos
                    )
                }
            } else {
                debugName += part.name
                guard let found = optionFields(of: message)[part.name] else { throw unknownOption(debugName, option) }
                field = found
            }
            if i < option.name.count - 1 {
                guard field.type == .message || field.type == .group else {
                    throw error("Option \"\(debugName)\" is an atomic type, not a message.", at: option.namePos)
                }
                if field.isRepeated {
                    throw error(
                        "Option field \"\(debugName)\" is a repeated message. Repeated message options must be "
                            + "initialized using an aggregate value.",
                        at: option.namePos
                    )
                }
                guard let next = optionMessage(named: field.typeName) else { throw unknownOption(debugName, option) }
                message = next
            }
            chain.append(field)
        }
        guard let leaf = chain.last else { return [] }
        if !leaf.isRepeated, let first = chain.first, Self.isSet(chain.map(\.number), in: existing[first.number] ?? []) {
            throw error("Option \"\(debugName)\" was already set.", at: option.namePos)
        }
        var records = try optionValue(option, field: leaf)
        for field in chain.dropLast().reversed() {
            records = [
                WireRecord(
                    number: field.number,
                    payload: field.type == .group ? .group(records) : .bytes(WireRecord.encode(records))
                )
            ]
        }
        return records
    }

    func unknownOption(_ name: String, _ option: ParsedOption) -> ProtobufError {
        error(
            "Option \"\(name)\" unknown. Ensure that your proto definition file imports the proto which defines the "
                + "option (i.e. via import option after edition 2024).",
            at: option.namePos
        )
    }

    /// `ExamineIfOptionIsSet`: whether the field at `numbers` (through sub-messages) already has a value.
    static func isSet(_ numbers: [Int32], in records: [WireRecord]) -> Bool {
        guard let first = numbers.first else { return false }
        let matching = records.lazy.filter { $0.number == first }
        if numbers.count == 1 { return !matching.isEmpty }
        for record in matching {
            switch record.payload {
            case .bytes(let bytes):
                if let inner = WireRecord.parse(bytes), isSet(Array(numbers.dropFirst()), in: inner) { return true }
            case .group(let inner):
                if isSet(Array(numbers.dropFirst()), in: inner) { return true }
            default: break
            }
        }
        return false
    }
}
