@testable import JSONSchemaEngine
import JSONSupport
import Testing

/// The byte validator (`isValid(json:)`'s tape pass) against the tree validator, on schemas and instances chosen
/// where the two could part: names compared as strings (escapes, canonical equivalence), folded `properties`,
/// numbers at their bounds, string lengths in code points, equality of containers, limits.
@Suite("JSONSchemaEngine byte validator")
struct FastValidatorTests {
    /// Every instance gets the same verdict from bytes as from the tree; returns how many the tape decided.
    @discardableResult
    private func expectAgreement(
        _ schemaText: String, _ instances: [String], options: JSONSchemaOptions = .init(), decided: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        let compiled = try CompiledJSONSchema(try JSONParser.parse(schemaText), options: options)
        if decided { #expect(compiled.fast != nil, "\(schemaText) should run from bytes", sourceLocation: sourceLocation) }
        var count = 0
        for text in instances {
            let bytes = Array(text.utf8)
            let tree = try? JSONParser.parse(bytes)
            let fast = compiled.fastVerdict(bytes, limits: .default)
            if fast != nil { count += 1 }
            if let tree {
                let expected = compiled.isValid(tree)
                #expect(fast == nil || fast == expected, "\(schemaText) on \(text)", sourceLocation: sourceLocation)
                #expect(try compiled.isValid(json: bytes) == expected, "\(schemaText) on \(text)", sourceLocation: sourceLocation)
                #expect(try compiled.validate(json: bytes) == compiled.validate(tree), "\(schemaText) on \(text)", sourceLocation: sourceLocation)
            } else {
                #expect(fast == nil, "\(text) is not JSON", sourceLocation: sourceLocation)
                #expect(throws: JSONParseError.self, sourceLocation: sourceLocation) { try compiled.isValid(json: bytes) }
            }
        }
        return count
    }

    @Test func namesCompareAsStrings() throws {
        let schema = #"{"properties": {"K": {"type": "integer"}, "é": {"type": "string"}, "a\"b": {"const": 1}}, "required": ["K"], "additionalProperties": false}"#
        try expectAgreement(schema, [
            #"{"K": 1}"#, #"{"\u212A": 1}"#, #"{"\u212A": "x"}"#, #"{"K": "x"}"#, #"{"\u004B": 2}"#, #"{"é": "x"}"#,
            #"{"e\u0301": "x"}"#, #"{"e\u0301": 1, "K": 1}"#, #"{"a\"b": 1, "K": 1}"#, #"{"a\u0022b": 2, "K": 1}"#,
            #"{"k": 1}"#, #"{}"#, #"[]"#, #"{"K": 1, "x": 1}"#, #"{"K": 1, "K": 2}"#,
        ])
        let ascii = #"{"required": ["\u212A", "a"], "properties": {"a": true}}"#
        try expectAgreement(ascii, [#"{"K": 1, "a": 1}"#, #"{"\u212A": 1, "a": 1}"#, #"{"a": 1}"#, #"{"k": 1, "a": 1}"#])
        let dependencies = #"{"dependencies": {"K": ["a"], "b": {"required": ["c"]}}, "propertyNames": {"maxLength": 2}}"#
        try expectAgreement(dependencies, [
            #"{"\u212A": 1}"#, #"{"K": 1, "a": 2}"#, #"{"b": 1}"#, #"{"b": 1, "c": 1}"#, #"{"abc": 1}"#, #"{"é": 1}"#,
        ])
    }

    @Test func foldedObjectKeywords() throws {
        let names = (0..<70).map { "p\($0)" }
        let properties = names.map { #""\#($0)": {"type": "integer"}"# }.joined(separator: ",")
        let many = #"{"properties": {\#(properties)}, "required": ["p0", "p69"], "additionalProperties": {"type": "string"}}"#
        try expectAgreement(many, [
            #"{"p0": 1, "p69": 2}"#, #"{"p0": 1}"#, #"{"p0": 1, "p69": 2, "x": "s"}"#, #"{"p0": 1, "p69": 2, "x": 3}"#,
            #"{"p0": 1, "p69": "2"}"#,
        ])
        let partial = #"{"properties": {"a": {"type": "integer"}}, "required": ["a", "b"], "additionalProperties": false, "patternProperties": {"^x": {"type": "string"}}}"#
        try expectAgreement(partial, [
            #"{"a": 1, "b": 2}"#, #"{"a": 1}"#, #"{"a": 1, "x1": "s"}"#, #"{"a": 1, "x1": 2}"#, #"{"b": 1}"#, #"{"a": "1", "b": 1}"#,
        ])
        let additionalOnly = #"{"additionalProperties": {"minimum": 3}, "minProperties": 1, "maxProperties": 2}"#
        try expectAgreement(additionalOnly, [#"{}"#, #"{"a": 3}"#, #"{"a": 2}"#, #"{"a": 3, "b": 4, "c": 5}"#, #"{"a": "x"}"#])
    }

    @Test func valuesAndNumbers() throws {
        let schema = #"""
            {"properties": {
              "e": {"enum": ["ab", "é", 1, 2.5, null, true, [1, {"a": "b"}], {"x": [1]}]},
              "c": {"const": {"a": [1, 2.0], "b": "K"}},
              "n": {"minimum": -2, "exclusiveMaximum": 10.5, "multipleOf": 0.5},
              "i": {"type": "integer", "maximum": 9007199254740993},
              "s": {"minLength": 2, "maxLength": 3, "pattern": "^[a-zé]+$"},
              "u": {"uniqueItems": true}
            }}
            """#
        try expectAgreement(schema, [
            #"{"e": "ab"}"#, #"{"e": "a\u0062"}"#, #"{"e": "\u00e9"}"#, #"{"e": "e\u0301"}"#, #"{"e": 1.0}"#, #"{"e": 10e-1}"#,
            #"{"e": 2.50}"#, #"{"e": null}"#, #"{"e": true}"#, #"{"e": false}"#, #"{"e": [1, {"a": "b"}]}"#, #"{"e": [1.0, {"a": "\u0062"}]}"#,
            #"{"e": [1, {"a": "c"}]}"#, #"{"e": {"x": [1]}}"#, #"{"e": {"x": [1], "y": 1}}"#, #"{"e": "abc"}"#,
            #"{"c": {"b": "K", "a": [1, 2]}}"#, #"{"c": {"b": "\u212A", "a": [1, 2]}}"#, #"{"c": {"a": [1, 2.0]}}"#,
            #"{"n": -2}"#, #"{"n": -2.5}"#, #"{"n": 10.5}"#, #"{"n": 10}"#, #"{"n": 1e1}"#, #"{"n": 0.25}"#, #"{"n": -0}"#,
            #"{"n": 1e400}"#, #"{"n": -1e-400}"#, #"{"i": 9007199254740993}"#, #"{"i": 9007199254740994}"#, #"{"i": 1.0}"#,
            #"{"i": 1.5}"#, #"{"i": 1e2}"#, #"{"i": 123456789012345678901234567890}"#,
            #"{"s": "ab"}"#, #"{"s": "a"}"#, #"{"s": "abcd"}"#, #"{"s": "éé"}"#, #"{"s": "\u00e9\u00e9\u00e9"}"#,
            #"{"s": "ab\u0063"}"#, #"{"s": "a\nb"}"#, #"{"s": "😀😀"}"#, #"{"s": "AB"}"#,
            #"{"u": [1, 2]}"#, #"{"u": [1, 1.0]}"#, #"{"u": ["a", "\u0061"]}"#, #"{"u": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]}"#,
            #"{"u": [[1], [1, 2]]}"#, #"{"u": \#((0..<20).map(String.init))}"#, #"{"u": \#((0..<20).map { _ in "1" })}"#,
        ])
    }

    @Test func applicatorsArraysAndReferences() throws {
        let schema = #"""
            {"definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}, "v": {"type": "integer"}}}},
             "properties": {
               "list": {"$ref": "#/definitions/node"},
               "any": {"anyOf": [{"type": "string"}, {"minimum": 5}]},
               "one": {"oneOf": [{"type": "integer"}, {"minimum": 5}]},
               "not": {"not": {"type": "null"}},
               "if": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
               "tuple": {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
               "all": {"items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "contains": {"minimum": 10}}
             }}
            """#
        try expectAgreement(schema, [
            #"{"list": {"v": 1, "next": {"v": 2, "next": {"v": 3}}}}"#, #"{"list": {"v": 1, "next": {"v": "x"}}}"#,
            #"{"any": "s"}"#, #"{"any": 6}"#, #"{"any": 4}"#, #"{"one": 1}"#, #"{"one": 6}"#, #"{"one": 5.5}"#, #"{"one": "x"}"#,
            #"{"not": null}"#, #"{"not": 1}"#, #"{"if": "ab"}"#, #"{"if": "a"}"#, #"{"if": 1}"#, #"{"if": 1.5}"#,
            #"{"tuple": ["a", 1]}"#, #"{"tuple": ["a"]}"#, #"{"tuple": [1]}"#, #"{"tuple": ["a", 1, 2]}"#,
            #"{"all": [10]}"#, #"{"all": [1]}"#, #"{"all": []}"#, #"{"all": [1, 2, 10, 4]}"#, #"{"all": [1, "x", 10]}"#,
        ])
        // A reference that loops on the same value stops the tree validator; the bytes leave the verdict to it.
        try expectAgreement(##"{"$ref": "#"}"##, ["1", "{}"])
        try expectAgreement(##"{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}"##, ["1"])
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        try expectAgreement(##"{"items": {"$ref": "#"}}"##, [deep], options: JSONSchemaOptions(limits: JSONSchemaLimits(maxInstanceDepth: 100)))
    }

    @Test func modernDraftsAndFormats() throws {
        let modern = #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"minProperties": 2}}, "contains": {"type": "string"}, "maxContains": 1}"#
        try expectAgreement(modern, [#"["a", 1, 2]"#, #"["a", "b"]"#, #"[1]"#, #"{"a": 1}"#, #"{"a": 1, "b": 2}"#, #"{"c": 1}"#, #"{"c": 1, "d": 2}"#])
        // Keywords that need annotations or the dynamic scope stay with the tree validator.
        try expectAgreement(#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "unevaluatedProperties": false}"#, [#"{"a": 1}"#, "{}"], decided: false)
        let formats = #"{"format": "date-time"}"#
        try expectAgreement(formats, [#""2026-12-01T10:00:00Z""#, #""x""#, "1"], options: JSONSchemaOptions(assertFormat: true))
        try expectAgreement(formats, [#""x""#])
    }

    @Test func malformedBytesThrowTheParsersError() throws {
        let schema = #"{"type": "object"}"#
        try expectAgreement(schema, ["{", #"{"a": 1, "a": 2}"#, "[1,]", "\u{1}", #"{"a": "\ud800"}"#])
    }
}
