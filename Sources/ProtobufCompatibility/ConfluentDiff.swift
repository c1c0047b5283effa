import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf

/// Confluent Schema Registry's Protobuf schema diff (`SchemaDiff`, `MessageSchemaDiff`, `FieldSchemaDiff`),
/// reporting only the difference kinds Confluent counts as incompatible.
///
/// `original` is the previous schema (the writer), `update` the new one (the reader). Messages of the main
/// file are matched by name level by level; fields by number. Descriptors are read the way Confluent reads
/// the same schema registered as `.proto` text: map entry messages are not types of their own, and labels
/// are the ones written in the text (none for proto3 and editions singular fields, none inside a oneof).
struct ConfluentDiff {
    /// Confluent's `Difference.Type` names that are not in its `COMPATIBLE_CHANGES`.
    enum Kind: String {
        case packageChanged = "PACKAGE_CHANGED"
        case messageRemoved = "MESSAGE_REMOVED"
        case fieldKindChanged = "FIELD_KIND_CHANGED"
        case fieldScalarKindChanged = "FIELD_SCALAR_KIND_CHANGED"
        case fieldNamedTypeChanged = "FIELD_NAMED_TYPE_CHANGED"
        case fieldNumericLabelChanged = "FIELD_NUMERIC_LABEL_CHANGED"
        case requiredFieldAdded = "REQUIRED_FIELD_ADDED"
        case requiredFieldRemoved = "REQUIRED_FIELD_REMOVED"
        case oneofFieldRemoved = "ONEOF_FIELD_REMOVED"
        case multipleFieldsMovedToOneof = "MULTIPLE_FIELDS_MOVED_TO_ONEOF"
        case fieldMovedToExistingOneof = "FIELD_MOVED_TO_EXISTING_ONEOF"
    }

    /// Bounds the recursion through message-typed fields of imported types.
    static let maxDepth = 64

    let original: ProtoModel
    let update: ProtoModel
    /// The steps taken so far and the limit they may not pass.
    private(set) var work: WorkBudget
    private var found: [Incompatibility] = []
    /// Original messages whose fields are being compared (Confluent's `SchemaScope`).
    private var visiting: Set<String> = []
    private var depth = 0

    init(original: ProtoModel, update: ProtoModel, work: WorkBudget) {
        self.original = original
        self.update = update
        self.work = work
    }

    mutating func run() throws(CompatibilityBudgetExceeded) -> [Incompatibility] {
        let o = original.file(original.mainFileIndex)
        let u = update.file(update.mainFileIndex)
        if o.package != u.package {
            report(
                .packageChanged, path: "", location: [],
                "The package changed from '\(o.package)' to '\(u.package)'.")
        }
        try compareTypes(
            o.messageType, u.messageType, originalScope: o.package, updateScope: u.package, location: [],
            localPrefix: "")
        return found
    }

    // MARK: - Reporting

    /// Confluent's location: `#/` then the path segments joined with `/`.
    static func confluentLocation(_ segments: [String]) -> String { "#/" + segments.joined(separator: "/") }

    private mutating func report(_ kind: Kind, path: String, location: [String], _ sentence: String) {
        found.append(
            Incompatibility(
                kind: kind.rawValue, path: path,
                message: "\(sentence) (Confluent location \(Self.confluentLocation(location)))"))
    }

    // MARK: - Types (SchemaDiff.compareTypeElements)

    private mutating func compareTypes(
        _ originalMessages: [MessageProto], _ updateMessages: [MessageProto], originalScope: String,
        updateScope: String, location: [String], localPrefix: String
    ) throws(CompatibilityBudgetExceeded) {
        try work.spend(originalMessages.count + updateMessages.count)
        // Map entries are not messages in Confluent's text model.
        let updateByName = Dictionary(
            updateMessages.filter { !$0.options.mapEntry }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for message in originalMessages where !message.options.mapEntry {
            let name = message.name
            let local = ProtoModel.join(localPrefix, name)
            guard let updated = updateByName[name] else {
                report(
                    .messageRemoved, path: local, location: location + [name],
                    "The message '\(local)' was removed.")
                continue
            }
            try compareMessage(
                message, updated, originalFullName: ProtoModel.join(originalScope, name),
                updateFullName: ProtoModel.join(updateScope, name), location: location + [name], local: local)
        }
    }

    // MARK: - Messages (MessageSchemaDiff.compare)

    private struct FieldIndex {
        var byNumber: [Int32: FieldProto] = [:]
        var oneofOf: [Int32: String] = [:]
        /// Oneofs with at least one member, in declaration order.
        var oneofs: [(name: String, members: [FieldProto])] = []

        init(_ message: MessageProto) {
            var members: [[FieldProto]] = Array(repeating: [], count: message.oneofDecl.count)
            for field in message.field {
                byNumber[field.number] = field
                if field.isInRealOneof, members.indices.contains(Int(field.oneofIndex)) {
                    members[Int(field.oneofIndex)].append(field)
                    oneofOf[field.number] = message.oneofDecl[Int(field.oneofIndex)].name
                }
            }
            for (i, decl) in message.oneofDecl.enumerated() where !members[i].isEmpty {
                oneofs.append((decl.name, members[i]))
            }
        }
    }

    private mutating func compareMessage(
        _ o: MessageProto, _ u: MessageProto, originalFullName: String, updateFullName: String,
        location: [String], local: String
    ) throws(CompatibilityBudgetExceeded) {
        guard depth < Self.maxDepth else { return }
        depth += 1
        defer { depth -= 1 }
        if !visiting.contains(originalFullName) {
            visiting.insert(originalFullName)
            try compareFields(
                o, u, originalFullName: originalFullName, updateFullName: updateFullName, location: location,
                local: local)
            visiting.remove(originalFullName)
        }
        try compareTypes(
            o.nestedType, u.nestedType, originalScope: originalFullName, updateScope: updateFullName,
            location: location, localPrefix: local)
    }

    private mutating func compareFields(
        _ o: MessageProto, _ u: MessageProto, originalFullName: String, updateFullName: String,
        location: [String], local: String
    ) throws(CompatibilityBudgetExceeded) {
        try work.spend(o.field.count + u.field.count + o.oneofDecl.count + u.oneofDecl.count)
        let originalFields = FieldIndex(o)
        let updateFields = FieldIndex(u)
        let updateOneofNames = Set(updateFields.oneofs.map(\.name))
        var deletedOneofs: Set<String> = []
        for oneof in originalFields.oneofs where !updateOneofNames.contains(oneof.name) {
            if !oneof.members.contains(where: { updateFields.byNumber[$0.number] != nil }) {
                deletedOneofs.insert(oneof.name)
            }
        }
        // Fields that were independent and now share a oneof.
        for oneof in updateFields.oneofs {
            var groups: Set<String> = []
            var movedIn = 0
            for member in oneof.members {
                if let previousOneof = originalFields.oneofOf[member.number] {
                    groups.insert("oneof:" + previousOneof)
                } else if originalFields.byNumber[member.number] != nil {
                    groups.insert("field:\(member.number)")
                    movedIn += 1
                }
            }
            guard groups.count > 1 else { continue }
            let path = ProtoModel.join(local, oneof.name)
            if movedIn > 1 {
                report(
                    .multipleFieldsMovedToOneof, path: path, location: location + [oneof.name],
                    "Several fields that were independent in message '\(local)' were moved into oneof '\(oneof.name)'.")
            } else {
                report(
                    .fieldMovedToExistingOneof, path: path, location: location + [oneof.name],
                    "Oneof '\(oneof.name)' of message '\(local)' now also holds fields that could be set together before.")
            }
        }
        let numbers = Set(originalFields.byNumber.keys).union(updateFields.byNumber.keys).sorted()
        for number in numbers {
            try work.spend()
            let originalField = originalFields.byNumber[number]
            let updateField = updateFields.byNumber[number]
            let originalOneof = originalFields.oneofOf[number]
            let updateOneof = updateFields.oneofOf[number]
            if let originalField, updateField == nil {
                let path = ProtoModel.join(local, originalField.name)
                if let originalOneof {
                    if !deletedOneofs.contains(originalOneof) {
                        report(
                            .oneofFieldRemoved, path: path, location: location + [originalOneof, "\(number)"],
                            "Field \(number) '\(originalField.name)' of oneof '\(originalOneof)' in message '\(local)' was removed.")
                    }
                } else if textLabel(originalField, model: original, message: originalFullName) == .required {
                    report(
                        .requiredFieldRemoved, path: path, location: location + ["\(number)"],
                        "Required field \(number) '\(originalField.name)' of message '\(local)' was removed.")
                }
            } else if let updateField, originalField == nil {
                if updateOneof == nil, textLabel(updateField, model: update, message: updateFullName) == .required {
                    report(
                        .requiredFieldAdded, path: ProtoModel.join(local, updateField.name),
                        location: location + ["\(number)"],
                        "Required field \(number) '\(updateField.name)' was added to message '\(local)'.")
                }
            } else if let originalField, let updateField {
                let fieldLocation = location + (updateOneof.map { [$0, "\(number)"] } ?? ["\(number)"])
                let site = FieldSite(
                    path: ProtoModel.join(local, updateField.name), location: fieldLocation,
                    description: "Field \(number) '\(updateField.name)' of message '\(local)'",
                    originalScope: originalFullName, updateScope: updateFullName)
                try compareLabelsAndTypes(
                    site,
                    originalLabel: textLabel(originalField, model: original, message: originalFullName),
                    updateLabel: textLabel(updateField, model: update, message: updateFullName),
                    originalType: typeRef(originalField, model: original),
                    updateType: typeRef(updateField, model: update))
            }
        }
    }

    // MARK: - Fields (FieldSchemaDiff)

    /// Where a field comparison reports.
    struct FieldSite {
        let path: String
        let location: [String]
        let description: String
        let originalScope: String
        let updateScope: String
    }

    /// The label as Confluent's text model has it.
    enum TextLabel { case optional, required, repeated }

    private func textLabel(_ field: FieldProto, model: ProtoModel, message: String) -> TextLabel? {
        if field.isInRealOneof { return nil }
        if field.proto3Optional { return .optional }
        let fileIndex = model.message(message)?.fileIndex ?? model.mainFileIndex
        switch model.syntax(fileIndex) {
        case .proto2:
            switch field.label {
            case .optional: return .optional
            case .required: return .required
            case .repeated: return .repeated
            }
        case .proto3, .editions:
            return field.label == .repeated ? .repeated : nil
        }
    }

    /// A field type the way Confluent's `ProtoType` sees it.
    indirect enum TypeRef {
        case scalar(FieldProto.TypeEnum)
        case named(String)
        case map(key: TypeRef, value: TypeRef)

        var text: String {
            switch self {
            case .scalar(let t): t.protoName
            case .named(let name): name
            case .map(let key, let value): "map<\(key.text), \(value.text)>"
            }
        }
    }

    /// Map entries expand once: a key or value is never itself a map (a descriptor claiming so is read as naming
    /// the entry message).
    private mutating func typeRef(_ field: FieldProto, model: ProtoModel, expandMaps: Bool = true)
        throws(CompatibilityBudgetExceeded) -> TypeRef
    {
        guard !field.isScalarType else { return .scalar(field.type) }
        let name = ProtoModel.strip(field.typeName)
        if expandMaps, let entry = model.message(name), entry.isMapEntry {
            let fields = entry.descriptor.field
            // A well-formed entry has exactly its key and value; a descriptor may claim more.
            try work.spend(fields.count)
            if let key = fields.first(where: { $0.number == 1 }), let value = fields.first(where: { $0.number == 2 }) {
                return try .map(
                    key: typeRef(key, model: model, expandMaps: false),
                    value: typeRef(value, model: model, expandMaps: false))
            }
        }
        return .named(name)
    }

    enum GeneralKind: String { case scalar, map, message }

    private func generalKind(_ type: TypeRef, model: ProtoModel) -> GeneralKind {
        switch type {
        case .scalar: .scalar
        case .map: .map
        case .named(let name): model.enumNode(name) != nil ? .scalar : .message
        }
    }

    enum ScalarKind: String {
        case generalNumber = "int32, int64, uint32, uint64, bool and enums"
        case signedNumber = "sint32 and sint64"
        case stringOrBytes = "string and bytes"
        case fixed32 = "fixed32 and sfixed32"
        case fixed64 = "fixed64 and sfixed64"
        case float = "float"
        case double = "double"
    }

    private func scalarKind(_ type: TypeRef, model: ProtoModel) -> ScalarKind {
        guard case .scalar(let t) = type else { return .generalNumber }
        switch t {
        case .int32, .int64, .uint32, .uint64, .bool, .enum: return .generalNumber
        case .sint32, .sint64: return .signedNumber
        case .string, .bytes: return .stringOrBytes
        case .fixed32, .sfixed32: return .fixed32
        case .fixed64, .sfixed64: return .fixed64
        case .float: return .float
        case .double: return .double
        case .message, .group: return .generalNumber
        }
    }

    private mutating func compareLabelsAndTypes(
        _ site: FieldSite, originalLabel: TextLabel?, updateLabel: TextLabel?, originalType: TypeRef,
        updateType: TypeRef
    ) throws(CompatibilityBudgetExceeded) {
        let originalKind = generalKind(originalType, model: original)
        let updateKind = generalKind(updateType, model: update)
        guard originalKind == updateKind else {
            report(
                .fieldKindChanged, path: site.path, location: site.location,
                "\(site.description) changed from a \(originalKind.rawValue) (\(originalType.text)) to a "
                    + "\(updateKind.rawValue) (\(updateType.text)).")
            return
        }
        switch (originalKind, originalType, updateType) {
        case (.scalar, _, _):
            let o = scalarKind(originalType, model: original)
            let u = scalarKind(updateType, model: update)
            if o != u {
                report(
                    .fieldScalarKindChanged, path: site.path, location: site.location,
                    "\(site.description) changed type from \(originalType.text) to \(updateType.text); Confluent only "
                        + "allows changes within one group (\(o.rawValue)).")
            } else if let originalLabel, let updateLabel, originalLabel != updateLabel, o != .stringOrBytes {
                report(
                    .fieldNumericLabelChanged, path: site.path, location: site.location,
                    "\(site.description) is numeric and changed label from \(originalLabel) to \(updateLabel).")
            }
        case (.message, .named(let o), .named(let u)):
            try compareMessageTypes(site, originalName: o, updateName: u)
        case (.map, .map(let ok, let ov), .map(let uk, let uv)):
            try compareLabelsAndTypes(site, originalLabel: nil, updateLabel: nil, originalType: ok, updateType: uk)
            try compareLabelsAndTypes(site, originalLabel: nil, updateLabel: nil, originalType: ov, updateType: uv)
        default:
            break
        }
    }

    private mutating func compareMessageTypes(_ site: FieldSite, originalName: String, updateName: String)
        throws(CompatibilityBudgetExceeded)
    {
        guard let o = original.message(originalName), let u = update.message(updateName) else {
            if originalName != updateName {
                report(
                    .fieldNamedTypeChanged, path: site.path, location: site.location,
                    "\(site.description) changed type from '\(originalName)' to '\(updateName)'.")
            }
            return
        }
        let originalLocal = original.localName(of: o.fullName, fileIndex: o.fileIndex)
        let updateLocal = update.localName(of: u.fullName, fileIndex: u.fileIndex)
        guard originalLocal == updateLocal else {
            report(
                .fieldNamedTypeChanged, path: site.path, location: site.location,
                "\(site.description) changed type from '\(o.fullName)' to '\(u.fullName)'.")
            return
        }
        // Types of the main file are compared by the walk over the file itself.
        if o.fileIndex == original.mainFileIndex && u.fileIndex == update.mainFileIndex { return }
        let before = found.count
        try compareMessage(
            o.descriptor, u.descriptor, originalFullName: o.fullName, updateFullName: u.fullName,
            location: originalLocal.split(separator: ".").map(String.init), local: originalLocal)
        if found.count > before {
            report(
                .fieldNamedTypeChanged, path: site.path, location: site.location,
                "\(site.description) refers to '\(u.fullName)', which changed incompatibly from '\(o.fullName)'.")
        }
    }
}
