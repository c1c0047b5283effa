import JSONSupport

/// allOf/anyOf/oneOf: the criterion, the number of subschemas, and the best pairing of original and update
/// subschemas.
extension DiffEngine {
    func dedup(_ n: SchemaNode) -> [NodeID] {
        var seen: [JSONValue] = []
        var result: [NodeID] = []
        for (index, id) in n.subschemas.enumerated() {
            let json = index < n.subschemaJSON.count ? n.subschemaJSON[index] : .string("\u{0}\(id)")
            if seen.contains(json) { continue }
            seen.append(json)
            result.append(id)
        }
        return result
    }

    mutating func compareCombined(_ ctx: inout DiffContext, _ o: SideNode, _ u: SideNode) throws(JSONSchemaDiffError) {
        let on = node(o)
        let un = node(u)
        let singleO = on.subschemas.count == 1
        let singleU = un.subschemas.count == 1
        if on.criterion != un.criterion {
            if un.criterion == .anyOf || (singleO && singleU) || (singleO && un.criterion == .oneOf)
                || (singleU && on.criterion == .allOf)
            {
                ctx.add("COMBINED_TYPE_EXTENDED")
            } else {
                ctx.add("COMBINED_TYPE_CHANGED")
                return
            }
        }
        let originals = dedup(on)
        let updates = dedup(un)
        if originals.count < updates.count {
            ctx.add(un.criterion == .allOf ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED")
        } else if originals.count > updates.count {
            ctx.add(on.criterion == .allOf ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED")
        }
        var edges: [[Int: [RawDifference]]] = Array(repeating: [:], count: originals.count)
        for (i, oid) in originals.enumerated() {
            for (j, uid) in updates.enumerated() {
                var sub = DiffContext(path: ctx.path + ["\(on.criterion.rawValue)/\(i)"])
                try compare(&sub, child(o, oid), child(u, uid))
                if isCompatible(sub) { edges[i][j] = sub.diffs }
            }
        }
        let matching = Self.maximumMatching(edges, left: originals.count, right: updates.count)
        for (i, j) in matching.sorted(by: { $0.key < $1.key }) {
            if let diffs = edges[i][j] { ctx.diffs += diffs }
        }
        if matching.count < min(originals.count, updates.count) {
            ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED")
        }
    }

    /// Maximum-cardinality bipartite matching (greedy start, then augmenting paths), original index → update index.
    static func maximumMatching(_ edges: [[Int: [RawDifference]]], left: Int, right: Int) -> [Int: Int] {
        var matchOfRight = [Int?](repeating: nil, count: right)
        var matchOfLeft = [Int?](repeating: nil, count: left)
        for i in 0..<left {
            for j in edges[i].keys.sorted() where matchOfRight[j] == nil {
                matchOfRight[j] = i
                matchOfLeft[i] = j
                break
            }
        }
        func augment(_ i: Int, _ visited: inout [Bool]) -> Bool {
            for j in edges[i].keys.sorted() where !visited[j] {
                visited[j] = true
                if let other = matchOfRight[j] {
                    if augment(other, &visited) {
                        matchOfRight[j] = i
                        matchOfLeft[i] = j
                        return true
                    }
                } else {
                    matchOfRight[j] = i
                    matchOfLeft[i] = j
                    return true
                }
            }
            return false
        }
        for i in 0..<left where matchOfLeft[i] == nil {
            var visited = [Bool](repeating: false, count: right)
            _ = augment(i, &visited)
        }
        var result: [Int: Int] = [:]
        for i in 0..<left { if let j = matchOfLeft[i] { result[i] = j } }
        return result
    }
}
