/// The kinds of difference, their verdicts under each policy, and the words used to explain them.
enum DifferenceKinds {
    /// Every kind Confluent defines (`Difference.Type`), in its order.
    static let all: [String] = [
        "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED",
        "SCHEMA_ADDED", "SCHEMA_REMOVED", "TYPE_EXTENDED", "TYPE_NARROWED", "TYPE_CHANGED",
        "MAX_LENGTH_ADDED", "MAX_LENGTH_REMOVED", "MAX_LENGTH_INCREASED", "MAX_LENGTH_DECREASED",
        "MIN_LENGTH_ADDED", "MIN_LENGTH_REMOVED", "MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED",
        "PATTERN_ADDED", "PATTERN_REMOVED", "PATTERN_CHANGED",
        "MAXIMUM_ADDED", "MAXIMUM_REMOVED", "MAXIMUM_INCREASED", "MAXIMUM_DECREASED",
        "MINIMUM_ADDED", "MINIMUM_REMOVED", "MINIMUM_INCREASED", "MINIMUM_DECREASED",
        "EXCLUSIVE_MAXIMUM_ADDED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_INCREASED",
        "EXCLUSIVE_MAXIMUM_DECREASED", "EXCLUSIVE_MINIMUM_ADDED", "EXCLUSIVE_MINIMUM_REMOVED",
        "EXCLUSIVE_MINIMUM_INCREASED", "EXCLUSIVE_MINIMUM_DECREASED",
        "MULTIPLE_OF_ADDED", "MULTIPLE_OF_REMOVED", "MULTIPLE_OF_EXPANDED", "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_CHANGED",
        "REQUIRED_ATTRIBUTE_ADDED", "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "REQUIRED_ATTRIBUTE_REMOVED",
        "MAX_PROPERTIES_ADDED", "MAX_PROPERTIES_REMOVED", "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_DECREASED",
        "MIN_PROPERTIES_ADDED", "MIN_PROPERTIES_REMOVED", "MIN_PROPERTIES_INCREASED", "MIN_PROPERTIES_DECREASED",
        "ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_EXTENDED",
        "ADDITIONAL_PROPERTIES_NARROWED",
        "DEPENDENCY_ARRAY_ADDED", "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_ARRAY_EXTENDED", "DEPENDENCY_ARRAY_NARROWED",
        "DEPENDENCY_ARRAY_CHANGED", "DEPENDENCY_SCHEMA_ADDED", "DEPENDENCY_SCHEMA_REMOVED",
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "RESERVED_PROPERTY_REMOVED", "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
        "UNEVALUATED_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_REMOVED", "UNEVALUATED_PROPERTIES_EXTENDED",
        "UNEVALUATED_PROPERTIES_NARROWED",
        "MAX_ITEMS_ADDED", "MAX_ITEMS_REMOVED", "MAX_ITEMS_INCREASED", "MAX_ITEMS_DECREASED",
        "MIN_ITEMS_ADDED", "MIN_ITEMS_REMOVED", "MIN_ITEMS_INCREASED", "MIN_ITEMS_DECREASED",
        "MAX_CONTAINS_ADDED", "MAX_CONTAINS_REMOVED", "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_DECREASED",
        "MIN_CONTAINS_ADDED", "MIN_CONTAINS_REMOVED", "MIN_CONTAINS_INCREASED", "MIN_CONTAINS_DECREASED",
        "UNIQUE_ITEMS_ADDED", "UNIQUE_ITEMS_REMOVED",
        "ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_REMOVED", "ADDITIONAL_ITEMS_EXTENDED", "ADDITIONAL_ITEMS_NARROWED",
        "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_REMOVED", "UNEVALUATED_ITEMS_EXTENDED",
        "UNEVALUATED_ITEMS_NARROWED",
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ENUM_ARRAY_EXTENDED", "ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED",
        "COMBINED_TYPE_EXTENDED", "COMBINED_TYPE_CHANGED", "PRODUCT_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED",
        "SUM_TYPE_EXTENDED", "SUM_TYPE_NARROWED", "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "NOT_TYPE_EXTENDED", "NOT_TYPE_NARROWED",
    ]

    /// The kinds Confluent's STRICT policy accepts.
    static let compatibleStrict: Set<String> = [
        "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED", "SCHEMA_REMOVED", "TYPE_EXTENDED",
        "MAX_LENGTH_INCREASED", "MAX_LENGTH_REMOVED", "MIN_LENGTH_DECREASED", "MIN_LENGTH_REMOVED", "PATTERN_REMOVED",
        "MAXIMUM_INCREASED", "MAXIMUM_REMOVED", "MINIMUM_DECREASED", "MINIMUM_REMOVED",
        "EXCLUSIVE_MAXIMUM_INCREASED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MINIMUM_DECREASED",
        "EXCLUSIVE_MINIMUM_REMOVED", "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_REMOVED",
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "REQUIRED_ATTRIBUTE_REMOVED", "DEPENDENCY_ARRAY_NARROWED",
        "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_SCHEMA_REMOVED", "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_REMOVED",
        "MIN_PROPERTIES_DECREASED", "MIN_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_ADDED",
        "ADDITIONAL_PROPERTIES_EXTENDED", "UNEVALUATED_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_EXTENDED",
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "MAX_ITEMS_INCREASED", "MAX_ITEMS_REMOVED", "MIN_ITEMS_DECREASED", "MIN_ITEMS_REMOVED",
        "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_REMOVED", "MIN_CONTAINS_DECREASED", "MIN_CONTAINS_REMOVED",
        "UNIQUE_ITEMS_REMOVED", "ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_EXTENDED", "UNEVALUATED_ITEMS_ADDED",
        "UNEVALUATED_ITEMS_EXTENDED", "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ENUM_ARRAY_EXTENDED", "COMBINED_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED", "SUM_TYPE_EXTENDED",
        "NOT_TYPE_NARROWED",
    ]

    /// The kinds Confluent's LENIENT policy accepts: STRICT's plus the robustness-principle ones.
    static let compatibleLenient: Set<String> = compatibleStrict.union([
        "ADDITIONAL_PROPERTIES_NARROWED", "ADDITIONAL_PROPERTIES_REMOVED", "UNEVALUATED_PROPERTIES_NARROWED",
        "UNEVALUATED_PROPERTIES_REMOVED", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    ])

    static func compatible(_ policy: JSONCompatibilityPolicy) -> Set<String> {
        switch policy {
        case .strict: compatibleStrict
        case .lenient: compatibleLenient
        }
    }

    /// A sentence about a difference of `kind` at `path` (original = the schema before, update = after).
    static func message(_ kind: String, _ path: String) -> String {
        let at = "'\(path)'"
        switch kind {
        case "ID_CHANGED": return "The $id at \(at) differs between the original and the updated schema."
        case "DESCRIPTION_CHANGED": return "The description at \(at) changed."
        case "TITLE_CHANGED": return "The title at \(at) changed."
        case "DEFAULT_CHANGED": return "The default value at \(at) changed."
        case "SCHEMA_ADDED": return "The updated schema has a subschema at \(at) that the original schema lacks."
        case "SCHEMA_REMOVED": return "The updated schema no longer has the subschema at \(at)."
        case "TYPE_EXTENDED": return "The type at \(at) accepts more values in the updated schema (integer became number)."
        case "TYPE_NARROWED": return "The type at \(at) accepts fewer values in the updated schema (number became integer)."
        case "TYPE_CHANGED": return "The type at \(at) differs between the original and the updated schema."
        case "ENUM_ARRAY_EXTENDED": return "The enum at \(at) has more values in the updated schema."
        case "ENUM_ARRAY_NARROWED": return "The enum at \(at) has fewer values in the updated schema."
        case "ENUM_ARRAY_CHANGED": return "The allowed values at \(at) differ between the original and the updated schema."
        case "COMBINED_TYPE_EXTENDED":
            return "The combination at \(at) changed to one that accepts more values (e.g. to anyOf)."
        case "COMBINED_TYPE_CHANGED": return "The combination keyword at \(at) (allOf/anyOf/oneOf) changed."
        case "PRODUCT_TYPE_EXTENDED": return "The allOf at \(at) has more subschemas in the updated schema."
        case "PRODUCT_TYPE_NARROWED": return "The allOf at \(at) has fewer subschemas in the updated schema."
        case "SUM_TYPE_EXTENDED": return "The oneOf/anyOf at \(at) has more alternatives in the updated schema."
        case "SUM_TYPE_NARROWED": return "The oneOf/anyOf at \(at) has fewer alternatives in the updated schema."
        case "COMBINED_TYPE_SUBSCHEMAS_CHANGED":
            return "The subschemas of the combination at \(at) cannot all be paired with compatible subschemas in the "
                + "updated schema."
        case "NOT_TYPE_EXTENDED": return "The 'not' at \(at) excludes more values in the updated schema."
        case "NOT_TYPE_NARROWED": return "The 'not' at \(at) excludes fewer values in the updated schema."
        case "REQUIRED_ATTRIBUTE_ADDED": return "The property at \(at) became required without a default."
        case "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": return "The property at \(at) became required and has a default."
        case "REQUIRED_ATTRIBUTE_REMOVED": return "The property at \(at) is no longer required."
        case "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The required property at \(at) was added to an object whose original content model is open, "
                + "so old data may hold that name with any value or lack it."
        case "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The required property at \(at), with a default, was added to an object whose original content "
                + "model is open, so old data may hold that name with any value."
        case "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The optional property at \(at) was added to an object whose original content model is open, so "
                + "old data may hold that name with a value the new property rejects."
        case "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The property at \(at), which accepts anything, was added to an open content model."
        case "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
            return "The required property at \(at) was added without a default; data written with the original "
                + "schema never has it."
        case "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL":
            return "The required property at \(at), with a default, was added to a closed or partially open model."
        case "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
            return "The optional property at \(at) was added to a closed or partially open model."
        case "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL":
            return "The property at \(at) was removed; the updated object is open, so it still accepts it."
        case "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "The property at \(at), which allowed nothing, was removed from a closed model."
        case "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "The property at \(at) was removed and the updated object is closed, so data that has it is "
                + "rejected."
        case "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The property at \(at) was removed; the updated schema's patternProperties or "
                + "additionalProperties still accept its values."
        case "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The property at \(at) was removed and the updated schema's patternProperties or "
                + "additionalProperties do not accept all its values."
        case "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The property at \(at) was added and accepts every value the original schema's "
                + "patternProperties or additionalProperties allowed under that name."
        case "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The property at \(at) was added but rejects values the original schema's patternProperties "
                + "or additionalProperties allowed under that name."
        case "RESERVED_PROPERTY_REMOVED": return "A reserved property at \(at) was removed from the metadata."
        case "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY": return "The property at \(at) conflicts with a reserved one."
        case "ITEM_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was added to an array whose original content model is open, so old "
                + "data may have any value there."
        case "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at), which accepts anything, was added to an open array."
        case "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL": return "The tuple item at \(at) was added to a closed array."
        case "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was removed; the updated array is open, so it still accepts it."
        case "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "The tuple item at \(at), which allowed nothing, was removed from a closed array."
        case "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "The tuple item at \(at) was removed and the updated array is closed, so data that has it is "
                + "rejected."
        case "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was removed; the updated schema's additional or unevaluated items "
                + "still accept its values."
        case "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was removed and the updated schema's additional or unevaluated items "
                + "do not accept all its values."
        case "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was added and accepts every value the original additional or "
                + "unevaluated items allowed."
        case "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "The tuple item at \(at) was added but rejects values the original additional or unevaluated "
                + "items allowed."
        default: break
        }
        if kind.hasSuffix("_ADDED") {
            return "The keyword at \(at) is in the updated schema but not in the original."
        } else if kind.hasSuffix("_REMOVED") {
            return "The keyword at \(at) is in the original schema but not in the updated one."
        } else if kind.hasSuffix("_INCREASED") || kind.hasSuffix("_EXPANDED") {
            return "The value at \(at) is larger in the updated schema."
        } else if kind.hasSuffix("_DECREASED") || kind.hasSuffix("_REDUCED") {
            return "The value at \(at) is smaller in the updated schema."
        } else if kind.hasSuffix("_EXTENDED") {
            return "The keyword at \(at) accepts more in the updated schema."
        } else if kind.hasSuffix("_NARROWED") {
            return "The keyword at \(at) accepts less in the updated schema."
        }
        return "The value at \(at) differs between the original and the updated schema."
    }

    /// How to make an incompatible change compatible, where one way is known.
    static func hint(_ kind: String) -> String? {
        switch kind {
        case "TYPE_CHANGED":
            return "Keep the type; to accept a new type as well, use a oneOf/anyOf that keeps the old type as a branch."
        case "TYPE_NARROWED": return "Keep 'number'; 'integer' rejects fractional values old data may hold."
        case "SCHEMA_ADDED": return "Do not add a keyword that restricts values old data may hold."
        case "REQUIRED_ATTRIBUTE_ADDED", "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
            return "Give the property a \"default\", or leave it optional."
        case "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
            "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL":
            return "Close the original content model (\"additionalProperties\": false) before adding properties, "
                + "make the model partially open with patternProperties or an additionalProperties schema that "
                + "covers the new property, or use the LENIENT policy."
        case "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "Keep the property, replace it with \"false\" first, open the model, or use the LENIENT policy."
        case "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "Make the property's schema and the covering patternProperties/additionalProperties schema "
                + "compatible, or use the LENIENT policy."
        case "ITEM_ADDED_TO_OPEN_CONTENT_MODEL":
            return "Close the array first (\"additionalItems\": false), or give the new item an empty schema."
        case "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            return "Keep the tuple item, or allow additional items that cover it."
        case "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            return "Make the tuple item's schema and the additionalItems schema compatible."
        case "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_NARROWED", "UNEVALUATED_PROPERTIES_REMOVED",
            "UNEVALUATED_PROPERTIES_NARROWED":
            return "Keep accepting the properties old data may hold, or use the LENIENT policy."
        case "ADDITIONAL_ITEMS_REMOVED", "ADDITIONAL_ITEMS_NARROWED", "UNEVALUATED_ITEMS_REMOVED",
            "UNEVALUATED_ITEMS_NARROWED":
            return "Keep accepting the additional items old data may hold."
        case "ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED": return "Keep every value of the original enum or const."
        case "COMBINED_TYPE_CHANGED": return "Keep the combination keyword, or change it to anyOf."
        case "COMBINED_TYPE_SUBSCHEMAS_CHANGED":
            return "Keep a compatible counterpart in the updated schema for every original subschema."
        case "SUM_TYPE_NARROWED": return "Keep every alternative of the original oneOf/anyOf."
        case "PRODUCT_TYPE_EXTENDED": return "Do not add constraints to an allOf."
        case "NOT_TYPE_EXTENDED": return "Do not make a 'not' exclude values it accepted before."
        case "PATTERN_ADDED", "PATTERN_CHANGED": return "Do not add or change a pattern old data may not match."
        case "MULTIPLE_OF_ADDED", "MULTIPLE_OF_EXPANDED", "MULTIPLE_OF_CHANGED":
            return "Use a multipleOf that divides the original one, or remove it."
        case "UNIQUE_ITEMS_ADDED": return "Do not require unique items; old data may repeat items."
        case "DEPENDENCY_ARRAY_ADDED", "DEPENDENCY_ARRAY_EXTENDED", "DEPENDENCY_ARRAY_CHANGED",
            "DEPENDENCY_SCHEMA_ADDED":
            return "Do not add dependencies old data may not satisfy."
        default:
            break
        }
        if kind.hasSuffix("_ADDED") { return "Do not add a limit old data may exceed." }
        if kind.hasSuffix("_DECREASED") && (kind.hasPrefix("MAX") || kind.hasPrefix("EXCLUSIVE_MAX")) {
            return "Keep the maximum at least as large as before."
        }
        if kind.hasSuffix("_INCREASED") && (kind.hasPrefix("MIN") || kind.hasPrefix("EXCLUSIVE_MIN")) {
            return "Keep the minimum at most as large as before."
        }
        return nil
    }
}
