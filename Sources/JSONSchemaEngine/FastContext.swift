import ECMARegex
import JSONSupport

/// What a fast validation reads and never changes: the program (whose tables it reads through) and the
/// document's tape. Five words: a helper called from the validator's mutating methods gets a copy of it, which
/// must stay this small (the tables themselves, copied along, made every call copy 192 bytes).
struct FastContext {
    let program: FastProgram
    let tape: JSONTape

    var t: FastTables {
        @inline(__always) get { program.tables }
    }

    var entries: UnsafeBufferPointer<JSONTapeEntry> {
        @inline(__always) get { tape.entries }
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        @inline(__always) get { tape.bytes }
    }

    var assertFormat: Bool { program.assertFormat }

    /// The entry after value `v` and everything inside it.
    @inline(__always)
    func next(_ v: Int) -> Int {
        let entry = entries[v]
        return entry.kind.rawValue >= JSONTapeEntry.Kind.array.rawValue ? Int(entry.offset) : v + 1
    }

    @inline(__always)
    func raw(_ v: Int) -> UnsafeBufferPointer<UInt8> {
        let entry = entries[v]
        return UnsafeBufferPointer(start: bytes.baseAddress.map { $0 + Int(entry.offset) }, count: Int(entry.count))
    }

    @inline(never)
    func otherValue(_ v: Int, _ values: Int) -> Bool {
        program.valueLists[values].contains { equal(v, $0) }
    }

    func isFalse(_ index: Int) -> Bool { t.nodes[index].constant == 0 }

    /// The index (within `names`) of the first name equal, as `String` `==` judges, to the tape's string `key`,
    /// looked for from `cursor` round (a hit moves `cursor` past it, so members in table order cost one
    /// comparison each); -1 when none is.
    @inline(__always)
    func find(_ key: Int, in names: NameRange, cursor: inout Int) -> Int {
        let n = Int(names.count)
        guard n > 0 else { return -1 }
        if names.allASCII && entries[key].isPlainASCII {
            // Both sides ASCII: `==` is byte equality.
            let raw = raw(key)
            let head = prefix(raw)
            let first = Int(names.first)
            var j = cursor < n ? cursor : 0
            for _ in 0..<n {
                let name = first + j
                if t.namePrefixes[name] == head && t.nameStarts[name + 1] - t.nameStarts[name] == raw.count
                    && (raw.count <= 8 || nameEquals(name, raw))
                {
                    cursor = j + 1
                    return j
                }
                j += 1
                if j == n { j = 0 }
            }
            return -1
        }
        // An escaped or non-ASCII name on either side: `==` on strings, which equates canonically equivalent ones.
        let string = tape.string(key)
        for j in 0..<n where program.nameStrings[Int(names.first) + j] == string {
            cursor = j + 1
            return j
        }
        return -1
    }

    /// The first eight bytes of `raw` (fewer when it is shorter, zero above them), loaded little-endian.
    @inline(__always)
    func prefix(_ raw: UnsafeBufferPointer<UInt8>, inDocument: Bool = true) -> UInt64 {
        guard let start = raw.baseAddress else { return 0 }
        let n = raw.count
        if inDocument, let end = bytes.baseAddress.map({ $0 + bytes.count }), end - start >= 8 {
            // The document goes on past a short name (its closing quote at least): load eight bytes and keep the
            // name's.
            let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            return n >= 8 ? word : word & ((1 << UInt64(8 * n)) &- 1)
        }
        var value: UInt64 = 0
        for k in 0..<min(n, 8) { value |= UInt64(start[k]) << UInt64(8 * k) }
        return value
    }

    /// The index within `names` of the name whose UTF-8 is `utf8` (code point equality, as `jsonEqual` compares
    /// strings), or -1.
    func find(_ utf8: UnsafeBufferPointer<UInt8>, in names: NameRange, inDocument: Bool) -> Int {
        let head = prefix(utf8, inDocument: inDocument)
        for j in 0..<Int(names.count) {
            let name = Int(names.first) + j
            if t.namePrefixes[name] == head && t.nameStarts[name + 1] - t.nameStarts[name] == utf8.count
                && (utf8.count <= 8 || nameEquals(name, utf8))
            {
                return j
            }
        }
        return -1
    }

    @inline(__always)
    func nameEquals(_ name: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = t.nameStarts[name]
        guard t.nameStarts[name + 1] - start == raw.count else { return false }
        for k in 0..<raw.count where t.nameBytes[start + k] != raw[k] { return false }
        return true
    }

    /// Whether object `v` has a member for every name in `names` (by `==`, the names distinct under it).
    func hasAll(_ v: Int, _ names: NameRange) -> Bool {
        let needed = Int(names.count)
        if needed == 0 { return true }
        let end = Int(entries[v].offset)
        if needed <= 64 {
            // Member names are distinct under `==`, and so are the names: a member finds at most one name, and
            // no name is found by two members.
            var found = 0
            var cursor = 0
            var key = v + 1
            while key < end {
                if find(key, in: names, cursor: &cursor) >= 0 {
                    found += 1
                    if found == needed { return true }
                }
                key = next(key + 1)
            }
            return false
        }
        for j in 0..<needed {
            let one = NameRange(first: names.first + Int32(j), count: 1, allASCII: names.allASCII)
            var cursor = 0
            var key = v + 1
            var present = false
            while key < end {
                if find(key, in: one, cursor: &cursor) >= 0 {
                    present = true
                    break
                }
                key = next(key + 1)
            }
            if !present { return false }
        }
        return true
    }

    // MARK: Values

    @inline(__always)
    func matches(_ entry: JSONTapeEntry, _ v: Int, _ set: TypeSet) -> Bool {
        switch entry.kind {
        case .null: return set.contains(.null)
        case .bool: return set.contains(.boolean)
        case .string: return set.contains(.string)
        case .array: return set.contains(.array)
        case .object: return set.contains(.object)
        case .number:
            if set.contains(.number) { return true }
            guard set.contains(.integer) else { return false }
            return entry.flags & JSONTapeEntry.notIntegral == 0 || ExactNumber(tape.number(v)).isInteger
        }
    }

    /// Whether pattern `p` matches string `v`; nil when the regex gave up (a step or input limit).
    func matches(_ v: Int, pattern p: Int) -> Bool? {
        let regex = program.patterns[p]
        if entries[v].flags & JSONTapeEntry.escaped == 0 { return try? regex.matches(utf8: raw(v)) }
        return try? tape.decodedBytes(v).withUnsafeBufferPointer { try regex.matches(utf8: $0) }
    }

    /// `NumberLimit.compare` of number `v` against limit `l`: integral limits against plain decimals on the
    /// bytes, anything else through the literal's text.
    func compare(_ v: Int, _ l: Int) -> Int {
        if let int = t.limitInts[l], let x = plainDecimal(utf8: raw(v)) {
            let whole = x.negative ? -x.integer : x.integer
            if !x.fraction { return whole < int ? -1 : (whole == int ? 0 : 1) }
            if x.negative { return whole <= int ? -1 : 1 }
            return whole >= int ? 1 : -1
        }
        return program.limits[l].compare(tape.number(v))
    }

    static func scalarCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in utf8 where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// `jsonEqual(value, tape value v)`: JSON Schema equality (numbers by value, strings by code points, objects
    /// as sets of members), without building the tape's value.
    func equal(_ v: Int, _ value: JSONValue) -> Bool {
        let entry = entries[v]
        switch (entry.kind, value) {
        case (.null, .null): return true
        case (.bool, .bool(let b)): return (entry.flags != 0) == b
        case (.string, .string(let s)):
            var s = s
            return s.withUTF8 { x in tape.withUTF8(v) { y in x.elementsEqual(y) } }
        case (.number, .number(let n)):
            var text = n.text
            if text.withUTF8({ $0.elementsEqual(raw(v)) }) { return true }
            return ExactNumber(n) == ExactNumber(tape.number(v))
        case (.array, .array(let items)):
            guard Int(entry.count) == items.count else { return false }
            var item = v + 1
            for x in items {
                if !equal(item, x) { return false }
                item = next(item)
            }
            return true
        case (.object, .object(let object)):
            guard Int(entry.count) == object.count else { return false }
            for m in object.members {
                var name = m.key
                let found: Int? = name.withUTF8 { x in
                    var key = v + 1
                    while key < Int(entry.offset) {
                        if tape.withUTF8(key, { $0.elementsEqual(x) }) { return key + 1 }
                        key = next(key + 1)
                    }
                    return nil
                }
                guard let found, equal(found, m.value) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Tape values `a` and `b` are equal as `jsonEqual` compares.
    func equal(_ a: Int, _ b: Int) -> Bool {
        let x = entries[a]
        let y = entries[b]
        guard x.kind == y.kind else { return false }
        switch x.kind {
        case .null: return true
        case .bool: return x.flags == y.flags
        case .string:
            if x.flags & JSONTapeEntry.escaped == 0 && y.flags & JSONTapeEntry.escaped == 0 { return raw(a).elementsEqual(raw(b)) }
            return tape.withUTF8(a) { p in tape.withUTF8(b) { q in p.elementsEqual(q) } }
        case .number:
            if raw(a).elementsEqual(raw(b)) { return true }
            return ExactNumber(tape.number(a)) == ExactNumber(tape.number(b))
        case .array, .object:
            return jsonEqual(tape.value(at: a), tape.value(at: b))
        }
    }

    /// `uniqueItems` as `Validator` decides it: pairwise for short arrays, by canonical form for long ones.
    func uniqueItems(_ v: Int) -> Bool {
        let entry = entries[v]
        let end = Int(entry.offset)
        if entry.count <= 16 {
            var item = v + 1
            while item < end {
                var earlier = v + 1
                while earlier < item {
                    if equal(earlier, item) { return false }
                    earlier = next(earlier)
                }
                item = next(item)
            }
            return true
        }
        var seen: Set<CanonicalJSON> = []
        var item = v + 1
        while item < end {
            guard seen.insert(CanonicalJSON(tape.value(at: item))).inserted else { return false }
            item = next(item)
        }
        return true
    }
}
