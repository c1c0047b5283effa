import SwiftProtobuf

/// The checks the `.proto` text path makes while parsing, applied to a descriptor that arrives already compiled
/// (Confluent's base64 `FileDescriptorProto`).
///
/// The registry stores such a descriptor as rendered `.proto` text and parses that text again later. Anything
/// text cannot say would be stored as text that means something else (a message named `Evil {}\nmessage Real`
/// declares two) or that no longer parses (`Bad; }}}`, nesting deeper than the parser allows), and a stored
/// version that does not parse blocks every later registration in its subject. These checks name the offending
/// element early; `ProtoCompiler.compile(descriptor:path:)` then proves the stored text compiles back to the same
/// descriptor. Every check is linear in the size of the descriptor (range overlaps sort), and recursion is
/// bounded by `ProtoCompileLimits.maxDepth`.
struct DescriptorValidation {
    enum Syntax { case proto2, proto3, editions }

    let limits: ProtoCompileLimits
    let syntax: Syntax

    /// Throws `.invalidSchema` naming the first element of `file` that `.proto` text could not declare.
    static func check(_ file: FileProto, limits: ProtoCompileLimits) throws(ProtobufError) {
        let validation = DescriptorValidation(limits: limits, syntax: try syntax(of: file))
        try validation.checkFile(file)
    }

    /// The text path accepts `syntax = "proto2"` (stored as no syntax), `"proto3"` and `edition = "2023"` or `"2024"`.
    static func syntax(of file: FileProto) throws(ProtobufError) -> Syntax {
        switch file.syntax {
        case "", "proto2":
            guard !file.hasEdition || file.edition == .proto2 else {
                throw invalid("a proto2 file cannot have edition \(file.edition)", at: file.name)
            }
            return .proto2
        case "proto3":
            guard !file.hasEdition || file.edition == .proto3 else {
                throw invalid("a proto3 file cannot have edition \(file.edition)", at: file.name)
            }
            return .proto3
        case "editions":
            guard file.edition == .edition2023 || file.edition == .edition2024 else {
                throw invalid("edition \(file.edition) is not supported (only editions 2023 and 2024 are)", at: file.name)
            }
            return .editions
        default:
            throw invalid("unrecognized syntax \(ProtoRenderText.quoted(file.syntax))", at: file.name)
        }
    }

    static func invalid(_ message: String, at path: String) -> ProtobufError {
        ProtobufError(.invalidSchema, message, protoPath: path)
    }

    // MARK: Names

    /// `[A-Za-z_][A-Za-z0-9_]*`, what the lexer reads as one identifier.
    static func isIdentifier(_ text: String) -> Bool {
        ProtoNumberText.isIdentifier(text)
    }

    /// Identifiers joined by single dots, optionally after one leading dot (a fully qualified reference).
    static func isDottedName(_ text: String, leadingDot: Bool) -> Bool {
        var body = Substring(text)
        if leadingDot, body.hasPrefix(".") { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        return body.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isIdentifier(String($0)) }
    }

    func requireIdentifier(_ name: String, _ what: String, in scope: String) throws(ProtobufError) {
        guard Self.isIdentifier(name) else {
            throw Self.invalid("\(what) name \(ProtoRenderText.quoted(name)) is not an identifier", at: scope)
        }
    }

    func requireTypeName(_ name: String, _ what: String, in scope: String) throws(ProtobufError) {
        guard Self.isDottedName(name, leadingDot: true) else {
            throw Self.invalid("\(what) \(ProtoRenderText.quoted(name)) is not a type name", at: scope)
        }
    }

    /// The names one scope declares (protoc puts fields, oneofs, nested types, enums, enum values and
    /// extensions of a message, or the top-level definitions of a file, in one namespace).
    struct Namespace {
        let scope: String
        var kinds: [String: String] = [:]

        mutating func declare(_ name: String, _ kind: String) throws(ProtobufError) {
            if let existing = kinds[name] {
                let place = scope.isEmpty ? "the file" : ProtoRenderText.quoted(scope)
                throw DescriptorValidation.invalid(
                    "\(kind) \(ProtoRenderText.quoted(name)) is already defined in \(place) as a \(existing)",
                    at: ProtoRenderText.join(scope, name)
                )
            }
            kinds[name] = kind
        }
    }

    // MARK: File

    func checkFile(_ file: FileProto) throws(ProtobufError) {
        if file.hasPackage, !Self.isDottedName(file.package, leadingDot: false) {
            throw Self.invalid("package \(ProtoRenderText.quoted(file.package)) is not a dotted identifier", at: file.name)
        }
        guard file.dependency.count <= limits.maxFiles else {
            throw ProtobufError(.limitExceeded, "\(file.name) imports more than \(limits.maxFiles) files", protoPath: file.name)
        }
        var imports = Set<String>()
        for path in file.dependency {
            guard ProtoImportResolver.isSafeRelativePath(path) else {
                throw Self.invalid("import \(ProtoRenderText.quoted(path)) is not a relative path", at: file.name)
            }
            guard imports.insert(path).inserted else {
                throw Self.invalid("import \(ProtoRenderText.quoted(path)) is listed twice", at: file.name)
            }
        }
        for index in file.publicDependency + file.weakDependency where !file.dependency.indices.contains(Int(index)) {
            throw Self.invalid("public or weak import index \(index) is not an import", at: file.name)
        }
        if let path = file.optionDependency.first, file.syntax != "editions" || file.edition != .edition2024 {
            throw Self.invalid("option import \(ProtoRenderText.quoted(path)) needs edition 2024", at: file.name)
        }
        let scope = file.package
        var names = Namespace(scope: scope)
        for message in file.messageType {
            try requireIdentifier(message.name, "message", in: scope)
            if message.options.mapEntry {
                throw Self.invalid("message \(message.name) is a map entry but is not nested in a message", at: scope)
            }
            try names.declare(message.name, "message")
            try checkMessage(message, scope: scope, depth: 1)
        }
        for enumType in file.enumType {
            try checkEnum(enumType, scope: scope, names: &names)
        }
        for service in file.service {
            try checkService(service, scope: scope, names: &names)
        }
        for field in file.extension {
            try checkField(field, scope: scope, isExtension: true)
            try names.declare(field.name, "extension")
        }
    }

    // MARK: Enums and services

    func checkEnum(_ enumType: EnumProto, scope: String, names: inout Namespace) throws(ProtobufError) {
        try requireIdentifier(enumType.name, "enum", in: scope)
        try names.declare(enumType.name, "enum")
        let fullName = ProtoRenderText.join(scope, enumType.name)
        guard !enumType.value.isEmpty else {
            throw Self.invalid("enum \(enumType.name) has no values", at: fullName)
        }
        for value in enumType.value {
            try requireIdentifier(value.name, "enum value", in: fullName)
            // Enum values are siblings of their enum, not children.
            try names.declare(value.name, "enum value")
        }
        for range in enumType.reservedRange where range.start > range.end {
            throw Self.invalid("enum reserved range \(range.start) to \(range.end) is empty", at: fullName)
        }
        try checkReservedNames(enumType.reservedName, in: fullName)
    }

    func checkService(_ service: Google_Protobuf_ServiceDescriptorProto, scope: String, names: inout Namespace)
        throws(ProtobufError)
    {
        try requireIdentifier(service.name, "service", in: scope)
        try names.declare(service.name, "service")
        let fullName = ProtoRenderText.join(scope, service.name)
        var methods = Namespace(scope: fullName)
        for method in service.method {
            try requireIdentifier(method.name, "method", in: fullName)
            try methods.declare(method.name, "method")
            let methodName = "\(fullName).\(method.name)"
            try requireTypeName(method.inputType, "input type", in: methodName)
            try requireTypeName(method.outputType, "output type", in: methodName)
        }
    }

    func checkReservedNames(_ reserved: [String], in scope: String) throws(ProtobufError) {
        var seen = Set<String>()
        for name in reserved {
            try requireIdentifier(name, "reserved", in: scope)
            guard seen.insert(name).inserted else {
                throw Self.invalid("name \(ProtoRenderText.quoted(name)) is reserved twice", at: scope)
            }
        }
    }
}
