import SchemaCompatibility

/// The six kinds of Java's `SchemaCompatibility.SchemaIncompatibilityType`, spelled as Java spells them.
enum AvroIncompatibilityKind: String, CaseIterable {
    case nameMismatch = "NAME_MISMATCH"
    case fixedSizeMismatch = "FIXED_SIZE_MISMATCH"
    case missingEnumSymbols = "MISSING_ENUM_SYMBOLS"
    case readerFieldMissingDefaultValue = "READER_FIELD_MISSING_DEFAULT_VALUE"
    case typeMismatch = "TYPE_MISMATCH"
    case missingUnionBranch = "MISSING_UNION_BRANCH"
}

/// The sentences behind each incompatibility. Each carries the specifics Java puts in its message
/// (expected name, missing symbols, expected and found sizes, the two types, the field name) in our own words.
extension AvroCompatibilityWalker {
    /// `int`, `record 'com.acme.Order'`, `enum 'Color'`: how a type is named in a message.
    static func describe(_ node: AvroNode) -> String {
        guard let name = node.name else { return node.typeName }
        return "\(javaTypeWord(node)) '\(name.fullName)'"
    }

    /// Java's type word (`record` for records and errors alike).
    static func javaTypeWord(_ node: AvroNode) -> String {
        if case .record = node.kind { return "record" }
        return node.typeName
    }

    static func nameMismatchMessage(_ r: AvroNode, _ w: AvroNode) -> String {
        let readerName = r.name?.fullName ?? "?"
        let writerName = w.name?.fullName ?? "?"
        return "The reader's \(javaTypeWord(r)) is named '\(readerName)' but the writer's is named '\(writerName)': "
            + "the unqualified names must be equal, or the reader must list '\(writerName)' among its aliases."
    }

    static func fixedSizeMessage(_ r: AvroFixed, _ w: AvroFixed) -> String {
        "The reader's fixed '\(r.name.fullName)' holds \(r.size) bytes but the writer's fixed '\(w.name.fullName)' "
            + "holds \(w.size) bytes; the sizes must be equal."
    }

    static func missingSymbolsMessage(_ r: AvroEnum, _ w: AvroEnum, _ missing: [String]) -> String {
        let list = "[" + missing.joined(separator: ", ") + "]"
        return "The writer's enum '\(w.name.fullName)' can write the symbols \(list), which the reader's enum "
            + "'\(r.name.fullName)' does not have, and the reader's enum has no default symbol to use instead."
    }

    static func typeMismatchMessage(_ r: AvroNode, _ w: AvroNode) -> String {
        "The reader expects \(describe(r)) but the writer wrote \(describe(w)), which cannot be read as that type."
    }

    func missingDefaultMessage(_ field: AvroField, writerRecord: AvroSchema.NodeID) -> String {
        let record = writer[writerRecord].name?.fullName ?? "?"
        let aliasNote = field.aliases.isEmpty ? "" : " (nor one named like its aliases \(field.aliases))"
        return "The reader's field '\(field.name)' has no default value, and the writer's record '\(record)' "
            + "has no field '\(field.name)'\(aliasNote) to read it from."
    }

    func unionLacksBranchMessage(writerBranch: AvroSchema.NodeID, index: Int) -> String {
        "The reader's union has no branch that can read branch \(index) of the writer's union, "
            + "\(Self.describe(writer[writerBranch]))."
    }

    func unionLacksTypeMessage(writerNode: AvroSchema.NodeID) -> String {
        "The reader's union has no branch that can read the writer's \(Self.describe(writer[writerNode]))."
    }
}
