import JSONSupport

/// Resolves `$ref` values: JSON pointers and anchors within a document, `$id`-relative URIs, embedded resources,
/// and other documents given as named references (the name is what the `$ref` says, or resolves to).
struct ReferenceResolver {
    let graph: SchemaGraph

    func resolve(_ reference: String, from scope: Scope) throws(JSONSchemaDiffError) -> (Scope, JSONValue) {
        let unresolved = JSONSchemaDiffError.unresolvedReference(
            reference: reference, location: scope.document + "#" + JSONPointer(graph.pointer(of: scope.location)).description)
        let (uriPart, fragment) = URIReference.split(reference)
        var resource: (document: String, pointer: [String], base: String)
        if uriPart.isEmpty {
            resource = (scope.document, graph.pointer(of: scope.resourceRoot), scope.base)
        } else if let found = findResource(uriPart, scope) {
            resource = found
        } else {
            throw unresolved
        }
        guard let resourceValue = value(in: resource.document, at: resource.pointer) else { throw unresolved }
        let fragmentText = fragment ?? ""
        var pointer: [String]
        if fragmentText.isEmpty {
            pointer = resource.pointer
        } else if fragmentText.hasPrefix("/") {
            let decoded = URIReference.percentDecode(fragmentText)
            let tokens = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                String($0).replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
            }
            guard let found = lookUp(Array(tokens), in: resourceValue) else { throw unresolved }
            pointer = resource.pointer + found
        } else {
            let anchor = URIReference.percentDecode(fragmentText)
            guard let found = findAnchor(anchor, in: resourceValue, at: []) else { throw unresolved }
            pointer = resource.pointer + found
        }
        guard let target = value(in: resource.document, at: pointer) else { throw unresolved }
        let targetScope = scopeOf(document: resource.document, pointer: pointer, documentBase: resource.base,
            resourceRoot: resource.pointer)
        return (targetScope, target)
    }

    /// A pointer lookup that, like Confluent's loaders, lets `$defs` and `definitions` stand for each other.
    private func lookUp(_ tokens: [String], in root: JSONValue) -> [String]? {
        if JSONValueWalk.value(root, at: tokens) != nil { return tokens }
        guard let first = tokens.first else { return nil }
        var alternative = tokens
        if first == "$defs" { alternative[0] = "definitions" } else if first == "definitions" {
            alternative[0] = "$defs"
        } else {
            return nil
        }
        return JSONValueWalk.value(root, at: alternative) != nil ? alternative : nil
    }

    private func value(in document: String, at pointer: [String]) -> JSONValue? {
        guard let root = graph.documents[document] else { return nil }
        return JSONValueWalk.value(root, at: pointer)
    }

    /// The base URI and resource of a location, by walking from its resource root and applying `$id`s.
    private func scopeOf(document: String, pointer: [String], documentBase: String, resourceRoot: [String]) -> Scope {
        var base = documentBase
        var root = resourceRoot
        guard let start = value(in: document, at: resourceRoot) else {
            return scope(document: document, pointer: pointer, base: base, resourceRoot: root)
        }
        var current = start
        var walked = resourceRoot
        for token in pointer.dropFirst(resourceRoot.count) {
            guard let next = JSONValueWalk.value(current, at: [token]) else { break }
            current = next
            walked.append(token)
            if let id = current.objectValue?[graph.idKeyword]?.stringValue, !id.hasPrefix("#") {
                base = URIReference.resolve(base: base, id).withoutFragment
                root = walked
            }
        }
        return scope(document: document, pointer: pointer, base: base, resourceRoot: root)
    }

    private func scope(document: String, pointer: [String], base: String, resourceRoot: [String]) -> Scope {
        Scope(document: document, location: graph.location(document: document, pointer: pointer), base: base,
            resourceRoot: graph.location(document: document, pointer: resourceRoot))
    }

    /// The document (and resource within it) a URI names.
    private func findResource(_ uri: String, _ scope: Scope) -> (document: String, pointer: [String], base: String)? {
        let absolute = URIReference.resolve(base: scope.base, uri).withoutFragment
        // A reference document under the name written in the $ref, or under a name that resolves to the same URI.
        for name in [uri, absolute] where !name.isEmpty {
            if graph.documents[name] != nil, name != "" {
                return (name, [], documentBase(name))
            }
        }
        let rootBase = documentBase("")
        for name in graph.documents.keys.sorted() where !name.isEmpty {
            let resolved = URIReference.resolve(base: rootBase, name).withoutFragment
            if resolved == absolute || URIReference.resolve(base: scope.base, name).withoutFragment == absolute {
                return (name, [], documentBase(name))
            }
        }
        // A resource embedded in one of the documents by its `$id`.
        for name in [scope.document] + graph.documents.keys.sorted() where graph.documents[name] != nil {
            if let document = graph.documents[name],
                let pointer = findEmbedded(absolute, in: document, base: documentBase(name), at: [])
            {
                return (name, pointer, absolute)
            }
        }
        return nil
    }

    private func documentBase(_ name: String) -> String {
        guard let document = graph.documents[name] else { return "" }
        let start = name.isEmpty ? "" : URIReference.resolve(base: documentBase(""), name).withoutFragment
        if let id = document.objectValue?[graph.idKeyword]?.stringValue, !id.hasPrefix("#") {
            return URIReference.resolve(base: start, id).withoutFragment
        }
        return start
    }

    private func findEmbedded(_ absolute: String, in value: JSONValue, base: String, at pointer: [String],
        depth: Int = 0) -> [String]?
    {
        guard depth < graph.maxDepth else { return nil }
        switch value {
        case .object(let object):
            var here = base
            if let id = object[graph.idKeyword]?.stringValue, !id.hasPrefix("#") {
                here = URIReference.resolve(base: base, id).withoutFragment
                if here == absolute { return pointer }
            }
            for member in object where member.key != "enum" && member.key != "const" && member.key != "default" {
                if let found = findEmbedded(absolute, in: member.value, base: here, at: pointer + [member.key],
                    depth: depth + 1)
                {
                    return found
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = findEmbedded(absolute, in: element, base: base, at: pointer + [String(index)],
                    depth: depth + 1)
                {
                    return found
                }
            }
        default: break
        }
        return nil
    }

    /// A subschema carrying `$anchor: name` (2019-09+) or `$id`/`id: "#name"` (drafts 4–7).
    private func findAnchor(_ name: String, in value: JSONValue, at pointer: [String], depth: Int = 0) -> [String]? {
        guard depth < graph.maxDepth else { return nil }
        switch value {
        case .object(let object):
            if object["$anchor"]?.stringValue == name || object["$dynamicAnchor"]?.stringValue == name
                || object[graph.idKeyword]?.stringValue == "#" + name
            {
                return pointer
            }
            for member in object where member.key != "enum" && member.key != "const" && member.key != "default" {
                if let found = findAnchor(name, in: member.value, at: pointer + [member.key], depth: depth + 1) {
                    return found
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = findAnchor(name, in: element, at: pointer + [String(index)], depth: depth + 1) {
                    return found
                }
            }
        default: break
        }
        return nil
    }
}

enum JSONValueWalk {
    static func value(_ root: JSONValue, at tokens: [String]) -> JSONValue? {
        var current = root
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), index >= 0, index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

/// Just enough RFC 3986 to resolve `$id` and `$ref` values against a base.
enum URIReference {
    static func split(_ reference: String) -> (String, String?) {
        guard let hash = reference.firstIndex(of: "#") else { return (reference, nil) }
        return (String(reference[..<hash]), String(reference[reference.index(after: hash)...]))
    }

    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    static func resolve(base: String, _ reference: String) -> String {
        if reference.isEmpty { return base }
        if hasScheme(reference) || base.isEmpty { return removeDotSegments(reference) }
        if reference.hasPrefix("#") { return split(base).0 + reference }
        let (baseNoFragment, _) = split(base)
        var schemeEnd = baseNoFragment.startIndex
        if let colon = baseNoFragment.firstIndex(of: ":") { schemeEnd = baseNoFragment.index(after: colon) }
        let scheme = String(baseNoFragment[..<schemeEnd])
        let rest = String(baseNoFragment[schemeEnd...])
        if reference.hasPrefix("//") { return scheme + reference }
        var authority = ""
        var path = rest
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            if let slash = rest[afterSlashes...].firstIndex(of: "/") {
                authority = String(rest[..<slash])
                path = String(rest[slash...])
            } else {
                authority = rest
                path = ""
            }
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        if reference.hasPrefix("/") { return scheme + authority + removeDotSegments(reference) }
        if reference.hasPrefix("?") { return scheme + authority + path + reference }
        var directory = ""
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[...slash])
        } else if !authority.isEmpty {
            directory = "/"
        }
        return scheme + authority + removeDotSegments(directory + reference)
    }

    static func removeDotSegments(_ text: String) -> String {
        guard text.contains("./") || text.hasSuffix("/.") || text.hasSuffix("/..") else { return text }
        let (withoutFragment, fragment) = split(text)
        var prefix = ""
        var path = withoutFragment
        if hasScheme(withoutFragment), let colon = withoutFragment.firstIndex(of: ":") {
            prefix = String(withoutFragment[...colon])
            path = String(withoutFragment[withoutFragment.index(after: colon)...])
            if path.hasPrefix("//") {
                let afterSlashes = path.index(path.startIndex, offsetBy: 2)
                let slash = path[afterSlashes...].firstIndex(of: "/") ?? path.endIndex
                prefix += path[..<slash]
                path = String(path[slash...])
            }
        }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment == "." {
                if index == segments.count - 1 { output.append("") }
            } else if segment == ".." {
                if output.count > 1 || (output.count == 1 && output[0] != "") { output.removeLast() }
                if index == segments.count - 1 { output.append("") }
            } else {
                output.append(segment)
            }
        }
        let joined = prefix + output.joined(separator: "/")
        return fragment.map { joined + "#" + $0 } ?? joined
    }

    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hex(utf8[index + 1]),
                let low = hex(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    var withoutFragment: String { URIReference.split(self).0 }

    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
