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
    /// `versions` are the subject's (soft-deleted included); `previous` is the latest live version's content.
    func resolvingContract(
        _ request: SchemaRequest, versions: [SubjectVersion], previous: SchemaContent?, config: EffectiveConfig
    ) -> SchemaRequest {
        let newVersion = (versions.map(\.version).max() ?? 0) + 1
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

extension Contract {
    static let domainModes: Set<String> = ["WRITE", "READ", "WRITEREAD"]
    static let migrationModes: Set<String> = ["UPGRADE", "DOWNGRADE", "UPDOWN"]
    static let nameMaxLength = 256

    /// Confluent's `RuleSet.validate` (42210 with its message): every rule named (a letter or `_`, then letters,
    /// digits, `_` or `-`; at most 256), no name twice in the set, a type, a mode its list allows (migration
    /// rules UPGRADE, DOWNGRADE or UPDOWN; domain and encoding rules WRITE, READ or WRITEREAD; none means
    /// WRITEREAD), and a pair of actions only for the two-way modes.
    static func validate(ruleSet text: String) throws(RegistryError) {
        guard let ruleSet = object(text) else { throw .invalidRuleSet("Field 'ruleSet' must be an object") }
        var names: Set<String> = []
        for (group, label, modes) in [
            ("migrationRules", "Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN", migrationModes),
            ("domainRules", "Domain rules can only be WRITE, READ, WRITEREAD", domainModes),
            ("encodingRules", "Encoding rules can only be WRITE, READ, WRITEREAD", domainModes),
        ] {
            guard let value = ruleSet[group], !value.isNull else { continue }
            guard let rules = value.arrayValue else { throw .invalidRuleSet("Field '\(group)' must be an array") }
            for item in rules {
                guard let rule = item.objectValue else { throw .invalidRuleSet("Every rule in '\(group)' must be an object") }
                let name = rule["name"]?.stringValue
                if let name, names.contains(name) { throw .invalidRuleSet("Found rule with duplicate name '\(name)'") }
                if let name { names.insert(name) }
                try validate(name: name)
                guard rule["type"]?.stringValue != nil else { throw .invalidRuleSet("Missing rule type") }
                let mode = rule["mode"]?.stringValue ?? "WRITEREAD"
                guard domainModes.contains(mode) || migrationModes.contains(mode) else {
                    throw .invalidRuleSet("Invalid rule mode '\(mode)'")
                }
                if let kind = rule["kind"]?.stringValue, kind != "CONDITION", kind != "TRANSFORM" {
                    throw .invalidRuleSet("Invalid rule kind '\(kind)'")
                }
                for action in ["onSuccess", "onFailure"] {
                    if let text = rule[action]?.stringValue, text.contains(","), mode != "WRITEREAD", mode != "UPDOWN" {
                        throw .invalidRuleSet("Multiple actions only valid with WRITEREAD and UPDOWN")
                    }
                }
                guard modes.contains(mode) else { throw .invalidRuleSet(label) }
            }
        }
    }

    private static func validate(name: String?) throws(RegistryError) {
        guard let name else { throw .invalidRuleSet("Missing rule name") }
        let units = Array(name.utf16)
        guard let first = name.first else { throw .invalidRuleSet("Empty rule name") }
        guard units.count <= nameMaxLength else { throw .invalidRuleSet("Rule name too long") }
        guard first.isLetter || first == "_" else { throw .invalidRuleSet("Illegal initial character in rule name: \(name)") }
        for character in name.dropFirst() where !(character.isLetter || character.isNumber || character == "_" || character == "-") {
            throw .invalidRuleSet("Illegal character in rule name: \(name)")
        }
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
