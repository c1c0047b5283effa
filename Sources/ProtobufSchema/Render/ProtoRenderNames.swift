import SwiftProtobuf

/// The symbols one file can see (its own, its direct imports' and what those re-export with
/// `import public`), and protoc's name lookup over them, so that the renderer can print the shortest
/// type or option name that resolves back to the same full name.
struct ProtoSymbolTable {
    enum Kind {
        case package, message, enumType, enumValue, field, oneof, service, method

        /// protoc looks up the rest of a compound name inside these.
        var isAggregate: Bool { self == .package || self == .message || self == .enumType || self == .service }
        var isType: Bool { self == .message || self == .enumType }
    }

    private(set) var symbols: [String: Kind] = [:]

    /// Indexes `file` and the files it can see among `dependencies` (direct imports, and public imports
    /// of those, transitively). When an import is missing from `dependencies`, every dependency is
    /// indexed instead: seeing more symbols only makes printed names longer, never wrong.
    init(file: Google_Protobuf_FileDescriptorProto, dependencies: [Google_Protobuf_FileDescriptorProto]) {
        var byName: [String: Google_Protobuf_FileDescriptorProto] = [:]
        for dependency in dependencies { byName[dependency.name] = dependency }
        var visible: [Google_Protobuf_FileDescriptorProto] = [file]
        var seen: Set<String> = [file.name]
        var missing = false
        var queue = file.dependency
        while !queue.isEmpty {
            var next: [String] = []
            for name in queue where !seen.contains(name) {
                seen.insert(name)
                guard let found = byName[name] else {
                    missing = true
                    continue
                }
                visible.append(found)
                for index in found.publicDependency where found.dependency.indices.contains(Int(index)) {
                    next.append(found.dependency[Int(index)])
                }
            }
            queue = next
        }
        if missing { visible = [file] + dependencies.filter { $0.name != file.name } }
        for visibleFile in visible { add(visibleFile) }
    }

    private mutating func define(_ name: String, _ kind: Kind) {
        if symbols[name] == nil { symbols[name] = kind }
    }

    private mutating func add(_ file: Google_Protobuf_FileDescriptorProto) {
        if !file.package.isEmpty {
            var prefix = ""
            for part in file.package.split(separator: ".", omittingEmptySubsequences: false) {
                prefix = ProtoRenderText.join(prefix, String(part))
                define(prefix, .package)
            }
        }
        let scope = file.package
        for message in file.messageType { add(message, scope: scope) }
        for enumType in file.enumType { add(enumType, scope: scope) }
        for field in file.extension { define(ProtoRenderText.join(scope, field.name), .field) }
        for service in file.service {
            let name = ProtoRenderText.join(scope, service.name)
            define(name, .service)
            for method in service.method { define("\(name).\(method.name)", .method) }
        }
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, scope: String) {
        let name = ProtoRenderText.join(scope, message.name)
        define(name, .message)
        for field in message.field { define("\(name).\(field.name)", .field) }
        for field in message.extension { define("\(name).\(field.name)", .field) }
        for oneof in message.oneofDecl { define("\(name).\(oneof.name)", .oneof) }
        for nested in message.nestedType { add(nested, scope: name) }
        for enumType in message.enumType { add(enumType, scope: name) }
    }

    private mutating func add(_ enumType: Google_Protobuf_EnumDescriptorProto, scope: String) {
        define(ProtoRenderText.join(scope, enumType.name), .enumType)
        // Enum values are siblings of their enum, not children.
        for value in enumType.value { define(ProtoRenderText.join(scope, value.name), .enumValue) }
    }

    /// What protoc finds for `name` written in an element whose full name is `relativeTo`
    /// (lookup starts in the element's parent scope and walks outwards). `typesOnly` skips
    /// non-type symbols for single-part names, as field type lookups do.
    func resolve(_ name: String, relativeTo: String, typesOnly: Bool) -> String? {
        if name.hasPrefix(".") {
            let full = String(name.dropFirst())
            return symbols[full] == nil ? nil : full
        }
        let firstPart = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first
            .map(String.init) ?? name
        let isCompound = firstPart.count < name.count
        var scope = relativeTo
        while true {
            guard let dot = scope.lastIndex(of: ".") else {
                return symbols[name] == nil ? nil : name
            }
            scope = String(scope[..<dot])
            let candidate = "\(scope).\(firstPart)"
            guard let kind = symbols[candidate] else { continue }
            if isCompound {
                if kind.isAggregate {
                    let full = "\(scope).\(name)"
                    return symbols[full] == nil ? nil : full
                }
            } else if !typesOnly || kind.isType {
                return candidate
            }
        }
    }

    /// The shortest trailing part of `fullName` (no leading dot) that resolves to it from
    /// `relativeTo`, or the fully qualified name with a leading dot.
    func shortestName(for fullName: String, relativeTo: String, typesOnly: Bool) -> String {
        let parts = fullName.split(separator: ".", omittingEmptySubsequences: false)
        for count in 1...max(1, parts.count) {
            let candidate = parts.suffix(count).joined(separator: ".")
            if resolve(candidate, relativeTo: relativeTo, typesOnly: typesOnly) == fullName {
                return candidate
            }
        }
        return "." + fullName
    }
}
