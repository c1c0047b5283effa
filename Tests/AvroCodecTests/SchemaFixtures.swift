import AvroCodec
import Foundation
import JSONSupport
import Testing

/// Loads the JSON corpora under `Fixtures/schema` (see `Fixtures/schema/tools/gen.py` for how they were made).
enum SchemaFixtures {
    /// Parses one fixture file; `nil` when it is missing or unreadable (the count tests then fail).
    static func load(_ name: String) -> JSONObject? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/schema"),
            let data = try? Data(contentsOf: url),
            let json = try? JSONParser.parse(Array(data))
        else { return nil }
        return json.objectValue
    }

    static func list(_ file: String, _ key: String) -> [JSONObject] {
        load(file)?[key]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// One case of the specification's Parsing Canonical Form test data.
    struct CanonicalCase: Sendable, CustomTestStringConvertible {
        var id: String
        var input: String
        var canonical: String
        var rabin: Int64
        var md5: String
        var sha256: String
        var testDescription: String { "schema-tests \(id)" }
    }

    static let canonicalCases: [CanonicalCase] = list("canonical-form", "cases").compactMap { o in
        guard let id = o["id"]?.stringValue, let input = o["input"]?.stringValue,
            let canonical = o["canonical"]?.stringValue, let rabinText = o["rabin"]?.stringValue,
            let rabin = Int64(rabinText), let md5 = o["md5"]?.stringValue, let sha256 = o["sha256"]?.stringValue
        else { return nil }
        return CanonicalCase(id: id, input: input, canonical: canonical, rabin: rabin, md5: md5, sha256: sha256)
    }

    /// Fingerprints as Apache Avro's Python tests list them (hex strings).
    struct FingerprintCase: Sendable, CustomTestStringConvertible {
        var input: String
        var rabinHex: String
        var md5Hex: String
        var sha256Hex: String
        var testDescription: String { input }
    }

    static let pythonFingerprints: [FingerprintCase] = list("python-fingerprints", "cases").compactMap { o in
        guard let input = o["input"]?.stringValue, let rabin = o["rabinHex"]?.stringValue,
            let md5 = o["md5Hex"]?.stringValue, let sha = o["sha256Hex"]?.stringValue
        else { return nil }
        return FingerprintCase(input: input, rabinHex: rabin, md5Hex: md5, sha256Hex: sha)
    }

    /// A schema that must parse, with its expected canonical form and fingerprints.
    struct ValidCase: Sendable, CustomTestStringConvertible {
        var name: String
        var schema: JSONValue
        var canonical: String
        var rabin: Int64
        var md5: String
        var sha256: String
        /// Present when the fixture states the root's logical type; the inner nil means "none".
        var logicalType: String??
        var namedTypes: [String]?
        var testDescription: String { name }
    }

    static let validSchemas: [ValidCase] = list("valid-schemas", "schemas").compactMap { o in
        guard let name = o["name"]?.stringValue, let schema = o["schema"],
            let canonical = o["canonical"]?.stringValue, let rabinText = o["rabin"]?.stringValue,
            let rabin = Int64(rabinText), let md5 = o["md5"]?.stringValue, let sha256 = o["sha256"]?.stringValue
        else { return nil }
        var logicalType: String??
        if let value = o["logicalType"] { logicalType = .some(value.stringValue) }
        let named = o["namedTypes"]?.arrayValue?.compactMap(\.stringValue)
        return ValidCase(
            name: name, schema: schema, canonical: canonical, rabin: rabin, md5: md5, sha256: sha256,
            logicalType: logicalType, namedTypes: named
        )
    }

    /// A schema text that must be rejected with `code` at `pointer` (nil for JSON syntax errors).
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var code: String
        var pointer: String?
        var testDescription: String { name }
    }

    static let invalidSchemas: [InvalidCase] = list("invalid-schemas", "schemas").compactMap { o in
        guard let name = o["name"]?.stringValue, let text = o["text"]?.stringValue, let code = o["code"]?.stringValue
        else { return nil }
        return InvalidCase(name: name, text: text, code: code, pointer: o["pointer"]?.stringValue)
    }
}

extension AvroLogicalType {
    /// How the fixtures spell a logical type: `decimal(4,2)`, `date`, `uuid`…
    var fixtureSpelling: String {
        if case .decimal(let precision, let scale) = self { return "decimal(\(precision),\(scale))" }
        return name
    }
}
