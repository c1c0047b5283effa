import SwiftProtobuf

typealias DescriptorProto = Google_Protobuf_DescriptorProto
typealias FieldProto = Google_Protobuf_FieldDescriptorProto
typealias EnumProto = Google_Protobuf_EnumDescriptorProto
typealias FileProto = Google_Protobuf_FileDescriptorProto

/// A recursive-descent parser for `.proto` files that builds descriptors the way protoc's parser does.
/// Like protoc it recovers from an error in a statement: the error (with file, line and column) goes to the
/// log, the rest of the statement is skipped (`skipStatement`) and parsing goes on, so every syntax error of
/// the file is reported.
struct ProtoParser {
    var lexer: ProtoLexer
    var token: ProtoToken
    var previous: ProtoToken
    let fileName: String
    let maxDepth: Int
    var depth = 0
    var result: ParsedFile
    let log: ProtoErrorLog

    init(source: [UInt8], fileName: String, limits: ProtoCompileLimits, log: ProtoErrorLog) throws(ProtobufError) {
        self.fileName = fileName
        self.maxDepth = limits.maxDepth
        self.log = log
        lexer = ProtoLexer(bytes: source, file: fileName, maxTokens: limits.maxTokens)
        var file = FileProto()
        file.name = fileName
        result = ParsedFile(descriptor: file)
        token = ProtoToken(kind: .end, text: "", bytes: [], line: 0, column: 0, endColumn: 0)
        previous = token
        try advance()
    }

    /// Parses the whole file; nil when it has errors (each one recorded in `log`), which protoc does not link.
    static func parse(source: [UInt8], fileName: String, limits: ProtoCompileLimits, log: ProtoErrorLog)
        throws(ProtobufError) -> ParsedFile?
    {
        let errorsBefore = log.count
        do {
            var parser = try ProtoParser(source: source, fileName: fileName, limits: limits, log: log)
            try parser.parseFile()
            return log.count == errorsBefore ? parser.result : nil
        } catch {
            try log.record(error)
            return nil
        }
    }

    // MARK: - Token helpers

    mutating func advance() throws(ProtobufError) {
        previous = token
        token = try lexer.next()
        if !lexer.errors.isEmpty {
            let errors = lexer.errors
            lexer.errors.removeAll()
            for error in errors { try log.record(error) }
        }
    }

    /// Records an error that does not stop the statement (protoc's `RecordError` without returning false).
    func report(_ message: String, at p: SourcePos? = nil) throws(ProtobufError) {
        try log.record(error(message, at: p))
    }

    /// After a statement failed: records its error, then skips the rest of it as protoc's `SkipStatement` does.
    mutating func recover(from failure: ProtobufError) throws(ProtobufError) {
        try log.record(failure)
        try skipStatement()
    }

    /// Up to and including the next `;`, or through the block a `{` opens, or up to (not including) a `}`.
    mutating func skipStatement() throws(ProtobufError) {
        while !atEnd {
            if token.kind == .symbol {
                if try tryConsume(";") { return }
                if try tryConsume("{") {
                    try skipRestOfBlock()
                    return
                }
                if lookingAt("}") { return }
            }
            try advance()
        }
    }

    /// protoc's `SkipRestOfBlock`, quirk included: after a nested `{` or `}` it also passes over the next token
    /// unexamined.
    mutating func skipRestOfBlock() throws(ProtobufError) {
        var blocks = 1
        while !atEnd {
            if token.kind == .symbol {
                if try tryConsume("}") {
                    blocks -= 1
                    if blocks == 0 { return }
                } else if try tryConsume("{") {
                    blocks += 1
                }
            }
            try advance()
        }
    }

    func lookingAt(_ text: String) -> Bool {
        token.kind != .string && token.kind != .end && token.text == text
    }

    var atEnd: Bool { token.kind == .end }
    var pos: SourcePos { SourcePos(line: token.line, column: token.column) }

    func error(_ message: String, at p: SourcePos? = nil) -> ProtobufError {
        let p = p ?? pos
        return ProtobufError(
            .invalidSchema, message, location: .init(file: fileName, line: p.line + 1, column: p.column + 1)
        )
    }

    mutating func tryConsume(_ text: String) throws(ProtobufError) -> Bool {
        if lookingAt(text) {
            try advance()
            return true
        }
        return false
    }

    mutating func consume(_ text: String, _ message: String? = nil) throws(ProtobufError) {
        if try !tryConsume(text) {
            throw error(message ?? "Expected \"\(text)\".")
        }
    }

    mutating func consumeIdentifier(_ message: String) throws(ProtobufError) -> String {
        guard token.kind == .identifier else { throw error(message) }
        let text = token.text
        try advance()
        return text
    }

    /// A non-negative integer up to `Int32.max` (field numbers, ranges).
    /// protoc reports an integer out of range and goes on with 0.
    mutating func consumeInteger(_ message: String) throws(ProtobufError) -> Int32 {
        guard token.kind == .integer else { throw error(message) }
        var value: UInt64 = 0
        if let parsed = ProtoLexer.parseInteger(token.text, max: UInt64(Int32.max)) {
            value = parsed
        } else {
            try report("Integer out of range.")
        }
        try advance()
        return Int32(value)
    }

    mutating func consumeInteger64(max: UInt64, _ message: String) throws(ProtobufError) -> UInt64 {
        guard token.kind == .integer else { throw error(message) }
        var value: UInt64 = 0
        if let parsed = ProtoLexer.parseInteger(token.text, max: max) {
            value = parsed
        } else {
            try report("Integer out of range.")
        }
        try advance()
        return value
    }

    mutating func consumeSignedInteger(_ message: String) throws(ProtobufError) -> Int32 {
        var negative = false
        var max = UInt64(Int32.max)
        if try tryConsume("-") {
            negative = true
            max += 1
        }
        let value = try consumeInteger64(max: max, message)
        return negative ? Int32(truncatingIfNeeded: 0 &- Int64(value)) : Int32(value)
    }

    /// A number (float or integer, or `inf`/`nan`) as a double.
    mutating func consumeNumber(_ message: String) throws(ProtobufError) -> Double {
        switch token.kind {
        case .float:
            let value = ProtoNumberText.parseFloat(token.text)
            try advance()
            return value
        case .integer:
            var value: Double
            if let int = ProtoLexer.parseInteger(token.text, max: UInt64.max) {
                value = Double(int)
            } else if token.text.hasPrefix("0") {
                try report("Integer out of range.")
                value = 0
            } else {
                value = ProtoNumberText.parseFloat(token.text)
            }
            try advance()
            return value
        case .identifier where token.text == "inf":
            try advance()
            return .infinity
        case .identifier where token.text == "nan":
            try advance()
            return .nan
        default:
            throw error(message)
        }
    }

    /// A string literal and any adjacent ones, concatenated.
    mutating func consumeString(_ message: String) throws(ProtobufError) -> [UInt8] {
        guard token.kind == .string else { throw error(message) }
        var bytes = token.bytes
        try advance()
        while token.kind == .string {
            bytes += token.bytes
            try advance()
        }
        return bytes
    }

    /// A string literal that must be UTF-8 (names, json_name, string defaults).
    mutating func consumeUTF8String(_ message: String) throws(ProtobufError) -> String {
        let start = pos
        let bytes = try consumeString(message)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw error("String is not valid UTF-8.", at: start)
        }
        return text
    }

    mutating func consumeEndOfDeclaration(_ text: String) throws(ProtobufError) {
        try consume(text)
    }

    func record(_ path: ElementPath, _ kind: LocKind, _ p: SourcePos) -> (LocKey, SourcePos) {
        (LocKey(path: path, kind: kind), p)
    }

    mutating func mark(_ path: ElementPath, _ kind: LocKind, _ p: SourcePos? = nil) {
        result.locations[LocKey(path: path, kind: kind)] = p ?? pos
    }

    // MARK: - File

    mutating func parseFile() throws(ProtobufError) {
        mark([], .other)
        if lookingAt("syntax") || lookingAt("edition") {
            // protoc does not parse on after a syntax statement it could not read.
            try parseSyntax()
        }
        while !atEnd {
            do {
                try parseTopLevelStatement()
            } catch {
                try recover(from: error)
                if lookingAt("}") {
                    try report("Unmatched \"}\".")
                    try advance()
                }
            }
        }
    }

    mutating func parseSyntax() throws(ProtobufError) {
        result.syntaxPosition = pos
        let isEdition = try tryConsume("edition")
        if !isEdition {
            try consume("syntax", "File must begin with an edition or syntax statement, e.g. 'edition = \"2023\";'.")
        }
        try consume("=")
        let syntaxPos = pos
        let value = String(decoding: try consumeString("Expected syntax identifier."), as: UTF8.self)
        try consumeEndOfDeclaration(";")
        if isEdition {
            // protoc reads any edition it knows, then refuses those outside the range it supports, at the
            // start of the statement.
            switch value {
            case "2023", "2024":
                let edition: ProtoEditionKind = value == "2023" ? .edition2023 : .edition2024
                result.edition = edition
                result.descriptor.syntax = "editions"
                result.descriptor.edition = edition == .edition2023 ? .edition2023 : .edition2024
            case "2026", "UNSTABLE", "99997_TEST_ONLY", "99998_TEST_ONLY", "99999_TEST_ONLY", "MAX":
                throw error(
                    "Edition \(value) is later than the maximum supported edition 2024", at: result.syntaxPosition
                )
            case "1_TEST_ONLY", "2_TEST_ONLY", "LEGACY":
                throw error(
                    "Edition \(value) is earlier than the minimum supported edition PROTO2", at: result.syntaxPosition
                )
            default:
                throw error("Unknown edition \"\(value)\".", at: syntaxPos)
            }
            return
        }
        switch value {
        case "proto2":
            // protoc leaves `syntax` unset for proto2 files.
            result.edition = .proto2
        case "proto3":
            result.edition = .proto3
            result.descriptor.syntax = "proto3"
        default:
            throw error(
                "Unrecognized syntax identifier \"\(value)\".  This parser only recognizes \"proto2\" and \"proto3\".",
                at: syntaxPos
            )
        }
    }

    mutating func parseTopLevelStatement() throws(ProtobufError) {
        if try tryConsume(";") { return }
        var file = result.descriptor
        // Work on a local copy so nested parsing can record into `result` freely.
        result.descriptor = FileProto()
        defer { result.descriptor = file }
        let visibility = try parseVisibility()
        if lookingAt("message") {
            let path: ElementPath = [PathTag.fileMessage, Int32(file.messageType.count)]
            let message = try parseMessageDefinition(path: path, visibility: visibility)
            file.messageType.append(message)
        } else if lookingAt("enum") {
            let path: ElementPath = [PathTag.fileEnum, Int32(file.enumType.count)]
            file.enumType.append(try parseEnumDefinition(path: path, visibility: visibility))
        } else if lookingAt("service") {
            let path: ElementPath = [PathTag.fileService, Int32(file.service.count)]
            file.service.append(try parseService(path: path))
        } else if lookingAt("extend") {
            var extensions = file.extension
            var nested = file.messageType
            try parseExtend(
                extensions: &extensions, extensionPath: [PathTag.fileExtension],
                nested: &nested, nestedPath: [PathTag.fileMessage], scopeIsFile: true
            )
            file.extension = extensions
            file.messageType = nested
        } else if lookingAt("import") {
            try parseImport(&file)
        } else if lookingAt("package") {
            try parsePackage(&file)
        } else if lookingAt("option") {
            try parseOptionStatement(path: [])
        } else {
            throw error("Expected top-level statement (e.g. \"message\").")
        }
    }

    mutating func parsePackage(_ file: inout FileProto) throws(ProtobufError) {
        if file.hasPackage {
            // protoc reports it and reads the new package in place of the old one.
            try report("Multiple package definitions.")
            file.clearPackage()
        }
        mark([2], .name)
        try consume("package")
        var package = ""
        while true {
            package += try consumeIdentifier("Expected identifier.")
            if try !tryConsume(".") { break }
            package += "."
        }
        file.package = package
        try consumeEndOfDeclaration(";")
    }

    mutating func parseImport(_ file: inout FileProto) throws(ProtobufError) {
        let start = pos
        try consume("import")
        if lookingAt("option") {
            // `import option` (edition 2024): the file's extensions may name options, its types stay unseen.
            if result.edition < .edition2024 {
                try report("option import is not supported before edition 2024.")
            }
            try consume("option")
            let name = try consumeUTF8String("Expected a string naming the file to import.")
            file.optionDependency.append(name)
            result.optionImportPositions.append(start)
            try consumeEndOfDeclaration(";")
            return
        }
        if !file.optionDependency.isEmpty {
            try report("imports should precede any option imports to ensure proto files can roundtrip.")
        }
        let index = Int32(file.dependency.count)
        if try tryConsume("public") {
            file.publicDependency.append(index)
        } else if lookingAt("weak") {
            if result.edition >= .edition2024 {
                try report("weak import is not supported in edition 2024 and above. Consider using option import instead.")
            }
            try advance()
            file.weakDependency.append(index)
        }
        let name = try consumeUTF8String("Expected a string naming the file to import.")
        file.dependency.append(name)
        result.importPositions.append(start)
        try consumeEndOfDeclaration(";")
    }

    // MARK: - Messages

    mutating func enterNesting() throws(ProtobufError) {
        depth += 1
        if depth >= maxDepth {
            throw error("Reached maximum recursion limit for nested messages.")
        }
    }

    /// `export` or `local` before a message or enum (edition 2024 on; earlier files read the word as a type
    /// name, as protoc does).
    mutating func parseVisibility() throws(ProtobufError) -> Google_Protobuf_SymbolVisibility? {
        guard result.edition >= .edition2024, token.kind == .identifier else { return nil }
        let visibility: Google_Protobuf_SymbolVisibility
        if try tryConsume("export") {
            visibility = .visibilityExport
        } else if try tryConsume("local") {
            visibility = .visibilityLocal
        } else {
            return nil
        }
        guard lookingAt("message") || lookingAt("enum") else {
            throw error("'local' and 'export' visibility modifiers are valid only on 'message' and 'enum'")
        }
        return visibility
    }

    mutating func parseMessageDefinition(path: ElementPath, visibility: Google_Protobuf_SymbolVisibility? = nil)
        throws(ProtobufError) -> DescriptorProto
    {
        try enterNesting()
        defer { depth -= 1 }
        try consume("message")
        var message = MessageParts()
        mark(path, .name)
        message.name = try consumeIdentifier("Expected message name.")
        try parseMessageBlock(&message, path: path)
        if result.edition == .proto3 {
            Self.generateSyntheticOneofs(&message)
        }
        var descriptor = message.descriptor
        if let visibility { descriptor.visibility = visibility }
        return descriptor
    }

    static func generateSyntheticOneofs(_ message: inout MessageParts) {
        var names = Set(message.field.map(\.name))
        names.formUnion(message.oneofDecl.map(\.name))
        for i in message.field.indices where message.field[i].proto3Optional {
            var name = message.field[i].name
            if !name.hasPrefix("_") { name = "_" + name }
            while names.contains(name) { name = "X" + name }
            names.insert(name)
            message.field[i].oneofIndex = Int32(message.oneofDecl.count)
            var oneof = Google_Protobuf_OneofDescriptorProto()
            oneof.name = name
            message.oneofDecl.append(oneof)
        }
    }

    mutating func parseMessageBlock(_ message: inout MessageParts, path: ElementPath) throws(ProtobufError) {
        try consumeEndOfDeclaration("{")
        while try !tryConsume("}") {
            if atEnd {
                throw error("Reached end of input in message definition (missing '}').")
            }
            do {
                try parseMessageStatement(&message, path: path)
            } catch {
                try recover(from: error)
            }
        }
        // `to max` ends depend on message_set_wire_format, known only once the block is parsed.
        let isMessageSet = (result.options[path] ?? []).contains {
            $0.isSimple && $0.name[0].name == "message_set_wire_format"
                && { if case .identifier("true") = $0.value { return true } else { return false } }($0)
        }
        let maxEnd: Int32 = isMessageSet ? Int32.max : ProtoLimits.maxFieldNumber + 1
        for i in message.extensionRange.indices where message.extensionRange[i].end == -1 {
            message.extensionRange[i].end = maxEnd
        }
        for i in message.reservedRange.indices where message.reservedRange[i].end == -1 {
            message.reservedRange[i].end = maxEnd
        }
        if let mapEntry = (result.options[path] ?? []).first(where: { $0.isSimple && $0.name[0].name == "map_entry" }) {
            throw error("map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.", at: mapEntry.namePos)
        }
    }

    mutating func parseMessageStatement(_ message: inout MessageParts, path: ElementPath) throws(ProtobufError) {
        if try tryConsume(";") { return }
        let visibility = try parseVisibility()
        if lookingAt("message") {
            let nestedPath = path + [PathTag.messageNested, Int32(message.nestedType.count)]
            message.nestedType.append(try parseMessageDefinition(path: nestedPath, visibility: visibility))
        } else if lookingAt("enum") {
            let enumPath = path + [PathTag.messageEnum, Int32(message.enumType.count)]
            message.enumType.append(try parseEnumDefinition(path: enumPath, visibility: visibility))
        } else if lookingAt("extensions") {
            try parseExtensions(&message, path: path)
        } else if lookingAt("reserved") {
            try parseMessageReserved(&message, path: path)
        } else if lookingAt("extend") {
            try parseExtend(
                extensions: &message.extension, extensionPath: path + [PathTag.messageExtension],
                nested: &message.nestedType, nestedPath: path + [PathTag.messageNested], scopeIsFile: false
            )
        } else if lookingAt("option") {
            try parseOptionStatement(path: path)
        } else if lookingAt("oneof") {
            try parseOneof(&message, path: path)
        } else {
            let fieldPath = path + [PathTag.messageField, Int32(message.field.count)]
            var field = FieldProto()
            try parseMessageField(
                &field, path: fieldPath, nested: &message.nestedType, nestedPath: path + [PathTag.messageNested]
            )
            message.field.append(field)
        }
    }

    mutating func parseOneof(_ message: inout MessageParts, path: ElementPath) throws(ProtobufError) {
        try consume("oneof")
        let oneofIndex = Int32(message.oneofDecl.count)
        let oneofPath = path + [PathTag.messageOneof, oneofIndex]
        var oneof = Google_Protobuf_OneofDescriptorProto()
        mark(oneofPath, .name)
        oneof.name = try consumeIdentifier("Expected oneof name.")
        message.oneofDecl.append(oneof)
        try consumeEndOfDeclaration("{")
        repeat {
            if atEnd {
                throw error("Reached end of input in oneof definition (missing '}').")
            }
            if lookingAt("option") {
                try parseOptionStatement(path: oneofPath)
                continue
            }
            if lookingAt("required") || lookingAt("optional") || lookingAt("repeated") {
                // protoc understands what was meant: it reports the label and reads on.
                try report("Fields in oneofs must not have labels (required / optional / repeated).")
                try advance()
            }
            let fieldPath = path + [PathTag.messageField, Int32(message.field.count)]
            var field = FieldProto()
            field.label = .optional
            field.oneofIndex = oneofIndex
            do {
                try parseMessageFieldNoLabel(
                    &field, path: fieldPath, nested: &message.nestedType, nestedPath: path + [PathTag.messageNested]
                )
                message.field.append(field)
            } catch {
                try recover(from: error)
            }
        } while try !tryConsume("}")
    }
}

/// Numeric limits protoc applies to field numbers.
enum ProtoLimits {
    static let maxFieldNumber: Int32 = 536_870_911
    static let firstReservedNumber: Int32 = 19000
    static let lastReservedNumber: Int32 = 19999
}

/// A message being parsed. Its repeated parts are plain arrays: a `DescriptorProto`'s arrays live in shared
/// storage, so appending to them one element at a time would copy them each time.
struct MessageParts {
    var name = ""
    var field: [FieldProto] = []
    var nestedType: [DescriptorProto] = []
    var enumType: [EnumProto] = []
    var `extension`: [FieldProto] = []
    var extensionRange: [DescriptorProto.ExtensionRange] = []
    var oneofDecl: [Google_Protobuf_OneofDescriptorProto] = []
    var reservedRange: [DescriptorProto.ReservedRange] = []
    var reservedName: [String] = []

    var descriptor: DescriptorProto {
        var message = DescriptorProto()
        message.name = name
        message.field = field
        message.nestedType = nestedType
        message.enumType = enumType
        message.extension = `extension`
        message.extensionRange = extensionRange
        message.oneofDecl = oneofDecl
        message.reservedRange = reservedRange
        message.reservedName = reservedName
        return message
    }
}
