import JSONSupport

extension AvroSchema {
    /// The Parsing Canonical Form of the specification: full names, only the attributes that affect
    /// parsing (`name`, `type`, `fields`, `symbols`, `items`, `values`, `size`) in that order, no whitespace.
    /// Each named type is written in full at its first occurrence in depth-first order and by full name after.
    ///
    /// As in Java's `SchemaNormalization.toParsingForm`, a type in the null namespace nested inside a namespaced
    /// record is written by its bare name, so parsing the canonical form again would put it in the record's
    /// namespace; the form is for fingerprints, not for round trips (use `normalizedForm` for that).
    public var canonicalForm: String {
        var out: [UInt8] = []
        var written = Set<NodeID>()
        writeCanonical(root, into: &out, written: &written)
        return String(decoding: out, as: UTF8.self)
    }

    private func writeCanonical(_ id: NodeID, into out: inout [UInt8], written: inout Set<NodeID>) {
        let node = self[id]
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func quoted(_ s: String) { JSONValue.writeString(s, into: &out) }
        if let name = node.name {
            if !written.insert(id).inserted {
                quoted(name.fullName)
                return
            }
            raw("{\"name\":")
            quoted(name.fullName)
        }
        switch node.kind {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            quoted(node.typeName)
        case .array(let items):
            raw("{\"type\":\"array\",\"items\":")
            writeCanonical(items, into: &out, written: &written)
            raw("}")
        case .map(let values):
            raw("{\"type\":\"map\",\"values\":")
            writeCanonical(values, into: &out, written: &written)
            raw("}")
        case .union(let branches):
            raw("[")
            for (i, branch) in branches.enumerated() {
                if i > 0 { raw(",") }
                writeCanonical(branch, into: &out, written: &written)
            }
            raw("]")
        case .record(let record):
            raw(",\"type\":\"record\",\"fields\":[")
            for (i, field) in record.fields.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"name\":")
                quoted(field.name)
                raw(",\"type\":")
                writeCanonical(field.type, into: &out, written: &written)
                raw("}")
            }
            raw("]}")
        case .enumeration(let e):
            raw(",\"type\":\"enum\",\"symbols\":[")
            for (i, symbol) in e.symbols.enumerated() {
                if i > 0 { raw(",") }
                quoted(symbol)
            }
            raw("]}")
        case .fixed(let fixed):
            raw(",\"type\":\"fixed\",\"size\":\(fixed.size)}")
        }
    }
}
