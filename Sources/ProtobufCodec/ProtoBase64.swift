/// Base64 for `bytes` in JSON: standard alphabet with padding on output; standard or URL-safe,
/// padded or not, on input (what the proto3 JSON mapping asks parsers to accept).
enum ProtoBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    static func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = (bytes.count + 2) / 3 * 4
        if count == 0 { return "" }
        return alphabet.withUnsafeBufferPointer { table in
            String(unsafeUninitializedCapacity: count) { out in
                var i = 0
                var o = 0
                while i &+ 3 <= bytes.count {
                    let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i &+ 1]) << 8 | UInt32(bytes[i &+ 2])
                    out[o] = table[Int(n >> 18 & 63)]
                    out[o &+ 1] = table[Int(n >> 12 & 63)]
                    out[o &+ 2] = table[Int(n >> 6 & 63)]
                    out[o &+ 3] = table[Int(n & 63)]
                    i &+= 3
                    o &+= 4
                }
                let rest = bytes.count &- i
                if rest > 0 {
                    var n = UInt32(bytes[i]) << 16
                    if rest == 2 { n |= UInt32(bytes[i &+ 1]) << 8 }
                    out[o] = table[Int(n >> 18 & 63)]
                    out[o &+ 1] = table[Int(n >> 12 & 63)]
                    out[o &+ 2] = rest == 2 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                    out[o &+ 3] = UInt8(ascii: "=")
                    o &+= 4
                }
                return o
            }
        }
    }

    private static func sextet(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Decodes base64; nil when a character is outside both alphabets or the length is impossible.
    static func decode(_ text: String) -> [UInt8]? {
        var chars = Array(text.utf8)
        // Up to two '=' of padding, which must then complete a 4-character group.
        var padding = 0
        while chars.last == UInt8(ascii: "=") && padding < 2 {
            chars.removeLast()
            padding += 1
        }
        if padding > 0 && (chars.count + padding) % 4 != 0 { return nil }
        if chars.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            guard let v = sextet(c) else { return nil }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// The number of bytes `text` decodes to, or nil when its length or padding is impossible.
    static func decodedCount(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { (b) -> Int? in
            var n = b.count
            var padding = 0
            while n > 0 && b[n &- 1] == UInt8(ascii: "=") && padding < 2 {
                n &-= 1
                padding &+= 1
            }
            if padding > 0 && (n &+ padding) & 3 != 0 { return nil }
            if n & 3 == 1 { return nil }
            return n / 4 * 3 + (n & 3 == 0 ? 0 : (n & 3) &- 1)
        }
    }

    /// Sextet values by character, 0xFF outside both alphabets.
    private static let sextets: [UInt8] = (0..<256).map { c in
        sextet(UInt8(c)).map { UInt8($0) } ?? 0xFF
    }

    /// Decodes `text` (whose length `decodedCount` accepted) onto the end of `out`; false when a
    /// character is outside both alphabets.
    static func decode(_ text: String, appendingTo out: inout [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { (b) -> Bool in
            var n = b.count
            var padding = 0
            while n > 0 && b[n &- 1] == UInt8(ascii: "=") && padding < 2 {
                n &-= 1
                padding &+= 1
            }
            let count = n / 4 * 3 + (n & 3 == 0 ? 0 : (n & 3) &- 1)
            if count == 0 { return n == 0 }
            return sextets.withUnsafeBufferPointer { table in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { dst in
                    var i = 0
                    var o = 0
                    while i &+ 4 <= n {
                        let a = table[Int(b[i])], c1 = table[Int(b[i &+ 1])]
                        let c2 = table[Int(b[i &+ 2])], c3 = table[Int(b[i &+ 3])]
                        if (a | c1 | c2 | c3) & 0xC0 != 0 { return false }
                        let v = UInt32(a) << 18 | UInt32(c1) << 12 | UInt32(c2) << 6 | UInt32(c3)
                        dst[o] = UInt8(truncatingIfNeeded: v >> 16)
                        dst[o &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
                        dst[o &+ 2] = UInt8(truncatingIfNeeded: v)
                        i &+= 4
                        o &+= 3
                    }
                    var acc: UInt32 = 0
                    var bits: UInt32 = 0
                    while i < n {
                        let v = table[Int(b[i])]
                        if v & 0xC0 != 0 { return false }
                        acc = acc << 6 | UInt32(v)
                        bits &+= 6
                        if bits >= 8 {
                            bits &-= 8
                            if o < count { dst[o] = UInt8(truncatingIfNeeded: acc >> bits) }
                            o &+= 1
                            acc &= (1 << bits) &- 1
                        }
                        i &+= 1
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: dst[0..<min(o, count)]))
                    return true
                }
            }
        }
    }
}
