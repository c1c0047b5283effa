import Crypto
import JSONSupport
import SchemaProviders

/// Content-derived guids, printed as UUIDs.
///
/// `confluentGUID` is the one clients see: the MD5 Confluent Schema Registry computes over a schema (its text,
/// then each reference's name, subject and version, then a marker byte and the metadata, then a marker byte and
/// the rule set, maps and sets in sorted order), so the same schema has the same guid on both registries and a
/// frame that carries it (Confluent's V1 wire format) resolves on either. Confluent's digest leaves out the
/// schema type; on the rare text that is valid in two formats the second type stored takes `typedGUID`, which
/// earlier Accord versions gave every schema (a stored guid never changes: messages may carry it).
enum ContentDigest {
    static func confluentGUID(of content: SchemaContent) -> String {
        var md5 = Insecure.MD5()
        func add(_ text: String) { md5.update(data: Array(text.utf8)) }
        func marker() { md5.update(data: [1]) }
        add(content.schema)
        for reference in content.references {
            add(reference.name)
            add(reference.subject)
            var version = Int32(truncatingIfNeeded: reference.version).bigEndian
            withUnsafeBytes(of: &version) { md5.update(bufferPointer: $0) }
        }
        if let metadata = content.metadata {
            marker()
            let object = Self.object(metadata)
            for (key, values) in sorted(object["tags"]?.objectValue) {
                add(key)
                for value in sortedSet(values.arrayValue) { add(value) }
            }
            for (key, value) in sorted(object["properties"]?.objectValue) {
                add(key)
                add(value.stringValue ?? "")
            }
            for value in sortedSet(object["sensitive"]?.arrayValue) { add(value) }
        }
        if let ruleSet = content.ruleSet {
            marker()
            let object = Self.object(ruleSet)
            for group in ["migrationRules", "domainRules", "encodingRules"] {
                for rule in object[group]?.arrayValue ?? [] {
                    let rule = rule.objectValue ?? JSONObject()
                    for field in ["name", "doc"] { if let text = rule[field]?.stringValue { add(text) } }
                    // Confluent fills in the defaults of kind and mode before hashing.
                    add(rule["kind"]?.stringValue ?? "TRANSFORM")
                    add(rule["mode"]?.stringValue ?? "WRITEREAD")
                    if let type = rule["type"]?.stringValue { add(type) }
                    for tag in sortedSet(rule["tags"]?.arrayValue) { add(tag) }
                    for (key, value) in sorted(rule["params"]?.objectValue) {
                        add(key)
                        add(value.stringValue ?? "")
                    }
                    for field in ["expr", "onSuccess", "onFailure"] { if let text = rule[field]?.stringValue { add(text) } }
                    if rule["disabled"]?.boolValue == true { marker() }
                }
            }
            if let enableAt = object["enableAt"]?.stringValue { add(enableAt) }
        }
        return uuidString(Array(md5.finalize()))
    }

    /// The guid earlier Accord versions stored: MD5 over the type, text, references, metadata and rule set, each
    /// framed by its length.
    static func typedGUID(of content: SchemaContent) -> String {
        var md5 = Insecure.MD5()
        func field(_ text: String) {
            var length = UInt32(truncatingIfNeeded: text.utf8.count).bigEndian
            withUnsafeBytes(of: &length) { md5.update(bufferPointer: $0) }
            md5.update(data: Array(text.utf8))
        }
        field(content.schemaType.rawValue)
        field(content.schema)
        for reference in content.references {
            field(reference.name)
            field(reference.subject)
            field(String(reference.version))
        }
        field(content.metadata ?? "")
        field(content.ruleSet ?? "")
        return uuidString(Array(md5.finalize()))
    }

    static func uuidString(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The stored metadata or rule set JSON (the core validated it on the way in).
    private static func object(_ text: String) -> JSONObject {
        (try? JSONParser.parse(text))?.objectValue ?? JSONObject()
    }

    /// Java's `TreeMap` order: keys compared as UTF-16 code units; a repeated key keeps its last value.
    private static func sorted(_ object: JSONObject?) -> [(String, JSONValue)] {
        var byKey: [String: JSONValue] = [:]
        for member in object ?? JSONObject() { byKey[member.key] = member.value }
        return byKey.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }.map { ($0.key, $0.value) }
    }

    /// Java's `TreeSet<String>` of the array's strings: sorted by UTF-16 code units, duplicates dropped.
    private static func sortedSet(_ values: [JSONValue]?) -> [String] {
        Set((values ?? []).compactMap(\.stringValue)).sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }
}
