import JSONSchemaEngine
import JSONSupport
import Testing

/// One schema and instances with the validity they must have.
struct SchemaCase: CustomStringConvertible, Sendable {
    var name: String
    var schema: String
    var instances: [(String, Bool)]
    var description: String { name }
}

func parsed(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

func check(_ c: SchemaCase, draft: JSONSchemaDraft) throws {
    let schema = try CompiledJSONSchema(parsed(c.schema), options: JSONSchemaOptions(defaultDraft: draft))
    for (text, expected) in c.instances {
        let instance = try parsed(text)
        let violations = schema.validate(instance)
        #expect(schema.isValid(instance) == expected, "\(c.name): \(text) should be \(expected ? "valid" : "invalid")")
        #expect(violations.isEmpty == expected, "\(c.name): \(text) gave \(violations)")
    }
}

let draft2020Cases: [SchemaCase] = [
    SchemaCase(
        name: "$defs and $ref",
        schema: ##"{"$defs": {"pos": {"type": "integer", "minimum": 0}}, "properties": {"n": {"$ref": "#/$defs/pos"}}}"##,
        instances: [(##"{"n": 3}"##, true), (##"{"n": -1}"##, false), (##"{"n": 1.5}"##, false), (##"{"m": -1}"##, true)]
    ),
    SchemaCase(
        name: "$anchor in an embedded resource",
        schema: ##"{"$id": "https://example.com/root.json", "$ref": "item.json#thing", "$defs": {"i": {"$id": "item.json", "$defs": {"t": {"$anchor": "thing", "type": "string"}}}}}"##,
        instances: [(##""a""##, true), ("1", false)]
    ),
    SchemaCase(
        name: "$ref siblings apply from 2019-09 on",
        schema: ##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2}"##,
        instances: [(##""ab""##, true), (##""abc""##, false), ("1", false)]
    ),
    SchemaCase(
        name: "prefixItems and items",
        schema: ##"{"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": {"type": "boolean"}}"##,
        instances: [("[1, \"a\", true, false]", true), ("[1]", true), ("[\"a\"]", false), ("[1, \"a\", 3]", false), ("[]", true)]
    ),
    SchemaCase(
        name: "items false after prefixItems",
        schema: ##"{"prefixItems": [{}, {}], "items": false}"##,
        instances: [("[1, 2]", true), ("[1, 2, 3]", false)]
    ),
    SchemaCase(
        name: "dependentRequired",
        schema: ##"{"dependentRequired": {"card": ["billing", "name"]}}"##,
        instances: [(##"{"card": 1, "billing": 2, "name": 3}"##, true), (##"{"card": 1, "name": 3}"##, false), (##"{"x": 1}"##, true), ("[]", true)]
    ),
    SchemaCase(
        name: "dependentSchemas",
        schema: ##"{"dependentSchemas": {"card": {"required": ["billing"], "properties": {"billing": {"type": "string"}}}}}"##,
        instances: [(##"{"card": 1, "billing": "x"}"##, true), (##"{"card": 1, "billing": 2}"##, false), (##"{"card": 1}"##, false), (##"{"billing": 2}"##, true)]
    ),
    SchemaCase(
        name: "minContains and maxContains",
        schema: ##"{"contains": {"const": 1}, "minContains": 2, "maxContains": 3}"##,
        instances: [("[1, 1]", true), ("[1, 2]", false), ("[1, 1, 1, 1]", false), ("[1, 1.0, 1, 2]", true), ("{}", true)]
    ),
    SchemaCase(
        name: "minContains 0 makes contains always pass",
        schema: ##"{"contains": {"type": "string"}, "minContains": 0, "maxContains": 1}"##,
        instances: [("[]", true), ("[1]", true), ("[\"a\", \"b\"]", false)]
    ),
    SchemaCase(
        name: "unevaluatedProperties sees properties through allOf and $ref",
        schema: ##"{"$defs": {"b": {"properties": {"b": {}}}}, "allOf": [{"properties": {"a": {}}}, {"$ref": "#/$defs/b"}], "unevaluatedProperties": false}"##,
        instances: [(##"{"a": 1, "b": 2}"##, true), (##"{"a": 1, "c": 2}"##, false), ("{}", true)]
    ),
    SchemaCase(
        name: "unevaluatedProperties ignores failed anyOf branches",
        schema: ##"{"anyOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]}, {"properties": {"b": {}}, "required": ["b"]}], "unevaluatedProperties": false}"##,
        instances: [(##"{"a": "x"}"##, true), (##"{"b": 1}"##, true), (##"{"a": 1, "b": 1}"##, false), (##"{"a": "x", "b": 1}"##, true)]
    ),
    SchemaCase(
        name: "unevaluatedProperties with if/then/else",
        schema: ##"{"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"properties": {"x": {}}}, "else": {"properties": {"y": {}}}, "unevaluatedProperties": false}"##,
        instances: [(##"{"kind": "a", "x": 1}"##, true), (##"{"kind": "a", "y": 1}"##, false), (##"{"y": 1}"##, true), (##"{"kind": "b", "y": 1}"##, false)]
    ),
    SchemaCase(
        name: "unevaluatedProperties with dependentSchemas and patternProperties",
        schema: ##"{"patternProperties": {"^p": {}}, "dependentSchemas": {"d": {"properties": {"e": {}}}}, "properties": {"d": {}}, "unevaluatedProperties": false}"##,
        instances: [(##"{"p1": 1, "d": 1, "e": 1}"##, true), (##"{"e": 1}"##, false), (##"{"q": 1}"##, false)]
    ),
    SchemaCase(
        name: "nested unevaluatedProperties sees inner ones as evaluated",
        schema: ##"{"allOf": [{"properties": {"a": {}}, "unevaluatedProperties": {"type": "integer"}}], "unevaluatedProperties": false}"##,
        instances: [(##"{"a": 1, "b": 2}"##, true), (##"{"a": 1, "b": "x"}"##, false)]
    ),
    SchemaCase(
        name: "unevaluatedItems after prefixItems, contains and oneOf",
        schema: ##"{"prefixItems": [{"type": "integer"}], "contains": {"type": "string"}, "oneOf": [{"prefixItems": [{}, {"type": "boolean"}]}, {"prefixItems": [{}, {"type": "null"}]}], "unevaluatedItems": false}"##,
        instances: [("[1, true, \"s\"]", true), ("[1, null, \"s\", \"t\"]", true), ("[1, true, \"s\", 4]", false)]
    ),
    SchemaCase(
        name: "unevaluatedItems with a schema",
        schema: ##"{"prefixItems": [{"type": "string"}], "unevaluatedItems": {"type": "integer"}}"##,
        instances: [("[\"a\", 1, 2]", true), ("[\"a\", \"b\"]", false), ("[]", true)]
    ),
    SchemaCase(
        name: "$dynamicRef resolves to the outermost $dynamicAnchor in the dynamic scope",
        schema: ##"{"$id": "https://example.com/root", "$ref": "list", "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"}, "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"}, "$defs": {"items": {"$dynamicAnchor": "items"}}}}}"##,
        instances: [("[\"a\", \"b\"]", true), ("[\"a\", 1]", false)]
    ),
    SchemaCase(
        name: "$dynamicRef without a bookending $dynamicAnchor acts as $ref",
        schema: ##"{"$id": "https://example.com/root2", "$ref": "list", "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"}, "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"}, "$defs": {"items": {"$anchor": "items", "type": "number"}}}}}"##,
        instances: [("[1, 2]", true), ("[\"a\"]", false)]
    ),
    SchemaCase(
        name: "extending a recursive tree with $dynamicRef",
        schema: ##"{"$id": "https://example.com/strict-tree", "$dynamicAnchor": "node", "$ref": "tree", "unevaluatedProperties": false, "$defs": {"tree": {"$id": "tree", "$dynamicAnchor": "node", "type": "object", "properties": {"data": true, "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}}}}"##,
        instances: [(##"{"children": [{"data": 1}]}"##, true), (##"{"children": [{"daat": 1}]}"##, false)]
    ),
    SchemaCase(
        name: "validates a schema against the 2020-12 meta-schema",
        schema: ##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://json-schema.org/draft/2020-12/schema"}"##,
        instances: [(##"{"minLength": 1}"##, true), (##"{"minLength": -1}"##, false), (##"{"$defs": {"a": {"type": 1}}}"##, false), ("true", true)]
    ),
    SchemaCase(
        name: "draft 2020-12 ignores additionalItems and tuple items keywords of older drafts",
        schema: ##"{"prefixItems": [{}], "additionalItems": false}"##,
        instances: [("[1, 2, 3]", true)]
    ),
]

let draft2019Cases: [SchemaCase] = [
    SchemaCase(
        name: "$recursiveRef with $recursiveAnchor extends the outer schema",
        schema: ##"{"$id": "https://example.com/r3.json", "$recursiveAnchor": true, "$defs": {"o": {"$id": "o.json", "$recursiveAnchor": true, "anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"$recursiveRef": "#"}}]}}, "anyOf": [{"type": "integer"}, {"$ref": "#/$defs/o"}]}"##,
        instances: [("1", true), (##"{"a": 1}"##, true), (##"{"a": {"b": "x"}}"##, true), (##"{"a": true}"##, false)]
    ),
    SchemaCase(
        name: "$recursiveRef without $recursiveAnchor works like $ref",
        schema: ##"{"properties": {"foo": {"$recursiveRef": "#"}}, "additionalProperties": false}"##,
        instances: [(##"{"foo": {"foo": false}}"##, true), (##"{"foo": {"bar": false}}"##, false)]
    ),
    SchemaCase(
        name: "tuple items, additionalItems and unevaluatedItems in 2019-09",
        schema: ##"{"items": [{"type": "integer"}], "unevaluatedItems": false}"##,
        instances: [("[1]", true), ("[1, 2]", false), ("[]", true)]
    ),
    SchemaCase(
        name: "contains does not annotate for unevaluatedItems in 2019-09",
        schema: ##"{"contains": {"type": "string"}, "unevaluatedItems": false}"##,
        instances: [("[]", false), ("[\"a\"]", false)]
    ),
    SchemaCase(
        name: "minContains and maxContains in 2019-09",
        schema: ##"{"contains": {"minimum": 5}, "minContains": 2, "maxContains": 2}"##,
        instances: [("[5, 6]", true), ("[5]", false), ("[5, 6, 7]", false)]
    ),
    SchemaCase(
        name: "$anchor and $defs in 2019-09",
        schema: ##"{"$ref": "#pos", "$defs": {"p": {"$anchor": "pos", "minimum": 0}}}"##,
        instances: [("0", true), ("-1", false)]
    ),
    SchemaCase(
        name: "dependentRequired and dependentSchemas in 2019-09",
        schema: ##"{"dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"maxProperties": 1}}}"##,
        instances: [(##"{"a": 1, "b": 1}"##, true), (##"{"a": 1}"##, false), (##"{"c": 1}"##, true), (##"{"c": 1, "d": 1}"##, false)]
    ),
    SchemaCase(
        name: "unevaluatedProperties through $ref and allOf in 2019-09",
        schema: ##"{"$ref": "#/$defs/a", "allOf": [{"properties": {"b": {}}}], "unevaluatedProperties": false, "$defs": {"a": {"properties": {"a": {}}}}}"##,
        instances: [(##"{"a": 1, "b": 1}"##, true), (##"{"a": 1, "x": 1}"##, false)]
    ),
    SchemaCase(
        name: "validates a schema against the 2019-09 meta-schema",
        schema: ##"{"$ref": "https://json-schema.org/draft/2019-09/schema"}"##,
        instances: [(##"{"minLength": 1}"##, true), (##"{"minLength": -1}"##, false), (##"{"items": [{"type": "x"}]}"##, false)]
    ),
]

@Suite("Drafts 2019-09 and 2020-12")
struct ModernDraftTests {
    @Test("draft 2020-12 keywords", arguments: draft2020Cases)
    func draft2020(_ c: SchemaCase) throws {
        try check(c, draft: .draft2020_12)
    }

    @Test("draft 2019-09 keywords", arguments: draft2019Cases)
    func draft2019(_ c: SchemaCase) throws {
        try check(c, draft: .draft2019_09)
    }

    @Test("$schema selects the draft, with or without #, http or https")
    func schemaSelectsDraft() throws {
        let cases: [(String, JSONSchemaDraft)] = [
            ("http://json-schema.org/draft-04/schema#", .draft4),
            ("http://json-schema.org/draft-06/schema", .draft6),
            ("https://json-schema.org/draft-07/schema#", .draft7),
            ("https://json-schema.org/draft/2019-09/schema", .draft2019_09),
            ("http://json-schema.org/draft/2020-12/schema#", .draft2020_12),
        ]
        for (uri, draft) in cases {
            let schema = try CompiledJSONSchema(.object(JSONObject(["$schema": .string(uri)])))
            #expect(schema.draft == draft)
        }
        #expect(try CompiledJSONSchema(.object(JSONObject())).draft == .draft7)
        let options = JSONSchemaOptions(defaultDraft: .draft2020_12)
        #expect(try CompiledJSONSchema(.object(JSONObject()), options: options).draft == .draft2020_12)
    }
}
