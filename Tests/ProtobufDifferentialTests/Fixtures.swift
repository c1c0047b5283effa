import Foundation
import JSONSupport
import ProtobufSchema
import SwiftProtobuf
import Testing

/// The committed expectations in Fixtures/ (made by Fixtures/tools/make_fixtures.py with the Python
/// protobuf runtime) and the schemas they use.
enum DiffFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A schema from a committed FileDescriptorSet: `diff2`, `diff3` (Fixtures/) or `bench` (bench/bench.pb).
    static func schema(_ name: String) throws -> ProtoSchema {
        let url = name == "bench"
            ? repository.appendingPathComponent("bench/bench.pb")
            : directory.appendingPathComponent("\(name).pb")
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: try Data(contentsOf: url))
        return try ProtoSchema(descriptorSet: set)
    }

    static func entries(_ file: String) throws -> [JSONObject] {
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
        guard case .array(let items) = try JSONParser.parse(bytes, limits: JSONParseLimits(maxBytes: 8 << 20)) else {
            return []
        }
        return items.compactMap(\.objectValue)
    }

    /// A message built by the Python runtime: its input JSON, its canonical JSON and its bytes.
    struct Sample: CustomTestStringConvertible {
        let schema: String
        let message: String
        let input: JSONValue
        let json: JSONValue
        let bytes: [UInt8]
        var testDescription: String { "\(message) \(hex(bytes))" }
    }

    /// A payload with the Python runtime's verdict (and its JSON when it accepts).
    struct Verdict: CustomTestStringConvertible {
        let schema: String
        let message: String
        let bytes: [UInt8]
        let accept: Bool
        let json: JSONValue?
        let why: String
        var testDescription: String { "\(message): \(why)" }
    }

    static func samples() throws -> [Sample] {
        try entries("samples.json").map { entry in
            Sample(
                schema: entry["schema"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "",
                input: entry["input"] ?? .null, json: entry["json"] ?? .null,
                bytes: unhex(entry["hex"]?.stringValue ?? "")
            )
        }
    }

    static func encodings() throws -> [Sample] {
        try entries("encodings.json").map { entry in
            Sample(
                schema: entry["schema"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "",
                input: entry["json"] ?? .null, json: entry["json"] ?? .null,
                bytes: unhex(entry["hex"]?.stringValue ?? "")
            )
        }
    }

    static func verdicts() throws -> [Verdict] {
        try entries("verdicts.json").map { entry in
            let json = entry["json"]
            return Verdict(
                schema: entry["schema"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "",
                bytes: unhex(entry["hex"]?.stringValue ?? ""), accept: entry["accept"]?.boolValue ?? false,
                json: json?.isNull == false ? json : nil, why: entry["why"]?.stringValue ?? ""
            )
        }
    }

    static func unhex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in text.utf8 {
            let digit = character <= UInt8(ascii: "9") ? character &- UInt8(ascii: "0") : character &- UInt8(ascii: "a") &+ 10
            if let first = high {
                bytes.append(first << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}

/// Whether two proto3 JSON documents mean the same: object members in any order, numbers by value
/// (a float field may print at float or double precision).
func jsonEquivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)):
        guard x.members.count == y.members.count else { return false }
        for member in x.members {
            guard let other = y.members.first(where: { $0.key == member.key }), jsonEquivalent(member.value, other.value) else {
                return false
            }
        }
        return true
    case (.array(let x), .array(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { jsonEquivalent($0, $1) }
    case (.number(let x), .number(let y)):
        let (p, q) = (x.doubleValue, y.doubleValue)
        return p == q || Float(p) == Float(q)
    default:
        return a == b
    }
}

extension JSONObject {
    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }
}

extension JSONValue {
    /// Whether any string in the document holds a NUL (protobuf-c's strings end at the first one).
    var containsNUL: Bool {
        switch self {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains { $0.containsNUL }
        case .object(let object): object.members.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        default: false
        }
    }
}
