import SwiftProtobuf

/// A file that has been linked: its final descriptor and what other files need to know about it.
struct LinkedFile: Sendable {
    var descriptor: FileProto
    var edition: ProtoEditionKind
    /// Names of the files it re-exports with `import public`.
    var publicDependencies: [String]
    /// Its `features.default_symbol_visibility` (a source-only feature, so not in the descriptor).
    var defaultSymbolVisibility: Google_Protobuf_FeatureSet.VisibilityFeature.DefaultSymbolVisibility = .exportAll
}

/// Loads a file and its imports through the resolver and links each one after its imports, the way protoc's
/// `DescriptorPool` builds files: one symbol table for the whole compilation, imports before importers.
///
/// Errors go to one log, as protoc's error collector gets them: a file with syntax errors is not linked, a file
/// whose import failed is still linked (its other errors are found too), and a file with any error fails, so
/// the files importing it report the import.
struct ProtoLinker {
    let resolver: ProtoImportResolver
    let limits: ProtoCompileLimits
    let log: ProtoErrorLog
    var linked: [String: LinkedFile] = [:]
    /// Files that had errors (their importers report "was not found or had errors").
    var failed: Set<String> = []
    var order: [FileProto] = []
    /// Files being loaded (each waits for its imports): name, imports and where each import is written.
    var pending: [(name: String, imports: [String], positions: [SourcePos])] = []
    var symbols = SymbolTable()
    var loadedCount = 0

    init(resolver: ProtoImportResolver, limits: ProtoCompileLimits) {
        self.resolver = resolver
        self.limits = limits
        self.log = ProtoErrorLog(limit: limits.maxErrors)
    }

    /// Every file of the compilation, imports first and `mainPath` last; throws every error found, the first
    /// one carrying the others.
    mutating func link(mainSource: String, mainPath: String) throws(ProtobufError) -> [FileProto] {
        do {
            try build(path: mainPath, source: mainSource, isMain: true)
        } catch {
            try log.record(error)
        }
        if let combined = log.combined { throw combined }
        return order
    }

    /// Loads, parses and links one file; false when it had errors.
    @discardableResult
    private mutating func build(path: String, source: String, isMain: Bool) throws(ProtobufError) -> Bool {
        loadedCount += 1
        if loadedCount > limits.maxFiles {
            throw ProtobufError(
                .limitExceeded, "more than \(limits.maxFiles) files are imported",
                location: .init(file: path, line: 1, column: 1)
            )
        }
        let bytes = Array(source.utf8)
        if bytes.count > limits.maxBytes {
            throw ProtobufError(
                .limitExceeded, "the file is larger than \(limits.maxBytes) bytes",
                location: .init(file: path, line: 1, column: 1)
            )
        }
        guard let parsed = try ProtoParser.parse(source: bytes, fileName: path, limits: limits, log: log) else {
            failed.insert(path)
            return false
        }
        let errorsBefore = log.count
        try loadImports(of: parsed, path: path)

        var visible = Set<String>()
        func addVisible(_ name: String) {
            guard visible.insert(name).inserted, let file = linked[name] else { return }
            for dependency in file.publicDependencies { addVisible(dependency) }
        }
        for dependency in parsed.descriptor.dependency { addVisible(dependency) }
        let typeScope = visible
        for dependency in parsed.descriptor.optionDependency { addVisible(dependency) }

        var builder = FileBuilder(
            parsed: parsed,
            symbols: symbols,
            linked: linked,
            scope: SymbolTable.Scope(file: path, visibleFiles: typeScope),
            optionScope: SymbolTable.Scope(file: path, visibleFiles: visible),
            isMain: isMain,
            limits: limits,
            log: log,
            errorBaseline: errorsBefore
        )
        var descriptor: FileProto?
        try log.collect { () throws(ProtobufError) in descriptor = try builder.build() }
        symbols = builder.symbols
        guard let descriptor, log.count == errorsBefore else {
            failed.insert(path)
            return false
        }
        let publicNames = parsed.descriptor.publicDependency.compactMap { index in
            parsed.descriptor.dependency.indices.contains(Int(index)) ? parsed.descriptor.dependency[Int(index)] : nil
        }
        linked[path] = LinkedFile(
            descriptor: descriptor, edition: parsed.edition, publicDependencies: publicNames,
            defaultSymbolVisibility: builder.defaultSymbolVisibility
        )
        order.append(descriptor)
        return true
    }

    /// Loads each import of `parsed` before it is linked; an import that is missing, cyclic or has errors is
    /// reported where it is written, and the file is linked all the same (as protoc does).
    private mutating func loadImports(of parsed: ParsedFile, path: String) throws(ProtobufError) {
        let imports = parsed.descriptor.dependency + parsed.descriptor.optionDependency
        let positions = parsed.importPositions + parsed.optionImportPositions
        pending.append((path, imports, positions))
        defer { pending.removeLast() }
        var seen = Set<String>()
        for (i, dependency) in imports.enumerated() {
            let at = positions.indices.contains(i) ? positions[i] : SourcePos(line: 0, column: 0)
            func importError(_ message: String) -> ProtobufError {
                ProtobufError(.invalidSchema, message, location: .init(file: path, line: at.line + 1, column: at.column + 1))
            }
            let notFound = importError("Import \"\(dependency)\" was not found or had errors.")
            if !seen.insert(dependency).inserted {
                try log.record(importError("Import \"\(dependency)\" was listed twice."))
                continue
            }
            if linked[dependency] != nil { continue }
            if failed.contains(dependency) {
                try log.record(notFound)
                continue
            }
            if let from = pending.firstIndex(where: { $0.name == dependency }) {
                let cycle = pending[from...].map(\.name).joined(separator: " -> ") + " -> " + dependency
                // protoc reports it where the first file of the cycle imports the next one.
                let first = pending[from]
                let next = from + 1 < pending.count ? pending[from + 1].name : dependency
                let index = first.imports.firstIndex(of: next) ?? 0
                let p = first.positions.indices.contains(index) ? first.positions[index] : SourcePos(line: 0, column: 0)
                try log.record(
                    ProtobufError(
                        .invalidSchema, "File recursively imports itself: \(cycle)",
                        location: .init(file: first.name, line: p.line + 1, column: p.column + 1)
                    )
                )
                try log.record(notFound)
                continue
            }
            guard let text = resolver.lookup(dependency) else {
                // protoc stands an empty placeholder in for a weak import it cannot find: the import stays in
                // the descriptor, and only its types are missing.
                if i < parsed.descriptor.dependency.count,
                    parsed.descriptor.weakDependency.contains(Int32(truncatingIfNeeded: i))
                {
                    continue
                }
                try log.record(notFound)
                continue
            }
            if try !build(path: dependency, source: text, isMain: false) {
                try log.record(notFound)
            }
        }
    }
}
