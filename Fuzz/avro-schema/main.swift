// The Avro schema parser on any text: a schema or an AvroError. A schema it accepts must have a normalized form
// that parses to the same schema (same normalized and canonical forms, as documented on `normalizedForm`).
// The Parsing Canonical Form is only required to be stable once it parses: the specification's form drops
// `"namespace": ""`, so a null-namespace type nested in a namespaced one reads back in that namespace.
import AvroCodec

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let schema = try? AvroSchema(parsing: text) else { return 0 }
    let canonical = schema.canonicalForm
    _ = schema.fingerprint(.rabin)
    let normalized = schema.normalizedForm
    do {
        let again = try AvroSchema(parsing: normalized)
        guard again.normalizedForm == normalized else {
            fatalError("normalized form is not a fixed point:\n\(normalized)\n\(again.normalizedForm)")
        }
        guard again.canonicalForm == canonical else {
            fatalError("normalized form changes the canonical form:\n\(canonical)\n\(again.canonicalForm)")
        }
    } catch {
        fatalError("the normalized form of an accepted schema does not parse: \(error)\n\(normalized)")
    }
    if let fromCanonical = try? AvroSchema(parsing: canonical),
        let stable = try? AvroSchema(parsing: fromCanonical.canonicalForm),
        stable.canonicalForm != fromCanonical.canonicalForm
    {
        fatalError("canonical form is not stable:\n\(fromCanonical.canonicalForm)\n\(stable.canonicalForm)")
    }
    return 0
}
