import SwiftProtobuf

/// Links one parsed file against the files it imports: defines its symbols, checks names and numbers, resolves
/// type references, interprets options and applies protoc's validation, in protoc's order.
///
/// As protoc's `DescriptorBuilder` it records each error in the log and goes on with the next element, and
/// it runs a phase only while the file has no errors yet: names and numbers, then type references (both always),
/// then options, then validation.
struct FileBuilder {
    var parsed: ParsedFile
    var symbols: SymbolTable
    let linked: [String: LinkedFile]
    let scope: SymbolTable.Scope
    /// What custom option names resolve in: `scope` and the files of `import option` (edition 2024).
    let optionScope: SymbolTable.Scope
    let isMain: Bool
    let limits: ProtoCompileLimits
    var file: FileProto
    let edition: ProtoEditionKind
    var fileName: String { scope.file }
    /// Full names of the elements of this file, by path.
    var fullNames: [ElementPath: String] = [:]
    /// Option value types' fields, computed once per type.
    let fieldCache = OptionFieldCache()
    /// Extension ranges of extendees, indexed once.
    var extensionRangeIndexes: [String: RangeIndex] = [:]
    /// Extension numbers used in this file, by extendee.
    var extensionNumbersInFile: [String: [Int32: String]] = [:]
    /// Where errors go.
    let log: ProtoErrorLog
    /// The log's count before this file's imports were loaded: more errors than this mean the file failed.
    let errorBaseline: Int
    /// protoc's hints after bad field numbers, by top-level message index.
    var fieldNumberHints: [Int: FieldNumberHint] = [:]

    init(
        parsed: ParsedFile,
        symbols: SymbolTable,
        linked: [String: LinkedFile],
        scope: SymbolTable.Scope,
        optionScope: SymbolTable.Scope? = nil,
        isMain: Bool,
        limits: ProtoCompileLimits,
        log: ProtoErrorLog,
        errorBaseline: Int
    ) {
        self.parsed = parsed
        self.symbols = symbols
        self.linked = linked
        self.scope = scope
        self.optionScope = optionScope ?? scope
        self.isMain = isMain
        self.limits = limits
        self.file = parsed.descriptor
        self.edition = parsed.edition
        self.log = log
        self.errorBaseline = errorBaseline
    }

    /// True once this file (or one of its imports) had an error.
    var hasErrors: Bool { log.count > errorBaseline }

    // MARK: - Errors

    /// Where to report a problem with the element at `path`: the part `kind` if recorded, else its name, else the
    /// nearest enclosing element's name.
    func position(_ path: ElementPath, _ kind: LocKind) -> SourcePos {
        if let p = parsed.position(path, kind) { return p }
        var p = path
        while true {
            if let found = parsed.position(p, .name) ?? parsed.position(p, .type) { return found }
            if p.isEmpty { return parsed.position([], .other) ?? SourcePos(line: 0, column: 0) }
            p.removeLast()
        }
    }

    func error(_ message: String, _ path: ElementPath, _ kind: LocKind) -> ProtobufError {
        error(message, at: position(path, kind))
    }

    func error(_ message: String, at p: SourcePos) -> ProtobufError {
        ProtobufError(.invalidSchema, message, location: .init(file: fileName, line: p.line + 1, column: p.column + 1))
    }

    // MARK: - Driver

    /// The linked descriptor, or nil when the file has errors (each one recorded in the log).
    mutating func build() throws(ProtobufError) -> FileProto? {
        try log.collect { () throws(ProtobufError) in try definePackage() }
        let package = file.package
        for (i, message) in file.messageType.enumerated() {
            try buildMessage(message, path: [PathTag.fileMessage, Int32(i)], scope: package, depth: 1)
        }
        for (i, e) in file.enumType.enumerated() {
            try buildEnum(e, path: [PathTag.fileEnum, Int32(i)], scope: package, parentScope: package)
        }
        for (i, service) in file.service.enumerated() {
            try buildService(service, path: [PathTag.fileService, Int32(i)])
        }
        for (i, ext) in file.extension.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try buildField(ext, path: [PathTag.fileExtension, Int32(i)], scope: package, isExtension: true)
            }
        }
        try crossLinkFile()
        try suggestFieldNumbers()
        // protoc interprets options only in a file without errors, and validates only after that.
        if hasErrors { return nil }
        try interpretAllOptions()
        if hasErrors { return nil }
        try validateFile()
        if hasErrors { return nil }
        try validateNamingStyle()
        if hasErrors { return nil }
        try checkStrictVisibility()
        if hasErrors { return nil }
        try checkRemovedOptions()
        if hasErrors { return nil }
        finishJSONNames()
        return file
    }

    mutating func definePackage() throws(ProtobufError) {
        guard !file.package.isEmpty else { return }
        if file.package.split(separator: ".").count > 101 {
            throw error("Exceeds Maximum Package Depth", [2], .name)
        }
        if let (name, other) = symbols.addPackage(file.package, file: fileName) {
            throw error(
                "\"\(name)\" is already defined (as something other than a package) in file \"\(other.file)\".",
                [2], .name
            )
        }
    }

    /// `AddSymbol`: defines `fullName` or reports protoc's "already defined" error at the element's name.
    mutating func addSymbol(_ fullName: String, _ kind: SymbolTable.Kind, path: ElementPath, note: String = "")
        throws(ProtobufError)
    {
        guard let existing = symbols.add(fullName, .init(kind: kind, file: fileName, path: path)) else { return }
        var message: String
        if existing.file == fileName {
            if let dot = fullName.lastIndex(of: ".") {
                let name = fullName[fullName.index(after: dot)...]
                message = "\"\(name)\" is already defined in \"\(fullName[..<dot])\"."
            } else {
                message = "\"\(fullName)\" is already defined."
            }
        } else {
            message = "\"\(fullName)\" is already defined in file \"\(existing.file)\"."
        }
        if !note.isEmpty { message += "  " + note }
        throw error(message, path, .name)
    }

    func validateSymbolName(_ name: String, path: ElementPath) throws(ProtobufError) {
        if name.isEmpty { throw error("Missing name.", path, .name) }
        if !name.utf8.allSatisfy({ ProtoLexer.isLetter($0) || ProtoLexer.isDigit($0) }) {
            throw error("\"\(name)\" is not a valid identifier.", path, .name)
        }
    }

    static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    // MARK: - Build phase

    mutating func buildMessage(_ message: DescriptorProto, path: ElementPath, scope: String, depth: Int)
        throws(ProtobufError)
    {
        let fullName = Self.join(scope, message.name)
        fullNames[path] = fullName
        try log.collect { () throws(ProtobufError) in try validateSymbolName(message.name, path: path) }
        for (i, oneof) in message.oneofDecl.enumerated() {
            let oneofPath = path + [PathTag.messageOneof, Int32(i)]
            fullNames[oneofPath] = fullName + "." + oneof.name
            try log.collect { () throws(ProtobufError) in
                try validateSymbolName(oneof.name, path: oneofPath)
                try addSymbol(fullName + "." + oneof.name, .oneof, path: oneofPath)
            }
        }
        for (i, field) in message.field.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try buildField(field, path: path + [PathTag.messageField, Int32(i)], scope: fullName, isExtension: false)
            }
        }
        for (i, nestedEnum) in message.enumType.enumerated() {
            try buildEnum(nestedEnum, path: path + [PathTag.messageEnum, Int32(i)], scope: fullName, parentScope: fullName)
        }
        for (i, range) in message.extensionRange.enumerated() {
            let rangePath = path + [PathTag.messageExtensionRange, Int32(i)]
            if range.start <= 0 {
                hintFieldNumbers(path, rangePath, count: Int64(range.end) - Int64(range.start))
                try log.record(error("Extension numbers must be positive integers.", rangePath, .number))
            }
            if range.start >= range.end {
                try log.record(error("Extension range end number must be greater than start number.", rangePath, .number))
            }
        }
        for (i, field) in message.extension.enumerated() {
            try log.collect { () throws(ProtobufError) in
                try buildField(field, path: path + [PathTag.messageExtension, Int32(i)], scope: fullName, isExtension: true)
            }
        }
        for (i, range) in message.reservedRange.enumerated() {
            let rangePath = path + [PathTag.messageReservedRange, Int32(i)]
            if range.start <= 0 {
                hintFieldNumbers(path, rangePath, count: Int64(range.end) - Int64(range.start))
                try log.record(error("Reserved numbers must be positive integers.", rangePath, .number))
            }
            if range.start >= range.end {
                try log.record(error("Reserved range end number must be greater than start number.", rangePath, .number))
            }
        }
        if depth >= limits.maxDepth && !message.nestedType.isEmpty {
            try log.record(error("Reached maximum recursion limit for nested messages.", path, .name))
        } else {
            for (i, nested) in message.nestedType.enumerated() {
                try buildMessage(nested, path: path + [PathTag.messageNested, Int32(i)], scope: fullName, depth: depth + 1)
            }
        }
        try log.collect { () throws(ProtobufError) in try addSymbol(fullName, .message, path: path) }
        try checkMessageRanges(message, path: path)
    }

    mutating func checkMessageRanges(_ message: DescriptorProto, path: ElementPath) throws(ProtobufError) {
        let reserved = message.reservedRange
        let reservedIndex = RangeIndex(reserved.map { ($0.start, $0.end) })
        if let (i, j) = reservedIndex.firstOverlap() {
            try log.record(error(
                "Reserved range \(reserved[j].start) to \(reserved[j].end - 1) overlaps with already-defined range "
                    + "\(reserved[i].start) to \(reserved[i].end - 1).",
                path + [PathTag.messageReservedRange, Int32(i)], .number
            ))
        }
        var reservedNames = Set<String>()
        for name in message.reservedName where !reservedNames.insert(name).inserted {
            try log.record(error("Field name \"\(name)\" is reserved multiple times.", path, .name))
        }
        let ranges = message.extensionRange
        let extensionIndex = RangeIndex(ranges.map { ($0.start, $0.end) })
        for (i, field) in message.field.enumerated() {
            if let j = extensionIndex.first(containing: field.number) {
                let range = ranges[j]
                let rangePath = path + [PathTag.messageExtensionRange, Int32(j)]
                hintFieldNumbers(path, rangePath)
                try log.record(error(
                    "Extension range \(range.start) to \(range.end - 1) includes field \"\(field.name)\" (\(field.number)).",
                    rangePath, .number
                ))
            }
            if let j = reservedIndex.first(containing: field.number) {
                let rangePath = path + [PathTag.messageReservedRange, Int32(j)]
                hintFieldNumbers(path, rangePath)
                try log.record(error("Field \"\(field.name)\" uses reserved number \(field.number).", rangePath, .number))
            }
            if reservedNames.contains(field.name) {
                try log.record(
                    error("Field name \"\(field.name)\" is reserved.", path + [PathTag.messageField, Int32(i)], .name)
                )
            }
        }
        for i in ranges.indices {
            if let j = reservedIndex.firstOverlapping(start: Int64(ranges[i].start), end: Int64(ranges[i].end)) {
                try log.record(error(
                    "Extension range \(ranges[i].start) to \(ranges[i].end - 1) overlaps with reserved range "
                        + "\(reserved[j].start) to \(reserved[j].end - 1).",
                    path + [PathTag.messageExtensionRange, Int32(i)], .number
                ))
            }
        }
        if let (i, j) = extensionIndex.firstOverlap() {
            try log.record(error(
                "Extension range \(ranges[j].start) to \(ranges[j].end - 1) overlaps with already-defined range "
                    + "\(ranges[i].start) to \(ranges[i].end - 1).",
                path + [PathTag.messageExtensionRange, Int32(i)], .number
            ))
        }
    }

    mutating func buildField(_ field: FieldProto, path: ElementPath, scope: String, isExtension: Bool)
        throws(ProtobufError)
    {
        let fullName = Self.join(scope, field.name)
        fullNames[path] = fullName
        try log.collect { () throws(ProtobufError) in try validateSymbolName(field.name, path: path) }
        if field.label == .required && isExtension {
            try log.record(error("The extension \(fullName) cannot be required.", path, .type))
        }
        if field.hasDefaultValue && field.label == .repeated {
            try log.record(error("Repeated fields can't have default values.", path, .defaultValue))
        }
        if field.hasType && field.hasDefaultValue {
            switch field.type {
            case .message, .group:
                try log.record(error("Messages can't have default values.", path, .defaultValue))
            case .bool where field.defaultValue != "true" && field.defaultValue != "false":
                try log.record(error("Boolean default must be true or false.", path, .defaultValue))
            default: break
            }
        }
        // The containing message (a field's, or the scope of an extension declared in a message).
        let parentPath = path.count > 2 ? Array(path.dropLast(2)) : []
        if field.number <= 0 {
            hintFieldNumbers(parentPath, path)
            try log.record(error("Field numbers must be positive integers.", path, .number))
        } else if !isExtension && field.number > ProtoLimits.maxFieldNumber {
            hintFieldNumbers(parentPath, path)
            try log.record(error("Field numbers cannot be greater than \(ProtoLimits.maxFieldNumber).", path, .number))
        }
        try addSymbol(fullName, isExtension ? .extensionField : .field, path: path)
    }

    mutating func buildEnum(_ enumType: EnumProto, path: ElementPath, scope: String, parentScope: String)
        throws(ProtobufError)
    {
        let fullName = Self.join(scope, enumType.name)
        fullNames[path] = fullName
        try log.collect { () throws(ProtobufError) in try validateSymbolName(enumType.name, path: path) }
        if enumType.value.isEmpty {
            try log.record(error("Enums must contain at least one value.", path, .name))
        }
        var namesInEnum = Set<String>()
        for (i, value) in enumType.value.enumerated() {
            let valuePath = path + [PathTag.enumValue, Int32(i)]
            try log.collect { () throws(ProtobufError) in try validateSymbolName(value.name, path: valuePath) }
            let uniqueInEnum = namesInEnum.insert(value.name).inserted
            var symbol = SymbolTable.Symbol(kind: .enumValue, file: fileName, path: valuePath)
            symbol.parentEnum = fullName
            let valueName = Self.join(parentScope, value.name)
            fullNames[valuePath] = valueName
            if symbols.add(valueName, symbol) != nil {
                try log.collect { () throws(ProtobufError) in try addSymbol(valueName, .enumValue, path: valuePath) }
                if uniqueInEnum {
                    // The clash is with a sibling of the enum, not a value of the same enum.
                    let outer = parentScope.isEmpty ? "the global scope" : "\"\(parentScope)\""
                    try log.record(error(
                        "Note that enum values use C++ scoping rules, meaning that enum values are siblings of their "
                            + "type, not children of it.  Therefore, \"\(value.name)\" must be unique within \(outer), "
                            + "not just within \"\(enumType.name)\".",
                        valuePath, .name
                    ))
                }
            }
            symbols.addEnumValue(enumName: fullName, value: value.name, number: value.number)
        }
        for (i, range) in enumType.reservedRange.enumerated() where range.start > range.end {
            try log.record(error(
                "Reserved range end number must be greater than start number.",
                path + [PathTag.enumReservedRange, Int32(i)], .number
            ))
        }
        try log.collect { () throws(ProtobufError) in try addSymbol(fullName, .enumType, path: path) }
        let ranges = enumType.reservedRange
        // Enum reserved ranges are inclusive.
        let rangeIndex = RangeIndex(wide: ranges.map { (Int64($0.start), Int64($0.end) + 1) })
        if let (i, j) = rangeIndex.firstOverlap() {
            try log.record(error(
                "Reserved range \(ranges[j].start) to \(ranges[j].end) overlaps with already-defined range "
                    + "\(ranges[i].start) to \(ranges[i].end).",
                path + [PathTag.enumReservedRange, Int32(i)], .number
            ))
        }
        var reservedNames = Set<String>()
        for name in enumType.reservedName where !reservedNames.insert(name).inserted {
            try log.record(error("Enum value \"\(name)\" is reserved multiple times.", path, .name))
        }
        for (i, value) in enumType.value.enumerated() {
            if let j = rangeIndex.first(containing: value.number) {
                try log.record(error(
                    "Enum value \"\(value.name)\" uses reserved number \(value.number).",
                    path + [PathTag.enumReservedRange, Int32(j)], .number
                ))
            }
            if reservedNames.contains(value.name) {
                try log.record(
                    error("Enum value \"\(value.name)\" is reserved.", path + [PathTag.enumValue, Int32(i)], .name)
                )
            }
        }
    }

    mutating func buildService(_ service: Google_Protobuf_ServiceDescriptorProto, path: ElementPath)
        throws(ProtobufError)
    {
        let fullName = Self.join(file.package, service.name)
        fullNames[path] = fullName
        try log.collect { () throws(ProtobufError) in try validateSymbolName(service.name, path: path) }
        for (i, method) in service.method.enumerated() {
            let methodPath = path + [PathTag.serviceMethod, Int32(i)]
            fullNames[methodPath] = fullName + "." + method.name
            try log.collect { () throws(ProtobufError) in
                try validateSymbolName(method.name, path: methodPath)
                try addSymbol(fullName + "." + method.name, .method, path: methodPath)
            }
        }
        try log.collect { () throws(ProtobufError) in try addSymbol(fullName, .service, path: path) }
    }
}
