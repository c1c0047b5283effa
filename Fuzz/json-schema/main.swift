// JSON Schema compilation and validation on any schema and instance: a compiled schema or a JSONSchemaError,
// then violations, within the engine's limits. Input: the schema, a 0 byte, the instance; the first byte of the
// schema part also picks the default draft and whether formats are asserted.
import JSONSchemaEngine
import JSONSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let flags = input.first else { return 0 }
    let rest = input.dropFirst()
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    let limits = JSONParseLimits(maxBytes: 1 << 20, maxDepth: 128)
    guard let schemaJSON = try? JSONParser.parse(Array(rest[..<split]), limits: limits) else { return 0 }
    let drafts = JSONSchemaDraft.allCases
    let options = JSONSchemaOptions(
        defaultDraft: drafts[Int(flags >> 1) % drafts.count], assertFormat: flags & 1 == 1)
    guard let schema = try? CompiledJSONSchema(schemaJSON, options: options) else { return 0 }
    let instance: JSONValue
    if split < rest.endIndex {
        guard let parsed = try? JSONParser.parse(Array(rest[(split + 1)...]), limits: limits) else { return 0 }
        instance = parsed
    } else {
        instance = schemaJSON
    }
    let violations = schema.validate(instance)
    if violations.isEmpty != schema.isValid(instance) {
        fatalError("validate and isValid disagree: \(violations)")
    }
    return 0
}
