import SwiftProtobuf

/// A field of an options message (or of a message used in an option value), resolved for encoding.
struct OptionFieldInfo: Sendable {
    var name: String
    /// `google.protobuf.FileOptions.java_package`, or the extension's full name.
    var fullName: String
    var number: Int32
    var type: FieldProto.TypeEnum
    var isRepeated: Bool
    var isRequired: Bool
    /// Message or enum type, full name without the leading dot.
    var typeName: String
    var isPacked: Bool
    var hasPresence: Bool
    var isExtension: Bool
    var sourceRetention: Bool
    /// The message this field belongs to (or extends), full name without the leading dot.
    var containingType: String
    var inOneof: Int32?

    var isScalarPackable: Bool {
        switch type {
        case .string, .bytes, .message, .group: false
        default: true
        }
    }
}

/// Fields of option value types, computed once per type while options are interpreted.
final class OptionFieldCache {
    var byType: [String: [String: OptionFieldInfo]] = [:]
}

/// A message type as option values need it.
struct OptionMessageInfo: Sendable {
    var fullName: String
    var descriptor: DescriptorProto
    var edition: ProtoEditionKind
    var fileFeatures: Google_Protobuf_FeatureSet?
}

extension FileBuilder {
    /// The message `fullName` from this compilation's files (wherever defined), else the built-in option types.
    func optionMessage(named fullName: String) -> OptionMessageInfo? {
        if let symbol = symbols.lookup(fullName), symbol.kind == .message, let d = messageDescriptor(named: fullName) {
            let fileEdition = editionOf(file: symbol.file)
            let features = symbol.file == fileName ? file.options.features : linked[symbol.file]?.descriptor.options.features
            return OptionMessageInfo(fullName: fullName, descriptor: d, edition: fileEdition, fileFeatures: features)
        }
        if let d = BuiltInOptionTypes.index.messages[fullName] {
            return OptionMessageInfo(fullName: fullName, descriptor: d, edition: .proto2, fileFeatures: nil)
        }
        return nil
    }

    func optionEnum(named fullName: String) -> EnumProto? {
        if symbols.lookup(fullName)?.kind == .enumType, let e = enumDescriptor(named: fullName) { return e }
        return BuiltInOptionTypes.index.enums[fullName]
    }

    func fieldInfo(_ field: FieldProto, containing: String, edition: ProtoEditionKind, fileFeatures: Google_Protobuf_FeatureSet?, extensionName: String? = nil) -> OptionFieldInfo {
        let repeated = field.label == .repeated
        var info = OptionFieldInfo(
            name: field.name,
            fullName: extensionName ?? (containing + "." + field.name),
            number: field.number,
            type: field.type,
            isRepeated: repeated,
            isRequired: field.label == .required,
            typeName: field.typeName.hasPrefix(".") ? String(field.typeName.dropFirst()) : field.typeName,
            isPacked: false,
            hasPresence: true,
            isExtension: extensionName != nil,
            sourceRetention: field.options.retention == .retentionSource
                || (BuiltInOptionTypes.sourceRetention[containing]?.contains(field.number) ?? false),
            containingType: extensionName.map { _ in String(field.extendee.dropFirst()) } ?? containing,
            inOneof: field.hasOneofIndex ? field.oneofIndex : nil
        )
        if info.isExtension { info.containingType = String(field.extendee.dropFirst()) }
        let isMessage = field.type == .message || field.type == .group
        switch edition {
        case .proto2:
            info.isPacked = repeated && info.isScalarPackable && field.options.packed
        case .proto3:
            info.isPacked = repeated && info.isScalarPackable && (!field.options.hasPacked || field.options.packed)
            info.hasPresence = isMessage || field.proto3Optional || field.hasOneofIndex || info.isExtension
        case .edition2023, .edition2024:
            var encoding = Google_Protobuf_FeatureSet.RepeatedFieldEncoding.packed
            if let f = fileFeatures, f.hasRepeatedFieldEncoding { encoding = f.repeatedFieldEncoding }
            if field.options.features.hasRepeatedFieldEncoding { encoding = field.options.features.repeatedFieldEncoding }
            info.isPacked = repeated && info.isScalarPackable && encoding == .packed
            var presence = Google_Protobuf_FeatureSet.FieldPresence.explicit
            if let f = fileFeatures, f.hasFieldPresence { presence = f.fieldPresence }
            if field.options.features.hasFieldPresence { presence = field.options.features.fieldPresence }
            info.hasPresence = isMessage || field.hasOneofIndex || info.isExtension || presence != .implicit
            if field.type == .message {
                var encoding = Google_Protobuf_FeatureSet.MessageEncoding.lengthPrefixed
                if let f = fileFeatures, f.hasMessageEncoding { encoding = f.messageEncoding }
                if field.options.features.hasMessageEncoding { encoding = field.options.features.messageEncoding }
                if encoding == .delimited && !(optionMessage(named: info.typeName)?.descriptor.options.mapEntry ?? false) {
                    info.type = .group
                }
            }
        }
        return info
    }

    /// The fields of `message` by name (remembered until the cache is cleared).
    func optionFields(of message: OptionMessageInfo) -> [String: OptionFieldInfo] {
        if let cached = fieldCache.byType[message.fullName] { return cached }
        var fields: [String: OptionFieldInfo] = [:]
        for field in message.descriptor.field {
            fields[field.name] = fieldInfo(field, containing: message.fullName, edition: message.edition, fileFeatures: message.fileFeatures)
        }
        fieldCache.byType[message.fullName] = fields
        return fields
    }

    /// An extension named in an option (`(name)` or `[name]`), looked up from `relativeTo`.
    func optionExtension(_ name: String, relativeTo: String) -> Result<OptionFieldInfo, SymbolTable.Miss> {
        switch symbols.resolve(name, relativeTo: relativeTo, typesOnly: false, from: optionScope) {
        case .failure(let miss):
            return .failure(miss)
        case .success((let full, let symbol)):
            guard let info = extensionInfo(full, symbol) else { return .failure(.notFound) }
            return .success(info)
        }
    }

    /// The option field for a field or extension symbol (any file of the compilation).
    func extensionInfo(_ full: String, _ symbol: SymbolTable.Symbol) -> OptionFieldInfo? {
        guard symbol.kind == .extensionField || symbol.kind == .field, let field = fieldDescriptor(named: full) else {
            return nil
        }
        let edition = editionOf(file: symbol.file)
        let features = symbol.file == fileName ? file.options.features : linked[symbol.file]?.descriptor.options.features
        var info = fieldInfo(field, containing: "", edition: edition, fileFeatures: features, extensionName: full)
        if symbol.kind == .field {
            info.isExtension = false
            info.containingType = ""
        }
        if symbol.file == fileName {
            // Same-file extensions are interpreted after their options are read from source.
            info.sourceRetention = (parsed.options[symbol.path] ?? []).contains {
                guard $0.isSimple, $0.name[0].name == "retention", case .identifier(let v) = $0.value else { return false }
                return v == "RETENTION_SOURCE"
            }
        }
        return info
    }
}
