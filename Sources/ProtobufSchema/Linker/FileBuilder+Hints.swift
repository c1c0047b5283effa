import SwiftProtobuf

/// protoc's `MessageHints`: after a bad field number in a top-level message, one more error suggests free
/// numbers for it ("Suggested field numbers for A: 2, 3").
struct FieldNumberHint: Sendable {
    /// How many numbers to suggest (at most 3 are printed).
    var count: Int64 = 0
    /// The element whose number was bad first; the suggestion is reported at its number.
    var firstReason: ElementPath
}

extension FileBuilder {
    /// Asks for a suggestion for the message at `messagePath` because of the number of `reason`; `count` is how
    /// many numbers that element needs (1 for a field, the size of a range). protoc prints suggestions for
    /// top-level messages only.
    mutating func hintFieldNumbers(_ messagePath: ElementPath, _ reason: ElementPath, count: Int64 = 1) {
        guard messagePath.count == 2, messagePath[0] == PathTag.fileMessage else { return }
        func fit(_ value: Int64) -> Int64 { min(max(value, 0), Int64(ProtoLimits.maxFieldNumber)) }
        let index = Int(messagePath[1])
        var hint = fieldNumberHints[index] ?? FieldNumberHint(firstReason: reason)
        hint.count = fit(hint.count + fit(count))
        fieldNumberHints[index] = hint
    }

    /// protoc's `SuggestFieldNumbers`, run right after cross-linking.
    func suggestFieldNumbers() throws(ProtobufError) {
        for index in fieldNumberHints.keys.sorted() {
            guard let hint = fieldNumberHints[index], file.messageType.indices.contains(index) else { continue }
            var remaining = min(3, hint.count)
            guard remaining > 0 else { continue }
            let message = file.messageType[index]
            let maxNumber = Int64(ProtoLimits.maxFieldNumber)
            var used: [(from: Int64, to: Int64)] = []
            for number in (message.field + message.extension).map({ Int64($0.number) }) where number > 0 && number <= maxNumber {
                if let last = used.last, last.to == number {
                    used[used.count - 1].to = number + 1
                } else {
                    used.append((number, number + 1))
                }
            }
            let ranges = message.reservedRange.map { (Int64($0.start), Int64($0.end)) }
                + message.extensionRange.map { (Int64($0.start), Int64($0.end)) }
            for (start, end) in ranges {
                let from = max(0, min(maxNumber + 1, start)), to = max(0, min(maxNumber + 1, end))
                if from < to { used.append((from, to)) }
            }
            used.append((maxNumber, maxNumber + 1))
            used.append((Int64(ProtoLimits.firstReservedNumber), Int64(ProtoLimits.lastReservedNumber)))
            used.sort { ($0.from, $0.to) < ($1.from, $1.to) }
            var suggestions: [Int64] = []
            var current: Int64 = 1
            for range in used {
                while current < range.from && remaining > 0 {
                    suggestions.append(current)
                    current += 1
                    remaining -= 1
                }
                if remaining == 0 { break }
                current = max(current, range.to)
            }
            let name = Self.join(file.package, message.name)
            let list = suggestions.map(String.init).joined(separator: ", ")
            try log.record(error("Suggested field numbers for \(name): \(list)", hint.firstReason, .number))
        }
    }
}
