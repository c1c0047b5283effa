/// One value of a `JSONTape`, 12 bytes. An object is its entry followed by each member's name (a string entry) and
/// value; an array is its entry followed by its elements; a container's `offset` is the index just past its last
/// entry, so a reader skips it in one step.
public struct JSONTapeEntry: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        case null, bool, number, string, array, object
    }

    public var kind: Kind
    /// Strings: `JSONTapeEntry.escaped`, `.nonASCII`; numbers: `.notIntegral`; booleans: 1 for true.
    public var flags: UInt8
    /// Strings and numbers: the byte offset of the first byte (for a string, just after its quote). Containers:
    /// the index of the entry after the container's last one.
    public var offset: UInt32
    /// Strings and numbers: the length in bytes as written (a string's between its quotes, escapes undecoded).
    /// Containers: the number of members or elements.
    public var count: UInt32

    /// A string with at least one backslash escape: its bytes must be decoded before use.
    public static let escaped: UInt8 = 1
    /// A string with a byte ≥ 0x80.
    public static let nonASCII: UInt8 = 2
    /// A number literal with a fraction or an exponent.
    public static let notIntegral: UInt8 = 1

    @inlinable
    public var isPlainASCII: Bool { flags & (Self.escaped | Self.nonASCII) == 0 }
}

/// A JSON document read as a flat array of entries over its bytes (a "tape"): what a validator needs to walk it,
/// with no string, array or object built. Reading applies exactly `JSONParser`'s rules and limits (UTF-8, escapes,
/// number grammar, duplicate names compared as `String`s, sizes and depth): a document is read here exactly when
/// `JSONParser` accepts it, and `value(at:)` then rebuilds the same `JSONValue`. A rejected document has no error
/// of its own here: `JSONParser` tells why.
public struct JSONTape {
    /// The document's bytes (borrowed: valid only inside the `read` call that made this tape).
    public let bytes: UnsafeBufferPointer<UInt8>
    public let entries: UnsafeBufferPointer<JSONTapeEntry>

    /// Reads `bytes` and calls `body` with the tape, or returns nil when `JSONParser` would reject the document.
    public static func read<R>(
        _ bytes: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits = .default, _ body: (JSONTape) throws -> R
    ) rethrows -> R? {
        guard bytes.count <= limits.maxBytes, bytes.count < Int(UInt32.max) else { return nil }
        // Every entry starts at a byte of its own (a bracket, a quote, a digit, a minus or a literal's letter), so
        // a document has at most as many entries as bytes.
        let capacity = max(bytes.count, 1)
        // A member takes at least five bytes (`"":0` and a comma or a brace), so at most a fifth of the bytes
        // start names. Entries and the stack of open objects' names share one allocation.
        let nameCapacity = bytes.count / 5 + 1
        let entryBytes = capacity * MemoryLayout<JSONTapeEntry>.stride
        let nameOffset = (entryBytes + MemoryLayout<Reader.Name>.alignment - 1) & ~(MemoryLayout<Reader.Name>.alignment - 1)
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: nameOffset + nameCapacity * MemoryLayout<Reader.Name>.stride,
            alignment: max(MemoryLayout<JSONTapeEntry>.alignment, MemoryLayout<Reader.Name>.alignment))
        defer { raw.deallocate() }
        let storage = raw.bindMemory(to: JSONTapeEntry.self, capacity: capacity)
        let names = (raw + nameOffset).bindMemory(to: Reader.Name.self, capacity: nameCapacity)
        var reader = Reader(bytes: bytes, limits: limits, entries: storage, capacity: capacity, names: names, nameCapacity: nameCapacity)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.index = 3 }
        reader.skipWhitespace()
        guard reader.readValue(depth: 0) else { return nil }
        reader.skipWhitespace()
        guard reader.index == bytes.count else { return nil }
        return try body(JSONTape(bytes: bytes, entries: UnsafeBufferPointer(start: storage, count: reader.count)))
    }

    /// The index of the entry after value `index` (and everything inside it).
    @inlinable
    public func next(after index: Int) -> Int {
        let entry = entries[index]
        return entry.kind.rawValue >= JSONTapeEntry.Kind.array.rawValue ? Int(entry.offset) : index + 1
    }

    /// The raw bytes of string or number `index` (a string's between its quotes, escapes undecoded).
    @inlinable
    public func raw(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let entry = entries[index]
        return UnsafeBufferPointer(rebasing: bytes[Int(entry.offset)..<Int(entry.offset) + Int(entry.count)])
    }

    /// Calls `body` with the decoded UTF-8 of string `index`: its bytes in place, or decoded when escaped.
    @inlinable
    public func withUTF8<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if entries[index].flags & JSONTapeEntry.escaped == 0 { return try body(raw(index)) }
        return try decodedBytes(index).withUnsafeBufferPointer { try body($0) }
    }

    /// String `index` as a `String`.
    public func string(_ index: Int) -> String {
        withUTF8(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The decoded UTF-8 of string `index`.
    public func decodedBytes(_ index: Int) -> [UInt8] {
        Self.decode(raw(index))
    }

    /// The UTF-8 that `raw`, a string's checked bytes between its quotes, stands for.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(b)
                i += 1
                continue
            }
            let c = raw[i + 1]
            i += 2
            switch c {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(raw, at: i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF && i + 6 <= raw.count {
                    let low = Self.hex4(raw, at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(unicode)).utf8)
            default: out.append(c)  // \" \\ \/
            }
        }
        return out
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in start..<min(start + 4, raw.count) {
            let b = raw[k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            default: digit = b &- UInt8(ascii: "A") &+ 10
            }
            value = value << 4 | UInt32(digit & 0xF)
        }
        return value
    }

    /// Number `index` as a `JSONNumber`.
    public func number(_ index: Int) -> JSONNumber {
        JSONNumber(validatedText: String(decoding: raw(index), as: UTF8.self))
    }

    /// Value `index` rebuilt as the `JSONValue` `JSONParser` reads from the same bytes.
    public func value(at index: Int) -> JSONValue {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .bool: return .bool(entry.flags != 0)
        case .number: return .number(number(index))
        case .string: return .string(string(index))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(entry.count))
            var i = index + 1
            while i < Int(entry.offset) {
                elements.append(value(at: i))
                i = next(after: i)
            }
            return .array(elements)
        case .object:
            var members: [JSONMember] = []
            members.reserveCapacity(Int(entry.count))
            var i = index + 1
            while i < Int(entry.offset) {
                members.append(JSONMember(string(i), value(at: i + 1)))
                i = next(after: i + 1)
            }
            return .object(JSONObject(members))
        }
    }

    /// The reader: `JSONParser`'s grammar and limits, writing entries instead of values, and answering only
    /// whether the document is accepted.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let limits: JSONParseLimits
        var index = 0
        let entries: UnsafeMutablePointer<JSONTapeEntry>
        let capacity: Int
        var count = 0
        /// The names of the objects being read, innermost last: a stack whose live part is `names[..<top]`.
        let names: UnsafeMutablePointer<Name>
        let nameCapacity: Int
        var top = 0

        struct Name {
            var entry: UInt32
            /// A filter hash (never 0) of a plain ASCII name; 0 for an escaped or non-ASCII one, which only a
            /// `String` comparison can judge.
            var hash: UInt32
        }

        init(
            bytes: UnsafeBufferPointer<UInt8>, limits: JSONParseLimits, entries: UnsafeMutablePointer<JSONTapeEntry>, capacity: Int,
            names: UnsafeMutablePointer<Name>, nameCapacity: Int
        ) {
            self.bytes = bytes
            self.limits = limits
            self.entries = entries
            self.capacity = capacity
            self.names = names
            self.nameCapacity = nameCapacity
        }

        @inline(__always)
        mutating func push(_ entry: JSONTapeEntry) -> Bool {
            guard count < capacity else { return false }
            (entries + count).initialize(to: entry)
            count += 1
            return true
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func readValue(depth: Int) -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return readObject(depth: depth + 1)
            case UInt8(ascii: "["): return readArray(depth: depth + 1)
            case UInt8(ascii: "\""): return readString()
            case UInt8(ascii: "t"):
                return literal("true") && push(JSONTapeEntry(kind: .bool, flags: 1, offset: 0, count: 0))
            case UInt8(ascii: "f"):
                return literal("false") && push(JSONTapeEntry(kind: .bool, flags: 0, offset: 0, count: 0))
            case UInt8(ascii: "n"):
                return literal("null") && push(JSONTapeEntry(kind: .null, flags: 0, offset: 0, count: 0))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return readNumber()
            default:
                return false
            }
        }

        @inline(__always)
        mutating func literal(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard index + n <= bytes.count else { return false }
            let expected = text.utf8Start
            for k in 0..<n where bytes[index + k] != expected[k] { return false }
            index += n
            return true
        }

        mutating func readObject(depth: Int) -> Bool {
            if depth > limits.maxDepth { return false }
            index += 1  // {
            let entry = count
            guard push(JSONTapeEntry(kind: .object, flags: 0, offset: 0, count: 0)) else { return false }
            let base = top
            defer { top = base }
            var seen: Set<String>? = nil
            // One bit per plain ASCII name read, chosen by its hash: a name whose bit is clear is new.
            var bloom: UInt64 = 0
            var allPlain = true
            var members = 0
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                entries[entry].offset = UInt32(count)
                return true
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
                let key = count
                guard readString() else { return false }
                let hash = nameHash(key)
                // Duplicate names, as `JSONParser` finds them: `String` equality, by a scan while the object is
                // small and a set once it grows. Different plain ASCII names are different strings, so two of
                // them are compared only when their hashes agree.
                if seen != nil {
                    guard seen?.insert(name(key)).inserted == true else { return false }
                } else if members < 16 {
                    if hash != 0 && allPlain {
                        let bit: UInt64 = 1 << UInt64(hash - 1)
                        if bloom & bit != 0 {
                            for i in base..<top where names[i].hash == hash && bytesEqual(Int(names[i].entry), key) { return false }
                        }
                        bloom |= bit
                    } else {
                        allPlain = false
                        for i in base..<top {
                            let other = names[i]
                            if other.hash != 0 && hash != 0 {
                                if other.hash == hash && bytesEqual(Int(other.entry), key) { return false }
                            } else if name(Int(other.entry)) == name(key) {
                                return false
                            }
                        }
                    }
                } else {
                    var set = Set<String>(minimumCapacity: members * 2)
                    for i in base..<top { set.insert(name(Int(names[i].entry))) }
                    guard set.insert(name(key)).inserted else { return false }
                    seen = set
                }
                guard top < nameCapacity else { return false }
                (names + top).initialize(to: Name(entry: UInt32(key), hash: hash))
                top += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace()
                guard readValue(depth: depth) else { return false }
                members += 1
                if members > limits.maxContainerCount { return false }
                skipWhitespace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { return false }
                index += 1
                entries[entry].offset = UInt32(count)
                entries[entry].count = UInt32(members)
                return true
            }
        }

        mutating func readArray(depth: Int) -> Bool {
            if depth > limits.maxDepth { return false }
            index += 1  // [
            let entry = count
            guard push(JSONTapeEntry(kind: .array, flags: 0, offset: 0, count: 0)) else { return false }
            var elements = 0
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                entries[entry].offset = UInt32(count)
                return true
            }
            while true {
                skipWhitespace()
                guard readValue(depth: depth) else { return false }
                elements += 1
                if elements > limits.maxContainerCount { return false }
                skipWhitespace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { return false }
                index += 1
                entries[entry].offset = UInt32(count)
                entries[entry].count = UInt32(elements)
                return true
            }
        }

        /// Name `entry` as a `String`, as `JSONParser` reads it.
        func name(_ entry: Int) -> String {
            let e = entries[entry]
            let raw = UnsafeBufferPointer(rebasing: bytes[Int(e.offset)..<Int(e.offset) + Int(e.count)])
            if e.flags & JSONTapeEntry.escaped == 0 { return String(decoding: raw, as: UTF8.self) }
            return String(decoding: JSONTape.decode(raw), as: UTF8.self)
        }

        func bytesEqual(_ a: Int, _ b: Int) -> Bool {
            let x = entries[a]
            let y = entries[b]
            guard x.count == y.count else { return false }
            let n = Int(x.count)
            let p = Int(x.offset)
            let q = Int(y.offset)
            for k in 0..<n where bytes[p + k] != bytes[q + k] { return false }
            return true
        }

        /// A filter hash of name `entry` in 1...64 (its length, first and last byte): equal names have equal hashes.
        /// 0 for an escaped or non-ASCII name, which only a `String` comparison can judge.
        @inline(__always)
        func nameHash(_ entry: Int) -> UInt32 {
            let e = entries[entry]
            guard e.isPlainASCII else { return 0 }
            guard e.count > 0 else { return 64 }
            let start = Int(e.offset)
            let first = UInt32(bytes[start])
            let last = UInt32(bytes[start + Int(e.count) - 1])
            return (e.count &* 7 &+ first &* 3 &+ last) & 63 + 1
        }

        @inline(__always)
        mutating func readNumber() -> Bool {
            let start = index
            var flags: UInt8 = 0
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { return false }
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                flags = JSONTapeEntry.notIntegral
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                flags = JSONTapeEntry.notIntegral
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index - start > 1024 { return false }
            return push(JSONTapeEntry(kind: .number, flags: flags, offset: UInt32(start), count: UInt32(index - start)))
        }

        func isDigit(_ b: UInt8) -> Bool {
            b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
        }

        @inline(__always)
        mutating func readString() -> Bool {
            let start = index + 1  // after the opening quote
            let n = bytes.count
            guard let base = bytes.baseAddress else { return false }
            var i = start
            var flags: UInt8 = 0
            while true {
                // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
                while i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101
                    let quote = w ^ (ones &* 0x22)
                    let backslash = w ^ (ones &* 0x5C)
                    let special =
                        (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w) | w)
                        & (ones &* 0x80)
                    if special != 0 {
                        // The lowest flagged byte is the first special one (a borrow only ever flags bytes above
                        // a real match): skip straight to it.
                        i += special.littleEndian.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
                guard i < n else { return false }
                let b = base[i]
                if b == UInt8(ascii: "\"") {
                    index = i + 1
                    guard count < capacity else { return false }
                    (entries + count).initialize(
                        to: JSONTapeEntry(kind: .string, flags: flags, offset: UInt32(start), count: UInt32(i - start)))
                    count += 1
                    return true
                }
                if b < 0x20 { return false }
                if b == UInt8(ascii: "\\") {
                    flags |= JSONTapeEntry.escaped
                    index = i
                    guard escape() else { return false }
                    i = index
                } else if b < 0x80 {
                    i += 1
                } else {
                    flags |= JSONTapeEntry.nonASCII
                    let length = utf8Sequence(at: i)
                    guard length > 0 else { return false }
                    i += length
                }
            }
        }

        /// The length of the valid multi-byte UTF-8 sequence at `i`, or 0 (`UTF8Sequence`, `JSONParser`'s rule).
        @inline(never)
        func utf8Sequence(at i: Int) -> Int {
            if case .valid(let length) = UTF8Sequence.check(bytes, at: i) { return length }
            return 0
        }

        /// One escape sequence at `index` (its backslash), checked as `JSONParser` checks it.
        @inline(never)
        mutating func escape() -> Bool {
            index += 1  // backslash
            guard index < bytes.count else { return false }
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return true
            case UInt8(ascii: "u"):
                guard let scalar = hex4() else { return false }
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { return false }
                    index += 2
                    guard let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return false }
                    return true
                }
                return !(scalar >= 0xDC00 && scalar <= 0xDFFF)
            default:
                return false
            }
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
