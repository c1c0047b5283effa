// The dynamic Protobuf codec on any payload of the codec fixtures' message types (proto3, proto2, editions).
// Input: a message's full name, a newline, a mode byte, the payload. Mode bit 0: 0 binary, 1 proto3 JSON.
// Binary: decodeToJSON may accept only what validate accepts, the direct printer must agree with the general
// one, and decoded JSON must encode and decode again to the same JSON (up to map order). JSON: what encodes must decode, and
// decoding then encoding again gives the same bytes.
import Foundation
import JSONSupport
@testable import ProtobufCodec
import ProtobufSchema
import SwiftProtobuf

/// JSON with object members in key order: the encoder writes map entries sorted by key (deterministic mode), the
/// decoder prints them in wire order.
func sorted(_ json: JSONValue) -> String { json.serialized(JSONWriteOptions(sortedKeys: true)) }

/// Tests/ProtobufCodecTests/Fixtures/*.pb (protoc descriptor sets).
let schemas: [ProtoSchema] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/ProtobufCodecTests/Fixtures")
    return ["codec_proto3", "codec_proto2", "codec_editions", "codec_editions_file"].map { name in
        do {
            let data = try Data(contentsOf: root.appendingPathComponent(name + ".pb"))
            return try ProtoSchema(descriptorSet: Google_Protobuf_FileDescriptorSet(serializedBytes: data))
        } catch {
            fatalError("fixture \(name).pb: \(error)")
        }
    }
}()

nonisolated(unsafe) var codecs: [String: ProtoMessageCodec?] = [:]

func codec(_ name: String) -> ProtoMessageCodec? {
    if let known = codecs[name] { return known }
    let found = schemas.lazy.compactMap { try? ProtoMessageCodec(schema: $0, messageName: name) }.first
    if codecs.count < 10_000 { codecs[name] = found }
    return found
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let newline = input.firstIndex(of: 10), newline + 1 < input.count, newline < 200 else { return 0 }
    guard let codec = codec(String(decoding: input[..<newline], as: UTF8.self)) else { return 0 }
    let mode = input[newline + 1]
    let payload = Array(input[(newline + 2)...])
    if mode & 1 == 0 {
        let valid = (try? codec.validate(payload)) != nil
        let direct = codec.directJSON(payload)
        guard let json = try? codec.decodeToJSON(payload) else {
            if direct != nil { fatalError("the direct printer accepts what decodeToJSON refuses") }
            return 0
        }
        if !valid { fatalError("decodeToJSON accepts what validate refuses") }
        if let direct, let general = try? codec.generalJSON(payload), direct != general {
            fatalError("direct and general printers differ:\n\(direct.serialized())\n\(general.serialized())")
        }
        do {
            let bytes = try codec.encode(json: json)
            let again = try codec.decodeToJSON(bytes)
            if sorted(again) != sorted(json) { fatalError("JSON round trip differs:\n\(json.serialized())\n\(again.serialized())") }
        } catch {
            fatalError("decoded JSON does not round-trip: \(error)\n\(json.serialized())")
        }
    } else {
        guard let json = try? JSONParser.parse(payload), let bytes = try? codec.encode(json: json) else { return 0 }
        do {
            let decoded = try codec.decodeToJSON(bytes)
            let again = try codec.encode(json: decoded)
            if again != bytes { fatalError("encode(decode(encode(json))) differs for \(json.serialized())") }
        } catch {
            fatalError("encoded JSON does not decode: \(error)\n\(json.serialized())")
        }
    }
    return 0
}
