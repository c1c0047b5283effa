import Foundation
import JSONSupport
import ProtobufSchema
import SwiftProtobuf

/// SplitMix64, so generated values depend on the seed alone.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random proto3 JSON documents of a message type, walking its descriptor: a random subset of fields,
/// at most one member per oneof, required fields always, map keys unique, values at the edges of each
/// type. What protobuf-c cannot represent or gets wrong is never generated: strings holding NUL,
/// negative zero in implicit-presence fields, undeclared values of closed enums.
struct ProtoValueGenerator {
    let pool: ProtoDescriptorPool
    var random: SeededRandom
    var maxDepth = 4

    init(pool: ProtoDescriptorPool, seed: UInt64) {
        self.pool = pool
        random = SeededRandom(seed: seed)
    }

    private static let strings = ["", "a", "hello", "héllo wörld", "日本語", "🌍 emoji", "tab\tquote\"back\\slash", "x\u{7f}y",
                                  String(repeating: "long ", count: 40), "\u{ffff}", "\u{10ffff}"]

    mutating func message(_ name: String, depth: Int = 0) -> JSONValue {
        guard let type = pool.messages[ProtoCDescriptors.trimmed(name)] else { return .object(JSONObject()) }
        let descriptor = type.descriptor
        let proto2 = ProtoSyntax(pool.files[type.fileIndex]) == .proto2
        var members: [JSONMember] = []
        var usedOneofs: Set<Int32> = []
        for field in descriptor.field.shuffled(using: &random) {
            let required = field.label == .required
            let isMessage = field.type == .message
            // Deeper levels get fewer fields, so recursive types stay small.
            let chance = depth >= maxDepth && isMessage ? 0 : (depth == 0 ? 70 : 45)
            guard required || Int.random(in: 0..<100, using: &random) < chance else { continue }
            if field.hasOneofIndex && !field.proto3Optional {
                guard usedOneofs.insert(field.oneofIndex).inserted else { continue }
            }
            let implicit = !proto2 && !field.proto3Optional && !field.hasOneofIndex && field.label != .repeated
            let key = Bool.random(using: &random) || field.jsonName.isEmpty ? field.jsonName : field.name
            members.append(JSONMember(key.isEmpty ? field.name : key, value(field, depth: depth, implicit: implicit)))
        }
        return .object(JSONObject(members))
    }

    private mutating func value(_ field: Google_Protobuf_FieldDescriptorProto, depth: Int, implicit: Bool) -> JSONValue {
        if field.label == .repeated {
            let count = Int.random(in: 0...4, using: &random)
            if let entry = pool.messages[ProtoCDescriptors.trimmed(field.typeName)], entry.descriptor.options.mapEntry {
                let keyField = entry.descriptor.field.first { $0.number == 1 }
                let valueField = entry.descriptor.field.first { $0.number == 2 }
                var seen: Set<String> = []
                var entries: [JSONMember] = []
                for _ in 0..<count {
                    guard let keyField, let valueField else { break }
                    let key = mapKey(keyField)
                    guard seen.insert(key).inserted else { continue }
                    entries.append(JSONMember(key, scalarOrMessage(valueField, depth: depth, implicit: false)))
                }
                if let keyField {
                    entries.sort { Self.keyPrecedes($0.key, $1.key, type: keyField.type) }
                }
                return .object(JSONObject(entries))
            }
            return .array((0..<count).map { _ in scalarOrMessage(field, depth: depth, implicit: false) })
        }
        return scalarOrMessage(field, depth: depth, implicit: implicit)
    }

    /// Deterministic serialization's order of map keys: false before true, integers by value, strings by
    /// their UTF-8 bytes.
    static func keyPrecedes(_ a: String, _ b: String, type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> Bool {
        switch type {
        case .bool: return a == "false" && b == "true"
        case .string: return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        case .uint32, .uint64, .fixed32, .fixed64: return (UInt64(a) ?? 0) < (UInt64(b) ?? 0)
        default: return (Int64(a) ?? 0) < (Int64(b) ?? 0)
        }
    }

    private mutating func mapKey(_ field: Google_Protobuf_FieldDescriptorProto) -> String {
        switch scalarOrMessage(field, depth: 0, implicit: false) {
        case .string(let text): text
        case .number(let number): number.text
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    private mutating func scalarOrMessage(_ field: Google_Protobuf_FieldDescriptorProto, depth: Int, implicit: Bool) -> JSONValue {
        switch field.type {
        case .int32, .sint32, .sfixed32:
            return .integer(pick([0, 1, -1, 127, 128, -129, Int32.max, Int32.min, Int32.random(in: .min ... .max, using: &random)]))
        case .uint32, .fixed32:
            return .integer(pick([0, 1, 127, 128, UInt32.max, UInt32.random(in: 0 ... .max, using: &random)]))
        case .int64, .sint64, .sfixed64:
            let number = pick([0, 1, -1, Int64.max, Int64.min, 1 << 35, Int64.random(in: .min ... .max, using: &random)])
            // Both the string and the number form are proto3 JSON (numbers only where exact in a double).
            return number.magnitude < 1 << 50 && Bool.random(using: &random) ? .integer(number) : .string(String(number))
        case .uint64, .fixed64:
            return .string(String(pick([0, 1, UInt64.max, 1 << 63, UInt64.random(in: 0 ... .max, using: &random)])))
        case .float:
            let choice = Int.random(in: 0..<10, using: &random)
            if choice == 0 { return .string(pick(["NaN", "Infinity", "-Infinity"])) }
            return .double(Double(Int.random(in: -4000...4000, using: &random)) / 4)
        case .double:
            let choice = Int.random(in: 0..<10, using: &random)
            if choice == 0 { return .string(pick(["NaN", "Infinity", "-Infinity"])) }
            if choice < 4 { return .double(pick([0, 1, -1.5, 0.1, 1e300, -2.5e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude])) }
            var number = Double(bitPattern: random.next())
            while !number.isFinite || number == 0 {
                number = Double(bitPattern: random.next())
            }
            return .double(number)
        case .bool:
            return .bool(Bool.random(using: &random))
        case .string:
            return .string(pick(Self.strings))
        case .bytes:
            let count = pick([0, 1, 3, 16, 200])
            let bytes = (0..<count).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
            return .string(Data(bytes).base64EncodedString())
        case .enum:
            let values = pool.enums[ProtoCDescriptors.trimmed(field.typeName)]?.descriptor.value ?? []
            guard let first = values.first else { return .integer(0) }
            return .string(pick(values).name.isEmpty ? first.name : pick(values).name)
        case .message:
            return message(field.typeName, depth: depth + 1)
        default:
            return .null
        }
    }
}
