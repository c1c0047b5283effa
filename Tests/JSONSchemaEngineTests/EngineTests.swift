import JSONSchemaEngine
import JSONSupport
import Testing

@Suite("JSONSchemaEngine")
struct EngineTests {
    private func compileError(_ text: String, options: JSONSchemaOptions = .init(), resources: [String: JSONValue] = [:]) throws -> JSONSchemaError? {
        let schema = try parsed(text)
        do {
            _ = try CompiledJSONSchema(schema, resources: resources, options: options)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Invalid schemas

    @Test("invalid keyword values are errors with a pointer and a plain message")
    func invalidSchemaMessages() throws {
        let e = try #require(try compileError(##"{"properties": {"age": {"minimum": "zero"}}}"##))
        #expect(e.pointer == "/properties/age/minimum")
        #expect(e.message == "must be a number, is a string")
        #expect(e.description == "/properties/age/minimum: must be a number, is a string")

        let cases: [(String, String, String)] = [
            (##"{"type": "text"}"##, "/type", "unknown type \"text\""),
            (##"{"type": 3}"##, "/type", "must be a string or an array of strings, is an integer"),
            (##"{"minLength": -1}"##, "/minLength", "must be a non-negative integer, is -1"),
            (##"{"maxItems": 1.5}"##, "/maxItems", "must be a non-negative integer, is 1.5"),
            (##"{"multipleOf": 0}"##, "/multipleOf", "must be greater than 0, is 0"),
            (##"{"required": ["a", 1]}"##, "/required/1", "must be a string, is an integer"),
            (##"{"allOf": []}"##, "/allOf", "must not be empty"),
            (##"{"items": [{"type": "string"}, 3]}"##, "/items/1", "must be a schema (an object or a boolean), is an integer"),
            (##"{"pattern": "(unclosed"}"##, "/pattern", "is not a valid regular expression: (unclosed (Unterminated group: '(' has no matching ')'.)"),
            (##"{"$schema": "https://example.com/unknown"}"##, "/$schema", "unknown $schema https://example.com/unknown: not one of the drafts 4, 6, 7, 2019-09, 2020-12"),
        ]
        for (schema, pointer, message) in cases {
            let error = try #require(try compileError(schema), "\(schema) should be rejected")
            #expect(error.pointer == pointer, "\(schema)")
            #expect(error.message == message, "\(schema)")
        }
    }

    @Test("draft 4 exclusiveMaximum must be a boolean; a schema that is not an object or boolean is rejected")
    func draftSpecificErrors() throws {
        let e = try #require(try compileError(##"{"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 3, "exclusiveMaximum": 2}"##))
        #expect(e.pointer == "/exclusiveMaximum")
        #expect(try compileError("3")?.message == "a schema must be an object or a boolean, is an integer")
    }

    @Test("an unknown remote $ref is an error naming it; a resource makes it resolve")
    func unknownRemoteRef() throws {
        let e = try #require(try compileError(##"{"properties": {"a": {"$ref": "https://example.com/other.json#/x"}}}"##))
        #expect(e.pointer == "/properties/a/$ref")
        #expect(e.message.contains("https://example.com/other.json"))

        let missingPointer = try #require(try compileError(##"{"$ref": "#/definitions/nope"}"##))
        #expect(missingPointer.message.contains("nothing at /definitions/nope"))

        let other = try parsed(##"{"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}"##)
        let schema = try CompiledJSONSchema(
            parsed(##"{"properties": {"customer": {"$ref": "customer.json"}}}"##),
            resources: ["customer.json": other]
        )
        #expect(schema.isValid(try parsed(##"{"customer": {"id": 1}}"##)))
        #expect(!schema.isValid(try parsed(##"{"customer": {"id": "x"}}"##)))
    }

    // MARK: Violations

    @Test("every violation is reported with its instance path, keyword path and message")
    func allViolations() throws {
        let schema = try CompiledJSONSchema(
            parsed(
                ##"""
                {"type": "object", "required": ["name", "age"],
                 "properties": {
                   "name": {"type": "string"},
                   "age": {"type": "integer", "minimum": 0},
                   "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}, "uniqueItems": true},
                   "ref": {"$ref": "#/definitions/positive"}
                 },
                 "additionalProperties": false,
                 "definitions": {"positive": {"exclusiveMinimum": 0}}}
                """##
            )
        )
        let violations = schema.validate(try parsed(##"{"age": -3, "tags": ["ok", "long", 5, "ok"], "ref": 0, "extra": 1}"##))
        let got = Set(violations.map { "\($0.instancePath) \($0.keywordPath) \($0.keyword): \($0.message)" })
        let expected: Set<String> = [
            " /required required: required property \"name\" is missing",
            "/age /properties/age/minimum minimum: must be >= 0, is -3",
            "/tags/1 /properties/tags/items/maxLength maxLength: must be at most 3 characters long, is 4",
            "/tags/2 /properties/tags/items/type type: must be string, is integer",
            "/tags /properties/tags/uniqueItems uniqueItems: items must be unique, but items 0 and 3 are equal",
            "/ref /properties/ref/$ref/exclusiveMinimum exclusiveMinimum: must be > 0, is 0",
            " /additionalProperties additionalProperties: property \"extra\" is not allowed",
        ]
        #expect(got == expected)
        #expect(violations.count == expected.count)
        #expect(!schema.isValid(try parsed(##"{"age": -3}"##)))
        #expect(schema.isValid(try parsed(##"{"name": "a", "age": 3}"##)))
    }

    @Test("paths escape ~ and / in names")
    func escapedPaths() throws {
        let schema = try CompiledJSONSchema(parsed(##"{"properties": {"a/b~c": {"type": "string"}}}"##))
        let v = try #require(schema.validate(try parsed(##"{"a/b~c": 1}"##)).first)
        #expect(v.instancePath == "/a~1b~0c")
        #expect(v.keywordPath == "/properties/a~1b~0c/type")
    }

    @Test("JSON equality, exact numbers and integers")
    func numbers() throws {
        let schema = try CompiledJSONSchema(parsed(##"{"enum": [1, {"a": [2.0]}], "multipleOf": 0.01}"##))
        #expect(schema.isValid(try parsed("1.0")))
        #expect(schema.isValid(try parsed("1e0")))
        #expect(schema.isValid(try parsed(##"{"a": [2]}"##)))
        #expect(!schema.isValid(try parsed("2")))
        let money = try CompiledJSONSchema(parsed(##"{"multipleOf": 0.01, "type": "integer"}"##))
        #expect(!money.isValid(try parsed("19.99")))
        #expect(money.isValid(try parsed("20.0")))
        let cents = try CompiledJSONSchema(parsed(##"{"multipleOf": 0.01}"##))
        #expect(cents.isValid(try parsed("19.99")))
        #expect(cents.isValid(try parsed("4.35")))
        #expect(!cents.isValid(try parsed("4.355")))
        let big = try CompiledJSONSchema(parsed(##"{"maximum": 18446744073709551615}"##))
        #expect(big.isValid(try parsed("18446744073709551615")))
        #expect(!big.isValid(try parsed("18446744073709551616")))
        #expect(!big.isValid(try parsed("1.8446744073709551616e19")))
    }

    @Test("format is an annotation unless assertFormat is set")
    func formats() throws {
        let text = ##"{"format": "date-time"}"##
        let loose = try CompiledJSONSchema(parsed(text))
        let strict = try CompiledJSONSchema(parsed(text), options: JSONSchemaOptions(assertFormat: true))
        #expect(loose.isValid(.string("yesterday")))
        #expect(!strict.isValid(.string("yesterday")))
        #expect(strict.isValid(.string("2024-02-29T12:30:00.5+01:00")))
        #expect(!strict.isValid(.string("2023-02-29T12:30:00Z")))
        let checks: [(String, String, Bool)] = [
            ("date", "2020-12-31", true), ("date", "2020-13-01", false),
            ("time", "23:59:60Z", true), ("time", "12:00:00", false),
            ("email", "a.b@example.com", true), ("email", "a..b@example.com", false),
            ("hostname", "example.com", true), ("hostname", "-bad.example", false),
            ("ipv4", "192.168.0.1", true), ("ipv4", "256.1.1.1", false), ("ipv4", "01.1.1.1", false),
            ("ipv6", "::1", true), ("ipv6", "1::2::3", false), ("ipv6", "::ffff:192.168.0.1", true),
            ("uri", "https://example.com/a?b#c", true), ("uri", "relative/path", false), ("uri", "http://exa mple.com", false),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", true), ("uuid", "123e4567e89b12d3a456426614174000", false),
            ("regex", "^[a-z]+$", true), ("regex", "[unclosed", false),
            ("json-pointer", "/a~1b", true), ("json-pointer", "/a~2", false),
        ]
        for (format, value, expected) in checks {
            let s = try CompiledJSONSchema(.object(JSONObject(["format": .string(format)])), options: JSONSchemaOptions(assertFormat: true))
            #expect(s.isValid(.string(value)) == expected, "\(format): \(value)")
        }
    }

    // MARK: Hostile inputs

    @Test("a $ref that loops without consuming input is a violation, not a stack overflow")
    func refLoops() throws {
        for text in [##"{"$ref": "#"}"##, ##"{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}"##] {
            let schema = try CompiledJSONSchema(parsed(text))
            let violations = schema.validate(try parsed(##"{"a": 1}"##))
            #expect(violations.count == 1)
            #expect(violations.first?.message.contains("loops") == true)
            #expect(!schema.isValid(.null))
        }
        let modern = try CompiledJSONSchema(parsed(##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [{"$ref": "#"}]}"##))
        #expect(!modern.isValid(.integer(1)))
    }

    @Test("recursion follows the instance and is bounded by the instance depth limit")
    func deepInstance() throws {
        let schema = try CompiledJSONSchema(parsed(##"{"type": ["array", "integer"], "items": {"$ref": "#"}}"##))
        var nested: JSONValue = .integer(1)
        for _ in 0..<200 { nested = .array([nested]) }
        #expect(schema.isValid(nested))
        for _ in 0..<100 { nested = .array([nested]) }
        let violations = schema.validate(nested)
        #expect(violations.contains { $0.message.contains("nests deeper than the limit of 256") })
        #expect(!schema.isValid(nested))
    }

    @Test("in-place applicators nested per instance level hit the evaluation depth limit, not the stack's")
    func evaluationDepthLimit() throws {
        let schema = try CompiledJSONSchema(
            parsed(##"{"$ref": "#/definitions/a", "definitions": {"a": {"allOf": [{"anyOf": [{"oneOf": [{"items": {"$ref": "#/definitions/a"}}]}]}]}}}"##)
        )
        var nested: JSONValue = .array([])
        for _ in 0..<250 { nested = .array([nested]) }
        let violations = schema.validate(nested)
        #expect(violations.contains { $0.message.contains("subschemas nest deeper than the limit of 1024") })
        #expect(!schema.isValid(nested))
        var shallow: JSONValue = .array([])
        for _ in 0..<100 { shallow = .array([shallow]) }
        #expect(schema.isValid(shallow))
    }

    @Test("deeply nested schemas are rejected with a typed error")
    func deepSchema() throws {
        var schema: JSONValue = .object(JSONObject())
        for _ in 0..<1000 { schema = .object(JSONObject(["not": schema])) }
        do {
            _ = try CompiledJSONSchema(schema)
            Issue.record("expected the schema depth limit")
        } catch {
            #expect(error.message.contains("deeper than the limit"))
        }
    }

    @Test("huge schemas are bounded by maxSubschemas; refs followed by maxRefsFollowed")
    func subschemaAndRefLimits() throws {
        var members: [JSONMember] = []
        for i in 0..<2000 { members.append(JSONMember("p\(i)", .object(JSONObject(["type": .string("string")])))) }
        let schema = JSONValue.object(JSONObject(["properties": .object(JSONObject(members))]))
        var limits = JSONSchemaLimits()
        limits.maxSubschemas = 1000
        do {
            _ = try CompiledJSONSchema(schema, options: JSONSchemaOptions(limits: limits))
            Issue.record("expected the subschema limit")
        } catch {
            #expect(error.message.contains("more than the limit of 1000 subschemas"))
        }
        #expect(throws: Never.self) { try CompiledJSONSchema(schema) }

        limits = JSONSchemaLimits()
        limits.maxRefsFollowed = 10
        let refs = try CompiledJSONSchema(parsed(##"{"items": {"$ref": "#/definitions/s"}, "definitions": {"s": {"type": "string"}}}"##), options: JSONSchemaOptions(limits: limits))
        let many = JSONValue.array(Array(repeating: .string("x"), count: 11))
        #expect(refs.isValid(.array(Array(repeating: .string("x"), count: 10))))
        #expect(!refs.isValid(many))
        #expect(refs.validate(many).contains { $0.message.contains("references followed") })
    }

    @Test("a compiled schema is shared across tasks")
    func concurrentUse() async throws {
        let schema = try CompiledJSONSchema(parsed(##"{"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}"##))
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask { schema.isValid(.object(JSONObject(["n": .integer(i % 20)]))) }
            }
            var out: [Bool] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.filter { $0 }.count == 22)
    }
}
