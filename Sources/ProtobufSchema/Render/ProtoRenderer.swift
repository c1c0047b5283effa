public import SwiftProtobuf

/// Renders a `FileDescriptorProto` as canonical `.proto` text: the registry's normalized form of a
/// Protobuf schema.
///
/// The text re-compiles (with protoc, or `ProtoCompiler`) to the same descriptor, apart from
/// `source_code_info`. Layout rules:
/// - `syntax` (or `edition`), `package`, imports in descriptor order (the order is part of the
///   descriptor: public and weak imports are indexes into it), then file options, then top-level
///   messages, enums, services and `extend` blocks, one blank line between definitions.
/// - Two-space indentation. Inside a message: options, `reserved`, `extensions` ranges, fields and
///   `oneof`s in field order, nested messages, nested enums, nested `extend` blocks. Map entries print
///   as `map<K, V>` fields and proto2 groups as `group` fields with their body inline; where a map or
///   group entry sits between nested messages in the descriptor, nested messages move up so the
///   nested-type order is kept.
/// - Type names print as the shortest trailing part of the full name that protoc's scoping rules
///   resolve back to the same type from where it is written, given the symbols the file can see (its
///   own, its imports', and what those re-export publicly); a leading-dot full name when no shorter
///   one is unambiguous. Custom option names follow the same rule.
/// - Options, standard and custom, are decoded from their wire form against `descriptor.proto` and
///   the extensions declared in the file and `dependencies`; custom options print as `(name) = value`
///   with aggregate values in text format (`{ a: 1 b: "x" }`), `features` as dotted assignments.
///   Option fields that no visible definition explains are left out.
/// - `json_name` prints only when it differs from protoc's default; defaults print as protoc stores
///   them (`inf`, `-inf`, `nan`; bytes already C-escaped; strings escaped here).
public enum ProtoRenderer {
    /// Canonical `.proto` text of `file`; `dependencies` are the files it imports (any order, extra
    /// files allowed), used for type names and custom option definitions.
    public static func render(
        _ file: Google_Protobuf_FileDescriptorProto,
        dependencies: [Google_Protobuf_FileDescriptorProto] = []
    ) -> String {
        let renderer = ProtoFileRenderer(file: file, dependencies: dependencies)
        return renderer.render()
    }
}

extension ProtoSchema {
    /// The schema's main file as canonical `.proto` text (`ProtoRenderer.render(file, dependencies:)`).
    public var canonicalText: String {
        ProtoRenderer.render(file, dependencies: dependencies)
    }
}

/// One rendered element and how it separates from its neighbours.
struct ProtoRenderItem {
    enum Kind { case header, field, block }
    var kind: Kind
    var lines: [String]

    /// Items joined with a blank line wherever the kind changes or a block is involved.
    static func join(_ items: [ProtoRenderItem]) -> [String] {
        var out: [String] = []
        var previous: Kind?
        for item in items {
            if let previous, previous != item.kind || item.kind == .block {
                out.append("")
            }
            out += item.lines
            previous = item.kind
        }
        return out
    }
}

struct ProtoFileRenderer {
    enum Syntax { case proto2, proto3, editions }

    let file: Google_Protobuf_FileDescriptorProto
    let symbols: ProtoSymbolTable
    let options: ProtoOptionPrinter
    let syntax: Syntax
    /// Elements whose options get `features.enforce_naming_style = STYLE_LEGACY` (`namingOptOuts(_:)`).
    let namingOptOuts: Set<String>

    init(file: Google_Protobuf_FileDescriptorProto, dependencies: [Google_Protobuf_FileDescriptorProto]) {
        self.file = file
        self.namingOptOuts = Self.namingOptOuts(file)
        let symbols = ProtoSymbolTable(file: file, dependencies: dependencies)
        self.symbols = symbols
        self.options = ProtoOptionPrinter(files: dependencies + [file], symbols: symbols)
        switch file.syntax {
        case "proto3": syntax = .proto3
        case "editions": syntax = .editions
        default: syntax = .proto2
        }
    }

    func render() -> String {
        var sections: [[String]] = []
        switch syntax {
        case .proto2: sections.append(["syntax = \"proto2\";"])
        case .proto3: sections.append(["syntax = \"proto3\";"])
        case .editions: sections.append(["edition = \"\(Self.editionName(file.edition))\";"])
        }
        if file.hasPackage { sections.append(["package \(file.package);"]) }
        var imports: [String] = []
        for (index, path) in file.dependency.enumerated() {
            let modifier: String
            if file.publicDependency.contains(Int32(truncatingIfNeeded: index)) {
                modifier = "public "
            } else if file.weakDependency.contains(Int32(truncatingIfNeeded: index)) {
                modifier = "weak "
            } else {
                modifier = ""
            }
            imports.append("import \(modifier)\(ProtoRenderText.quoted(path));")
        }
        for path in file.optionDependency { imports.append("import option \(ProtoRenderText.quoted(path));") }
        if !imports.isEmpty { sections.append(imports) }
        let fileOptions = statements(file.options, "FileOptions", relativeTo: ProtoRenderText.join(file.package, "dummy"))
        if !fileOptions.isEmpty { sections.append(fileOptions) }

        let scope = file.package
        let extensionUnits = extendUnits(file.extension, scope: scope, siblings: file.messageType)
        var tail: [ProtoRenderItem] = file.enumType.map { ProtoRenderItem(kind: .block, lines: enumLines($0, scope: scope)) }
        tail += file.service.map { ProtoRenderItem(kind: .block, lines: serviceLines($0, scope: scope)) }
        let items = Self.merge(
            fieldUnits: [],
            extendUnits: extensionUnits,
            nestedCount: file.messageType.count,
            nested: { ProtoRenderItem(kind: .block, lines: messageLines(file.messageType[$0], scope: scope)) },
            tail: tail
        )
        let body = ProtoRenderItem.join(items.map { ProtoRenderItem(kind: .block, lines: $0.lines) })
        if !body.isEmpty { sections.append(body) }
        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// Where the text must opt out of edition 2024's naming style (`features.enforce_naming_style = STYLE_LEGACY`),
    /// by the `relativeTo` name its options are printed with. The feature is source-only: a descriptor keeps no
    /// trace of the opt-out but the empty `features` it leaves on the element that set it. So each name the style
    /// refuses is opted out at the nearest element around it (itself included) whose options have `features`, where
    /// the line changes nothing in the descriptor; at file level when there is none (a descriptor not compiled from
    /// text).
    static func namingOptOuts(_ file: Google_Protobuf_FileDescriptorProto) -> Set<String> {
        guard file.syntax == "editions", file.edition.rawValue >= Google_Protobuf_Edition.edition2024.rawValue else {
            return []
        }
        typealias Chain = [(key: String, hasFeatures: Bool)]
        let title = { (name: String) in FileBuilder.titleCaseProblem(name) != nil }
        let lowerSnake = { (name: String) in FileBuilder.lowerSnakeCaseProblem(name) != nil }
        let fileKey = ProtoRenderText.join(file.package, "dummy")
        var keys: Set<String> = []
        func optOut(_ chain: Chain) { keys.insert(chain.last(where: \.hasFeatures)?.key ?? fileKey) }
        let root: Chain = [(fileKey, file.options.hasFeatures)]
        if !file.package.isEmpty, lowerSnake(file.package) { optOut(root) }
        func visitEnum(_ e: Google_Protobuf_EnumDescriptorProto, scope: String, _ chain: Chain) {
            let inner = chain + [(ProtoRenderText.join(scope, e.name), e.options.hasFeatures)]
            if title(e.name) { optOut(inner) }
            for value in e.value where FileBuilder.upperSnakeCaseProblem(value.name) != nil {
                optOut(inner + [(ProtoRenderText.join(scope, value.name), value.options.hasFeatures)])
            }
        }
        func visitField(_ field: Google_Protobuf_FieldDescriptorProto, scope: String, _ chain: Chain) {
            if lowerSnake(field.name) { optOut(chain + [(ProtoRenderText.join(scope, field.name), field.options.hasFeatures)]) }
        }
        func visitMessage(_ m: Google_Protobuf_DescriptorProto, scope: String, _ chain: Chain) {
            let name = ProtoRenderText.join(scope, m.name)
            let inner = chain + [(name, m.options.hasFeatures)]
            if title(m.name) { optOut(inner) }
            for e in m.enumType { visitEnum(e, scope: name, inner) }
            for oneof in m.oneofDecl where lowerSnake(oneof.name) {
                optOut(inner + [("\(name).\(oneof.name)", oneof.options.hasFeatures)])
            }
            for field in m.field { visitField(field, scope: name, inner) }
            for nested in m.nestedType { visitMessage(nested, scope: name, inner) }
            for ext in m.extension { visitField(ext, scope: name, inner) }
        }
        for m in file.messageType { visitMessage(m, scope: file.package, root) }
        for e in file.enumType { visitEnum(e, scope: file.package, root) }
        for ext in file.extension { visitField(ext, scope: file.package, root) }
        for service in file.service {
            let name = ProtoRenderText.join(file.package, service.name)
            let inner = root + [(name, service.options.hasFeatures)]
            if title(service.name) { optOut(inner) }
            for method in service.method where title(method.name) {
                optOut(inner + [("\(name).\(method.name)", method.options.hasFeatures)])
            }
        }
        return keys
    }

    static func editionName(_ edition: Google_Protobuf_Edition) -> String {
        switch edition {
        case .edition2023: "2023"
        case .edition2024: "2024"
        case .edition2026: "2026"
        default: "\(edition.rawValue)"
        }
    }

    // MARK: Options

    /// `option name = value;` lines.
    func statements(_ message: some SwiftProtobuf.Message, _ typeName: String, relativeTo: String) -> [String] {
        assignments(message, typeName, relativeTo: relativeTo).map { "option \($0.name) = \($0.value);" }
    }

    /// The element's options, with the naming-style opt-out (`namingOptOuts`) in place of the empty `features`.
    func assignments(
        _ message: some SwiftProtobuf.Message, _ typeName: String, relativeTo: String
    ) -> [(name: String, value: String)] {
        var result = options.assignments(of: message, typeName: typeName, relativeTo: relativeTo)
        if namingOptOuts.contains(relativeTo) {
            result.removeAll { $0.name == "features" && $0.value == "{}" }
            result.append(("features.enforce_naming_style", "STYLE_LEGACY"))
        }
        return result
    }

    /// ` [a = 1, b = 2]`, or empty.
    static func bracket(_ entries: [String]) -> String {
        entries.isEmpty ? "" : " [" + entries.joined(separator: ", ") + "]"
    }

    func bracketEntries(_ message: some SwiftProtobuf.Message, _ typeName: String, relativeTo: String) -> [String] {
        assignments(message, typeName, relativeTo: relativeTo).map { "\($0.name) = \($0.value)" }
    }

    // MARK: Ordering

    /// A field, oneof or `extend` block, and the nested-type indexes (map entries, groups) it declares.
    struct Unit {
        var owned: [Int]
        var item: ProtoRenderItem
    }

    /// Orders fields (or nothing, at file level), `extend` blocks and nested messages so that the
    /// nested-type order of the descriptor is reproduced: a unit that declares nested type `k` comes
    /// after every ordinary nested message before `k` and before every one after it. Otherwise fields
    /// come first, then nested messages, then `tail`, then the remaining `extend` blocks.
    static func merge(
        fieldUnits: [Unit],
        extendUnits: [Unit],
        nestedCount: Int,
        nested: (Int) -> ProtoRenderItem,
        tail: [ProtoRenderItem]
    ) -> [ProtoRenderItem] {
        var owner: [Int: (stream: Int, unit: Int)] = [:]
        for (index, unit) in fieldUnits.enumerated() {
            for k in unit.owned where owner[k] == nil { owner[k] = (0, index) }
        }
        for (index, unit) in extendUnits.enumerated() {
            for k in unit.owned where owner[k] == nil { owner[k] = (1, index) }
        }
        var out: [ProtoRenderItem] = []
        var next = [0, 0]
        let streams = [fieldUnits, extendUnits]
        var pending: [Int] = []
        for k in 0..<nestedCount {
            guard let (stream, unit) = owner[k] else {
                pending.append(k)
                continue
            }
            guard next[stream] <= unit else { continue }
            while next[stream] < unit {
                out.append(streams[stream][next[stream]].item)
                next[stream] += 1
            }
            out += pending.map(nested)
            pending = []
            out.append(streams[stream][unit].item)
            next[stream] = unit + 1
        }
        out += fieldUnits[next[0]...].map(\.item)
        out += pending.map(nested)
        out += tail
        out += extendUnits[next[1]...].map(\.item)
        return out
    }
}
