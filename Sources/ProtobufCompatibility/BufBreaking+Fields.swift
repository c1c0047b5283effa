import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf

/// The rules buf applies to each pair of fields with the same number in messages with the same full name
/// (and to extensions of the same message with the same number).
extension BufBreaking {
    /// buf's wire compatibility groups (the proto3 "updating a message type" rules); string and bytes differ
    /// here and string to bytes is allowed separately.
    static func wireGroup(_ type: FieldProto.TypeEnum) -> Int {
        switch type {
        case .int32, .int64, .uint32, .uint64, .bool: 1
        case .sint32, .sint64: 2
        case .string: 3
        case .bytes: 4
        case .fixed32, .sfixed32: 5
        case .fixed64, .sfixed64: 6
        case .double: 7
        case .float: 8
        case .group: 9
        case .message: 10
        case .enum: 11
        }
    }

    /// buf's groups of types that keep both their binary and their JSON encoding.
    static func wireJSONGroup(_ type: FieldProto.TypeEnum) -> Int {
        switch type {
        case .int32, .uint32: 1
        case .int64, .uint64: 2
        case .fixed32, .sfixed32: 3
        case .fixed64, .sfixed64: 4
        case .bool: 5
        case .sint32: 6
        case .sint64: 7
        case .string: 8
        case .bytes: 9
        case .double: 10
        case .float: 11
        case .group: 12
        case .message: 13
        case .enum: 14
        }
    }

    mutating func checkFieldPair(_ p: FieldContext, _ c: FieldContext) throws(CompatibilityBudgetExceeded) {
        try spend()
        try checkTypes(p, c)
        checkCardinality(p, c)
        checkNames(p, c)
        checkOneof(p, c)
        try checkDefault(p, c)
        checkLanguageOptions(p, c)
    }

    private func typeText(_ field: FieldProto, kind: FieldProto.TypeEnum) -> String {
        switch kind {
        case .message, .enum, .group:
            let name = ProtoModel.strip(field.typeName)
            return field.type == .message && kind == .group ? "\(name) (delimited)" : name
        default: return kind.protoName
        }
    }

    private mutating func checkTypes(_ p: FieldContext, _ c: FieldContext) throws(CompatibilityBudgetExceeded) {
        let pk = previous.kind(p.field, parent: p.parent, fileIndex: p.fileIndex)
        let ck = current.kind(c.field, parent: c.parent, fileIndex: c.fileIndex)
        let change = "\(c.description) changed type from \(typeText(p.field, kind: pk)) to \(typeText(c.field, kind: ck))"
        let namedKinds: Set<FieldProto.TypeEnum> = [.message, .group, .enum]
        let sameTypeName = ProtoModel.strip(p.field.typeName) == ProtoModel.strip(c.field.typeName)
        // FIELD_SAME_TYPE
        if pk != ck || (namedKinds.contains(ck) && !sameTypeName) {
            report(.fieldSameType, c.path, change + ".")
        }
        // FIELD_WIRE_COMPATIBLE_TYPE
        if Self.wireGroup(pk) != Self.wireGroup(ck) {
            if !(pk == .string && ck == .bytes) {
                let note = pk == .bytes && ck == .string ? " Bytes need not hold valid UTF-8, so they may not read as a string." : ""
                report(.fieldWireCompatibleType, c.path, change + " and the binary encodings are not compatible." + note)
            }
        } else if !sameTypeName {
            try checkNamedType(.fieldWireCompatibleType, p, c, kind: ck, change: change)
        }
        // FIELD_WIRE_JSON_COMPATIBLE_TYPE
        if Self.wireJSONGroup(pk) != Self.wireJSONGroup(ck) {
            report(.fieldWireJSONCompatibleType, c.path, change + " and the binary or JSON encodings are not compatible.")
        } else if !sameTypeName {
            try checkNamedType(.fieldWireJSONCompatibleType, p, c, kind: ck, change: change)
        }
    }

    /// Same group but different named types: a message or group must keep its type; an enum may be replaced
    /// by an enum with the same short name that keeps every previous value (name and number).
    private mutating func checkNamedType(
        _ rule: BufRule, _ p: FieldContext, _ c: FieldContext, kind: FieldProto.TypeEnum, change: String
    ) throws(CompatibilityBudgetExceeded) {
        switch kind {
        case .message, .group:
            report(rule, c.path, change + ".")
        case .enum:
            guard let pe = previous.enumNode(p.field.typeName), let ce = current.enumNode(c.field.typeName) else {
                report(rule, c.path, change + ".")
                return
            }
            let subset = try keepsEveryValue(previous: pe, current: ce)
            if pe.descriptor.name != ce.descriptor.name || !subset {
                report(rule, c.path, change + "; the new enum does not keep every value of the old one.")
            }
        default:
            break
        }
    }

    private mutating func checkCardinality(_ p: FieldContext, _ c: FieldContext) {
        if previous.isInMapEntry(p) && current.isInMapEntry(c) { return }
        let pc = previous.cardinality(p)
        let cc = current.cardinality(c)
        guard pc != cc else { return }
        let change = "\(c.description) changed cardinality from \(pc.rawValue) to \(cc.rawValue)."
        report(.fieldSameCardinality, c.path, change)
        if pc.wireGroup != cc.wireGroup { report(.fieldWireCompatibleCardinality, c.path, change) }
        if pc.wireJSONGroup != cc.wireJSONGroup { report(.fieldWireJSONCompatibleCardinality, c.path, change) }
    }

    private mutating func checkNames(_ p: FieldContext, _ c: FieldContext) {
        let previousName = p.isExtension ? p.path : p.field.name
        let currentName = c.isExtension ? c.path : c.field.name
        if previousName != currentName {
            report(.fieldSameName, c.path, "Field \(c.number) of message '\(c.owner)' changed name from '\(previousName)' to '\(currentName)'.")
        }
        if !p.isExtension, p.field.effectiveJSONName != c.field.effectiveJSONName {
            report(
                .fieldSameJSONName, c.path,
                "\(c.description) changed JSON name from '\(p.field.effectiveJSONName)' to '\(c.field.effectiveJSONName)'.")
        }
    }

    private func oneofName(_ context: FieldContext, _ model: ProtoModel) -> String? {
        guard !context.isExtension, context.field.isInRealOneof, let parent = context.parent,
            let node = model.message(parent)
        else { return nil }
        let decls = node.descriptor.oneofDecl
        let index = Int(context.field.oneofIndex)
        return decls.indices.contains(index) ? decls[index].name : nil
    }

    private mutating func checkOneof(_ p: FieldContext, _ c: FieldContext) {
        guard !p.isExtension else { return }
        let po = oneofName(p, previous)
        let co = oneofName(c, current)
        switch (po, co) {
        case (nil, nil): return
        case (let a?, let b?):
            if a != b { report(.fieldSameOneof, c.path, "\(c.description) moved from oneof '\(a)' to oneof '\(b)'.") }
        case (nil, let b?):
            report(.fieldSameOneof, c.path, "\(c.description) moved into oneof '\(b)'.")
        case (let a?, nil):
            report(.fieldSameOneof, c.path, "\(c.description) moved out of oneof '\(a)'.")
        }
    }

    private func canHaveDefault(_ context: FieldContext, _ model: ProtoModel) -> Bool {
        context.field.label != .repeated && context.field.type != .message && context.field.type != .group
    }

    private mutating func checkDefault(_ p: FieldContext, _ c: FieldContext) throws(CompatibilityBudgetExceeded) {
        guard canHaveDefault(p, previous), canHaveDefault(c, current) else { return }
        let pd = try defaultValue(p.field, in: previous, isPrevious: true)
        let cd = try defaultValue(c.field, in: current, isPrevious: false)
        if pd.isZero && cd.isZero { return }
        if !DefaultValue.same(pd, cd) {
            report(.fieldSameDefault, c.path, "\(c.description) changed default value from \(pd) to \(cd).")
        }
    }

    private static let sixtyFourBit: Set<FieldProto.TypeEnum> = [.int64, .sint64, .uint64, .fixed64, .sfixed64]

    /// C++ string type of a string or bytes field: (type, is STRING_PIECE).
    private func cppStringType(_ context: FieldContext, _ model: ProtoModel) -> (String, Bool) {
        let options = context.field.options
        if options.hasCtype {
            switch options.ctype {
            case .cord: return ("CORD", false)
            case .stringPiece: return ("STRING", true)
            case .string: return ("STRING", false)
            }
        }
        return ("STRING", false)
    }

    private func javaUTF8(_ context: FieldContext, _ model: ProtoModel) -> FeatureSet.Utf8Validation {
        let base = model.utf8Validation(context.field, parent: context.parent, fileIndex: context.fileIndex)
        return model.file(context.fileIndex).options.javaStringCheckUtf8 ? .verify : base
    }

    private mutating func checkLanguageOptions(_ p: FieldContext, _ c: FieldContext) {
        let pt = p.field.type
        let ct = c.field.type
        if Self.sixtyFourBit.contains(pt), Self.sixtyFourBit.contains(ct), p.field.options.jstype != c.field.options.jstype {
            report(
                .fieldSameJSType, c.path,
                "\(c.description) changed option jstype from \(p.field.options.jstype) to \(c.field.options.jstype).")
        }
        let stringOrBytes: Set<FieldProto.TypeEnum> = [.string, .bytes]
        if stringOrBytes.contains(pt), stringOrBytes.contains(ct), !(previous.isInMapEntry(p) && current.isInMapEntry(c)) {
            let (ps, pp) = cppStringType(p, previous)
            let (cs, cp) = cppStringType(c, current)
            if (ps != cs || pp != cp) && !(pp && cs == "STRING" && !cp) {
                let before = pp ? "STRING_PIECE" : ps
                let after = cp ? "STRING_PIECE" : cs
                report(.fieldSameCppStringType, c.path, "\(c.description) changed C++ string type from \(before) to \(after).")
            }
        }
        guard pt == .string, ct == .string else { return }
        let pj = javaUTF8(p, previous)
        let cj = javaUTF8(c, current)
        if pj != cj {
            report(.fieldSameJavaUTF8Validation, c.path, "\(c.description) changed Java UTF-8 validation from \(pj) to \(cj).")
        }
        let pu = previous.utf8Validation(p.field, parent: p.parent, fileIndex: p.fileIndex)
        let cu = current.utf8Validation(c.field, parent: c.parent, fileIndex: c.fileIndex)
        if pu != cu {
            report(.fieldSameUTF8Validation, c.path, "\(c.description) changed UTF-8 validation from \(pu) to \(cu).")
        }
    }
}
