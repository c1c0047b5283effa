/// Text forms of google.protobuf.Timestamp (RFC 3339, UTC) and google.protobuf.Duration ("1.5s").
enum ProtoTime {
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds.
    static let minTimestampSeconds: Int64 = -62_135_596_800
    static let maxTimestampSeconds: Int64 = 253_402_300_799
    /// About 10,000 years, the Duration range.
    static let maxDurationSeconds: Int64 = 315_576_000_000

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// ".5" style fractions with 0, 3, 6 or 9 digits, as protobuf prints them.
    static func fraction(_ nanos: Int64) -> String {
        if nanos == 0 { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(nanos / 1_000_000, 3) }
        if nanos % 1000 == 0 { return "." + pad(nanos / 1000, 6) }
        return "." + pad(nanos, 9)
    }

    static func formatTimestamp(seconds: Int64, nanos: Int64) -> String? {
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds, nanos >= 0, nanos <= 999_999_999 else {
            return nil
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(days: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))\(fraction(nanos))Z"
    }

    static func formatDuration(seconds: Int64, nanos: Int64) -> String? {
        guard seconds >= -maxDurationSeconds, seconds <= maxDurationSeconds, nanos > -1_000_000_000,
            nanos < 1_000_000_000, !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0)
        else { return nil }
        let negative = seconds < 0 || nanos < 0
        return (negative ? "-" : "") + String(seconds.magnitude) + fraction(Int64(nanos.magnitude)) + "s"
    }

    /// Reads `count` ASCII digits at `i`.
    private static func digits(_ c: [UInt8], _ i: inout Int, _ count: Int) -> Int64? {
        guard i + count <= c.count else { return nil }
        var v: Int64 = 0
        for k in i..<(i + count) {
            let d = c[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        i += count
        return v
    }

    private static func expect(_ c: [UInt8], _ i: inout Int, _ ch: Character) -> Bool {
        guard i < c.count, let a = ch.asciiValue, c[i] == a else { return false }
        i += 1
        return true
    }

    /// Up to nine fraction digits after a '.', as nanoseconds; nil when there are none or too many.
    private static func nanos(_ c: [UInt8], _ i: inout Int) -> Int64? {
        var n: Int64 = 0
        var count = 0
        while i < c.count, c[i] >= UInt8(ascii: "0"), c[i] <= UInt8(ascii: "9") {
            guard count < 9 else { return nil }
            n = n * 10 + Int64(c[i] - UInt8(ascii: "0"))
            count += 1
            i += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<9 { n *= 10 }
        return n
    }

    /// RFC 3339 with an upper-case 'T', 1 to 9 fraction digits, and 'Z' or a ±HH:MM offset.
    static func parseTimestamp(_ text: String) -> (seconds: Int64, nanos: Int64)? {
        let c = Array(text.utf8)
        var i = 0
        guard let year = digits(c, &i, 4), expect(c, &i, "-"), let month = digits(c, &i, 2), expect(c, &i, "-"),
            let day = digits(c, &i, 2), expect(c, &i, "T"), let hour = digits(c, &i, 2), expect(c, &i, ":"),
            let minute = digits(c, &i, 2), expect(c, &i, ":"), let second = digits(c, &i, 2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var n: Int64 = 0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            guard let parsed = nanos(c, &i) else { return nil }
            n = parsed
        }
        var offset: Int64 = 0
        if expect(c, &i, "Z") {
        } else if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            let sign: Int64 = c[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(c, &i, 2), expect(c, &i, ":"), let om = digits(c, &i, 2), oh < 24, om < 60 else {
                return nil
            }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else { return nil }
        return (seconds, n)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// "-12.5s": an optional minus, whole seconds, 1 to 9 fraction digits, and "s".
    static func parseDuration(_ text: String) -> (seconds: Int64, nanos: Int64)? {
        let c = Array(text.utf8)
        var i = 0
        let negative = expect(c, &i, "-")
        var seconds: Int64 = 0
        let digitsStart = i
        while i < c.count, c[i] >= UInt8(ascii: "0"), c[i] <= UInt8(ascii: "9") {
            guard i - digitsStart < 12 else { return nil }
            seconds = seconds * 10 + Int64(c[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > digitsStart else { return nil }
        var n: Int64 = 0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            guard let parsed = nanos(c, &i) else { return nil }
            n = parsed
        }
        guard expect(c, &i, "s"), i == c.count, seconds <= maxDurationSeconds else { return nil }
        return negative ? (-seconds, -n) : (seconds, n)
    }
}
