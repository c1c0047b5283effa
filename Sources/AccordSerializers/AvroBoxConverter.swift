import AvroCodec
import Foundation
import JSONSupport

/// One step of a field path: a record field or map key, or an array index.
enum PathStep {
    case key(String)
    case index(Int)
}

/// Gives an encoded Swift value the Avro types of a schema node. The field path is kept as steps and written
/// out only for a refusal, so a value that fits costs no string building.
struct AvroBoxConverter {
    let schema: AvroSchema

    /// `slot` as a value of `node`; `path` is where it is (restored on return).
    func value(_ slot: BoxSlot, node id: AvroSchema.NodeID, path: inout [PathStep]) throws(SerdeError) -> AvroValue {
        let node = schema[id]
        let box: EncodedBox
        if let array = slot.array {
            box = .array([])
            return try arrayValue(array, node: node, id: id, path: &path, box: box)
        } else if let object = slot.object {
            return try objectValue(object, node: node, id: id, path: &path)
        } else {
            box = slot.value ?? .null
        }
        func mismatch(_ expected: String) -> SerdeError {
            .invalidValue(path: Self.render(path), reason: "expected \(expected), got \(box.kindName)")
        }
        switch node.kind {
        case .null:
            guard case .null = box else { throw mismatch("nil") }
            return .null
        case .boolean:
            guard case .bool(let flag) = box else { throw mismatch("a Bool") }
            return .boolean(flag)
        case .int:
            if case .date(let date) = box, node.logicalType == .date {
                let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
                guard let value = Int32(exactly: days) else { throw mismatch("a date within the int range of days") }
                return .int(value)
            }
            if case .date(let date) = box, node.logicalType == .timeMillis {
                return .int(Int32(truncatingIfNeeded: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) % 86_400_000))
            }
            guard let number = integer(box), let value = Int32(exactly: number) else {
                throw mismatch("an integer within Int32")
            }
            return .int(value)
        case .long:
            if case .date(let date) = box {
                let seconds = date.timeIntervalSince1970
                let scaled: Double
                switch node.logicalType {
                case .timestampMillis?, .localTimestampMillis?: scaled = seconds * 1_000
                case .timestampMicros?, .localTimestampMicros?, .timeMicros?: scaled = seconds * 1_000_000
                case .timestampNanos?, .localTimestampNanos?: scaled = seconds * 1_000_000_000
                default: throw mismatch("an integer (a Date needs a timestamp logical type)")
                }
                guard let value = Int64(exactly: scaled.rounded(.down)) else { throw mismatch("a Date within range") }
                return .long(value)
            }
            guard let number = integer(box) else { throw mismatch("an integer within Int64") }
            return .long(number)
        case .float:
            guard let number = floating(box) else { throw mismatch("a number") }
            return .float(Float(number))
        case .double:
            guard let number = floating(box) else { throw mismatch("a number") }
            return .double(number)
        case .bytes:
            if case .decimal(let decimal) = box, case .decimal(let precision, let scale)? = node.logicalType {
                return .bytes(try unscaled(decimal, precision: precision, scale: scale, size: nil, path: Self.render(path)))
            }
            guard case .bytes(let bytes) = box else { throw mismatch("Data or [UInt8]") }
            return .bytes(bytes)
        case .string:
            switch box {
            case .string(let text): return .string(text)
            case .uuid(let uuid): return .string(uuid.uuidString.lowercased())
            default: throw mismatch("a String")
            }
        case .fixed(let fixed):
            if case .decimal(let decimal) = box, case .decimal(let precision, let scale)? = node.logicalType {
                return .fixed(try unscaled(decimal, precision: precision, scale: scale, size: fixed.size, path: Self.render(path)))
            }
            guard case .bytes(let bytes) = box else { throw mismatch("\(fixed.size) bytes") }
            guard bytes.count == fixed.size else {
                throw .invalidValue(
                    path: Self.render(path), reason: "expected \(fixed.size) bytes for \(fixed.name.fullName), got \(bytes.count)")
            }
            return .fixed(bytes)
        case .enumeration(let enumeration):
            guard case .string(let symbol) = box else { throw mismatch("a symbol of \(enumeration.name.fullName)") }
            guard let index = enumeration.symbols.firstIndex(of: symbol) else {
                throw .invalidValue(
                    path: Self.render(path),
                    reason: "'\(symbol)' is not a symbol of \(enumeration.name.fullName) (\(enumeration.symbols.joined(separator: ", ")))")
            }
            return .enumeration(index: index, symbol: symbol)
        case .union:
            return try unionValue(slot, box: box, id: id, path: &path)
        case .array, .map, .record:
            throw mismatch(node.kind.expectation(schema))
        }
    }

    private func arrayValue(_ elements: [BoxSlot], node: AvroNode, id: AvroSchema.NodeID, path: inout [PathStep], box: EncodedBox)
        throws(SerdeError) -> AvroValue
    {
        switch node.kind {
        case .array(let items):
            var values: [AvroValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                path.append(.index(index))
                values.append(try value(element, node: items, path: &path))
                path.removeLast()
            }
            return .array(values)
        case .union:
            return try unionValue(BoxSlot(array: elements), box: box, id: id, path: &path)
        default:
            throw .invalidValue(path: Self.render(path), reason: "expected \(node.kind.expectation(schema)), got an array")
        }
    }

    private func objectValue(_ members: [(String, BoxSlot)], node: AvroNode, id: AvroSchema.NodeID, path: inout [PathStep])
        throws(SerdeError) -> AvroValue
    {
        switch node.kind {
        case .map(let valuesNode):
            var entries: [AvroMapEntry] = []
            entries.reserveCapacity(members.count)
            for (key, member) in members.sorted(by: { $0.0 < $1.0 }) {
                path.append(.key(key))
                entries.append(AvroMapEntry(key, try value(member, node: valuesNode, path: &path)))
                path.removeLast()
            }
            return .map(entries)
        case .record(let record):
            var fields: [AvroValue] = []
            fields.reserveCapacity(record.fields.count)
            var used = 0
            for (position, field) in record.fields.enumerated() {
                // Synthesized Codable writes properties in declaration order, usually the schema's: try the same
                // position first, then search (the last of a key written twice wins).
                let member: BoxSlot?
                if position < members.count, members[position].0 == field.name,
                    !members[(position + 1)...].contains(where: { $0.0 == field.name })
                {
                    member = members[position].1
                } else {
                    member = members.last(where: { $0.0 == field.name })?.1
                }
                path.append(.key(field.name))
                defer { path.removeLast() }
                if let member {
                    used += 1
                    fields.append(try value(member, node: field.type, path: &path))
                } else if let defaultValue = field.defaultValue {
                    do {
                        fields.append(try schema.value(fromDefault: defaultValue, type: field.type))
                    } catch {
                        throw .invalidValue(path: Self.render(path), reason: "the default does not fit: \(error.message)")
                    }
                } else if let nullBranch = nullBranch(of: field.type) {
                    fields.append(.union(branch: nullBranch, value: .null))
                } else {
                    throw .invalidValue(
                        path: Self.render(path), reason: "missing field '\(field.name)' of \(record.name.fullName), which has no default")
                }
            }
            if used < members.count,
                let extra = members.map(\.0).filter({ name in record.fieldIndex(named: name) == nil }).sorted().first
            {
                path.append(.key(extra))
                defer { path.removeLast() }
                throw .invalidValue(path: Self.render(path), reason: "\(record.name.fullName) has no field '\(extra)'")
            }
            return .record(fields)
        case .union:
            return try unionValue(BoxSlot(object: members), box: .object([]), id: id, path: &path)
        default:
            throw .invalidValue(path: Self.render(path), reason: "expected \(node.kind.expectation(schema)), got a keyed value")
        }
    }

    /// The first branch `slot` fits; a slot whose shape fits one branch only reports that branch's problem.
    private func unionValue(_ slot: BoxSlot, box: EncodedBox, id: AvroSchema.NodeID, path: inout [PathStep])
        throws(SerdeError) -> AvroValue
    {
        guard case .union(let branches) = schema[id].kind else { return try value(slot, node: id, path: &path) }
        if slot.array == nil, slot.object == nil, case .null = box {
            guard let index = nullBranch(of: id) else {
                throw .invalidValue(path: Self.render(path), reason: "expected a value (the union has no null), got nil")
            }
            return .union(branch: index, value: .null)
        }
        let here = Self.render(path)
        let candidates = branches.enumerated().filter { !isNull($0.element) }
        var reasons: [String] = []
        for (index, branch) in candidates {
            do {
                return .union(branch: index, value: try value(slot, node: branch, path: &path))
            } catch {
                guard case .invalidValue(let failedPath, let reason) = error else { throw error }
                // The branch's shape fitted and a part of it did not: with one candidate that part is the problem.
                if candidates.count == 1 { throw error }
                reasons.append(failedPath != here ? "\(schema[branch].unionKey): \(failedPath) \(reason)" : "\(schema[branch].unionKey): \(reason)")
            }
        }
        throw .invalidValue(path: here, reason: "no branch of the union fits (\(reasons.joined(separator: "; ")))")
    }

    static func render(_ path: [PathStep]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += "/" + escape(key)
            case .index(let index): text += "/\(index)"
            }
        }
        return text
    }

    private func isNull(_ id: AvroSchema.NodeID) -> Bool {
        if case .null = schema[id].kind { return true }
        return false
    }

    private func nullBranch(of id: AvroSchema.NodeID) -> Int? {
        guard case .union(let branches) = schema[id].kind else { return nil }
        return branches.firstIndex { isNull($0) }
    }

    private func integer(_ box: EncodedBox) -> Int64? {
        switch box {
        case .int(let value): value
        case .uint(let value): Int64(exactly: value)
        default: nil
        }
    }

    private func floating(_ box: EncodedBox) -> Double? {
        switch box {
        case .double(let value): value
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        default: nil
        }
    }

    /// A decimal's unscaled value as big-endian two's complement: minimal for bytes, sign-extended to `size`
    /// for fixed.
    private func unscaled(_ decimal: Decimal, precision: Int, scale: Int, size: Int?, path: String) throws(SerdeError) -> [UInt8] {
        var scaled = decimal
        var rounded = Decimal()
        for _ in 0..<scale { scaled *= 10 }
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else {
            throw .invalidValue(path: path, reason: "\(decimal) has more than \(scale) decimal places")
        }
        let digits = rounded.magnitude.description
        guard digits.count <= precision || digits == "0" else {
            throw .invalidValue(path: path, reason: "\(decimal) has more than \(precision) digits")
        }
        // Exact big-integer arithmetic on the digit string: base-256 limbs, least significant first.
        var magnitude: [UInt8] = [0]
        for character in digits.utf8 {
            var carry = Int(character - UInt8(ascii: "0"))
            for index in magnitude.indices {
                let product = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(product & 0xFF)
                carry = product >> 8
            }
            while carry > 0 {
                magnitude.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        var bytes = Array(magnitude.reversed())
        if rounded < 0 {
            // Two's complement: invert and add one.
            bytes = bytes.map { ~$0 }
            var index = bytes.count - 1
            while index >= 0 {
                let (sum, overflow) = bytes[index].addingReportingOverflow(1)
                bytes[index] = sum
                if !overflow { break }
                index -= 1
            }
            if bytes.first.map({ $0 & 0x80 == 0 }) ?? true { bytes.insert(0xFF, at: 0) }
        } else if bytes.first.map({ $0 & 0x80 != 0 }) ?? false {
            bytes.insert(0, at: 0)
        }
        while bytes.count > 1, (bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0) {
            bytes.removeFirst()
        }
        guard let size else { return bytes }
        guard bytes.count <= size else {
            throw .invalidValue(path: path, reason: "\(decimal) does not fit \(size) bytes")
        }
        return Array(repeating: rounded < 0 ? 0xFF : 0, count: size - bytes.count) + bytes
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

extension AvroNode.Kind {
    /// What a Swift value must be to fill this kind, for refusals.
    func expectation(_ schema: AvroSchema) -> String {
        switch self {
        case .array: "an array"
        case .map: "a [String: Value] dictionary"
        case .record(let record): "a value with the fields of \(record.name.fullName)"
        case .union: "a value of the union"
        case .enumeration(let enumeration): "a symbol of \(enumeration.name.fullName)"
        case .fixed(let fixed): "\(fixed.size) bytes"
        case .null: "nil"
        case .boolean: "a Bool"
        case .int, .long: "an integer"
        case .float, .double: "a number"
        case .bytes: "Data or [UInt8]"
        case .string: "a String"
        }
    }
}
