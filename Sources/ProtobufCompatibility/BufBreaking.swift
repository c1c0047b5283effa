import ProtobufSchema
import SchemaCompatibility
import SwiftProtobuf

/// buf's breaking-change rules of one category, between a previous schema (buf's "against" input, our
/// writer) and a current one (buf's input, our reader).
///
/// As `buf breaking` does without `--exclude-imports`, imports take part: messages, enums, fields and
/// services are paired by full name across the main file and its imports, files by path, except that the
/// two main files are always paired with each other whatever their names.
struct BufBreaking {
    let previous: ProtoModel
    let current: ProtoModel
    let rules: Set<BufRule>
    var found: [Incompatibility] = []
    /// The steps taken so far and the limit they may not pass.
    private(set) var work: WorkBudget
    /// Enum value numbers by name (the first value with a name wins), per enum: `p:` or `c:` then the full name.
    private var enumNumbers: [String: [String: Int32]] = [:]
    /// Whether a current enum keeps every value (name and number) of a previous one, by the pair's full names.
    private var enumKeepsValues: [String: Bool] = [:]

    init(previous: ProtoModel, current: ProtoModel, rules: Set<BufRule>, work: WorkBudget) {
        self.previous = previous
        self.current = current
        self.rules = rules
        self.work = work
    }

    mutating func run() throws(CompatibilityBudgetExceeded) -> [Incompatibility] {
        try checkFiles()
        try checkMessages()
        try checkEnums()
        try checkServices()
        try checkExtensions()
        return found
    }

    mutating func spend(_ count: Int = 1) throws(CompatibilityBudgetExceeded) {
        try work.spend(count)
    }

    mutating func report(_ rule: BufRule, _ path: String, _ message: String) {
        guard rules.contains(rule) else { return }
        found.append(Incompatibility(kind: rule.rawValue, path: path, message: message))
    }

    // MARK: - Files

    /// Pairs of file indexes (previous, current): the main files, then imports with the same path.
    var filePairs: [(Int, Int)] {
        let currentImports = currentImportsByName
        var pairs = [(previous.mainFileIndex, current.mainFileIndex)]
        for (i, file) in previous.files.enumerated() where i != previous.mainFileIndex {
            if let j = currentImports[file.name] { pairs.append((i, j)) }
        }
        return pairs
    }

    /// The current schema's imports by path (the first file with a path, the main file left out).
    private var currentImportsByName: [String: Int] {
        var byName: [String: Int] = [:]
        for (j, file) in current.files.enumerated() where j != current.mainFileIndex && byName[file.name] == nil {
            byName[file.name] = j
        }
        return byName
    }

    /// What a file declares, by file index, in declaration order.
    private struct FileContents {
        var messages: [[MessageNode]]
        var enums: [[EnumNode]]
        var extensions: [[ExtensionNode]]

        init(_ model: ProtoModel) {
            messages = Array(repeating: [], count: model.files.count)
            enums = Array(repeating: [], count: model.files.count)
            extensions = Array(repeating: [], count: model.files.count)
            for node in model.messages where messages.indices.contains(node.fileIndex) {
                messages[node.fileIndex].append(node)
            }
            for node in model.enums where enums.indices.contains(node.fileIndex) { enums[node.fileIndex].append(node) }
            for node in model.extensions where extensions.indices.contains(node.fileIndex) {
                extensions[node.fileIndex].append(node)
            }
        }
    }

    private mutating func checkFiles() throws(CompatibilityBudgetExceeded) {
        // FILE_NO_DELETE is about the files of the schema itself, and a registered schema is one file, whose
        // main files are always paired: an import dropped from the schema (a well-known type or any other
        // dependency) deletes no file of it. What the import declared is still judged, by full name.
        try spend(previous.files.count + current.files.count)
        try spend(previous.messages.count + previous.enums.count + previous.extensions.count)
        try spend(current.messages.count + current.enums.count + current.extensions.count)
        let previousContents = FileContents(previous)
        let currentContents = FileContents(current)
        for (i, j) in filePairs {
            try checkFilePair(previous.file(i), current.file(j), i, j, previousContents, currentContents)
        }
    }

    private mutating func checkFilePair(
        _ p: FileProto, _ c: FileProto, _ pi: Int, _ ci: Int, _ previousContents: FileContents,
        _ currentContents: FileContents
    ) throws(CompatibilityBudgetExceeded) {
        let path = c.name
        func same(_ rule: BufRule, _ what: String, _ a: String, _ b: String) {
            if a != b { report(rule, path, "The file's \(what) changed from \"\(a)\" to \"\(b)\".") }
        }
        same(.fileSamePackage, "package", p.package, c.package)
        same(.fileSameSyntax, "syntax", Self.syntaxName(previous.syntax(pi)), Self.syntaxName(current.syntax(ci)))
        let po = p.options
        let co = c.options
        same(.fileSameCcEnableArenas, "option cc_enable_arenas", "\(po.ccEnableArenas)", "\(co.ccEnableArenas)")
        same(.fileSameCcGenericServices, "option cc_generic_services", "\(po.ccGenericServices)", "\(co.ccGenericServices)")
        same(.fileSameCsharpNamespace, "option csharp_namespace", po.csharpNamespace, co.csharpNamespace)
        same(.fileSameGoPackage, "option go_package", po.goPackage, co.goPackage)
        same(.fileSameJavaGenericServices, "option java_generic_services", "\(po.javaGenericServices)", "\(co.javaGenericServices)")
        same(.fileSameJavaMultipleFiles, "option java_multiple_files", "\(po.javaMultipleFiles)", "\(co.javaMultipleFiles)")
        same(.fileSameJavaOuterClassname, "option java_outer_classname", po.javaOuterClassname, co.javaOuterClassname)
        same(.fileSameJavaPackage, "option java_package", po.javaPackage, co.javaPackage)
        same(.fileSameObjcClassPrefix, "option objc_class_prefix", po.objcClassPrefix, co.objcClassPrefix)
        same(.fileSameOptimizeFor, "option optimize_for", "\(po.optimizeFor)", "\(co.optimizeFor)")
        same(.fileSamePhpClassPrefix, "option php_class_prefix", po.phpClassPrefix, co.phpClassPrefix)
        same(.fileSamePhpMetadataNamespace, "option php_metadata_namespace", po.phpMetadataNamespace, co.phpMetadataNamespace)
        same(.fileSamePhpNamespace, "option php_namespace", po.phpNamespace, co.phpNamespace)
        same(.fileSamePyGenericServices, "option py_generic_services", "\(po.pyGenericServices)", "\(co.pyGenericServices)")
        same(.fileSameRubyPackage, "option ruby_package", po.rubyPackage, co.rubyPackage)
        same(.fileSameSwiftPrefix, "option swift_prefix", po.swiftPrefix, co.swiftPrefix)

        try spend(p.service.count + c.service.count)
        let currentMessages = Set(currentContents.messages[ci].map(\.localName))
        for node in previousContents.messages[pi] where !currentMessages.contains(node.localName) {
            report(.messageNoDelete, node.localName, "The message '\(node.localName)' was deleted from file '\(path)'.")
        }
        let currentEnums = Set(currentContents.enums[ci].map(\.localName))
        for node in previousContents.enums[pi] where !currentEnums.contains(node.localName) {
            report(.enumNoDelete, node.localName, "The enum '\(node.localName)' was deleted from file '\(path)'.")
        }
        let currentExtensions = Set(currentContents.extensions[ci].map(\.localName))
        for node in previousContents.extensions[pi] where !currentExtensions.contains(node.localName) {
            report(.extensionNoDelete, node.localName, "The extension '\(node.localName)' was deleted from file '\(path)'.")
        }
        let currentServices = Set(c.service.map(\.name))
        for service in p.service where !currentServices.contains(service.name) {
            report(.serviceNoDelete, service.name, "The service '\(service.name)' was deleted from file '\(path)'.")
        }
    }

    static func syntaxName(_ syntax: ProtoSyntax) -> String {
        switch syntax {
        case .proto2: "proto2"
        case .proto3: "proto3"
        case .editions(let edition): "editions \(edition)"
        }
    }

    // MARK: - Messages

    private mutating func checkMessages() throws(CompatibilityBudgetExceeded) {
        for p in previous.messages {
            try spend()
            guard let c = current.message(p.fullName) else { continue }
            try checkMessagePair(p, c)
        }
    }

    private mutating func checkMessagePair(_ p: MessageNode, _ c: MessageNode) throws(CompatibilityBudgetExceeded) {
        let name = c.localName
        let pd = p.descriptor
        let cd = c.descriptor
        try spend(
            pd.field.count + cd.field.count + pd.oneofDecl.count + cd.oneofDecl.count + pd.reservedRange.count
                + cd.reservedRange.count + pd.reservedName.count + cd.reservedName.count + pd.extensionRange.count
                + cd.extensionRange.count)
        let currentByNumber = Dictionary(cd.field.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let reservedRanges = cd.reservedRange.map { (Int64($0.start), Int64($0.end) - 1) }
        let reservedCover = Self.collapse(reservedRanges.filter { $0.0 <= $0.1 })
        let currentReservedNames = Set(cd.reservedName)
        for field in pd.field where currentByNumber[field.number] == nil {
            let what = "Field \(field.number) '\(field.name)' of message '\(name)' was deleted"
            let path = ProtoModel.join(name, field.name)
            report(.fieldNoDelete, path, what + ".")
            if !Self.collapsedCovers(reservedCover, field.number) {
                report(.fieldNoDeleteUnlessNumberReserved, path, what + " without reserving the number \(field.number).")
            }
            if !currentReservedNames.contains(field.name) {
                report(.fieldNoDeleteUnlessNameReserved, path, what + " without reserving the name '\(field.name)'.")
            }
        }
        for field in pd.field {
            if let other = currentByNumber[field.number] {
                let pc = FieldContext(
                    field: field, parent: p.fullName, fileIndex: p.fileIndex, isExtension: false, owner: p.localName,
                    path: ProtoModel.join(p.localName, field.name))
                let cc = FieldContext(
                    field: other, parent: c.fullName, fileIndex: c.fileIndex, isExtension: false, owner: name,
                    path: ProtoModel.join(name, other.name))
                try checkFieldPair(pc, cc)
            }
        }
        let currentOneofs = Set(cd.oneofDecl.map(\.name))
        let syntheticOneofs = Set(pd.field.filter { $0.hasOneofIndex && $0.proto3Optional }.map { Int($0.oneofIndex) })
        for (i, oneof) in pd.oneofDecl.enumerated() where !currentOneofs.contains(oneof.name) {
            let synthetic = syntheticOneofs.contains(i)
            if !synthetic {
                report(.oneofNoDelete, ProtoModel.join(name, oneof.name), "The oneof '\(oneof.name)' of message '\(name)' was deleted.")
            }
        }
        let previousRequired = pd.field.filter { previous.cardinality(context(of: $0, in: p)) == .required }.map(\.number)
        let currentRequired = cd.field.filter { current.cardinality(context(of: $0, in: c)) == .required }.map(\.number)
        let previousRequiredSet = Set(previousRequired)
        let currentRequiredSet = Set(currentRequired)
        for number in previousRequired where !currentRequiredSet.contains(number) {
            report(.messageSameRequiredFields, name, "Message '\(name)' no longer has required field \(number); required fields must be known to both sides.")
        }
        for number in currentRequired where !previousRequiredSet.contains(number) {
            report(.messageSameRequiredFields, name, "Message '\(name)' has a new required field \(number); required fields must be known to both sides.")
        }
        checkRanges(
            .reservedMessageNoDelete, "reserved", name, pd.reservedRange.map { (Int64($0.start), Int64($0.end) - 1) }, reservedRanges)
        for reserved in pd.reservedName where !currentReservedNames.contains(reserved) {
            report(.reservedMessageNoDelete, name, "The reserved name '\(reserved)' of message '\(name)' was deleted.")
        }
        checkRanges(
            .extensionMessageNoDelete, "extension", name, pd.extensionRange.map { (Int64($0.start), Int64($0.end) - 1) },
            cd.extensionRange.map { (Int64($0.start), Int64($0.end) - 1) })
        if !pd.options.noStandardDescriptorAccessor && cd.options.noStandardDescriptorAccessor {
            report(
                .messageNoRemoveStandardDescriptorAccessor, name,
                "Message '\(name)' changed option no_standard_descriptor_accessor from false to true.")
        }
        let pj = previous.jsonFormat(own: pd.options.features, parent: p.parent, fileIndex: p.fileIndex)
        let cj = current.jsonFormat(own: cd.options.features, parent: c.parent, fileIndex: c.fileIndex)
        if pj == .allow && cj != .allow {
            report(.messageSameJSONFormat, name, "Message '\(name)' no longer fully supports JSON (json_format changed from ALLOW to LEGACY_BEST_EFFORT).")
        }
    }

    func context(of field: FieldProto, in node: MessageNode) -> FieldContext {
        FieldContext(
            field: field, parent: node.fullName, fileIndex: node.fileIndex, isExtension: false, owner: node.localName,
            path: ProtoModel.join(node.localName, field.name))
    }

    /// True when the inclusive `ranges` contain `number`.
    static func covers(_ ranges: [(Int64, Int64)], _ number: Int32) -> Bool {
        ranges.contains { $0.0 <= Int64(number) && Int64(number) <= $0.1 }
    }

    /// `covers` for non-empty ranges passed through `collapse` (sorted, disjoint): a binary search.
    static func collapsedCovers(_ collapsed: [(Int64, Int64)], _ number: Int32) -> Bool {
        let value = Int64(number)
        let i = firstEndingAtOrAfter(collapsed, value)
        return i < collapsed.count && collapsed[i].0 <= value
    }

    /// The index of the first of the sorted, disjoint `collapsed` ranges whose end is at least `value`.
    static func firstEndingAtOrAfter(_ collapsed: [(Int64, Int64)], _ value: Int64) -> Int {
        var low = 0
        var high = collapsed.count
        while low < high {
            let middle = (low + high) / 2
            if collapsed[middle].1 < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Reports each previous inclusive range that the current ranges no longer cover in full.
    private mutating func checkRanges(
        _ rule: BufRule, _ what: String, _ owner: String, _ previousRanges: [(Int64, Int64)],
        _ currentRanges: [(Int64, Int64)]
    ) {
        let merged = Self.collapse(currentRanges)
        // Without empty ranges the merged ranges are sorted and disjoint: those before the first one reaching
        // `start` end too early, and once one starts past `end` so do the rest. (A descriptor may hold an empty
        // range, which breaks that order: then every merged range is looked at.)
        let ordered = merged.allSatisfy { $0.0 <= $0.1 }
        for (start, end) in previousRanges {
            var next = start
            var missing: [String] = []
            var i = ordered ? Self.firstEndingAtOrAfter(merged, start) : 0
            while i < merged.count, !ordered || merged[i].0 <= end {
                let (s, e) = merged[i]
                if e >= next && s <= end {
                    if s > next { missing.append(Self.rangeText(next, s - 1)) }
                    next = e + 1
                }
                i += 1
            }
            if next <= end { missing.append(Self.rangeText(next, end)) }
            if !missing.isEmpty {
                report(
                    rule, owner,
                    "The \(what) range \(Self.rangeText(start, end)) of '\(owner)' lost "
                        + missing.joined(separator: ", ") + ".")
            }
        }
    }

    static func rangeText(_ a: Int64, _ b: Int64) -> String { a == b ? "[\(a)]" : "[\(a),\(b)]" }

    static func collapse(_ ranges: [(Int64, Int64)]) -> [(Int64, Int64)] {
        let sorted = ranges.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var out: [(Int64, Int64)] = []
        for r in sorted {
            if let last = out.last, r.0 <= last.1 + 1 {
                out[out.count - 1].1 = max(last.1, r.1)
            } else {
                out.append(r)
            }
        }
        return out
    }

    // MARK: - Enums

    private mutating func checkEnums() throws(CompatibilityBudgetExceeded) {
        for p in previous.enums {
            try spend()
            guard let c = current.enumNode(p.fullName) else { continue }
            try checkEnumPair(p, c)
        }
    }

    private mutating func checkEnumPair(_ p: EnumNode, _ c: EnumNode) throws(CompatibilityBudgetExceeded) {
        let name = c.localName
        let pd = p.descriptor
        let cd = c.descriptor
        try spend(
            pd.value.count + cd.value.count + pd.reservedRange.count + cd.reservedRange.count
                + pd.reservedName.count + cd.reservedName.count)
        let currentReservedNames = Set(cd.reservedName)
        let previousClosed = previous.isClosedEnum(p)
        let currentClosed = current.isClosedEnum(c)
        if previousClosed != currentClosed {
            report(
                .enumSameType, name,
                "Enum '\(name)' changed from \(previousClosed ? "closed" : "open") to \(currentClosed ? "closed" : "open").")
        }
        let pj = previous.jsonFormat(own: pd.options.features, parent: p.parent, fileIndex: p.fileIndex)
        let cj = current.jsonFormat(own: cd.options.features, parent: c.parent, fileIndex: c.fileIndex)
        if pj == .allow && cj != .allow {
            report(.enumSameJSONFormat, name, "Enum '\(name)' no longer fully supports JSON (json_format changed from ALLOW to LEGACY_BEST_EFFORT).")
        }
        var previousNumbers: [Int32] = []
        var previousNames: [Int32: [String]] = [:]
        for value in pd.value {
            if previousNames[value.number] == nil { previousNumbers.append(value.number) }
            previousNames[value.number, default: []].append(value.name)
        }
        var currentNames: [Int32: [String]] = [:]
        for value in cd.value { currentNames[value.number, default: []].append(value.name) }
        let reserved = cd.reservedRange.map { (Int64($0.start), Int64($0.end)) }
        let reservedCover = Self.collapse(reserved.filter { $0.0 <= $0.1 })
        for number in previousNumbers {
            let names = previousNames[number] ?? []
            guard let now = currentNames[number] else {
                let what = "Enum value \(number) (\(names.joined(separator: ", "))) of enum '\(name)' was deleted"
                report(.enumValueNoDelete, name, what + ".")
                if !Self.collapsedCovers(reservedCover, number) {
                    report(.enumValueNoDeleteUnlessNumberReserved, name, what + " without reserving the number \(number).")
                }
                if !names.allSatisfy({ currentReservedNames.contains($0) }) {
                    report(.enumValueNoDeleteUnlessNameReserved, name, what + " without reserving its name.")
                }
                continue
            }
            let nowNames = Set(now)
            if !names.allSatisfy({ nowNames.contains($0) }) {
                for _ in now {
                    report(
                        .enumValueSameName, name,
                        "Enum value \(number) of enum '\(name)' changed name from \(names.sorted()) to \(now.sorted()).")
                }
            }
        }
        checkRanges(.reservedEnumNoDelete, "reserved", name, pd.reservedRange.map { (Int64($0.start), Int64($0.end)) }, reserved)
        for reservedName in pd.reservedName where !currentReservedNames.contains(reservedName) {
            report(.reservedEnumNoDelete, name, "The reserved name '\(reservedName)' of enum '\(name)' was deleted.")
        }
    }

    // MARK: - Services

    private mutating func checkServices() throws(CompatibilityBudgetExceeded) {
        var currentServices: [String: Google_Protobuf_ServiceDescriptorProto] = [:]
        for file in current.files {
            for service in file.service { currentServices[ProtoModel.join(file.package, service.name)] = service }
        }
        for file in previous.files {
            for p in file.service {
                guard let c = currentServices[ProtoModel.join(file.package, p.name)] else { continue }
                try spend(1 + p.method.count + c.method.count)
                let currentMethods = Dictionary(c.method.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                for pm in p.method {
                    let path = "\(c.name).\(pm.name)"
                    guard let cm = currentMethods[pm.name] else {
                        report(.rpcNoDelete, path, "The RPC '\(pm.name)' of service '\(c.name)' was deleted.")
                        continue
                    }
                    let rpc = "RPC '\(pm.name)' of service '\(c.name)'"
                    if pm.clientStreaming != cm.clientStreaming {
                        report(.rpcSameClientStreaming, path, "\(rpc) changed client streaming from \(pm.clientStreaming) to \(cm.clientStreaming).")
                    }
                    if pm.serverStreaming != cm.serverStreaming {
                        report(.rpcSameServerStreaming, path, "\(rpc) changed server streaming from \(pm.serverStreaming) to \(cm.serverStreaming).")
                    }
                    if pm.inputType != cm.inputType {
                        report(.rpcSameRequestType, path, "\(rpc) changed request type from '\(ProtoModel.strip(pm.inputType))' to '\(ProtoModel.strip(cm.inputType))'.")
                    }
                    if pm.outputType != cm.outputType {
                        report(.rpcSameResponseType, path, "\(rpc) changed response type from '\(ProtoModel.strip(pm.outputType))' to '\(ProtoModel.strip(cm.outputType))'.")
                    }
                    if pm.options.idempotencyLevel != cm.options.idempotencyLevel {
                        report(.rpcSameIdempotencyLevel, path, "\(rpc) changed idempotency_level from \(pm.options.idempotencyLevel) to \(cm.options.idempotencyLevel).")
                    }
                }
            }
        }
    }

    // MARK: - Extensions

    private mutating func checkExtensions() throws(CompatibilityBudgetExceeded) {
        var currentByKey: [String: ExtensionNode] = [:]
        for node in current.extensions { currentByKey["\(ProtoModel.strip(node.field.extendee))#\(node.field.number)"] = node }
        for p in previous.extensions {
            try spend()
            guard let c = currentByKey["\(ProtoModel.strip(p.field.extendee))#\(p.field.number)"] else { continue }
            let extendee = ProtoModel.strip(p.field.extendee)
            try checkFieldPair(
                FieldContext(field: p.field, parent: p.parent, fileIndex: p.fileIndex, isExtension: true, owner: extendee, path: p.fullName),
                FieldContext(field: c.field, parent: c.parent, fileIndex: c.fileIndex, isExtension: true, owner: extendee, path: c.fullName))
        }
    }
}

extension BufBreaking {
    /// The default of a field as `ProtoModel.defaultValue` gives it, with an enum default's number looked up in
    /// an index built once per enum.
    mutating func defaultValue(_ field: FieldProto, in model: ProtoModel, isPrevious: Bool)
        throws(CompatibilityBudgetExceeded) -> DefaultValue
    {
        guard field.type == .enum, field.hasDefaultValue, let node = model.enumNode(field.typeName) else {
            return model.defaultValue(field)
        }
        let numbers = try valueNumbers(node, isPrevious: isPrevious)
        let number = numbers[field.defaultValue] ?? node.descriptor.value.first?.number ?? 0
        return .integer(negative: number < 0, magnitude: UInt64(number.magnitude))
    }

    /// An enum's value numbers by name, the first value with a name winning.
    mutating func valueNumbers(_ node: EnumNode, isPrevious: Bool) throws(CompatibilityBudgetExceeded) -> [String: Int32] {
        let key = (isPrevious ? "p:" : "c:") + node.fullName
        if let known = enumNumbers[key] { return known }
        try spend(node.descriptor.value.count)
        let numbers = Dictionary(node.descriptor.value.map { ($0.name, $0.number) }, uniquingKeysWith: { a, _ in a })
        enumNumbers[key] = numbers
        return numbers
    }

    /// True when `current` has every value of `previous` under the same name and number, decided once per pair.
    mutating func keepsEveryValue(previous pe: EnumNode, current ce: EnumNode) throws(CompatibilityBudgetExceeded) -> Bool {
        let key = pe.fullName + "\u{0}" + ce.fullName
        if let known = enumKeepsValues[key] { return known }
        try spend(pe.descriptor.value.count)
        let currentValues = try valueNumbers(ce, isPrevious: false)
        let subset = pe.descriptor.value.allSatisfy { currentValues[$0.name] == $0.number }
        enumKeepsValues[key] = subset
        return subset
    }
}
