import JSONSupport
import ProtobufCompatibility
import SchemaCompatibility
import SchemaProviders

/// A subject's (or the global) configuration: Confluent's fields the core acts on, our Protobuf rule-set
/// extension, and every other field a client sent, kept and echoed as given.
public struct SubjectConfig: Sendable, Hashable {
    public var compatibilityLevel: CompatibilityLevel?
    public var normalize: Bool?
    /// Accord's extension: which Protobuf rules decide compatibility (`protobufRules` in JSON). Confluent
    /// clients ignore the field.
    public var protobufRules: ProtoRuleSet?
    /// Confluent's `compatibilityGroup`: only versions with the same value of this metadata property are compared.
    public var compatibilityGroup: String?
    /// Confluent's `compatibilityPolicy`: which JSON Schema changes are compatible (STRICT, LENIENT).
    public var compatibilityPolicy: CompatibilityPolicy?
    /// Other Confluent config fields (defaultMetadata, overrideRuleSet, validateFields, alias, …) as sent.
    public var other: JSONObject

    public init(
        compatibilityLevel: CompatibilityLevel? = nil,
        normalize: Bool? = nil,
        protobufRules: ProtoRuleSet? = nil,
        compatibilityGroup: String? = nil,
        compatibilityPolicy: CompatibilityPolicy? = nil,
        other: JSONObject = JSONObject()
    ) {
        self.compatibilityPolicy = compatibilityPolicy
        self.compatibilityLevel = compatibilityLevel
        self.normalize = normalize
        self.protobufRules = protobufRules
        self.compatibilityGroup = compatibilityGroup
        self.other = other
    }

    /// The JSON a GET answers (`compatibilityLevel`, as Confluent's GET does; PUT takes `compatibility`).
    public func responseJSON() -> JSONValue {
        var object = JSONObject()
        if let compatibilityLevel { object["compatibilityLevel"] = .string(compatibilityLevel.rawValue) }
        if let normalize { object["normalize"] = .bool(normalize) }
        if let compatibilityGroup { object["compatibilityGroup"] = .string(compatibilityGroup) }
        if let compatibilityPolicy { object["compatibilityPolicy"] = .string(compatibilityPolicy.rawValue) }
        if let protobufRules { object["protobufRules"] = .string(protobufRules.rawValue) }
        for member in other { object[member.key] = member.value }
        return .object(object)
    }

    /// The text the stores persist.
    public var storageText: String {
        responseJSON().serialized()
    }

    /// Reads what `storageText` wrote.
    public init?(storageText: String) {
        guard case .object(let object) = try? JSONParser.parse(storageText) else { return nil }
        self.init()
        for member in object {
            switch member.key {
            case "compatibilityLevel": compatibilityLevel = member.value.stringValue.flatMap(CompatibilityLevel.init(name:))
            case "normalize": normalize = member.value.boolValue
            case "compatibilityGroup": compatibilityGroup = member.value.stringValue
            case "compatibilityPolicy": compatibilityPolicy = member.value.stringValue.flatMap(CompatibilityPolicy.init(name:))
            case "protobufRules": protobufRules = member.value.stringValue.flatMap(ProtoRuleSet.init(rawValue:))
            default: other[member.key] = member.value
            }
        }
    }
}
