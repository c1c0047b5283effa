import SwiftProtobuf

/// `features.enforce_naming_style = STYLE2024` (edition 2024's default): protoc's naming rules, checked after
/// validation on a file without errors, element by element in protoc's order.
extension FileBuilder {
    static let namingOptOut =
        " (features.enforce_naming_style = STYLE_LEGACY can be used to opt out of this check)"

    func enforcesNamingStyle(at path: ElementPath) -> Bool {
        guard edition >= .edition2024 else { return false }
        let style = sourceFeature("enforce_naming_style", at: path) ?? "STYLE2024"
        return style == "STYLE2024" || style == "STYLE2026"
    }

    func validateNamingStyle() throws(ProtobufError) {
        guard edition >= .edition2024 else { return }
        func check(_ kind: String, _ name: String, _ rule: (String) -> String?, _ path: ElementPath) throws(ProtobufError) {
            guard enforcesNamingStyle(at: path), let problem = rule(name) else { return }
            try log.record(error("\(kind) name \(name) \(problem)" + Self.namingOptOut, path, .name))
        }
        if !file.package.isEmpty, enforcesNamingStyle(at: []), let problem = Self.lowerSnakeCaseProblem(file.package) {
            try log.record(error("Package name \(file.package) \(problem)" + Self.namingOptOut, [2], .name))
        }
        func visitEnum(_ e: EnumProto, _ path: ElementPath) throws(ProtobufError) {
            try check("Enum", e.name, Self.titleCaseProblem, path)
            for (i, value) in e.value.enumerated() {
                try check("Enum value", value.name, Self.upperSnakeCaseProblem, path + [PathTag.enumValue, Int32(i)])
            }
        }
        func visitMessage(_ message: DescriptorProto, _ path: ElementPath) throws(ProtobufError) {
            try check("Message", message.name, Self.titleCaseProblem, path)
            for (i, e) in message.enumType.enumerated() { try visitEnum(e, path + [PathTag.messageEnum, Int32(i)]) }
            for (i, oneof) in message.oneofDecl.enumerated() {
                try check("Oneof", oneof.name, Self.lowerSnakeCaseProblem, path + [PathTag.messageOneof, Int32(i)])
            }
            for (i, field) in message.field.enumerated() {
                try check("Field", field.name, Self.lowerSnakeCaseProblem, path + [PathTag.messageField, Int32(i)])
            }
            for (i, nested) in message.nestedType.enumerated() {
                try visitMessage(nested, path + [PathTag.messageNested, Int32(i)])
            }
            for (i, ext) in message.extension.enumerated() {
                try check("Field", ext.name, Self.lowerSnakeCaseProblem, path + [PathTag.messageExtension, Int32(i)])
            }
        }
        for (i, message) in file.messageType.enumerated() { try visitMessage(message, [PathTag.fileMessage, Int32(i)]) }
        for (i, e) in file.enumType.enumerated() { try visitEnum(e, [PathTag.fileEnum, Int32(i)]) }
        for (i, ext) in file.extension.enumerated() {
            try check("Field", ext.name, Self.lowerSnakeCaseProblem, [PathTag.fileExtension, Int32(i)])
        }
        for (i, service) in file.service.enumerated() {
            let path: ElementPath = [PathTag.fileService, Int32(i)]
            try check("Service", service.name, Self.titleCaseProblem, path)
            for (j, method) in service.method.enumerated() {
                try check("Method", method.name, Self.titleCaseProblem, path + [PathTag.serviceMethod, Int32(j)])
            }
        }
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    private static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Leading or trailing `_`, or `_` not followed by a letter.
    static func hasBadUnderscores(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x5F || last == 0x5F { return true }
        for i in 1..<bytes.count where bytes[i - 1] == 0x5F && !(isUpper(bytes[i]) || isLower(bytes[i])) {
            return true
        }
        return false
    }

    static func titleCaseProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "is empty" }
        if !name.utf8.allSatisfy({ isUpper($0) || isLower($0) || isDigit($0) }) { return "should be TitleCase" }
        if !isUpper(first) { return "should begin with a capital letter" }
        return nil
    }

    static func lowerSnakeCaseProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "is empty" }
        if !name.utf8.allSatisfy({ isLower($0) || isDigit($0) || $0 == 0x5F || $0 == 0x2E }) {
            return "should be lower_snake_case"
        }
        if !isLower(first) { return "should begin with a lower case letter" }
        if hasBadUnderscores(name) { return "contains style violating underscores" }
        return nil
    }

    static func upperSnakeCaseProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "is empty" }
        if !name.utf8.allSatisfy({ isUpper($0) || isDigit($0) || $0 == 0x5F }) { return "should be UPPER_SNAKE_CASE" }
        if !isUpper(first) { return "should begin with an upper case letter" }
        if hasBadUnderscores(name) { return "contains style violating underscores" }
        return nil
    }
}
