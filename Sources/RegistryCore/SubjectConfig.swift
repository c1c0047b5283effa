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

    /// The text the stores persist: a JSON object of the fields set, by their Confluent names.
    public var storageText: String {
        var object = JSONObject()
        if let compatibilityLevel { object["compatibilityLevel"] = .string(compatibilityLevel.rawValue) }
        if let normalize { object["normalize"] = .bool(normalize) }
        if let compatibilityGroup { object["compatibilityGroup"] = .string(compatibilityGroup) }
        if let compatibilityPolicy { object["compatibilityPolicy"] = .string(compatibilityPolicy.rawValue) }
        if let protobufRules { object["protobufRules"] = .string(protobufRules.rawValue) }
        for member in other { object[member.key] = member.value }
        return JSONValue.object(object).serialized()
    }

    /// This config with the fields it leaves unset taken from `fallback` (a subject's over its context's).
    func filling(from fallback: SubjectConfig) -> SubjectConfig {
        var merged = self
        merged.compatibilityLevel = compatibilityLevel ?? fallback.compatibilityLevel
        merged.normalize = normalize ?? fallback.normalize
        merged.protobufRules = protobufRules ?? fallback.protobufRules
        merged.compatibilityGroup = compatibilityGroup ?? fallback.compatibilityGroup
        merged.compatibilityPolicy = compatibilityPolicy ?? fallback.compatibilityPolicy
        for member in fallback.other where merged.other[member.key] == nil { merged.other[member.key] = member.value }
        return merged
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

/// A change to a config (PUT /config): each field given replaces the stored one or, as `.remove`, removes it;
/// fields not given stay as they are.
public struct ConfigUpdate: Sendable {
    public enum Change<Value: Sendable>: Sendable {
        case set(Value)
        case remove

        var value: Value? {
            if case .set(let value) = self { return value }
            return nil
        }
    }

    public var compatibilityLevel: Change<CompatibilityLevel>?
    public var normalize: Change<Bool>?
    public var protobufRules: Change<ProtoRuleSet>?
    public var compatibilityGroup: Change<String>?
    public var compatibilityPolicy: Change<CompatibilityPolicy>?
    /// Other fields (defaultMetadata, overrideRuleSet, validateFields, alias, …), in the order given.
    public var other: [(key: String, change: Change<JSONValue>)]

    public init(
        compatibilityLevel: Change<CompatibilityLevel>? = nil, normalize: Change<Bool>? = nil,
        protobufRules: Change<ProtoRuleSet>? = nil, compatibilityGroup: Change<String>? = nil,
        compatibilityPolicy: Change<CompatibilityPolicy>? = nil, other: [(key: String, change: Change<JSONValue>)] = []
    ) {
        self.compatibilityLevel = compatibilityLevel
        self.normalize = normalize
        self.protobufRules = protobufRules
        self.compatibilityGroup = compatibilityGroup
        self.compatibilityPolicy = compatibilityPolicy
        self.other = other
    }

    /// `config` with the change made.
    public func applied(to config: SubjectConfig) -> SubjectConfig {
        var config = config
        if let compatibilityLevel { config.compatibilityLevel = compatibilityLevel.value }
        if let normalize { config.normalize = normalize.value }
        if let protobufRules { config.protobufRules = protobufRules.value }
        if let compatibilityGroup { config.compatibilityGroup = compatibilityGroup.value }
        if let compatibilityPolicy { config.compatibilityPolicy = compatibilityPolicy.value }
        for (key, change) in other { config.other[key] = change.value }
        return config
    }
}
