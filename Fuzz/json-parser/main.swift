// The JSON reader on any bytes: it must return a value or a JSONParseError, and whatever it accepts must
// survive writing and reading again unchanged.
import JSONSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes, limits: JSONParseLimits(maxBytes: 1 << 20, maxDepth: 64)) else {
        return 0
    }
    let text = value.serialized()
    guard let again = try? JSONParser.parse(text, limits: JSONParseLimits(maxBytes: 4 << 20, maxDepth: 64)) else {
        fatalError("the writer's output does not read back: \(text)")
    }
    if again != value { fatalError("round trip changed the value: \(text)") }
    return 0
}
