import ProtobufSchema
import SwiftProtobuf

/// One field as the validating walk sees it: 16 bytes, no references.
struct ProtoWalkField: Sendable {
    /// What to check for an occurrence with the expected wire type.
    enum Op: UInt8, Sendable {
        case varint, fixed64, fixed32, bytes, utf8String, message, group
    }

    var number: UInt32
    var op: Op
    /// The wire type that matches `op`; any other wire type (except 2 for `packable`) is an unknown field.
    var wireType: UInt8
    /// Repeated numeric scalars, which also accept a packed block (wire type 2).
    var packable: Bool
    /// Bit in the message's required mask plus one, or 0.
    var requiredBit: UInt8
    /// Message index for `.message` and `.group`, else -1.
    var child: Int32
}

/// One message as the validating walk sees it.
struct ProtoWalkMessage: Sendable {
    /// First field in `ProtoCodecProgram.walkFields`, and how many (sorted by number).
    var first: Int32
    var count: Int32
    /// Every required field's bit; empty when the message has none.
    var requiredMask: UInt64
    /// Set when the message has more than 64 required fields: the walk then defers the check to the
    /// merged-message check.
    var requiredOverflow: Bool
}

/// A schema compiled once into the tables the codec walks.
///
/// Every message and enum of the pool is compiled (a `google.protobuf.Any` may name any of them).
/// The validating walk reads flat, reference-free tables through raw pointers: `walkMessages`,
/// `walkFields` and `smallLookup`, where field numbers below 64 map to a field with one load
/// and larger numbers are found by binary search over the message's sorted numbers.
///
/// `@unchecked Sendable`: everything is immutable after `init`; the raw buffers are owned and freed in
/// `deinit`.
final class ProtoCodecProgram: @unchecked Sendable {
    let messages: [ProtoMessagePlan]
    let enums: [ProtoEnumPlan]
    let messageIndex: [String: Int]
    let enumIndex: [String: Int]
    /// Whether any message of the pool has required fields (encode then checks its output).
    let hasRequiredFields: Bool

    let walkMessages: UnsafeMutablePointer<ProtoWalkMessage>
    let walkFields: UnsafeMutablePointer<ProtoWalkField>
    /// 64 entries per message: local field index + 1 for numbers 0..<64, 0 when undeclared.
    let smallLookup: UnsafeMutablePointer<UInt16>
    /// The fast walk's tag table and which messages it may enter (`ProtoFastAction`); nil for huge pools.
    let fastTable: UnsafeMutablePointer<UInt32>?
    let fastOK: UnsafeMutablePointer<Bool>?
    /// What the message writer needs of each field, laid out like `walkFields` (`ProtoWriteField`).
    let writeFields: UnsafeMutablePointer<ProtoWriteField>
    private let walkMessageCount: Int
    private let walkFieldCount: Int

    static let smallLimit: UInt32 = 64

    init(pool: ProtoDescriptorPool) throws(ProtobufError) {
        let scopes = ProtoFeatureScopes(pool: pool)
        let messageNames = pool.messages.keys.sorted()
        let enumNames = pool.enums.keys.sorted()
        var messageIndex: [String: Int] = [:]
        for (i, name) in messageNames.enumerated() { messageIndex[name] = i }
        var enumIndex: [String: Int] = [:]
        for (i, name) in enumNames.enumerated() { enumIndex[name] = i }

        var enums: [ProtoEnumPlan] = []
        for name in enumNames {
            guard let e = pool.enums[name] else { continue }
            var nameByNumber: [Int32: String] = [:]
            var numberByName: [String: Int32] = [:]
            for value in e.descriptor.value {
                if nameByNumber[value.number] == nil { nameByNumber[value.number] = value.name }
                numberByName[value.name] = value.number
            }
            enums.append(
                ProtoEnumPlan(
                    fullName: name, isClosed: scopes.enumClosed[name] ?? false,
                    nameByNumber: nameByNumber, numberByName: numberByName))
        }

        // Map entries take their key and value features from the map field (protoc propagates them).
        var entryFeatures: [String: ProtoResolvedFeatures] = [:]
        for name in messageNames {
            guard let m = pool.messages[name], let scope = scopes.messageScopes[name] else { continue }
            for field in m.descriptor.field where field.type == .message {
                let target = Self.strip(field.typeName)
                guard let entry = pool.messages[target], entry.descriptor.options.mapEntry else { continue }
                entryFeatures[target] = Self.features(of: field, in: m.descriptor, scope: scope, pool: pool)
            }
        }

        var plans: [ProtoMessagePlan] = []
        for name in messageNames {
            guard let m = pool.messages[name], let scope = scopes.messageScopes[name] else { continue }
            plans.append(
                try Self.compile(
                    m, scope: scope, entryFeatures: entryFeatures[name], extensions: scopes.extensions[name] ?? [],
                    pool: pool,
                    messageIndex: messageIndex, enumIndex: enumIndex))
        }
        self.messages = plans
        self.hasRequiredFields = plans.contains { $0.requiredCount > 0 }
        self.enums = enums
        self.messageIndex = messageIndex
        self.enumIndex = enumIndex

        let fast = ProtoFastAction.build(plans)
        fastTable = fast?.table
        fastOK = fast?.ok
        let fieldTotal = plans.reduce(0) { $0 + $1.fields.count }
        walkMessageCount = plans.count
        walkFieldCount = fieldTotal
        walkMessages = .allocate(capacity: max(plans.count, 1))
        walkFields = .allocate(capacity: max(fieldTotal, 1))
        writeFields = .allocate(capacity: max(fieldTotal, 1))
        let lookupCount = max(plans.count, 1) * Int(Self.smallLimit)
        smallLookup = .allocate(capacity: lookupCount)
        smallLookup.initialize(repeating: 0, count: lookupCount)
        var next = 0
        for (mi, plan) in plans.enumerated() {
            var mask: UInt64 = 0
            for (fi, field) in plan.fields.enumerated() {
                let op: ProtoWalkField.Op
                switch field.type {
                case .double, .fixed64, .sfixed64: op = .fixed64
                case .float, .fixed32, .sfixed32: op = .fixed32
                case .string: op = field.verifyUTF8 ? .utf8String : .bytes
                case .bytes: op = .bytes
                case .message: op = field.isDelimited ? .group : .message
                default: op = .varint
                }
                var bit: UInt8 = 0
                if field.requiredBit >= 0 && field.requiredBit < 64 {
                    bit = UInt8(field.requiredBit + 1)
                    mask |= 1 << UInt64(field.requiredBit)
                }
                (walkFields + next + fi).initialize(
                    to: ProtoWalkField(
                        number: field.number, op: op, wireType: field.wireType,
                        packable: field.isRepeated && field.type.isPackable, requiredBit: bit,
                        child: Int32(field.message)))
                (writeFields + next + fi).initialize(to: ProtoWriteField(field, inMapEntry: plan.isMapEntry, plans: plans))
                if field.number < Self.smallLimit {
                    smallLookup[mi * Int(Self.smallLimit) + Int(field.number)] = UInt16(fi + 1)
                }
            }
            (walkMessages + mi).initialize(
                to: ProtoWalkMessage(
                    first: Int32(next), count: Int32(plan.fields.count), requiredMask: mask,
                    requiredOverflow: plan.requiredCount > 64))
            next += plan.fields.count
        }
    }

    deinit {
        walkMessages.deallocate()
        walkFields.deallocate()
        writeFields.deallocate()
        smallLookup.deallocate()
        fastTable?.deallocate()
        fastOK?.deallocate()
    }

    static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    /// The resolved features of `field` declared in `message` whose own scope is `scope`.
    private static func features(
        of field: Google_Protobuf_FieldDescriptorProto,
        in message: Google_Protobuf_DescriptorProto,
        scope: ProtoResolvedFeatures,
        pool: ProtoDescriptorPool
    ) -> ProtoResolvedFeatures {
        var features = scope
        if field.hasOneofIndex, message.oneofDecl.indices.contains(Int(field.oneofIndex)) {
            features = features.merging(message.oneofDecl[Int(field.oneofIndex)].options.features)
        }
        return features.merging(field.options.features)
    }

    private static func compile(
        _ type: ProtoMessageType,
        scope: ProtoResolvedFeatures,
        entryFeatures: ProtoResolvedFeatures?,
        extensions: [ProtoExtensionScope],
        pool: ProtoDescriptorPool,
        messageIndex: [String: Int],
        enumIndex: [String: Int]
    ) throws(ProtobufError) -> ProtoMessagePlan {
        let d = type.descriptor
        let syntax = pool.syntax(of: type)
        let isEditions = Self.isEditions(syntax)
        let isMapEntry = d.options.mapEntry
        // Real oneofs only: proto3 `optional` fields sit in synthetic oneofs that JSON ignores.
        var realOneof: [Int: Int] = [:]
        var oneofs: [String] = []
        for (i, decl) in d.oneofDecl.enumerated() {
            let synthetic = d.field.contains { $0.hasOneofIndex && Int($0.oneofIndex) == i && $0.proto3Optional }
            if !synthetic {
                realOneof[i] = oneofs.count
                oneofs.append(decl.name)
            }
        }
        var fields: [ProtoFieldPlan] = []
        var requiredCount = 0
        for field in d.field.sorted(by: { $0.number < $1.number }) {
            var features = entryFeatures ?? features(of: field, in: d, scope: scope, pool: pool)
            if !isEditions && field.options.hasPacked { features.packed = field.options.packed }
            let inOneof = field.hasOneofIndex && !field.proto3Optional
            fields.append(
                try plan(
                    field, features: features, syntax: syntax, inMapEntry: isMapEntry,
                    oneof: inOneof ? (realOneof[Int(field.oneofIndex)] ?? -1) : -1,
                    names: (field.name, field.hasJsonName ? field.jsonName : protoJSONName(field.name)),
                    path: "\(type.fullName).\(field.name)", requiredCount: &requiredCount, pool: pool,
                    messageIndex: messageIndex, enumIndex: enumIndex))
        }
        // Extensions read and write as fields of the extendee, named `[full.name]` (JSON and error paths alike).
        let declared = Set(fields.map(\.number))
        for ext in extensions where ext.field.number > 0 && !declared.contains(UInt32(ext.field.number)) {
            var features = ext.features
            if !Self.isEditions(ext.syntax) && ext.field.options.hasPacked { features.packed = ext.field.options.packed }
            let name = "[\(ext.fullName)]"
            fields.append(
                try plan(
                    ext.field, features: features, syntax: ext.syntax, inMapEntry: false, oneof: -1,
                    names: (name, name), path: ext.fullName, requiredCount: &requiredCount, pool: pool,
                    messageIndex: messageIndex, enumIndex: enumIndex))
        }
        fields.sort { $0.number < $1.number }
        var byName: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            byName[f.jsonName] = i
            if byName[f.protoName] == nil { byName[f.protoName] = i }
        }
        return ProtoMessagePlan(
            fullName: type.fullName, fields: fields, byName: byName, oneofs: oneofs,
            wellKnown: ProtoWellKnown(fullName: type.fullName), isMapEntry: isMapEntry,
            requiredCount: requiredCount)
    }

    private static func isEditions(_ syntax: ProtoSyntax) -> Bool {
        if case .editions = syntax { return true }
        return false
    }

    /// The plan of one field (or extension) whose features are resolved; `names` are its proto and JSON names,
    /// `path` names it in errors.
    private static func plan(
        _ field: Google_Protobuf_FieldDescriptorProto,
        features: ProtoResolvedFeatures,
        syntax: ProtoSyntax,
        inMapEntry isMapEntry: Bool,
        oneof: Int,
        names: (proto: String, json: String),
        path: String,
        requiredCount: inout Int,
        pool: ProtoDescriptorPool,
        messageIndex: [String: Int],
        enumIndex: [String: Int]
    ) throws(ProtobufError) -> ProtoFieldPlan {
        guard field.number > 0 else {
            throw ProtobufError(.invalidSchema, "field number \(field.number) is not positive", protoPath: path)
        }
        let isEditions = Self.isEditions(syntax)
        let isRepeated = field.label == .repeated
        let inOneof = field.hasOneofIndex && !field.proto3Optional
        var messageRef = -1
        var enumRef = -1
        let fieldType: ProtoFieldType
        var delimited = false
        switch field.type {
        case .double: fieldType = .double
        case .float: fieldType = .float
        case .int64: fieldType = .int64
        case .uint64: fieldType = .uint64
        case .int32: fieldType = .int32
        case .fixed64: fieldType = .fixed64
        case .fixed32: fieldType = .fixed32
        case .bool: fieldType = .bool
        case .string: fieldType = .string
        case .bytes: fieldType = .bytes
        case .uint32: fieldType = .uint32
        case .sfixed32: fieldType = .sfixed32
        case .sfixed64: fieldType = .sfixed64
        case .sint32: fieldType = .sint32
        case .sint64: fieldType = .sint64
        case .enum:
            fieldType = .enumeration
            guard let e = enumIndex[strip(field.typeName)] else {
                throw ProtobufError(.unknownType, "enum \(field.typeName) is not in the schema", protoPath: path)
            }
            enumRef = e
        case .message, .group:
            fieldType = .message
            guard let m = messageIndex[strip(field.typeName)] else {
                throw ProtobufError(.unknownType, "message \(field.typeName) is not in the schema", protoPath: path)
            }
            messageRef = m
            let target = pool.message(named: field.typeName)
            let targetIsMapEntry = target?.descriptor.options.mapEntry ?? false
            delimited = field.type == .group || (isEditions && features.delimited && !targetIsMapEntry && !isMapEntry)
        }
        let isMap = isRepeated && messageRef >= 0 && field.extendee.isEmpty
            && (pool.message(named: field.typeName)?.descriptor.options.mapEntry ?? false)
        let isRequired: Bool
        let hasPresence: Bool
        switch syntax {
        case .proto2:
            isRequired = field.label == .required
            hasPresence = !isRepeated
        case .proto3:
            isRequired = false
            hasPresence = !isRepeated && (field.proto3Optional || inOneof || fieldType == .message || !field.extendee.isEmpty)
        case .editions:
            isRequired = !isRepeated && features.presence == .required
            hasPresence = !isRepeated && (features.presence != .implicit || inOneof || fieldType == .message)
        }
        // Map entries: keys and values are always present on the wire when written, but print
        // like implicit fields; they are never required.
        let requiredBit = isRequired ? requiredCount : -1
        if isRequired { requiredCount += 1 }
        return ProtoFieldPlan(
            number: UInt32(field.number), protoName: names.proto, jsonName: names.json, type: fieldType,
            isRepeated: isRepeated, isPacked: isRepeated && fieldType.isPackable && features.packed,
            isRequired: isRequired, hasPresence: hasPresence && !isMapEntry, isDelimited: delimited,
            verifyUTF8: features.verifyUTF8, isMap: isMap, message: messageRef, enumIndex: enumRef,
            oneof: oneof, requiredBit: requiredBit)
    }
}
