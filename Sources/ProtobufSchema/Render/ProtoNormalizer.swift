public import SwiftProtobuf

/// Puts the declarations of a `FileDescriptorProto` whose order carries no meaning into one order, so that two
/// texts of the same schema written in another order render (`ProtoRenderer`) to the same text: the registry's
/// `normalize=true` form of a Protobuf schema.
///
/// The orders are those Confluent's `ProtobufSchema.normalize()` fixes, where that keeps the schema's meaning:
/// - imports (plain, public, weak, `import option`) by path;
/// - fields by number, a oneof's fields kept together and placed at its lowest number; oneofs numbered in the
///   order they then appear (proto3 `optional` fields' synthetic oneofs after the real ones, as protoc does);
/// - `extend` fields by extendee full name, then number; extension ranges and reserved ranges by start,
///   reserved names alphabetically;
/// - enum values by number, then name, except that the first declared value stays first: fields default to
///   it, and proto3 wants a zero there.
///
/// Messages, enums, services and methods keep their order: message indexes in Confluent's framing point at
/// messages by position. Map entries and groups keep the nested-type positions their fields had, handed out
/// again in the fields' new order, so every ordinary nested message keeps its index too. Options need no work:
/// the renderer prints them in field number order whatever order they were written in.
public enum ProtoNormalizer {
    /// `file` with its order-free declarations in normalized order.
    public static func normalized(_ file: Google_Protobuf_FileDescriptorProto) -> Google_Protobuf_FileDescriptorProto {
        var file = file
        sortImports(&file)
        let scope = file.package
        let oldExtensions = file.extension
        file.extension = sortedExtensions(file.extension)
        file.messageType = reassigningOwnedTypes(
            file.messageType, scope: scope, owners: [(oldExtensions, file.extension)])
        file.messageType = file.messageType.map { normalized($0, scope: scope) }
        file.enumType = file.enumType.map(normalized)
        return file
    }

    private static func sortImports(_ file: inout Google_Protobuf_FileDescriptorProto) {
        let order = file.dependency.indices.sorted { (file.dependency[$0], $0) < (file.dependency[$1], $1) }
        var newIndex: [Int32: Int32] = [:]
        for (position, old) in order.enumerated() { newIndex[Int32(old)] = Int32(position) }
        file.dependency = order.map { file.dependency[$0] }
        file.publicDependency = file.publicDependency.compactMap { newIndex[$0] }.sorted()
        file.weakDependency = file.weakDependency.compactMap { newIndex[$0] }.sorted()
        file.optionDependency.sort()
    }

    // MARK: Messages

    private static func normalized(
        _ message: Google_Protobuf_DescriptorProto, scope: String
    ) -> Google_Protobuf_DescriptorProto {
        var message = message
        let name = scope.isEmpty ? message.name : "\(scope).\(message.name)"
        let oldFields = message.field
        let oldExtensions = message.extension
        sortFields(&message)
        message.extension = sortedExtensions(message.extension)
        message.nestedType = reassigningOwnedTypes(
            message.nestedType, scope: name,
            owners: [(oldFields, message.field), (oldExtensions, message.extension)])
        message.nestedType = message.nestedType.map { normalized($0, scope: name) }
        message.enumType = message.enumType.map(normalized)
        message.extensionRange.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        message.reservedRange.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        message.reservedName.sort()
        return message
    }

    /// Fields by number with each oneof's fields together, and the oneof declarations renumbered to match.
    private static func sortFields(_ message: inout Google_Protobuf_DescriptorProto) {
        let oneofCount = message.oneofDecl.count
        func realOneof(_ field: Google_Protobuf_FieldDescriptorProto) -> Int? {
            guard field.hasOneofIndex, !field.proto3Optional, Int(field.oneofIndex) < oneofCount,
                field.oneofIndex >= 0
            else { return nil }
            return Int(field.oneofIndex)
        }
        var units: [[Google_Protobuf_FieldDescriptorProto]] = []
        var unitOfOneof: [Int: Int] = [:]
        for field in message.field {
            if let oneof = realOneof(field) {
                if let unit = unitOfOneof[oneof] {
                    units[unit].append(field)
                    continue
                }
                unitOfOneof[oneof] = units.count
            }
            units.append([field])
        }
        units = units.map { $0.sorted { $0.number < $1.number } }
        units.sort { ($0.first?.number ?? 0) < ($1.first?.number ?? 0) }
        var fields = units.flatMap { $0 }

        // Real oneofs in order of appearance, then synthetic ones, then any no field names.
        var order: [Int] = []
        for field in fields { if let oneof = realOneof(field), !order.contains(oneof) { order.append(oneof) } }
        for field in fields where field.proto3Optional && field.hasOneofIndex {
            let oneof = Int(field.oneofIndex)
            if oneof >= 0, oneof < oneofCount, !order.contains(oneof) { order.append(oneof) }
        }
        order += (0..<oneofCount).filter { !order.contains($0) }
        var newIndex: [Int32: Int32] = [:]
        for (position, old) in order.enumerated() { newIndex[Int32(old)] = Int32(position) }
        for index in fields.indices where fields[index].hasOneofIndex {
            if let renumbered = newIndex[fields[index].oneofIndex] { fields[index].oneofIndex = renumbered }
        }
        message.oneofDecl = order.map { message.oneofDecl[$0] }
        message.field = fields
    }

    /// `types` (declared in `scope`) with the map entries and groups each list of fields declares inline moved
    /// into the positions they held before the fields were reordered, in the fields' new order. The renderer
    /// prints such a type with its field, so this is the order the normalized text compiles back to.
    private static func reassigningOwnedTypes(
        _ types: [Google_Protobuf_DescriptorProto], scope: String,
        owners: [(old: [Google_Protobuf_FieldDescriptorProto], new: [Google_Protobuf_FieldDescriptorProto])]
    ) -> [Google_Protobuf_DescriptorProto] {
        var result = types
        for (old, new) in owners {
            let slots = old.compactMap { ownedNestedType($0, scope: scope, in: types) }.sorted()
            let owned = new.compactMap { ownedNestedType($0, scope: scope, in: types) }
            // A descriptor where two fields claim one type (none that compiles) is left in its order.
            guard slots.count == owned.count, Set(slots).count == slots.count else { continue }
            for (slot, index) in zip(slots, owned) { result[slot] = types[index] }
        }
        return result
    }

    /// `extend` fields by extendee, then number.
    private static func sortedExtensions(
        _ fields: [Google_Protobuf_FieldDescriptorProto]
    ) -> [Google_Protobuf_FieldDescriptorProto] {
        fields.sorted { ($0.extendee, $0.number) < ($1.extendee, $1.number) }
    }

    /// The index in `siblings` of the map entry or group body `field` declares inline, if it declares one.
    static func ownedNestedType(
        _ field: Google_Protobuf_FieldDescriptorProto, scope: String, in siblings: [Google_Protobuf_DescriptorProto]
    ) -> Int? {
        guard field.type == .group || (field.type == .message && field.label == .repeated) else { return nil }
        let prefix = scope.isEmpty ? "." : "." + scope + "."
        guard let index = siblings.firstIndex(where: { prefix + $0.name == field.typeName }) else {
            return nil
        }
        if field.type == .group { return siblings[index].name.lowercased() == field.name ? index : nil }
        return siblings[index].options.mapEntry && field.extendee.isEmpty ? index : nil
    }

    // MARK: Enums

    private static func normalized(_ enumType: Google_Protobuf_EnumDescriptorProto) -> Google_Protobuf_EnumDescriptorProto {
        var enumType = enumType
        if enumType.value.count > 1 {
            let rest = enumType.value.dropFirst().sorted { ($0.number, $0.name) < ($1.number, $1.name) }
            enumType.value = [enumType.value[0]] + rest
        }
        enumType.reservedRange.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        enumType.reservedName.sort()
        return enumType
    }
}

extension ProtoSchema {
    /// The schema's main file in the registry's normalized form: `ProtoNormalizer`'s order, rendered as
    /// canonical text.
    public var normalizedText: String {
        ProtoRenderer.render(ProtoNormalizer.normalized(file), dependencies: dependencies)
    }
}
