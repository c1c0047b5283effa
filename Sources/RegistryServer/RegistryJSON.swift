import SchemaProviders
import JSONSupport
import ProtobufCompatibility
import RegistryCore
import SchemaCompatibility

/// The JSON shapes of Confluent's REST API, built from the core's values, and request bodies read into them.
enum RegistryJSON {
    // MARK: Responses

    static func references(_ references: [SchemaReference]) -> JSONValue {
        .array(
            references.map { reference in
                .object(
                    JSONObject([
                        "name": .string(reference.name),
                        "subject": .string(reference.subject),
                        "version": .integer(reference.version),
                    ]))
            })
    }

    /// Confluent's `Schema` entity (GET /subjects/{s}/versions/{v}, POST /subjects/{s}, GET /schemas).
    static func record(_ record: SchemaRecord, schemaText: String) -> JSONValue {
        var object = JSONObject()
        object["subject"] = .string(record.subject)
        object["version"] = .integer(record.version)
        object["id"] = .integer(record.schema.id)
        object["guid"] = .string(record.schema.guid)
        addContent(record.schema.content, schemaText: schemaText, to: &object)
        if record.deleted { object["deleted"] = .bool(true) }
        return .object(object)
    }

    /// Confluent's `SchemaString` entity (GET /schemas/ids/{id}, /schemas/guids/{guid}).
    /// `/schemas/ids/{id}` and `/schemas/guids/{guid}`; with `version` (a `subject` was asked for) its subject and
    /// version come first, as in Confluent's SchemaString.
    static func schemaString(_ schema: StoredSchema, schemaText: String, maxID: Int?, version: SubjectVersion? = nil)
        -> JSONValue
    {
        var object = JSONObject()
        if let version {
            object["subject"] = .string(version.subject)
            object["version"] = .integer(version.version)
        }
        addContent(schema.content, schemaText: schemaText, to: &object)
        object["guid"] = .string(schema.guid)
        if let maxID { object["maxId"] = .integer(maxID) }
        return .object(object)
    }

    private static func addContent(_ content: SchemaContent, schemaText: String, to object: inout JSONObject) {
        if content.schemaType != .avro { object["schemaType"] = .string(content.schemaType.rawValue) }
        if !content.references.isEmpty { object["references"] = references(content.references) }
        if let metadata = content.metadata, let json = try? JSONParser.parse(metadata) { object["metadata"] = json }
        if let ruleSet = content.ruleSet, let json = try? JSONParser.parse(ruleSet) { object["ruleSet"] = json }
        object["schema"] = .string(schemaText)
    }

    static func registration(_ result: RegistrationResult) -> JSONValue {
        .object(
            JSONObject([
                "id": .integer(result.id),
                "version": .integer(result.version),
                "guid": .string(result.guid),
                "schemaType": .string(result.schemaType.rawValue),
            ]))
    }

    static func compatibility(_ report: CompatibilityReport, verbose: Bool) -> JSONValue {
        var object = JSONObject(["is_compatible": .bool(report.isCompatible)])
        if verbose {
            object["messages"] = .array(report.messages.map { .string($0) })
            object["incompatibilities"] = .array(report.incompatibilities.map(incompatibility))
        }
        return .object(object)
    }

    static func incompatibility(_ item: Incompatibility) -> JSONValue {
        var object = JSONObject()
        object["kind"] = .string(item.kind)
        object["path"] = .string(item.path)
        object["message"] = .string(item.message)
        if let version = item.version { object["version"] = .integer(version) }
        if let direction = item.direction { object["direction"] = .string(direction.rawValue) }
        return .object(object)
    }

    static func error(_ error: RegistryError) -> JSONValue {
        .object(JSONObject(["error_code": .integer(error.code), "message": .string(error.message)]))
    }

    // MARK: Requests

    static let bodyLimits = JSONParseLimits(maxBytes: 64 << 20, maxDepth: 64, maxContainerCount: 1 << 20)

    /// Parses a request body as a JSON object: malformed JSON is 400, any other top-level value 422.
    static func object(_ bytes: [UInt8]) throws(RegistryError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, limits: bodyLimits)
        } catch {
            throw .badRequest("Malformed JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw .unprocessable("The request body must be a JSON object, not \(value.kindName)")
        }
        return object
    }

    /// A config as GET /config answers it (`compatibilityLevel`, where PUT takes `compatibility`).
    static func config(_ config: SubjectConfig) -> JSONValue {
        var object = JSONObject()
        if let level = config.compatibilityLevel { object["compatibilityLevel"] = .string(level.rawValue) }
        if let normalize = config.normalize { object["normalize"] = .bool(normalize) }
        if let group = config.compatibilityGroup { object["compatibilityGroup"] = .string(group) }
        if let policy = config.compatibilityPolicy { object["compatibilityPolicy"] = .string(policy.rawValue) }
        if let rules = config.protobufRules { object["protobufRules"] = .string(rules.rawValue) }
        for member in config.other { object[member.key] = member.value }
        return .object(object)
    }

    /// A ConfigUpdateRequest body: `compatibility` (or `compatibilityLevel`), `normalize`, `compatibilityGroup`,
    /// `compatibilityPolicy`, Accord's `protobufRules`, and any other field, kept as given; null removes a field.
    static func configUpdate(_ object: JSONObject) throws(RegistryError) -> ConfigUpdate {
        var update = ConfigUpdate()
        for member in object {
            let value = member.value
            switch member.key {
            case "compatibility", "compatibilityLevel":
                if value.isNull { update.compatibilityLevel = .remove; continue }
                guard let text = value.stringValue, let level = CompatibilityLevel(name: text.uppercased()) else {
                    throw .invalidCompatibilityLevel(value.stringValue ?? "")
                }
                update.compatibilityLevel = .set(level)
            case "normalize":
                if value.isNull { update.normalize = .remove; continue }
                guard let flag = value.boolValue else { throw .unprocessable("normalize must be a boolean") }
                update.normalize = .set(flag)
            case "protobufRules":
                if value.isNull { update.protobufRules = .remove; continue }
                guard let text = value.stringValue, let rules = ProtoRuleSet(rawValue: text.lowercased()) else {
                    throw .unprocessable("Invalid protobufRules. Valid values are confluent, wire, wire-json and file")
                }
                update.protobufRules = .set(rules)
            case "compatibilityGroup":
                update.compatibilityGroup = value.stringValue.map { .set($0) } ?? .remove
            case "compatibilityPolicy":
                if value.isNull { update.compatibilityPolicy = .remove; continue }
                guard let text = value.stringValue, let policy = CompatibilityPolicy(name: text) else {
                    throw .unprocessable("Invalid compatibilityPolicy. Valid values are STRICT and LENIENT")
                }
                update.compatibilityPolicy = .set(policy)
            default:
                update.other.append((member.key, value.isNull ? .remove : .set(value)))
            }
        }
        return update
    }

    /// A RegisterSchemaRequest body.
    static func schemaRequest(_ bytes: [UInt8]) throws(RegistryError) -> SchemaRequest {
        let object = try object(bytes)
        var request = SchemaRequest(schema: nil)
        for member in object {
            let value = member.value
            switch member.key {
            case "schema":
                guard value.isNull || value.stringValue != nil else {
                    throw .unprocessable("Field 'schema' must be a string")
                }
                request.schema = value.stringValue
            case "schemaType":
                if value.isNull { continue }
                guard let name = value.stringValue else { throw .unprocessable("Field 'schemaType' must be a string") }
                // The registry's providers decide which types are known (42201 for the others).
                request.schemaType = SchemaType(name: name)
            case "references":
                if value.isNull { continue }
                guard case .array(let items) = value else { throw .unprocessable("Field 'references' must be an array") }
                request.references = try items.enumerated().map { (index, item) throws(RegistryError) in
                    try reference(item, index: index)
                }
            case "metadata":
                if value.isNull { continue }
                guard case .object = value else { throw .unprocessable("Field 'metadata' must be an object") }
                request.metadata = value.serialized()
            case "ruleSet":
                if value.isNull { continue }
                guard case .object = value else { throw .invalidRuleSet("Field 'ruleSet' must be an object") }
                request.ruleSet = value.serialized()
            case "id":
                if value.isNull { continue }
                guard let id = integer(value) else { throw .unprocessable("Field 'id' must be an integer") }
                if id >= 0 { request.id = id }
            case "version":
                if value.isNull { continue }
                guard let version = integer(value) else { throw .unprocessable("Field 'version' must be an integer") }
                if version > 0 { request.version = version }
            default:
                continue
            }
        }
        return request
    }

    private static func reference(_ value: JSONValue, index: Int) throws(RegistryError) -> SchemaReference {
        guard case .object(let object) = value,
            let name = object["name"]?.stringValue,
            let subject = object["subject"]?.stringValue,
            let versionValue = object["version"], let version = integer(versionValue)
        else {
            throw .unprocessable("references[\(index)] needs a string name, a string subject and an integer version")
        }
        return SchemaReference(name: name, subject: subject, version: version)
    }

    static func integer(_ value: JSONValue) -> Int? {
        guard let number = value.numberValue, number.isIntegral, let int = number.int64Value,
            int >= Int64(Int32.min), int <= Int64(Int32.max)
        else { return nil }
        return Int(int)
    }
}
