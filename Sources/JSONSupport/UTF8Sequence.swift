/// The one rule for a multi-byte UTF-8 sequence in JSON text (no overlongs, no surrogates, at most U+10FFFF),
/// shared by `JSONParser` (which reports why a sequence is bad) and `JSONTape` (which only needs yes or no).
enum UTF8Sequence {
    enum Check {
        case valid(length: Int)
        case invalidLead
        case truncated
        case invalidContinuation
    }

    @inline(__always)
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Check {
        let length: Int
        let lower: UInt8
        let upper: UInt8
        switch bytes[i] {
        case 0xC2...0xDF: (length, lower, upper) = (2, 0x80, 0xBF)
        case 0xE0: (length, lower, upper) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, lower, upper) = (3, 0x80, 0xBF)
        case 0xED: (length, lower, upper) = (3, 0x80, 0x9F)
        case 0xF0: (length, lower, upper) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, lower, upper) = (4, 0x80, 0xBF)
        case 0xF4: (length, lower, upper) = (4, 0x80, 0x8F)
        default: return .invalidLead
        }
        guard i + length <= bytes.count else { return .truncated }
        guard bytes[i + 1] >= lower, bytes[i + 1] <= upper else { return .invalidContinuation }
        for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return .invalidContinuation }
        return .valid(length: length)
    }
}
