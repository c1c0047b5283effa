import ProtobufSchema
import SwiftProtobuf

/// Resolved language features and field facts the buf rules look at, computed as protoc and the Go
/// runtime compute them: edition defaults for 2023, proto2 and proto3 semantics for the old syntaxes.
extension ProtoModel {
    /// The feature sets that apply to an element, innermost first: the element's own, then its enclosing
    /// messages', then the file's.
    func featureChain(own: FeatureSet?, parent: String?, fileIndex: Int) -> [FeatureSet] {
        var chain: [FeatureSet] = []
        if let own { chain.append(own) }
        var next = parent
        var guardCount = 0
        while let name = next, let node = message(name), guardCount < ProtoModel.maxDepth {
            chain.append(node.descriptor.options.features)
            next = node.parent
            guardCount += 1
        }
        chain.append(file(fileIndex).options.features)
        return chain
    }

    private func isEditions(_ fileIndex: Int) -> Bool {
        if case .editions = syntax(fileIndex) { return true }
        return false
    }

    func fieldPresence(_ field: FieldProto, parent: String?, fileIndex: Int) -> FeatureSet.FieldPresence {
        switch syntax(fileIndex) {
        case .proto2: return .explicit
        case .proto3: return .implicit
        case .editions:
            for set in featureChain(own: field.options.features, parent: parent, fileIndex: fileIndex)
            where set.hasFieldPresence {
                return set.fieldPresence
            }
            return .explicit
        }
    }

    func isClosedEnum(_ node: EnumNode) -> Bool {
        switch syntax(node.fileIndex) {
        case .proto2: return true
        case .proto3: return false
        case .editions:
            let chain = featureChain(own: node.descriptor.options.features, parent: node.parent, fileIndex: node.fileIndex)
            return chain.first(where: { $0.hasEnumType })?.enumType == .closed
        }
    }

    /// The JSON format feature for an element with this chain.
    func jsonFormat(own: FeatureSet, parent: String?, fileIndex: Int) -> FeatureSet.JsonFormat {
        switch syntax(fileIndex) {
        case .proto2: return .legacyBestEffort
        case .proto3: return .allow
        case .editions:
            let chain = featureChain(own: own, parent: parent, fileIndex: fileIndex)
            return chain.first(where: { $0.hasJsonFormat })?.jsonFormat ?? .allow
        }
    }

    func utf8Validation(_ field: FieldProto, parent: String?, fileIndex: Int) -> FeatureSet.Utf8Validation {
        switch syntax(fileIndex) {
        case .proto2: return .none
        case .proto3: return .verify
        case .editions:
            let chain = featureChain(own: field.options.features, parent: parent, fileIndex: fileIndex)
            return chain.first(where: { $0.hasUtf8Validation })?.utf8Validation ?? .verify
        }
    }

    /// The field's type as the Go runtime's `Kind` sees it: a delimited message in editions is a group.
    func kind(_ field: FieldProto, parent: String?, fileIndex: Int) -> FieldProto.TypeEnum {
        guard field.type == .message, isEditions(fileIndex) else { return field.type }
        if let entry = message(field.typeName), entry.isMapEntry { return .message }
        let chain = featureChain(own: field.options.features, parent: parent, fileIndex: fileIndex)
        return chain.first(where: { $0.hasMessageEncoding })?.messageEncoding == .delimited ? .group : .message
    }

    /// True when `field` is a map field (repeated, typed with a map entry message).
    func isMap(_ field: FieldProto) -> Bool {
        field.label == .repeated && field.type == .message && (message(field.typeName)?.isMapEntry ?? false)
    }
}

/// buf's field cardinalities.
enum Cardinality: String {
    case explicitPresence = "optional with explicit presence"
    case implicitPresence = "optional with implicit presence"
    case required
    case repeated
    case map

    /// Groups for FIELD_WIRE_COMPATIBLE_CARDINALITY: optional forms alike, repeated and map alike.
    var wireGroup: Int {
        switch self {
        case .explicitPresence, .implicitPresence: 1
        case .required: 2
        case .repeated, .map: 3
        }
    }

    /// Groups for FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY: maps and lists differ in JSON.
    var wireJSONGroup: Int {
        switch self {
        case .explicitPresence, .implicitPresence: 1
        case .required: 2
        case .repeated: 3
        case .map: 4
        }
    }
}

/// A field in context: its descriptor, enclosing message (none for top-level extensions) and file.
struct FieldContext {
    let field: FieldProto
    let parent: String?
    let fileIndex: Int
    let isExtension: Bool
    /// Message name (package-relative) used in paths and messages; the extendee for extensions.
    let owner: String
    let path: String

    var number: Int32 { field.number }

    /// buf's description: `Field "2" with name "price" on message "Order"`.
    var description: String {
        isExtension
            ? "Extension \(field.number) '\(path)' of '\(owner)'"
            : "Field \(field.number) '\(field.name)' of message '\(owner)'"
    }
}

extension ProtoModel {
    func cardinality(_ context: FieldContext) -> Cardinality {
        let field = context.field
        if field.label == .repeated { return isMap(field) ? .map : .repeated }
        if field.label == .required { return .required }
        let presence = fieldPresence(field, parent: context.parent, fileIndex: context.fileIndex)
        if presence == .legacyRequired { return .required }
        if field.type == .message || field.type == .group || field.hasOneofIndex || context.isExtension {
            return .explicitPresence
        }
        return presence == .implicit ? .implicitPresence : .explicitPresence
    }

    func isInMapEntry(_ context: FieldContext) -> Bool {
        guard let parent = context.parent, !context.isExtension else { return false }
        return message(parent)?.isMapEntry ?? false
    }
}
