import Foundation
import JSONSupport
import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf
import Testing

/// Loads the committed fixtures (made by Fixtures/tools/generate.py) and compiles codecs for them.
enum CodecFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(try data(name), limits: JSONParseLimits(maxBytes: 64 << 20))
    }

    /// The schema of `Fixtures/<file>.pb`, a protoc FileDescriptorSet whose last file is the main one.
    static func schema(_ file: String) throws -> ProtoSchema {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: try data(file + ".pb"))
        return try ProtoSchema(descriptorSet: set)
    }

    static func codec(_ file: String, _ message: String, limits: ProtoCodecLimits = .default) throws -> ProtoMessageCodec {
        try ProtoMessageCodec(schema: try schema(file), messageName: message, limits: limits)
    }

    /// Codecs by "file message", compiled once per call site's loop.
    struct Cache {
        var codecs: [String: ProtoMessageCodec] = [:]

        mutating func codec(_ file: String, _ message: String) throws -> ProtoMessageCodec {
            let key = file + " " + message
            if let c = codecs[key] { return c }
            let c = try CodecFixtures.codec(file, message)
            codecs[key] = c
            return c
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8 = c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// JSON equality as protobuf means it: object members in any order, numbers by value.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x.members {
                guard let other = y[member.key], same(member.value, other) else { return false }
            }
            return true
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.number(let x), .number(let y)):
            return x.doubleValue == y.doubleValue
        default:
            return a == b
        }
    }

    /// One entry of a fixture list as strings and flags.
    struct Entry {
        let object: JSONObject

        func string(_ key: String) -> String? { object[key]?.stringValue }
        func bool(_ key: String) -> Bool? { object[key]?.boolValue }
    }

    static func entries(_ name: String) throws -> [Entry] {
        guard case .array(let items) = try json(name) else { return [] }
        return items.compactMap { $0.objectValue.map(Entry.init) }
    }
}
