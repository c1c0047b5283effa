import JSONSchemaCompatibility
import JSONSupport
import Testing

/// One row: an original and an updated schema, the exact differences expected (`KIND path`), and the verdicts.
struct DiffCase: CustomTestStringConvertible, Sendable {
    var name: String
    var original: String
    var update: String
    var changes: [String]
    var strict: Bool
    var lenient: Bool

    init(_ name: String, _ original: String, _ update: String, _ changes: [String], strict: Bool, lenient: Bool? = nil) {
        self.name = name
        self.original = original
        self.update = update
        self.changes = changes
        self.strict = strict
        self.lenient = lenient ?? strict
    }

    var testDescription: String { name }
}

func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

let metaCases: [DiffCase] = [
    DiffCase("an empty update accepts anything", #"{"type":"string"}"#, #"{}"#, [], strict: true),
    DiffCase("true update accepts anything", #"{"type":"object"}"#, #"true"#, [], strict: true),
    DiffCase("false original can become anything", #"false"#, #"{"type":"integer"}"#, [], strict: true),
    DiffCase("$id changed", #"{"$id":"urn:a"}"#, #"{"$id":"urn:b"}"#, ["ID_CHANGED #/"], strict: true),
    DiffCase("title changed", #"{"title":"A"}"#, #"{"title":"B"}"#, ["TITLE_CHANGED #/"], strict: true),
    DiffCase("description changed", #"{"description":"x"}"#, #"{"description":"y"}"#,
        ["DESCRIPTION_CHANGED #/"], strict: true),
    DiffCase("default changed", #"{"type":"string","default":"a"}"#, #"{"type":"string","default":"b"}"#,
        ["DEFAULT_CHANGED #/"], strict: true),
    DiffCase("type changed", #"{"type":"string"}"#, #"{"type":"boolean"}"#, ["TYPE_CHANGED #/"], strict: false),
    DiffCase("integer to number", #"{"type":"integer"}"#, #"{"type":"number"}"#, ["TYPE_EXTENDED #/"], strict: true),
    DiffCase("number to integer", #"{"type":"number"}"#, #"{"type":"integer"}"#, ["TYPE_NARROWED #/"], strict: false),
    DiffCase("connect.type bytes on both sides", #"{"type":"string","connect.type":"bytes"}"#,
        #"{"type":"number","connect.type":"bytes"}"#, [], strict: true),
]

let stringCases: [DiffCase] = [
    DiffCase("maxLength added", #"{"type":"string"}"#, #"{"type":"string","maxLength":4}"#,
        ["MAX_LENGTH_ADDED #/maxLength"], strict: false),
    DiffCase("maxLength raised", #"{"type":"string","maxLength":4}"#, #"{"type":"string","maxLength":9}"#,
        ["MAX_LENGTH_INCREASED #/maxLength"], strict: true),
    DiffCase("maxLength lowered", #"{"type":"string","maxLength":9}"#, #"{"type":"string","maxLength":4}"#,
        ["MAX_LENGTH_DECREASED #/maxLength"], strict: false),
    DiffCase("minLength removed", #"{"type":"string","minLength":2}"#, #"{"type":"string"}"#,
        ["MIN_LENGTH_REMOVED #/minLength"], strict: true),
    DiffCase("minLength raised", #"{"type":"string","minLength":2}"#, #"{"type":"string","minLength":3}"#,
        ["MIN_LENGTH_INCREASED #/minLength"], strict: false),
    DiffCase("pattern added", #"{"type":"string"}"#, #"{"type":"string","pattern":"^a"}"#,
        ["PATTERN_ADDED #/pattern"], strict: false),
    DiffCase("pattern changed", #"{"type":"string","pattern":"^a"}"#, #"{"type":"string","pattern":"^b"}"#,
        ["PATTERN_CHANGED #/pattern"], strict: false),
    DiffCase("pattern removed", #"{"type":"string","pattern":"^a"}"#, #"{"type":"string"}"#,
        ["PATTERN_REMOVED #/pattern"], strict: true),
]

let numberCases: [DiffCase] = [
    DiffCase("maximum added", #"{"type":"number"}"#, #"{"type":"number","maximum":10}"#,
        ["MAXIMUM_ADDED #/maximum"], strict: false),
    DiffCase("maximum raised", #"{"type":"number","maximum":10}"#, #"{"type":"number","maximum":11.5}"#,
        ["MAXIMUM_INCREASED #/maximum"], strict: true),
    DiffCase("1 and 1.0 are the same limit", #"{"type":"number","maximum":1}"#, #"{"type":"number","maximum":1.0}"#,
        [], strict: true),
    DiffCase("minimum lowered", #"{"type":"number","minimum":0}"#, #"{"type":"number","minimum":-1}"#,
        ["MINIMUM_DECREASED #/minimum"], strict: true),
    DiffCase("minimum raised", #"{"type":"number","minimum":0}"#, #"{"type":"number","minimum":1}"#,
        ["MINIMUM_INCREASED #/minimum"], strict: false),
    DiffCase("exclusiveMinimum (draft 6+) added", #"{"type":"number"}"#, #"{"type":"number","exclusiveMinimum":0}"#,
        ["EXCLUSIVE_MINIMUM_ADDED #/exclusiveMinimum"], strict: false),
    DiffCase("exclusiveMaximum raised", #"{"type":"number","exclusiveMaximum":5}"#,
        #"{"type":"number","exclusiveMaximum":6}"#, ["EXCLUSIVE_MAXIMUM_INCREASED #/exclusiveMaximum"], strict: true),
    DiffCase("draft-4 boolean exclusiveMaximum carries no limit of its own",
        #"{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":5}"#,
        #"{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":5,"exclusiveMaximum":true}"#,
        [], strict: true),
    DiffCase("multipleOf added", #"{"type":"number"}"#, #"{"type":"number","multipleOf":2}"#,
        ["MULTIPLE_OF_ADDED #/multipleOf"], strict: false),
    DiffCase("multipleOf expanded", #"{"type":"number","multipleOf":0.5}"#, #"{"type":"number","multipleOf":10}"#,
        ["MULTIPLE_OF_EXPANDED #/multipleOf"], strict: false),
    DiffCase("multipleOf reduced", #"{"type":"number","multipleOf":6}"#, #"{"type":"number","multipleOf":3}"#,
        ["MULTIPLE_OF_REDUCED #/multipleOf"], strict: true),
    DiffCase("multipleOf changed", #"{"type":"number","multipleOf":4}"#, #"{"type":"number","multipleOf":6}"#,
        ["MULTIPLE_OF_CHANGED #/multipleOf"], strict: false),
    DiffCase("multipleOf 0.5 equals 0.50", #"{"type":"number","multipleOf":0.5}"#,
        #"{"type":"number","multipleOf":0.50}"#, [], strict: true),
]

let objectCases: [DiffCase] = [
    DiffCase("optional property added to an open model", #"{"type":"object","properties":{}}"#,
        #"{"type":"object","properties":{"zip":{"type":"string"}}}"#,
        ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/zip"], strict: false, lenient: true),
    DiffCase("required property added to an open model", #"{"type":"object"}"#,
        #"{"type":"object","properties":{"zip":{"type":"string"}},"required":["zip"]}"#,
        ["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/zip"], strict: false, lenient: false),
    DiffCase("required property with default added to an open model", #"{"type":"object"}"#,
        #"{"type":"object","properties":{"zip":{"type":"string","default":""}},"required":["zip"]}"#,
        ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/zip"], strict: false, lenient: true),
    DiffCase("property with empty schema added to an open model", #"{"type":"object"}"#,
        #"{"type":"object","properties":{"any":{}}}"#,
        ["PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/any"], strict: true),
    DiffCase("optional property added to a closed model", #"{"type":"object","additionalProperties":false}"#,
        #"{"type":"object","properties":{"zip":{"type":"string"}},"additionalProperties":false}"#,
        ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/zip"], strict: true),
    DiffCase("required property added to a closed model", #"{"type":"object","additionalProperties":false}"#,
        #"{"type":"object","properties":{"zip":{"type":"string"}},"required":["zip"],"additionalProperties":false}"#,
        ["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/zip"], strict: false),
    DiffCase("required property with default added to a closed model",
        #"{"type":"object","additionalProperties":false}"#,
        #"{"type":"object","properties":{"n":{"type":"integer","default":0}},"required":["n"],"additionalProperties":false}"#,
        ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/n"], strict: true),
    DiffCase("property removed from an open model", #"{"type":"object","properties":{"a":{"type":"string"}}}"#,
        #"{"type":"object"}"#, ["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/a"], strict: true),
    DiffCase("property removed from a closed model",
        #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#,
        #"{"type":"object","additionalProperties":false}"#,
        ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"], strict: false, lenient: true),
    DiffCase("false property removed from a closed model",
        #"{"type":"object","properties":{"a":false},"additionalProperties":false}"#,
        #"{"type":"object","additionalProperties":false}"#,
        ["PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"], strict: true),
    DiffCase("removed property covered by a pattern property",
        #"{"type":"object","properties":{"s_a":{"type":"string"}},"patternProperties":{"^s_":{"type":"string"}}}"#,
        #"{"type":"object","patternProperties":{"^s_":{"type":"string"}}}"#,
        ["PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/s_a"], strict: true),
    DiffCase("removed property not covered by additionalProperties' schema",
        #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"integer"}}"#,
        #"{"type":"object","additionalProperties":{"type":"integer"}}"#,
        ["TYPE_CHANGED #/properties/a", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a"],
        strict: false, lenient: false),
    DiffCase("added property covered by additionalProperties' schema",
        #"{"type":"object","additionalProperties":{"type":"integer"}}"#,
        #"{"type":"object","properties":{"n":{"type":"number"}},"additionalProperties":{"type":"integer"}}"#,
        ["TYPE_EXTENDED #/properties/n", "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/n",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/n"], strict: true),
    DiffCase("added property not covered by a pattern property",
        #"{"type":"object","patternProperties":{"^n":{"type":"number"}}}"#,
        #"{"type":"object","properties":{"n1":{"type":"integer"}},"patternProperties":{"^n":{"type":"number"}}}"#,
        ["TYPE_NARROWED #/properties/n1", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/n1",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/n1"], strict: false, lenient: false),
    DiffCase("required attribute added",
        #"{"type":"object","properties":{"a":{"type":"string"}}}"#,
        #"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#,
        ["REQUIRED_ATTRIBUTE_ADDED #/required/a"], strict: false),
    DiffCase("required attribute with default added",
        #"{"type":"object","properties":{"a":{"type":"string","default":"x"}}}"#,
        #"{"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"]}"#,
        ["REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a"], strict: true),
    DiffCase("required attribute removed",
        #"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#,
        #"{"type":"object","properties":{"a":{"type":"string"}}}"#,
        ["REQUIRED_ATTRIBUTE_REMOVED #/required/a"], strict: true),
    DiffCase("maxProperties added", #"{"type":"object"}"#, #"{"type":"object","maxProperties":3}"#,
        ["MAX_PROPERTIES_ADDED #/maxProperties"], strict: false),
    DiffCase("minProperties lowered", #"{"type":"object","minProperties":3}"#, #"{"type":"object","minProperties":1}"#,
        ["MIN_PROPERTIES_DECREASED #/minProperties"], strict: true),
    DiffCase("additionalProperties closed", #"{"type":"object"}"#, #"{"type":"object","additionalProperties":false}"#,
        ["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"], strict: false, lenient: true),
    DiffCase("additionalProperties opened", #"{"type":"object","additionalProperties":false}"#, #"{"type":"object"}"#,
        ["ADDITIONAL_PROPERTIES_ADDED #/additionalProperties"], strict: true),
    DiffCase("additionalProperties narrowed to a schema", #"{"type":"object"}"#,
        #"{"type":"object","additionalProperties":{"type":"string"}}"#,
        ["ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties"], strict: false, lenient: true),
    DiffCase("additionalProperties extended to anything", #"{"type":"object","additionalProperties":{"type":"string"}}"#,
        #"{"type":"object"}"#, ["ADDITIONAL_PROPERTIES_EXTENDED #/additionalProperties"], strict: true),
    DiffCase("additionalProperties schemas compared", #"{"type":"object","additionalProperties":{"type":"string"}}"#,
        #"{"type":"object","additionalProperties":{"type":"integer"}}"#,
        ["TYPE_CHANGED #/additionalProperties"], strict: false),
    DiffCase("dependency array extended",
        #"{"type":"object","dependencies":{"card":["billing"]}}"#,
        #"{"type":"object","dependencies":{"card":["billing","zip"]}}"#,
        ["DEPENDENCY_ARRAY_EXTENDED #/dependencies/card"], strict: false),
    DiffCase("dependency array narrowed",
        #"{"type":"object","dependencies":{"card":["billing","zip"]}}"#,
        #"{"type":"object","dependencies":{"card":["zip"]}}"#,
        ["DEPENDENCY_ARRAY_NARROWED #/dependencies/card"], strict: true),
    DiffCase("dependency array changed",
        #"{"type":"object","dependencies":{"card":["billing"]}}"#,
        #"{"type":"object","dependencies":{"card":["zip"]}}"#,
        ["DEPENDENCY_ARRAY_CHANGED #/dependencies/card"], strict: false),
    DiffCase("dependency schema added", #"{"type":"object"}"#,
        #"{"type":"object","dependencies":{"card":{"required":["billing"]}}}"#,
        ["DEPENDENCY_SCHEMA_ADDED #/dependencies/card"], strict: false),
    DiffCase("dependency schema removed", #"{"type":"object","dependencies":{"card":{"required":["billing"]}}}"#,
        #"{"type":"object"}"#, ["DEPENDENCY_SCHEMA_REMOVED #/dependencies/card"], strict: true),
    DiffCase("2020-12 unevaluatedProperties false added",
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#,
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","unevaluatedProperties":false}"#,
        ["UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties"], strict: false, lenient: true),
    DiffCase("2020-12 dependentRequired narrowed",
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","dependentRequired":{"a":["b","c"]}}"#,
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","dependentRequired":{"a":["b"]}}"#,
        ["DEPENDENCY_ARRAY_NARROWED #/dependencies/a"], strict: true),
]

let arrayCases: [DiffCase] = [
    DiffCase("items type changed", #"{"type":"array","items":{"type":"string"}}"#,
        #"{"type":"array","items":{"type":"integer"}}"#, ["TYPE_CHANGED #/items"], strict: false),
    DiffCase("items added", #"{"type":"array"}"#, #"{"type":"array","items":{"type":"string"}}"#,
        ["SCHEMA_ADDED #/items"], strict: false),
    DiffCase("items removed", #"{"type":"array","items":{"type":"string"}}"#, #"{"type":"array"}"#,
        ["SCHEMA_REMOVED #/items"], strict: true),
    DiffCase("tuple item added to an open array", #"{"type":"array","items":[{"type":"string"}]}"#,
        #"{"type":"array","items":[{"type":"string"},{"type":"integer"}]}"#,
        ["ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"], strict: false),
    DiffCase("empty tuple item added to an open array", #"{"type":"array","items":[{"type":"string"}]}"#,
        #"{"type":"array","items":[{"type":"string"},{}]}"#,
        ["ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"], strict: true),
    DiffCase("tuple item added to a closed array",
        #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#,
        #"{"type":"array","items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}"#,
        ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"], strict: true),
    DiffCase("tuple item removed from a closed array",
        #"{"type":"array","items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}"#,
        #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#,
        ["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"], strict: false),
    DiffCase("tuple item removed from an open array",
        #"{"type":"array","items":[{"type":"string"},{"type":"integer"}]}"#,
        #"{"type":"array","items":[{"type":"string"}]}"#,
        ["ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1"], strict: true),
    DiffCase("removed tuple item covered by additionalItems",
        #"{"type":"array","items":[{"type":"string"},{"type":"integer"}],"additionalItems":{"type":"number"}}"#,
        #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"number"}}"#,
        ["TYPE_EXTENDED #/items/1", "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: true),
    DiffCase("added tuple item not covered by additionalItems",
        #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"number"}}"#,
        #"{"type":"array","items":[{"type":"string"},{"type":"string"}],"additionalItems":{"type":"number"}}"#,
        ["TYPE_CHANGED #/items/1", "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: false),
    DiffCase("additionalItems closed", #"{"type":"array","items":[{"type":"string"}]}"#,
        #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#,
        ["ADDITIONAL_ITEMS_REMOVED #/additionalItems"], strict: false),
    DiffCase("additionalItems extended", #"{"type":"array","items":[{}],"additionalItems":{"type":"string"}}"#,
        #"{"type":"array","items":[{}]}"#, ["ADDITIONAL_ITEMS_EXTENDED #/additionalItems"], strict: true),
    DiffCase("maxItems lowered", #"{"type":"array","maxItems":5}"#, #"{"type":"array","maxItems":4}"#,
        ["MAX_ITEMS_DECREASED #/maxItems"], strict: false),
    DiffCase("minItems removed", #"{"type":"array","minItems":1}"#, #"{"type":"array"}"#,
        ["MIN_ITEMS_REMOVED #/minItems"], strict: true),
    DiffCase("uniqueItems added", #"{"type":"array"}"#, #"{"type":"array","uniqueItems":true}"#,
        ["UNIQUE_ITEMS_ADDED #/uniqueItems"], strict: false),
    DiffCase("uniqueItems removed", #"{"type":"array","uniqueItems":true}"#, #"{"type":"array"}"#,
        ["UNIQUE_ITEMS_REMOVED #/uniqueItems"], strict: true),
    DiffCase("maxContains raised", #"{"type":"array","contains":{"type":"string"},"maxContains":2}"#,
        #"{"type":"array","contains":{"type":"string"},"maxContains":3}"#,
        ["MAX_CONTAINS_INCREASED #/maxContains"], strict: true),
    DiffCase("2020-12 prefixItems tuple item added to a closed array",
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","prefixItems":[{"type":"string"}],"items":false}"#,
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"#,
        ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"], strict: true),
    DiffCase("2020-12 contains implies minContains 1",
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#,
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"}}"#,
        ["MIN_CONTAINS_ADDED #/minContains"], strict: false),
    DiffCase("2020-12 unevaluatedItems schema narrowed",
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#,
        #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","unevaluatedItems":{"type":"string"}}"#,
        ["UNEVALUATED_ITEMS_NARROWED #/unevaluatedItems"], strict: false),
]

let enumAndCombinedCases: [DiffCase] = [
    DiffCase("enum extended", #"{"enum":["a","b"]}"#, #"{"enum":["a","b","c"]}"#, ["ENUM_ARRAY_EXTENDED #/enum"],
        strict: true),
    DiffCase("enum narrowed", #"{"enum":["a","b"]}"#, #"{"enum":["a"]}"#, ["ENUM_ARRAY_NARROWED #/enum"], strict: false),
    DiffCase("enum changed", #"{"enum":["a","b"]}"#, #"{"enum":["a","c"]}"#, ["ENUM_ARRAY_CHANGED #/enum"], strict: false),
    DiffCase("enum reordered", #"{"enum":[1,2]}"#, #"{"enum":[2,1]}"#, [], strict: true),
    DiffCase("const changed", #"{"const":"a"}"#, #"{"const":"b"}"#, ["ENUM_ARRAY_CHANGED #/const"], strict: false),
    DiffCase("type becomes a oneOf keeping it", #"{"type":"string"}"#,
        #"{"oneOf":[{"type":"string"},{"type":"null"}]}"#, ["SUM_TYPE_EXTENDED #/"], strict: true),
    DiffCase("type array gains a type", #"{"type":["string","null"]}"#, #"{"type":["string","null","integer"]}"#,
        ["SUM_TYPE_EXTENDED #/"], strict: true),
    DiffCase("oneOf loses a branch", #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
        #"{"oneOf":[{"type":"string"}]}"#, ["SUM_TYPE_NARROWED #/"], strict: false),
    DiffCase("allOf becomes one of its branches", #"{"allOf":[{"type":"string"},{"maxLength":3}]}"#,
        #"{"type":"string"}"#, ["PRODUCT_TYPE_NARROWED #/"], strict: true),
    DiffCase("allOf gains a branch", #"{"allOf":[{"type":"string"}]}"#,
        #"{"allOf":[{"type":"string"},{"maxLength":3}]}"#, ["PRODUCT_TYPE_EXTENDED #/"], strict: false),
    DiffCase("oneOf to anyOf", #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
        #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#, ["COMBINED_TYPE_EXTENDED #/"], strict: true),
    DiffCase("anyOf to allOf", #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#,
        #"{"allOf":[{"type":"string"},{"type":"integer"}]}"#, ["COMBINED_TYPE_CHANGED #/"], strict: false),
    DiffCase("oneOf branch changed incompatibly", #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
        #"{"oneOf":[{"type":"string"},{"type":"boolean"}]}"#, ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"], strict: false),
    DiffCase("oneOf branches reordered and one widened", #"{"oneOf":[{"type":"integer"},{"type":"string"}]}"#,
        #"{"oneOf":[{"type":"string"},{"type":"number"}]}"#, ["TYPE_EXTENDED #/oneOf/0"], strict: true),
    DiffCase("not narrowed", #"{"not":{"type":["string","integer"]}}"#, #"{"not":{"type":"string"}}"#,
        ["NOT_TYPE_NARROWED #/not"], strict: true),
    DiffCase("not extended", #"{"not":{"type":"string"}}"#, #"{"not":{"type":["string","integer"]}}"#,
        ["NOT_TYPE_EXTENDED #/not"], strict: false),
]

let referenceCases: [DiffCase] = [
    DiffCase("change behind a $ref to definitions",
        #"{"definitions":{"a":{"type":"string"}},"type":"object","properties":{"x":{"$ref":"\u0023/definitions/a"}}}"#,
        #"{"definitions":{"a":{"type":"integer"}},"type":"object","properties":{"x":{"$ref":"\u0023/definitions/a"}}}"#,
        ["TYPE_CHANGED #/properties/x"], strict: false),
    DiffCase("$defs pointer with escapes and percent-encoding",
        #"{"$defs":{"a/b":{"type":"string"},"c d":{"type":"string"}},"properties":{"x":{"$ref":"\u0023/$defs/a~1b"},"y":{"$ref":"\u0023/$defs/c%20d"}}}"#,
        #"{"$defs":{"a/b":{"type":"string","maxLength":2},"c d":{"type":"string"}},"properties":{"x":{"$ref":"\u0023/$defs/a~1b"},"y":{"$ref":"\u0023/$defs/c%20d"}}}"#,
        ["MAX_LENGTH_ADDED #/properties/x/maxLength"], strict: false),
    DiffCase("$ref by embedded $id and by anchor",
        #"{"$id":"http://example.com/root.json","definitions":{"a":{"$id":"item.json","type":"string"},"b":{"$id":"\u0023bee","type":"integer"}},"properties":{"x":{"$ref":"item.json"},"y":{"$ref":"\u0023bee"}}}"#,
        #"{"$id":"http://example.com/root.json","definitions":{"a":{"$id":"item.json","type":"string"},"b":{"$id":"\u0023bee","type":"number"}},"properties":{"x":{"$ref":"item.json"},"y":{"$ref":"\u0023bee"}}}"#,
        ["TYPE_EXTENDED #/properties/y"], strict: true),
    DiffCase("recursive schema compared with itself",
        #"{"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"\u0023/definitions/node"},"v":{"type":"string"}}}},"$ref":"\u0023/definitions/node"}"#,
        #"{"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"\u0023/definitions/node"},"v":{"type":"string"}}}},"$ref":"\u0023/definitions/node"}"#,
        [], strict: true),
]

func check(_ row: DiffCase) throws {
    let diffs = try JSONSchemaDiff.compare(original: parse(row.original), update: parse(row.update))
    #expect(diffs.map(\.description) == row.changes, "\(row.name)")
    let strict = diffs.allSatisfy { JSONSchemaDiff.isCompatible($0.kind, policy: .strict) }
    let lenient = diffs.allSatisfy { JSONSchemaDiff.isCompatible($0.kind, policy: .lenient) }
    #expect(strict == row.strict, "STRICT verdict of \(row.name)")
    #expect(lenient == row.lenient, "LENIENT verdict of \(row.name)")
    for diff in diffs {
        #expect(!diff.message.isEmpty)
        #expect(diff.message.contains(diff.path))
    }
}

@Suite struct JSONSchemaDiffTableTests {
    @Test(arguments: metaCases) func meta(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: stringCases) func strings(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: numberCases) func numbers(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: objectCases) func objects(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: arrayCases) func arrays(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: enumAndCombinedCases) func enumsAndCombinations(_ row: DiffCase) throws { try check(row) }
    @Test(arguments: referenceCases) func references(_ row: DiffCase) throws { try check(row) }

    @Test func policySets() {
        #expect(JSONSchemaDiff.allKinds.count == 132)
        for kind in JSONSchemaDiff.allKinds where JSONSchemaDiff.isCompatible(kind, policy: .strict) {
            #expect(JSONSchemaDiff.isCompatible(kind, policy: .lenient), "\(kind)")
        }
        #expect(JSONSchemaDiff.isCompatible("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", policy: .lenient))
        #expect(!JSONSchemaDiff.isCompatible("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", policy: .strict))
        #expect(!JSONSchemaDiff.isCompatible("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", policy: .lenient))
    }

    @Test func incompatibleKindsCarryHints() throws {
        let diffs = try JSONSchemaDiff.compare(original: parse(#"{"type":"object"}"#),
            update: parse(#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#))
        #expect(diffs.first?.hint?.isEmpty == false)
    }

    @Test func referenceDocumentsByName() throws {
        let original = try parse(#"{"type":"object","properties":{"c":{"$ref":"customer.json"}}}"#)
        let update = try parse(#"{"type":"object","properties":{"c":{"$ref":"customer.json#/$defs/id"}}}"#)
        let v1 = try parse(#"{"type":"object","properties":{"id":{"type":"string"}}}"#)
        let v2 = try parse(#"{"$defs":{"id":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}}"#)
        let diffs = try JSONSchemaDiff.compare(original: original, update: update,
            originalReferences: ["customer.json": v1], updateReferences: ["customer.json": v2])
        #expect(diffs.map(\.description) == ["REQUIRED_ATTRIBUTE_ADDED #/properties/c/required/id"])
    }
}
