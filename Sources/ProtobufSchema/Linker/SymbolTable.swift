/// Every name defined by the files of one compilation, and protoc's name-resolution rules over them.
struct SymbolTable: Sendable {
    enum Kind: Sendable, Equatable {
        case package, message, enumType, enumValue, field, oneof, service, method, extensionField
    }

    struct Symbol: Sendable {
        var kind: Kind
        /// The file that defines it (for a package: the first file seen with it).
        var file: String
        /// Element path in its file (not for packages).
        var path: ElementPath
        /// For enum values: the enum's full name.
        var parentEnum: String = ""

        var isType: Bool { kind == .message || kind == .enumType }
        /// Protoc's "aggregate" symbols: names that can contain other names.
        var isAggregate: Bool { kind == .message || kind == .enumType || kind == .package || kind == .service }
    }

    private(set) var symbols: [String: Symbol] = [:]
    /// Which files declare each package (packages may be shared by several files).
    private var packageFiles: [String: Set<String>] = [:]
    /// Values of each enum by name, for defaults and option values.
    private(set) var enumValues: [String: [String: Int32]] = [:]

    func lookup(_ fullName: String) -> Symbol? { symbols[fullName] }

    /// Adds a symbol, or returns the one already there.
    mutating func add(_ fullName: String, _ symbol: Symbol) -> Symbol? {
        if let existing = symbols[fullName] { return existing }
        symbols[fullName] = symbol
        return nil
    }

    mutating func addEnumValue(enumName: String, value: String, number: Int32) {
        if enumValues[enumName, default: [:]][value] == nil {
            enumValues[enumName, default: [:]][value] = number
        }
    }

    /// Adds `package` and its parents; returns the conflicting non-package symbol if one exists.
    mutating func addPackage(_ package: String, file: String) -> (String, Symbol)? {
        var name = package
        while true {
            if let existing = symbols[name] {
                if existing.kind != .package { return (name, existing) }
            } else {
                symbols[name] = Symbol(kind: .package, file: file, path: [])
            }
            packageFiles[name, default: []].insert(file)
            guard let dot = name.lastIndex(of: ".") else { break }
            name = String(name[..<dot])
        }
        return nil
    }

    /// Files whose symbols one file may use: itself, its imports and what those re-export with `import public`.
    struct Scope: Sendable {
        var file: String
        var visibleFiles: Set<String>
    }

    /// The result of a lookup that found nothing, with protoc's explanation.
    enum Miss: Error, Sendable {
        case notFound
        /// Found in a file that is not imported.
        case notImported(name: String, file: String)
        /// The first component resolved to a scope where the rest does not exist.
        case resolvedElsewhere(String)
    }

    /// `FindSymbol`: an exact full name, visible from `scope`.
    func find(_ name: String, from scope: Scope) -> Result<(String, Symbol), Miss> {
        guard let symbol = symbols[name] else { return .failure(.notFound) }
        if symbol.file == scope.file || scope.visibleFiles.contains(symbol.file) {
            return .success((name, symbol))
        }
        if symbol.kind == .package {
            let files = packageFiles[name] ?? []
            if files.contains(scope.file) || !files.isDisjoint(with: scope.visibleFiles) {
                return .success((name, symbol))
            }
        }
        return .failure(.notImported(name: name, file: symbol.file))
    }

    /// `LookupSymbol`: a possibly relative name looked up from the scope of `relativeTo` (the full name of the
    /// element that refers to it), innermost scope first; `typesOnly` skips non-type symbols for simple names.
    func resolve(_ name: String, relativeTo: String, typesOnly: Bool, from scope: Scope)
        -> Result<(String, Symbol), Miss>
    {
        if name.hasPrefix(".") {
            return find(String(name.dropFirst()), from: scope)
        }
        let firstPart: Substring
        if let dot = name.firstIndex(of: ".") {
            firstPart = name[..<dot]
        } else {
            firstPart = Substring(name)
        }
        let isCompound = firstPart.count < name.count
        var scopeToTry = relativeTo
        var lastMiss: Miss = .notFound
        while true {
            guard let dot = scopeToTry.lastIndex(of: ".") else {
                let result = find(name, from: scope)
                if case .failure(.notFound) = result, case .notImported = lastMiss { return .failure(lastMiss) }
                return result
            }
            scopeToTry = String(scopeToTry[..<dot])
            let candidate = scopeToTry + "." + firstPart
            switch find(candidate, from: scope) {
            case .success((_, let symbol)):
                if isCompound {
                    if symbol.isAggregate {
                        let full = scopeToTry + "." + name
                        let result = find(full, from: scope)
                        if case .failure(.notFound) = result { return .failure(.resolvedElsewhere(full)) }
                        return result
                    }
                } else if !typesOnly || symbol.isType {
                    return .success((candidate, symbol))
                }
            case .failure(let miss):
                if case .notImported = miss { lastMiss = miss }
            }
        }
    }
}
