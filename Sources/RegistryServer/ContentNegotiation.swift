import Foundation

/// The response media type for a request's `Accept` header, chosen as Confluent's server (JAX-RS) chooses among
/// the types it produces: `application/vnd.schemaregistry.v1+json` (preferred), `application/vnd.schemaregistry+json`
/// (server quality 0.9) and `application/json` (0.5).
///
/// Each produced type takes the most specific range of the header that matches it (exact, then `type/*`, then
/// `*/*`) and that range's `q`. The winner is the one matched most specifically, then with the highest client
/// `q`, then with the highest server quality. No header (or an empty one) means the preferred type; a header that
/// accepts none of them gets `nil` (406 Not Acceptable).
enum ContentNegotiation {
    static let preferred = "application/vnd.schemaregistry.v1+json"

    /// What the server produces, with its quality, in order of preference.
    static let produced: [(type: String, quality: Double)] = [
        (preferred, 1.0), ("application/vnd.schemaregistry+json", 0.9), ("application/json", 0.5),
    ]

    /// At most this many ranges of a header are read; the rest are ignored.
    static let maxRanges = 64

    static func responseType(accept: String?) -> String? {
        guard let accept, !accept.allSatisfy({ $0 == " " || $0 == "," }) else { return preferred }
        let ranges = accept.split(separator: ",").prefix(maxRanges).compactMap(MediaRange.init)
        guard !ranges.isEmpty else { return preferred }
        var best: (type: String, specificity: Int, q: Double, quality: Double)?
        for (type, quality) in produced {
            // The most specific range naming this type decides its q (a `q=0` there refuses it).
            guard let range = ranges.filter({ $0.matches(type) }).max(by: { $0.specificity < $1.specificity }),
                range.q > 0
            else { continue }
            let candidate = (type: type, specificity: range.specificity, q: range.q, quality: quality)
            if let current = best {
                let better =
                    (candidate.specificity, candidate.q, candidate.quality) > (current.specificity, current.q, current.quality)
                if better { best = candidate }
            } else {
                best = candidate
            }
        }
        return best?.type
    }

    /// One range of an `Accept` header: `type/subtype` (either may be `*`) with its `q` (1 when absent).
    struct MediaRange {
        var type: Substring
        var subtype: Substring
        var q: Double

        init?(_ text: Substring) {
            let parts = text.split(separator: ";")
            guard let mediaType = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
            let halves = mediaType.split(separator: "/", omittingEmptySubsequences: false)
            guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { return nil }
            type = Substring(halves[0])
            subtype = Substring(halves[1])
            q = 1
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q", let value = Double(pair[1]), value >= 0, value <= 1 {
                    q = value
                }
            }
        }

        /// 2 for an exact type, 1 for `type/*`, 0 for `*/*`.
        var specificity: Int {
            type == "*" ? 0 : subtype == "*" ? 1 : 2
        }

        func matches(_ mediaType: String) -> Bool {
            let halves = mediaType.split(separator: "/")
            return (type == "*" || type == halves[0]) && (subtype == "*" || subtype == halves[1])
        }
    }
}
