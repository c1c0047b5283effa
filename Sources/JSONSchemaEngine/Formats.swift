import JSONSupport

/// The `format` values the engine asserts when `JSONSchemaOptions.assertFormat` is set. Unknown formats, and
/// instances that are not strings, always pass.
enum Formats {
    static func check(_ format: String, _ instance: JSONValue) -> Bool {
        guard case .string(let s) = instance else { return true }
        switch format {
        case "date-time": return dateTime(s)
        case "date": return date(s)
        case "time": return time(s)
        case "email", "idn-email": return email(s)
        case "hostname": return hostname(s)
        case "ipv4": return ipv4(s)
        case "ipv6": return ipv6(s)
        case "uri": return uri(s, absolute: true)
        case "uri-reference": return uri(s, absolute: false)
        case "uuid": return uuid(s)
        case "regex": return (try? PatternMatcher(s)) != nil
        case "json-pointer": return jsonPointer(s)
        case "relative-json-pointer": return relativeJSONPointer(s)
        case "duration": return duration(s)
        default: return true
        }
    }

    private static func digits(_ u: ArraySlice<UInt8>) -> Int? {
        guard !u.isEmpty, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return u.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func date(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = digits(u[0..<4]), let m = digits(u[5..<7]), let d = digits(u[8..<10])
        else { return false }
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    static func time(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 9, u[2] == UInt8(ascii: ":"), u[5] == UInt8(ascii: ":"),
            let h = digits(u[0..<2]), let m = digits(u[3..<5]), let sec = digits(u[6..<8])
        else { return false }
        var i = 8
        if u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            if i == start { return false }
        }
        guard i < u.count else { return false }
        var offsetMinutes = 0
        switch u[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == u.count else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard u.count - i == 6, u[i + 3] == UInt8(ascii: ":"), let oh = digits(u[(i + 1)..<(i + 3)]),
                let om = digits(u[(i + 4)..<(i + 6)]), oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (u[i] == UInt8(ascii: "+") ? 1 : -1)
        default: return false
        }
        guard h <= 23, m <= 59, sec <= 60 else { return false }
        if sec == 60 {
            // A leap second happens at 23:59:60 UTC only.
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func dateTime(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return date(String(s[..<t])) && time(String(s[s.index(after: t)...]))
    }

    static func email(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at]
        let domain = s[s.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return false
        }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            let inner = String(domain.dropFirst().dropLast())
            if inner.hasPrefix("IPv6:") { return ipv6(String(inner.dropFirst(5))) }
            return ipv4(inner)
        }
        return hostname(String(domain))
    }

    static func hostname(_ s: String) -> Bool {
        var name = Substring(s)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            guard label.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 45 }) else {
                return false
            }
            // "xn--" labels are punycode; other labels may not have hyphens in positions 3 and 4.
            let u = Array(label.utf8)
            if u.count >= 4, u[2] == 45, u[3] == 45, !label.lowercased().hasPrefix("xn--") { return false }
        }
        return true
    }

    static func ipv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard let v = digits(Array(p.utf8)[...]), p.utf8.count <= 3, v <= 255 else { return false }
            if p.utf8.count > 1 && p.hasPrefix("0") { return false }
        }
        return true
    }

    static func ipv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 45 else { return false }
        var text = s
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard ipv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = String(text[...lastColon]) + "0:0"
            groupsNeeded = 8
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let g = part.split(separator: ":", omittingEmptySubsequences: false)
            for x in g {
                guard (1...4).contains(x.utf8.count), x.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
            }
            return g
        }
        guard let first = groups(halves[0]) else { return false }
        if halves.count == 2 {
            guard let second = groups(halves[1]) else { return false }
            return first.count + second.count < groupsNeeded
        }
        return first.count == groupsNeeded
    }

    static func uuid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if c != UInt8(ascii: "-") { return false }
            } else if !Character(UnicodeScalar(c)).isHexDigit {
                return false
            }
        }
        return true
    }

    static func uri(_ s: String, absolute: Bool) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        guard s.utf8.allSatisfy({ allowed.contains($0) }) else { return false }
        let u = Array(s.utf8)
        for (i, c) in u.enumerated() where c == UInt8(ascii: "%") {
            guard i + 2 < u.count, Character(UnicodeScalar(u[i + 1])).isHexDigit, Character(UnicodeScalar(u[i + 2])).isHexDigit
            else { return false }
        }
        let ref = URIReference(parsing: s)
        if absolute && ref.scheme == nil { return false }
        if let authority = ref.authority, authority.contains("[") != authority.contains("]") { return false }
        return true
    }

    static func jsonPointer(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.hasPrefix("/") else { return false }
        let u = Array(s.utf8)
        for (i, c) in u.enumerated() where c == UInt8(ascii: "~") {
            guard i + 1 < u.count, u[i + 1] == UInt8(ascii: "0") || u[i + 1] == UInt8(ascii: "1") else { return false }
        }
        return true
    }

    static func relativeJSONPointer(_ s: String) -> Bool {
        let u = Array(s.utf8)
        var i = 0
        while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
        guard i > 0, !(i > 1 && u[0] == 48) else { return false }
        let rest = String(decoding: u[i...], as: UTF8.self)
        return rest == "#" || jsonPointer(rest)
    }

    static func duration(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.first == UInt8(ascii: "P"), u.count > 1 else { return false }
        var i = 1
        var inTime = false
        var sawUnit = false
        var sawTimeUnit = false
        var order = "YMWD"
        var sawWeek = false
        var sawOther = false
        while i < u.count {
            if u[i] == UInt8(ascii: "T") {
                if inTime { return false }
                inTime = true
                order = "HMS"
                i += 1
                continue
            }
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            guard i > start, i < u.count else { return false }
            let unit = Character(UnicodeScalar(u[i]))
            guard let position = order.firstIndex(of: unit) else { return false }
            order = String(order[order.index(after: position)...])
            if unit == "W" { sawWeek = true } else { sawOther = true }
            sawUnit = true
            if inTime { sawTimeUnit = true }
            i += 1
        }
        if sawWeek && sawOther { return false }
        if inTime && !sawTimeUnit { return false }
        return sawUnit
    }
}

