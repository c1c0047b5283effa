/// Generates random Avro schemas as JSON text from the plain types: the primitives, records, enums,
/// fixed, arrays, maps and unions. Named types get fresh names (sometimes with a namespace) and are
/// sometimes referenced again by full name after their definition is complete; there is no recursion.
struct SchemaGenerator {
    var rng: SeededGenerator
    /// Deepest nesting of complex types.
    var maxDepth = 4
    private var nameCounter = 0
    /// Full names of named types whose definitions are complete (safe to reference).
    private var definedNames: [String] = []
    /// The namespace that unqualified names inherit at the current position.
    private var enclosingNamespace: String?

    /// Names that may be referenced here: a name in the null namespace cannot be written from inside
    /// a namespace (it would be read as relative to that namespace).
    private var referenceableNames: [String] {
        enclosingNamespace == nil ? definedNames : definedNames.filter { $0.contains(".") }
    }

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    static let primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    /// A schema whose root is a record, so every case exercises field sequencing.
    mutating func rootSchema() -> String {
        record(depth: 0)
    }

    /// Any type, possibly complex while `depth < maxDepth`.
    mutating func anyType(depth: Int) -> String {
        if depth >= maxDepth || rng.chance(2, in: 5) {
            return primitive()
        }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: return record(depth: depth)
        case 1: return enumeration()
        case 2: return fixed()
        case 3: return "{\"type\":\"array\",\"items\":\(anyType(depth: depth + 1))}"
        case 4: return "{\"type\":\"map\",\"values\":\(anyType(depth: depth + 1))}"
        case 5 where !referenceableNames.isEmpty: return quoted(rng.pick(referenceableNames))
        default: return union(depth: depth)
        }
    }

    mutating func primitive() -> String {
        let name = rng.pick(Self.primitives)
        // Primitives are written both as bare names and in the object form.
        return rng.chance(1, in: 4) ? "{\"type\":\"\(name)\"}" : quoted(name)
    }

    mutating func record(depth: Int) -> String {
        let (name, namespace) = freshName(prefix: "R")
        // At least one field: libavro cannot hold an array or map of empty records ("Couldn't expand array").
        let count = Int.random(in: 1...5, using: &rng)
        var fields: [String] = []
        let outer = enclosingNamespace
        enclosingNamespace = namespace ?? outer
        for index in 0..<count {
            fields.append("{\"name\":\"f\(index)\",\"type\":\(anyType(depth: depth + 1))}")
        }
        enclosingNamespace = outer
        finish(name, namespace)
        return "{\"type\":\"record\",\"name\":\"\(name)\"\(namespaceMember(namespace)),\"fields\":[\(fields.joined(separator: ","))]}"
    }

    mutating func enumeration() -> String {
        let (name, namespace) = freshName(prefix: "E")
        let count = Int.random(in: 1...6, using: &rng)
        let symbols = (0..<count).map { quoted("S\($0)_\(name)") }
        finish(name, namespace)
        return "{\"type\":\"enum\",\"name\":\"\(name)\"\(namespaceMember(namespace)),\"symbols\":[\(symbols.joined(separator: ","))]}"
    }

    mutating func fixed() -> String {
        let (name, namespace) = freshName(prefix: "F")
        // At least one byte: libavro cannot write or read a zero-size fixed.
        let size = Int.random(in: 1...20, using: &rng)
        finish(name, namespace)
        return "{\"type\":\"fixed\",\"name\":\"\(name)\"\(namespaceMember(namespace)),\"size\":\(size)}"
    }

    /// A union of distinct branches: at most one of each unnamed type, no directly nested unions,
    /// named types distinct by full name.
    mutating func union(depth: Int) -> String {
        var kinds = Self.primitives + ["array", "map", "record", "enum", "fixed", "reference"]
        kinds.shuffle(using: &rng)
        let count = Int.random(in: 1...4, using: &rng)
        var branches: [String] = []
        // Names defined from here on may be branches of this union, so only older ones are referenced.
        let olderNames = Set(referenceableNames)
        var referenced: Set<String> = []
        for kind in kinds.prefix(count) {
            switch kind {
            case "array": branches.append("{\"type\":\"array\",\"items\":\(anyType(depth: depth + 1))}")
            case "map": branches.append("{\"type\":\"map\",\"values\":\(anyType(depth: depth + 1))}")
            case "record": branches.append(record(depth: depth + 1))
            case "enum": branches.append(enumeration())
            case "fixed": branches.append(fixed())
            case "reference":
                if let name = referenceableNames.shuffled(using: &rng).first(where: {
                    olderNames.contains($0) && !referenced.contains($0)
                }) {
                    referenced.insert(name)
                    branches.append(quoted(name))
                }
            default: branches.append(quoted(kind))
            }
        }
        if branches.isEmpty {
            branches.append(quoted("null"))
        }
        return "[\(branches.joined(separator: ","))]"
    }

    private mutating func freshName(prefix: String) -> (name: String, namespace: String?) {
        nameCounter += 1
        let namespace: String? = rng.chance(1, in: 3) ? rng.pick(["ns.a", "ns.b", "x"]) : nil
        return ("\(prefix)\(nameCounter)", namespace)
    }

    private mutating func finish(_ name: String, _ namespace: String?) {
        definedNames.append((namespace ?? enclosingNamespace).map { "\($0).\(name)" } ?? name)
    }

    private func namespaceMember(_ namespace: String?) -> String {
        namespace.map { ",\"namespace\":\"\($0)\"" } ?? ""
    }

    private func quoted(_ text: String) -> String {
        "\"\(text)\""
    }
}
