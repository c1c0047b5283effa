import ProtobufSchema
import SwiftProtobuf

/// The editions features the codec needs, resolved for one field (or enum) as protoc resolves them:
/// the edition's defaults, then the file's, each enclosing message's, the oneof's and the field's own
/// `features` options, the innermost setting winning. proto2 and proto3 files behave as the editions
/// they are defined to be equivalent to.
struct ProtoResolvedFeatures: Sendable, Hashable {
    enum Presence: Sendable, Hashable { case explicit, implicit, required }

    var presence: Presence
    var closedEnums: Bool
    var packed: Bool
    var verifyUTF8: Bool
    var delimited: Bool

    /// protoc's defaults for editions 2023 and 2024 (identical for these five features).
    static let edition2023 = ProtoResolvedFeatures(
        presence: .explicit, closedEnums: false, packed: true, verifyUTF8: true, delimited: false)
    /// What proto2 means in editions terms.
    static let proto2 = ProtoResolvedFeatures(
        presence: .explicit, closedEnums: true, packed: false, verifyUTF8: false, delimited: false)
    /// What proto3 means in editions terms.
    static let proto3 = ProtoResolvedFeatures(
        presence: .implicit, closedEnums: false, packed: true, verifyUTF8: true, delimited: false)

    static func defaults(for syntax: ProtoSyntax) -> ProtoResolvedFeatures {
        switch syntax {
        case .proto2: .proto2
        case .proto3: .proto3
        case .editions: .edition2023
        }
    }

    /// These features with every feature that `set` sets explicitly replaced.
    func merging(_ set: Google_Protobuf_FeatureSet) -> ProtoResolvedFeatures {
        var out = self
        if set.hasFieldPresence {
            switch set.fieldPresence {
            case .explicit: out.presence = .explicit
            case .implicit: out.presence = .implicit
            case .legacyRequired: out.presence = .required
            default: break
            }
        }
        if set.hasEnumType {
            switch set.enumType {
            case .open: out.closedEnums = false
            case .closed: out.closedEnums = true
            default: break
            }
        }
        if set.hasRepeatedFieldEncoding {
            switch set.repeatedFieldEncoding {
            case .packed: out.packed = true
            case .expanded: out.packed = false
            default: break
            }
        }
        if set.hasUtf8Validation {
            switch set.utf8Validation {
            case .verify: out.verifyUTF8 = true
            case .none: out.verifyUTF8 = false
            default: break
            }
        }
        if set.hasMessageEncoding {
            switch set.messageEncoding {
            case .lengthPrefixed: out.delimited = false
            case .delimited: out.delimited = true
            default: break
            }
        }
        return out
    }
}

/// Walks a pool's files and records, for every message and enum, the features in force where it is
/// declared (file and enclosing messages applied).
/// An extension field as the codec sees it: declared somewhere, read and written as part of its extendee.
struct ProtoExtensionScope {
    let field: Google_Protobuf_FieldDescriptorProto
    /// The extension's full name, as JSON writes it between brackets.
    let fullName: String
    /// Its features, resolved from where it is declared (not from the extendee).
    let features: ProtoResolvedFeatures
    /// The syntax of the file that declares it.
    let syntax: ProtoSyntax
}

struct ProtoFeatureScopes {
    var messageScopes: [String: ProtoResolvedFeatures] = [:]
    var enumClosed: [String: Bool] = [:]
    var syntaxOfMessage: [String: ProtoSyntax] = [:]
    /// Every extension of the pool by its extendee's full name, in declaration order.
    var extensions: [String: [ProtoExtensionScope]] = [:]

    init(pool: ProtoDescriptorPool) {
        for file in pool.files {
            let syntax = ProtoSyntax(file)
            var base = ProtoResolvedFeatures.defaults(for: syntax)
            if case .editions = syntax { base = base.merging(file.options.features) }
            for message in file.messageType {
                visit(message, scope: file.package, inherited: base, syntax: syntax)
            }
            for e in file.enumType {
                addEnum(e, scope: file.package, inherited: base, syntax: syntax)
            }
            for field in file.extension {
                addExtension(field, scope: file.package, inherited: base, syntax: syntax)
            }
        }
    }

    private mutating func addExtension(
        _ field: Google_Protobuf_FieldDescriptorProto,
        scope: String,
        inherited: ProtoResolvedFeatures,
        syntax: ProtoSyntax
    ) {
        var features = inherited
        if case .editions = syntax { features = features.merging(field.options.features) }
        let extendee = field.extendee.hasPrefix(".") ? String(field.extendee.dropFirst()) : field.extendee
        extensions[extendee, default: []].append(
            ProtoExtensionScope(field: field, fullName: Self.join(scope, field.name), features: features, syntax: syntax))
    }

    private static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }

    private mutating func addEnum(
        _ e: Google_Protobuf_EnumDescriptorProto,
        scope: String,
        inherited: ProtoResolvedFeatures,
        syntax: ProtoSyntax
    ) {
        var features = inherited
        if case .editions = syntax { features = features.merging(e.options.features) }
        enumClosed[Self.join(scope, e.name)] = features.closedEnums
    }

    private mutating func visit(
        _ message: Google_Protobuf_DescriptorProto,
        scope: String,
        inherited: ProtoResolvedFeatures,
        syntax: ProtoSyntax
    ) {
        let name = Self.join(scope, message.name)
        var features = inherited
        if case .editions = syntax { features = features.merging(message.options.features) }
        messageScopes[name] = features
        syntaxOfMessage[name] = syntax
        for nested in message.nestedType {
            visit(nested, scope: name, inherited: features, syntax: syntax)
        }
        for e in message.enumType {
            addEnum(e, scope: name, inherited: features, syntax: syntax)
        }
        for field in message.extension {
            addExtension(field, scope: name, inherited: features, syntax: syntax)
        }
    }
}
