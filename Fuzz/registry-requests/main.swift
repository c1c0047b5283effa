// The REST layer's request decoding on any bytes: register/lookup and config bodies (RegistryJSON), the path
// (percent-decoded segments, /contexts/… rewriting, route matching, subject canonicalization), query strings and
// Accept headers. Each must return a value or a RegistryError. Input: a selector byte, then the text.
import JSONSupport
@testable import RegistryServer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    let text = String(decoding: bytes, as: UTF8.self)
    switch selector % 4 {
    case 0:
        _ = try? RegistryJSON.schemaRequest(bytes)
    case 1:
        if let object = try? RegistryJSON.object(bytes) { _ = try? RegistryJSON.configUpdate(object) }
    case 2:
        // A request target: path, then an optional query.
        let parts = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = RegistryHTTPHandler.segments(String(parts[0]))
        let contextPath = segments.flatMap(ContextPath.init)
        var query = Query(parts.count > 1 ? String(parts[1]) : nil)
        if let route = (contextPath?.segments ?? segments).flatMap(Route.init) {
            contextPath?.scope(&query, for: route)
            _ = try? route.canonical()
        }
        _ = query.page
        _ = (query.bool("verbose"), query.int("version", default: -1), query.strings("key"))
    default:
        _ = ContentNegotiation.responseType(accept: text)
    }
    return 0
}
