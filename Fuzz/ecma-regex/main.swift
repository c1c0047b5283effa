// The ECMA-262 pattern compiler and matcher on any pattern and subject: a regex or an ECMARegexError, then a
// verdict or a step-limit error, always within the limits. Input: the pattern, a 0 byte, the subject.
import ECMARegex

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let split = input.firstIndex(of: 0) ?? input.endIndex
    let pattern = String(decoding: input[..<split], as: UTF8.self)
    let subject = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : pattern
    guard let regex = try? ECMARegex(pattern) else { return 0 }
    _ = try? regex.matches(subject)
    _ = try? regex.matches("")
    return 0
}
