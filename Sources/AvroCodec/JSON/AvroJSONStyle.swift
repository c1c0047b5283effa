import JSONSupport

/// Which JSON mapping of Avro data to read or write.
///
/// Both styles share these rules:
/// - `bytes` and `fixed` are JSON strings whose code points U+0000...U+00FF are the byte values.
/// - Enums are their symbol; records and maps are JSON objects (records in field order).
/// - `int` and `long` are exact JSON integers: a literal with a fraction or exponent (even `1.0`) or one out of
///   range is rejected. (Java's current `JsonDecoder` also takes `1.0`; we keep to integers.)
/// - `float` and `double` are JSON numbers. NaN and the infinities, which JSON cannot hold, are written as the
///   strings `"NaN"`, `"Infinity"` and `"-Infinity"`, as Java's `JsonEncoder` does (Jackson quotes non-numeric
///   numbers by default); reading also takes `"INF"` and `"-INF"` like Java's `JsonDecoder`. A finite literal
///   too large for the type (`1e999` for a double, `1e39` for a float) is rejected rather than made infinite.
/// - Reading a record takes its members in any order and accepts a field's aliases as keys (as Java does);
///   unknown keys and a field given twice are errors.
public enum AvroJSONStyle: String, Sendable {
    /// The specification's JSON encoding, interchangeable with Java's `JsonEncoder`/`JsonDecoder`.
    ///
    /// A non-null union value is wrapped as `{"<branch>": value}` where the branch is named by its type name
    /// (`"int"`, `"array"`, `"map"`…) or, for a record, enum or fixed, by its full name. As in Java, a short
    /// name is not accepted for a namespaced type. `null` is written bare; reading also takes `{"null": null}`
    /// as Java does. Logical types use their underlying encoding (a decimal is a bytes string). Every record
    /// field must be present: like Java's `JsonDecoder`, a missing field is an error even when it has a default.
    case avro
    /// JSON for people.
    ///
    /// Union values are written unwrapped. When reading a union, `null` picks the `"null"` branch; any other
    /// value takes the first branch, in schema order, that accepts it (for objects this means the first record
    /// or map branch the object validates against). An object of one member naming a branch, such as
    /// `{"long": 5}`, is also read as that branch when no record or map branch accepts the object as it is.
    ///
    /// Logical types: a `decimal` is an exact JSON number with exactly `scale` fraction digits (`12.34`), and is
    /// read back exactly (more fraction digits than the scale, or more digits than the precision, are errors;
    /// trailing zeros are fine). A `uuid` on `fixed` is its `8-4-4-4-12` hex text; on `string` it is the string
    /// itself, not checked. Dates, times and timestamps stay their numbers (days, milliseconds…), since any
    /// rendering would need a time zone convention; `duration` and `big-decimal` keep their bytes form.
    ///
    /// A record field missing from the object takes the field's schema default if it has one.
    case plain
}

extension AvroSchema {
    /// Converts `value`, shaped by this schema, to JSON in `style`.
    ///
    /// - Throws: `.invalidValue` with a JSON pointer into the output when the value does not fit the schema
    ///   (wrong case, enum index out of range, wrong fixed size, a decimal with more digits than its precision),
    ///   `.limitExceeded` when it nests more deeply than `AvroLimits.default.maxDepth`.
    public func json(from value: AvroValue, style: AvroJSONStyle) throws(AvroError) -> JSONValue {
        var encoder = AvroJSONEncoder(schema: self, style: style, limits: .default)
        return try encoder.encode(value, root, depth: 0)
    }

    /// Converts JSON in `style` to a value shaped by this schema, checking every value against it.
    ///
    /// - Throws: `.invalidValue` (or `.limitExceeded`) with the JSON pointer of the offending part of `json`.
    public func value(fromJSON json: JSONValue, style: AvroJSONStyle) throws(AvroError) -> AvroValue {
        var decoder = AvroJSONDecoder(schema: self, mode: style == .avro ? .avro : .plain, limits: .default)
        return try decoder.decode(json, root, depth: 0)
    }

    /// Converts a field default, as written in the schema, to a value of node `type`.
    ///
    /// Defaults follow the specification's table: the JSON encoding without union wrapping, where a union's
    /// default belongs to the first branch that accepts it (Java 1.12 accepts any branch). Integers must be
    /// integral literals; `float`/`double` take numbers and the strings Java parses (`"NaN"`, `"-Infinity"`);
    /// logical types use their underlying form. A record default may leave out fields that have defaults of
    /// their own and, like Java, may carry members that are not fields (they are ignored).
    ///
    /// - Throws: `.invalidValue` with a JSON pointer into `json`.
    public func value(fromDefault json: JSONValue, type: NodeID) throws(AvroError) -> AvroValue {
        guard nodes.indices.contains(type) else {
            throw AvroError(.invalidValue, "node \(type) is not in this schema")
        }
        var decoder = AvroJSONDecoder(schema: self, mode: .defaultValue, limits: .default)
        return try decoder.decode(json, type, depth: 0)
    }
}
