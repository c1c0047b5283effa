import JSONSchemaCompatibility
import JSONSupport
import SchemaCompatibility
import Testing

private func history(_ texts: String...) throws -> [(schema: JSONValue, references: [String: JSONValue])] {
    try texts.map { (schema: try JSONParser.parse($0), references: [:]) }
}

private let closedV1 = #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#
private let closedV2 =
    #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"additionalProperties":false}"#

@Suite struct JSONSchemaCheckerTests {
    @Test func backwardAcceptsAnOptionalPropertyAddedToAClosedModel() throws {
        let found = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(closedV2), newReferences: [:],
            history: history(closedV1), level: .backward, policy: .strict)
        #expect(found.isEmpty)
    }

    @Test func forwardRejectsTheSameChange() throws {
        let found = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(closedV2), newReferences: [:],
            history: history(closedV1), level: .forward, policy: .strict)
        #expect(found.map(\.kind) == ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"])
        #expect(found.first?.path == "#/properties/b")
        #expect(found.first?.direction == .forward)
        #expect(found.first?.version == 1)
        #expect(found.first?.message.contains("LENIENT") == true)
        let lenient = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(closedV2), newReferences: [:],
            history: history(closedV1), level: .forward, policy: .lenient)
        #expect(lenient.isEmpty)
    }

    @Test func fullChecksBothDirections() throws {
        let open1 = #"{"type":"object","properties":{"a":{"type":"string"}}}"#
        let open2 = #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}"#
        let found = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(open2), newReferences: [:],
            history: history(open1), level: .full, policy: .strict)
        #expect(found.map(\.kind) == ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"])
        #expect(found.map(\.direction) == [.backward])
        let lenient = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(open2), newReferences: [:],
            history: history(open1), level: .full, policy: .lenient)
        #expect(lenient.isEmpty)
    }

    @Test func transitiveChecksEveryEarlierVersion() throws {
        let v1 = #"{"type":"string","maxLength":10}"#
        let v2 = #"{"type":"string","maxLength":20}"#
        let new = #"{"type":"string","maxLength":15}"#
        let latestOnly = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(new), newReferences: [:],
            history: history(v1, v2), level: .forward, policy: .strict)
        #expect(latestOnly.isEmpty)
        let plain = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(new), newReferences: [:],
            history: history(v2, v1), level: .backward, policy: .strict)
        #expect(plain.isEmpty)
        let transitive = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(new), newReferences: [:],
            history: history(v2, v1), level: .backwardTransitive, policy: .strict)
        #expect(transitive.map(\.kind) == ["MAX_LENGTH_DECREASED"])
        #expect(transitive.map(\.version) == [1])
        #expect(transitive.map(\.path) == ["#/maxLength"])
    }

    @Test func noneAndEmptyHistoryAreCompatible() throws {
        let changed = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(#"{"type":"string"}"#),
            newReferences: [:], history: history(#"{"type":"integer"}"#), level: .none, policy: .strict)
        #expect(changed.isEmpty)
        let first = try JSONSchemaCompatibilityChecker.check(new: JSONParser.parse(#"{"type":"string"}"#),
            newReferences: [:], history: [], level: .fullTransitive, policy: .strict)
        #expect(first.isEmpty)
    }

    /// FULL loads each earlier version once for both directions: what it reports must be what BACKWARD and
    /// FORWARD report, version by version, also where the comparison loads more of a schema through references.
    @Test func fullReportsWhatBackwardThenForwardReport() throws {
        func schema(_ type: String, extra: String) -> String {
            let definition = #"{"type":"object","properties":{"next":{"$ref":"\u0023/definitions/n"},"v":{"type":"\#(type)"}}}"#
            return #"{"type":"object","definitions":{"n":\#(definition)},"properties":{"a":{"$ref":"\u0023/definitions/n"}\#(extra)},"additionalProperties":false}"#
        }
        let earlier = try history(schema("string", extra: ""), schema("integer", extra: #","b":{"type":"string"}"#))
        let new = try JSONParser.parse(schema("string", extra: #","c":{"type":"number"}"#))
        for policy in JSONCompatibilityPolicy.allCases {
            let full = try JSONSchemaCompatibilityChecker.check(
                new: new, newReferences: [:], history: earlier, level: .fullTransitive, policy: policy)
            let backward = try JSONSchemaCompatibilityChecker.check(
                new: new, newReferences: [:], history: earlier, level: .backwardTransitive, policy: policy)
            let forward = try JSONSchemaCompatibilityChecker.check(
                new: new, newReferences: [:], history: earlier, level: .forwardTransitive, policy: policy)
            let expected = [2, 1].flatMap { version in
                backward.filter { $0.version == version } + forward.filter { $0.version == version }
            }
            #expect(!backward.isEmpty && !forward.isEmpty)
            #expect(full == expected)
        }
    }
}

@Suite struct JSONSchemaHostileInputTests {
    @Test func unresolvedReferenceIsATypedError() throws {
        let schema = try JSONParser.parse(#"{"properties":{"a":{"$ref":"\u0023/definitions/missing"}}}"#)
        #expect(throws: JSONSchemaDiffError.unresolvedReference(reference: "#/definitions/missing",
            location: "#/properties/a"))
        {
            _ = try JSONSchemaDiff.compare(original: schema, update: schema)
        }
        let remote = try JSONParser.parse(#"{"$ref":"other.json"}"#)
        #expect(throws: JSONSchemaDiffError.self) { _ = try JSONSchemaDiff.compare(original: remote, update: remote) }
    }

    @Test func referenceLoopWithoutASchemaIsATypedError() throws {
        let schema = try JSONParser.parse(#"{"definitions":{"a":{"$ref":"\u0023/definitions/b"},"b":{"$ref":"\u0023/definitions/a"}},"$ref":"\u0023/definitions/a"}"#)
        #expect(throws: JSONSchemaDiffError.self) { _ = try JSONSchemaDiff.compare(original: schema, update: schema) }
    }

    @Test func recursiveChangeBehindACycleIsFound() throws {
        func schema(_ leaf: String) throws -> JSONValue {
            try JSONParser.parse(#"{"definitions":{"t":{"type":"object","properties":{"id":{"type":"\#(leaf)"},"kids":{"type":"array","items":{"oneOf":[{"$ref":"\u0023/definitions/t"},{"type":"null"}]}}}}},"$ref":"\u0023/definitions/t"}"#)
        }
        let diffs = try JSONSchemaDiff.compare(original: schema("integer"), update: schema("boolean"))
        #expect(diffs.contains { !JSONSchemaDiff.isCompatible($0.kind, policy: .strict) })
        let same = try JSONSchemaDiff.compare(original: schema("integer"), update: schema("integer"))
        #expect(same.isEmpty)
    }

    @Test func deepNestingIsATypedError() throws {
        var text = #"{"type":"string"}"#
        for _ in 0..<150 { text = #"{"type":"array","items":\#(text)}"# }
        let deep = try JSONParser.parse(text)
        #expect(throws: JSONSchemaDiffError.tooDeep(limit: 50)) {
            _ = try JSONSchemaDiff.compare(original: deep, update: deep, policy: .strict,
                limits: JSONSchemaDiffLimits(maxDepth: 50, maxComparisons: 100_000))
        }
    }

    @Test func tooManyComparisonsIsATypedError() throws {
        let branches = (0..<40).map { #"{"type":"object","properties":{"p\#($0)":{"type":"string"}},"required":["p\#($0)"]}"# }
        let schema = try JSONParser.parse(#"{"oneOf":[\#(branches.joined(separator: ","))]}"#)
        #expect(throws: JSONSchemaDiffError.tooManyComparisons(limit: 500)) {
            _ = try JSONSchemaDiff.compare(original: schema, update: schema, policy: .strict,
                limits: JSONSchemaDiffLimits(maxDepth: 100, maxComparisons: 500))
        }
    }

    @Test func nonSchemaRootIsATypedError() throws {
        #expect(throws: JSONSchemaDiffError.self) {
            _ = try JSONSchemaDiff.compare(original: .string("x"), update: .bool(true))
        }
        #expect(throws: JSONSchemaDiffError.self) {
            _ = try JSONSchemaDiff.compare(original: JSONParser.parse(#"{"type":"strin"}"#), update: .bool(true))
        }
    }
}
