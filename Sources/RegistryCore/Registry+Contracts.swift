import JSONSupport

/// A config's data-contract settings: metadata and rules every new version of a subject starts from
/// (`default…`) or ends with (`override…`).
struct ContractDefaults: Sendable, Hashable {
    var defaultMetadata: JSONObject?
    var overrideMetadata: JSONObject?
    var defaultRuleSet: JSONObject?
    var overrideRuleSet: JSONObject?
}

extension Registry {
    /// Confluent's metadata and rule-set resolution for a new version (outside IMPORT mode): the request's own
    /// metadata, or else the latest live version's, laid over the config's `defaultMetadata` and under its
    /// `overrideMetadata`; the same for the rule set. `confluent:version` is set to the new version when the
    /// request pins a version or the merged metadata already carries one. What nothing changed keeps its text.
    func resolvingContract(_ request: SchemaRequest, subject: String, config: EffectiveConfig) async throws -> SchemaRequest {
        let rows = try await store.versions(subject: subject)
        let newVersion = (rows.map(\.version).max() ?? 0) + 1
        var previous: SchemaContent?
        if request.metadata == nil || request.ruleSet == nil, let latest = rows.last(where: { !$0.deleted }) {
            previous = try await storedSchema(id: latest.schemaID).content
        }
        let defaults = config.contractDefaults
        var resolved = request

        let specificMetadata = request.metadata ?? previous?.metadata
        var metadata = Contract.merge(
            Contract.merge(defaults.defaultMetadata, Contract.object(specificMetadata), by: Contract.mergeMetadata),
            defaults.overrideMetadata, by: Contract.mergeMetadata)
        var metadataChanged = defaults.defaultMetadata != nil || defaults.overrideMetadata != nil
        var properties = metadata?["properties"]?.objectValue ?? JSONObject()
        if request.version != nil || properties[Contract.versionProperty] != nil {
            properties[Contract.versionProperty] = .string(String(newVersion))
            var merged = metadata ?? JSONObject()
            merged["properties"] = .object(properties)
            metadata = merged
            metadataChanged = true
        }
        resolved.metadata = metadataChanged ? metadata.map(Contract.metadataText) : specificMetadata

        let specificRuleSet = request.ruleSet ?? previous?.ruleSet
        let ruleSet = Contract.merge(
            Contract.merge(defaults.defaultRuleSet, Contract.object(specificRuleSet), by: Contract.mergeRuleSets),
            defaults.overrideRuleSet, by: Contract.mergeRuleSets)
        let rulesChanged = defaults.defaultRuleSet != nil || defaults.overrideRuleSet != nil
        resolved.ruleSet = rulesChanged ? ruleSet.map(Contract.ruleSetText) : specificRuleSet
        return resolved
    }
}

/// Confluent's merges of metadata and rule sets (`Metadata.mergeMetadata`, `RuleSet.mergeRuleSets`), on JSON.
enum Contract {
    static let versionProperty = "confluent:version"

    static func object(_ text: String?) -> JSONObject? {
        text.flatMap { try? JSONParser.parse($0) }?.objectValue
    }

    /// nil on either side gives the other; otherwise `combine`.
    static func merge(_ old: JSONObject?, _ new: JSONObject?, by combine: (JSONObject, JSONObject) -> JSONObject) -> JSONObject? {
        guard let old else { return new }
        guard let new else { return old }
        return combine(old, new)
    }

    /// Tags and properties: the new entries replace the old ones of the same key; sensitive: the union.
    static func mergeMetadata(_ old: JSONObject, _ new: JSONObject) -> JSONObject {
        var merged = JSONObject()
        for key in ["tags", "properties"] {
            let oldMap = old[key]?.objectValue ?? JSONObject()
            let newMap = new[key]?.objectValue ?? JSONObject()
            var map = oldMap
            for member in newMap { map[member.key] = member.value }
            if !map.members.isEmpty { merged[key] = .object(map) }
        }
        let sensitive = strings(old["sensitive"]) + strings(new["sensitive"])
        if !sensitive.isEmpty { merged["sensitive"] = .array(sortedSet(sensitive).map { .string($0) }) }
        return merged
    }

    /// Each list of rules: the old rules not named in the new list, then the new ones; `enableAt` from the new
    /// set when it has one.
    static func mergeRuleSets(_ old: JSONObject, _ new: JSONObject) -> JSONObject {
        var merged = JSONObject()
        for key in ["migrationRules", "domainRules", "encodingRules"] {
            let oldRules = old[key]?.arrayValue ?? []
            let newRules = new[key]?.arrayValue ?? []
            let names = Set(newRules.compactMap { $0.objectValue?["name"]?.stringValue })
            let rules =
                newRules.isEmpty
                ? oldRules
                : oldRules.filter { !names.contains($0.objectValue?["name"]?.stringValue ?? "") } + newRules
            if !rules.isEmpty { merged[key] = .array(rules) }
        }
        if let enableAt = new["enableAt"] ?? old["enableAt"] { merged["enableAt"] = enableAt }
        return merged
    }

    /// Metadata as Confluent writes it: tags, properties and sensitive, each sorted, empty ones left out.
    static func metadataText(_ metadata: JSONObject) -> String {
        var out = JSONObject()
        if let tags = metadata["tags"]?.objectValue, !tags.members.isEmpty {
            out["tags"] = .object(sorted(tags) { .array(sortedSet(strings($0)).map { .string($0) }) })
        }
        if let properties = metadata["properties"]?.objectValue, !properties.members.isEmpty {
            out["properties"] = .object(sorted(properties) { $0 })
        }
        if let sensitive = metadata["sensitive"], !strings(sensitive).isEmpty {
            out["sensitive"] = .array(sortedSet(strings(sensitive)).map { .string($0) })
        }
        return JSONValue.object(out).serialized()
    }

    static func ruleSetText(_ ruleSet: JSONObject) -> String {
        JSONValue.object(ruleSet).serialized()
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Java's TreeSet order: UTF-16 code units, no duplicates.
    private static func sortedSet(_ values: [String]) -> [String] {
        Set(values).sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    private static func sorted(_ object: JSONObject, _ transform: (JSONValue) -> JSONValue) -> JSONObject {
        JSONObject(
            object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
                .map { JSONMember($0.key, transform($0.value)) })
    }
}
