/// Naming rules protoc applies that more than one module needs.
public enum ProtoNames {
    /// protoc's default JSON name of a field: underscores removed, and an ASCII lowercase letter right after
    /// one upper-cased (`order_id` → `orderId`, `a__b` → `aB`).
    public static func defaultJSONName(_ name: String) -> String {
        var out = ""
        var capitalizeNext = false
        for c in name.unicodeScalars {
            if c == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                if c.value >= 0x61 && c.value <= 0x7A, let upper = Unicode.Scalar(c.value - 32) {
                    out.unicodeScalars.append(upper)
                } else {
                    out.unicodeScalars.append(c)
                }
                capitalizeNext = false
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
