/// RFC 3986 URI references: split, resolved against a base, and normalized for use as keys.
struct URIReference: Sendable, Hashable {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits `text` by the regular expression of RFC 3986 appendix B (never fails).
    init(parsing text: String) {
        var rest = Substring(text)
        fragment = nil
        query = nil
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        scheme = nil
        if let colon = rest.firstIndex(of: ":") {
            let candidate = rest[..<colon]
            if let first = candidate.first, first.isASCII, first.isLetter,
                candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
            {
                scheme = candidate.lowercased()
                rest = rest[rest.index(after: colon)...]
            }
        }
        authority = nil
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    var isAbsolute: Bool { scheme != nil }

    var text: String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    /// This reference without its fragment.
    var withoutFragment: URIReference {
        var copy = self
        copy.fragment = nil
        return copy
    }

    /// RFC 3986 section 5.2.2: the target of `reference` against this (absolute) base.
    func resolving(_ reference: URIReference) -> URIReference {
        var t = URIReference(scheme: nil, authority: nil, path: "", query: nil, fragment: reference.fragment)
        if let scheme = reference.scheme {
            t.scheme = scheme
            t.authority = reference.authority
            t.path = Self.removeDotSegments(reference.path)
            t.query = reference.query
        } else {
            if reference.authority != nil {
                t.authority = reference.authority
                t.path = Self.removeDotSegments(reference.path)
                t.query = reference.query
            } else {
                if reference.path.isEmpty {
                    t.path = path
                    t.query = reference.query ?? query
                } else {
                    if reference.path.hasPrefix("/") {
                        t.path = Self.removeDotSegments(reference.path)
                    } else {
                        t.path = Self.removeDotSegments(merge(reference.path))
                    }
                    t.query = reference.query
                }
                t.authority = authority
            }
            t.scheme = scheme
        }
        return t
    }

    private func merge(_ relative: String) -> String {
        if authority != nil && path.isEmpty { return "/" + relative }
        if let slash = path.lastIndex(of: "/") { return String(path[...slash]) + relative }
        return relative
    }

    static func removeDotSegments(_ input: String) -> String {
        guard input.contains(".") else { return input }
        var segments: [Substring] = []
        let parts = input.split(separator: "/", omittingEmptySubsequences: false)
        let absolute = input.hasPrefix("/")
        for (i, part) in parts.enumerated() {
            if absolute && i == 0 { continue }
            let last = i == parts.count - 1
            if part == "." {
                if last { segments.append("") }
            } else if part == ".." {
                if !segments.isEmpty { segments.removeLast() }
                if last { segments.append("") }
            } else {
                segments.append(part)
            }
        }
        return (absolute ? "/" : "") + segments.joined(separator: "/")
    }
}

enum URIs {
    /// The base URI of a root schema without an `$id` (relative resource names resolve against it).
    static let defaultBase = URIReference(parsing: "accord-schema:///root.json")

    /// `reference` resolved against `base`, as text with any empty fragment dropped.
    static func resolve(_ reference: String, against base: String) -> String {
        let b = URIReference(parsing: base)
        let r = URIReference(parsing: reference)
        let resolved = b.isAbsolute ? b.resolving(r) : URIs.defaultBase.resolving(b).resolving(r)
        return normalize(resolved)
    }

    static func normalize(_ uri: URIReference) -> String {
        var u = uri
        if u.fragment == "" { u.fragment = nil }
        if let a = u.authority { u.authority = a.lowercased() }
        return u.text
    }

    /// Splits an absolute URI into its fragment-less part and its fragment (percent-decoded).
    static func split(_ uri: String) -> (base: String, fragment: String) {
        if let hash = uri.firstIndex(of: "#") {
            return (String(uri[..<hash]), percentDecode(String(uri[uri.index(after: hash)...])))
        }
        return (uri, "")
    }

    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The reference tokens of a JSON pointer (`/a/b~1c`), or nil when it is not one.
    static func pointerTokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacingOccurrencesOfTilde()
        }
    }

    static func escapeToken(_ token: String) -> String {
        var out = ""
        for c in token {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingOccurrencesOfTilde() -> String {
        guard contains("~") else { return self }
        var out = ""
        var it = makeIterator()
        while let c = it.next() {
            if c == "~" {
                switch it.next() {
                case "0": out.append("~")
                case "1": out.append("/")
                case let other?: out.append("~"); out.append(other)
                case nil: out.append("~")
                }
            } else {
                out.append(c)
            }
        }
        return out
    }
}
