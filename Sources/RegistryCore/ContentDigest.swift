import SchemaProviders
import Crypto

/// The content-derived guid: MD5 over a framed serialization of a schema's content, printed as a UUID.
enum ContentDigest {
    static func guid(of content: SchemaContent) -> String {
        var md5 = Insecure.MD5()
        func field(_ text: String) {
            var length = UInt32(truncatingIfNeeded: text.utf8.count).bigEndian
            withUnsafeBytes(of: &length) { md5.update(bufferPointer: $0) }
            md5.update(data: Array(text.utf8))
        }
        field(content.schemaType.rawValue)
        field(content.schema)
        for reference in content.references {
            field(reference.name)
            field(reference.subject)
            field(String(reference.version))
        }
        field(content.metadata ?? "")
        field(content.ruleSet ?? "")
        let bytes = Array(md5.finalize())
        return uuidString(bytes)
    }

    static func uuidString(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
