import JSONSupport

/// Checks one schema object's keywords and compiles them, per the draft it is read under.
struct KeywordBuilder {
    let object: JSONObject
    let location: Location
    let scope: Scope
    let depth: Int
    var draft: JSONSchemaDraft { scope.draft }

    init(object: JSONObject, location: Location, scope: Scope, depth: Int) {
        self.object = object
        self.location = location
        self.scope = scope
        self.depth = depth
    }

    private func fail(_ keyword: String, _ message: String, _ c: Compiler) -> JSONSchemaError {
        c.error(message, at: location.appending(keyword))
    }

    private func kind(_ v: JSONValue) -> String { describeKind(v) }

    private func child(_ tokens: [String], _ c: inout Compiler) throws(JSONSchemaError) -> Int {
        let loc = tokens.reduce(location) { $0.appending($1) }
        guard let v = c.value(at: loc) else { throw c.error("missing subschema", at: loc) }
        switch v {
        case .object, .bool: break
        default:
            throw c.error("must be a schema (an object or a boolean), is \(kind(v))", at: loc)
        }
        return try c.node(at: loc, depth: depth + 1)
    }

    private func number(_ key: String, _ c: Compiler) throws(JSONSchemaError) -> ExactNumber? {
        guard let v = object[key] else { return nil }
        guard case .number(let n) = v else { throw fail(key, "must be a number, is \(kind(v))", c) }
        return ExactNumber(n)
    }

    private func count(_ key: String, _ c: Compiler) throws(JSONSchemaError) -> Int? {
        guard let v = object[key] else { return nil }
        guard case .number(let n) = v else { throw fail(key, "must be a non-negative integer, is \(kind(v))", c) }
        let e = ExactNumber(n)
        guard e.isInteger, !e.negative else { throw fail(key, "must be a non-negative integer, is \(n.text)", c) }
        return e.intValue ?? Int.max
    }

    private func schemaArray(_ key: String, _ c: inout Compiler, nonEmpty: Bool = true) throws(JSONSchemaError) -> [Int]? {
        guard let v = object[key] else { return nil }
        guard case .array(let a) = v else { throw fail(key, "must be an array of schemas, is \(kind(v))", c) }
        if nonEmpty && a.isEmpty { throw fail(key, "must not be empty", c) }
        var out: [Int] = []
        for i in a.indices { out.append(try child([key, String(i)], &c)) }
        return out
    }

    private func schemaMap(_ key: String, _ c: inout Compiler) throws(JSONSchemaError) -> [(String, Int)]? {
        guard let v = object[key] else { return nil }
        guard case .object(let o) = v else { throw fail(key, "must be an object of schemas, is \(kind(v))", c) }
        var out: [(String, Int)] = []
        for m in o.members { out.append((m.key, try child([key, m.key], &c))) }
        return out
    }

    private func stringArray(_ key: String, _ value: JSONValue, _ loc: Location, _ c: Compiler) throws(JSONSchemaError) -> [String] {
        guard case .array(let a) = value else {
            throw c.error("must be an array of strings, is \(kind(value))", at: loc)
        }
        var out: [String] = []
        for (i, e) in a.enumerated() {
            guard case .string(let s) = e else {
                throw c.error("must be a string, is \(kind(e))", at: loc.appending(String(i)))
            }
            if out.contains(s) { throw c.error("\"\(s)\" appears twice", at: loc.appending(String(i))) }
            out.append(s)
        }
        return out
    }

    private func pattern(_ text: String, at loc: Location, _ c: Compiler) throws(JSONSchemaError) -> PatternMatcher {
        if text.utf8.count > c.limits.maxPatternLength {
            throw c.error("regular expression is longer than the limit of \(c.limits.maxPatternLength) bytes", at: loc)
        }
        do { return try PatternMatcher(text) } catch { throw c.error(error.message, at: loc) }
    }

    private func reference(_ key: String, _ c: inout Compiler) throws(JSONSchemaError) -> (Location, Int)? {
        guard let v = object[key] else { return nil }
        guard case .string(let ref) = v else { throw fail(key, "must be a string (a URI reference), is \(kind(v))", c) }
        let target = try c.resolveReference(ref, scope: scope, at: location.appending(key))
        return (target, try c.deferredNode(at: target))
    }

    /// The keywords of the validation vocabulary (2019-09 and 2020-12).
    static let validationKeywords: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
        "required", "dependentRequired",
    ]

    mutating func build(_ c: inout Compiler) throws(JSONSchemaError) -> [Keyword] {
        var out: [Keyword] = []
        func add(_ name: String, _ check: Check) { out.append(Keyword(name: name, check: check)) }

        // References. Up to draft 7 a `$ref` makes every sibling keyword ignored.
        if let (_, target) = try reference("$ref", &c) {
            add("$ref", .ref(target))
            if !draft.isModern { return out }
        }
        if draft == .draft2019_09, let v = object["$recursiveRef"] {
            guard case .string(let ref) = v else { throw fail("$recursiveRef", "must be a string, is \(kind(v))", c) }
            let target = try c.resolveReference(ref, scope: scope, at: location.appending("$recursiveRef"))
            add("$recursiveRef", .recursiveRef(try c.deferredNode(at: target)))
        }
        if draft == .draft2020_12, let v = object["$dynamicRef"] {
            guard case .string(let ref) = v else { throw fail("$dynamicRef", "must be a string, is \(kind(v))", c) }
            let target = try c.resolveReference(ref, scope: scope, at: location.appending("$dynamicRef"))
            let node = try c.deferredNode(at: target)
            let fragment = URIs.split(URIs.resolve(ref, against: scope.base)).fragment
            if !fragment.isEmpty, !fragment.hasPrefix("/"), case .object(let t) = c.value(at: target),
                t["$dynamicAnchor"]?.stringValue == fragment
            {
                add("$dynamicRef", .dynamicRef(node, anchor: fragment))
            } else {
                add("$dynamicRef", .ref(node))
            }
        }

        // Any instance.
        if let v = object["type"] {
            var set: TypeSet = []
            switch v {
            case .string(let name):
                guard let t = TypeSet.named(name) else { throw fail("type", "unknown type \"\(name)\"", c) }
                set = t
            case .array(let names):
                for (i, n) in names.enumerated() {
                    guard case .string(let name) = n, let t = TypeSet.named(name) else {
                        throw c.error("must be one of the type names", at: location.appending("type").appending(String(i)))
                    }
                    set.insert(t)
                }
            default:
                throw fail("type", "must be a string or an array of strings, is \(kind(v))", c)
            }
            add("type", .types(set))
        }
        if let v = object["enum"] {
            guard case .array(let values) = v else { throw fail("enum", "must be an array, is \(kind(v))", c) }
            add("enum", .enumeration(values))
        }
        if draft != .draft4, let v = object["const"] { add("const", .constant(v)) }

        // Numbers.
        if let m = try number("multipleOf", c) {
            guard !m.negative, !m.isZero else { throw fail("multipleOf", "must be greater than 0, is \(m)", c) }
            add("multipleOf", .multipleOf(m))
        }
        if draft == .draft4 {
            for (key, flag) in [("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")] {
                var exclusive = false
                if let f = object[flag] {
                    guard case .bool(let b) = f else { throw fail(flag, "must be a boolean in draft 4, is \(kind(f))", c) }
                    exclusive = b
                }
                if let n = try number(key, c) {
                    add(key, key == "maximum" ? .maximum(NumberLimit(n), exclusive: exclusive) : .minimum(NumberLimit(n), exclusive: exclusive))
                }
            }
        } else {
            if let n = try number("maximum", c) { add("maximum", .maximum(NumberLimit(n), exclusive: false)) }
            if let n = try number("exclusiveMaximum", c) { add("exclusiveMaximum", .maximum(NumberLimit(n), exclusive: true)) }
            if let n = try number("minimum", c) { add("minimum", .minimum(NumberLimit(n), exclusive: false)) }
            if let n = try number("exclusiveMinimum", c) { add("exclusiveMinimum", .minimum(NumberLimit(n), exclusive: true)) }
        }

        // Strings.
        if let n = try count("maxLength", c) { add("maxLength", .maxLength(n)) }
        if let n = try count("minLength", c) { add("minLength", .minLength(n)) }
        if let v = object["pattern"] {
            guard case .string(let p) = v else { throw fail("pattern", "must be a string, is \(kind(v))", c) }
            add("pattern", .pattern(try pattern(p, at: location.appending("pattern"), c)))
        }
        if let v = object["format"] {
            guard case .string(let f) = v else { throw fail("format", "must be a string, is \(kind(v))", c) }
            add("format", .format(f))
        }

        // Arrays.
        var prefixCount: Int?
        if draft == .draft2020_12 {
            if let prefix = try schemaArray("prefixItems", &c) {
                add("prefixItems", .prefixItems(prefix))
                prefixCount = prefix.count
            }
            if let v = object["items"] {
                if case .array = v { throw fail("items", "must be a schema in draft 2020-12 (use prefixItems for tuples)", c) }
                add("items", .itemsFrom(prefixCount ?? 0, schema: try child(["items"], &c)))
            }
        } else if let v = object["items"] {
            if case .array = v {
                let tuple = try schemaArray("items", &c, nonEmpty: false) ?? []
                add("items", .prefixItems(tuple))
                if object["additionalItems"] != nil {
                    add("additionalItems", .itemsFrom(tuple.count, schema: try child(["additionalItems"], &c)))
                }
            } else {
                add("items", .itemsFrom(0, schema: try child(["items"], &c)))
            }
        }
        if draft != .draft4, object["contains"] != nil {
            let schema = try child(["contains"], &c)
            var minimum = 1
            var maximum: Int?
            if draft.isModern {
                if let n = try count("minContains", c) { minimum = n }
                maximum = try count("maxContains", c)
            }
            add("contains", .contains(schema, min: minimum, max: maximum, annotates: draft == .draft2020_12))
        }
        if let n = try count("maxItems", c) { add("maxItems", .maxItems(n)) }
        if let n = try count("minItems", c) { add("minItems", .minItems(n)) }
        if let v = object["uniqueItems"] {
            guard case .bool(let b) = v else { throw fail("uniqueItems", "must be a boolean, is \(kind(v))", c) }
            if b { add("uniqueItems", .uniqueItems) }
        }

        // Objects.
        let properties = try schemaMap("properties", &c)
        if let properties { add("properties", .properties(properties, uniqueNames: Set(properties.map(\.0)).count == properties.count)) }
        var patterns: [(PatternMatcher, Int)] = []
        if let v = object["patternProperties"] {
            guard case .object(let o) = v else { throw fail("patternProperties", "must be an object of schemas, is \(kind(v))", c) }
            for m in o.members {
                let p = try pattern(m.key, at: location.appending("patternProperties").appending(m.key), c)
                patterns.append((p, try child(["patternProperties", m.key], &c)))
            }
            add("patternProperties", .patternProperties(patterns))
        }
        if object["additionalProperties"] != nil {
            let schema = try child(["additionalProperties"], &c)
            add(
                "additionalProperties",
                .additionalProperties(schema, names: (properties ?? []).map(\.0), patterns: patterns.map(\.0))
            )
        }
        if let v = object["required"] {
            let names = try stringArray("required", v, location.appending("required"), c)
            add("required", .required(names))
        }
        if !draft.isModern, let v = object["dependencies"] {
            guard case .object(let o) = v else { throw fail("dependencies", "must be an object, is \(kind(v))", c) }
            var required: [(String, [String])] = []
            var schemas: [(String, Int)] = []
            for m in o.members {
                if case .array = m.value {
                    required.append((m.key, try stringArray("dependencies", m.value, location.appending("dependencies").appending(m.key), c)))
                } else {
                    schemas.append((m.key, try child(["dependencies", m.key], &c)))
                }
            }
            if !required.isEmpty { add("dependencies", .dependentRequired(required)) }
            if !schemas.isEmpty { add("dependencies", .dependentSchemas(schemas)) }
        }
        if draft.isModern {
            if let v = object["dependentRequired"] {
                guard case .object(let o) = v else { throw fail("dependentRequired", "must be an object, is \(kind(v))", c) }
                var required: [(String, [String])] = []
                for m in o.members {
                    required.append((m.key, try stringArray("dependentRequired", m.value, location.appending("dependentRequired").appending(m.key), c)))
                }
                add("dependentRequired", .dependentRequired(required))
            }
            if let schemas = try schemaMap("dependentSchemas", &c) { add("dependentSchemas", .dependentSchemas(schemas)) }
        }
        if draft != .draft4, object["propertyNames"] != nil {
            add("propertyNames", .propertyNames(try child(["propertyNames"], &c)))
        }
        if let n = try count("maxProperties", c) { add("maxProperties", .maxProperties(n)) }
        if let n = try count("minProperties", c) { add("minProperties", .minProperties(n)) }

        // Applicators.
        if let list = try schemaArray("allOf", &c) { add("allOf", .allOf(list)) }
        if let list = try schemaArray("anyOf", &c) { add("anyOf", .anyOf(list)) }
        if let list = try schemaArray("oneOf", &c) { add("oneOf", .oneOf(list)) }
        if object["not"] != nil { add("not", .not(try child(["not"], &c))) }
        if draft == .draft7 || draft.isModern {
            let thenNode = object["then"] != nil ? try child(["then"], &c) : nil
            let elseNode = object["else"] != nil ? try child(["else"], &c) : nil
            if object["if"] != nil {
                add("if", .conditional(if: try child(["if"], &c), then: thenNode, else: elseNode))
            }
        }
        // Definitions are compiled too, so that a mistake in one is reported even when nothing refers to it.
        for key in draft.isModern ? ["$defs", "definitions"] : ["definitions"] {
            if let v = object[key] {
                guard case .object = v else { throw fail(key, "must be an object of schemas, is \(kind(v))", c) }
                _ = try schemaMap(key, &c)
            }
        }
        if draft.isModern, object["contentSchema"] != nil { _ = try child(["contentSchema"], &c) }

        // Unevaluated keywords come last: they depend on the annotations of everything above.
        if draft.isModern {
            if object["unevaluatedItems"] != nil { add("unevaluatedItems", .unevaluatedItems(try child(["unevaluatedItems"], &c))) }
            if object["unevaluatedProperties"] != nil {
                add("unevaluatedProperties", .unevaluatedProperties(try child(["unevaluatedProperties"], &c)))
            }
        }
        if !scope.validationVocabulary {
            out.removeAll { Self.validationKeywords.contains($0.name) }
        }
        return out
    }
}
