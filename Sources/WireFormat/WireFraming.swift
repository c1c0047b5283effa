/// How a framed message names its writer schema.
public enum WireSchemaID: Sendable, Hashable, CustomStringConvertible {
    /// Confluent's original framing: magic byte `0x00`, then the schema id as 4 big-endian bytes.
    case id(UInt32)
    /// The framing Confluent added in 2025: magic byte `0x01`, then the schema's 16-byte GUID.
    case guid(SchemaGUID)

    public var description: String {
        switch self {
        case .id(let id): "id \(id)"
        case .guid(let guid): "guid \(guid)"
        }
    }
}

/// A schema's GUID as Confluent's registry gives it (`"guid"` in its answers) and the GUID framing carries it:
/// 16 bytes in the order of the UUID's text.
public struct SchemaGUID: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// From exactly 16 bytes; nil otherwise.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// From UUID text (`8-4-4-4-12` hex digits, either case); nil when it is not one.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        for (position, character) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(position) {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = Self.nibble(character) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.bytes = bytes
    }

    /// Lower-case UUID text, as the registry writes it.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// What the front of a framed message says: the writer schema, the Protobuf message indexes when asked for,
/// and where the payload starts.
public struct WireFrame: Sendable, Hashable {
    public var schema: WireSchemaID
    /// The message indexes (Protobuf only); nil when they were not read.
    public var messageIndexes: [Int]?
    /// The offset of the payload's first byte.
    public var payloadOffset: Int
}

/// Confluent's wire format: the framing every Confluent serializer writes in front of a payload.
///
/// - V0: `0x00`, then the schema id as 4 big-endian bytes.
/// - GUID: `0x01`, then the schema's 16-byte GUID.
///
/// Protobuf payloads also carry `MessageIndexes` right after the schema id or GUID.
public enum WireFraming {
    public static let magicV0: UInt8 = 0x00
    public static let magicGUID: UInt8 = 0x01

    /// The bytes in front of a payload.
    public static func header(_ schema: WireSchemaID, messageIndexes: [Int]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        appendHeader(schema, messageIndexes: messageIndexes, to: &out)
        return out
    }

    /// Appends the bytes in front of a payload.
    public static func appendHeader(_ schema: WireSchemaID, messageIndexes: [Int]? = nil, to out: inout [UInt8]) {
        switch schema {
        case .id(let id):
            out.append(magicV0)
            out.append(UInt8(truncatingIfNeeded: id >> 24))
            out.append(UInt8(truncatingIfNeeded: id >> 16))
            out.append(UInt8(truncatingIfNeeded: id >> 8))
            out.append(UInt8(truncatingIfNeeded: id))
        case .guid(let guid):
            out.append(magicGUID)
            out.append(contentsOf: guid.bytes)
        }
        if let messageIndexes { MessageIndexes.append(messageIndexes, to: &out) }
    }

    /// `payload` with its header in front.
    public static func frame(_ schema: WireSchemaID, messageIndexes: [Int]? = nil, payload: some Collection<UInt8>)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.reserveCapacity(21 + payload.count)
        appendHeader(schema, messageIndexes: messageIndexes, to: &out)
        out.append(contentsOf: payload)
        return out
    }

    /// Reads the header of a framed message; with `messageIndexes` (Protobuf) also the indexes after it.
    /// - Throws: `WireFormatError` with the byte offset: an empty message, an unknown magic byte, a header cut
    ///   short, or malformed message indexes.
    public static func read(_ bytes: [UInt8], messageIndexes: Bool = false) throws(WireFormatError) -> WireFrame {
        guard let magic = bytes.first else {
            throw WireFormatError(.truncated, "empty message: expected a Confluent magic byte (0x00 or 0x01)", offset: 0)
        }
        var offset = 1
        let schema: WireSchemaID
        switch magic {
        case magicV0:
            guard bytes.count >= 5 else {
                throw WireFormatError(
                    .truncated, "message of \(bytes.count) bytes is shorter than the 5-byte Confluent header",
                    offset: bytes.count)
            }
            var id: UInt32 = 0
            for index in 1..<5 { id = id << 8 | UInt32(bytes[index]) }
            schema = .id(id)
            offset = 5
        case magicGUID:
            guard bytes.count >= 17, let guid = SchemaGUID(bytes: Array(bytes[1..<17])) else {
                throw WireFormatError(
                    .truncated, "message of \(bytes.count) bytes is shorter than the 17-byte GUID header",
                    offset: bytes.count)
            }
            schema = .guid(guid)
            offset = 17
        default:
            let hex = String(magic, radix: 16, uppercase: true)
            throw WireFormatError(
                .invalid, "expected a Confluent magic byte (0x00 or 0x01), found 0x\(hex.count == 1 ? "0" + hex : hex)",
                offset: 0)
        }
        let indexes = messageIndexes ? try MessageIndexes.decode(bytes, at: &offset) : nil
        return WireFrame(schema: schema, messageIndexes: indexes, payloadOffset: offset)
    }
}
