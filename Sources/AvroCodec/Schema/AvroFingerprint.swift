import Crypto

/// The fingerprint algorithms of the specification, computed over the Parsing Canonical Form.
public enum AvroFingerprintAlgorithm: String, Sendable, CaseIterable {
    /// The 64-bit Rabin fingerprint "CRC-64-AVRO", used by single-object encoding.
    case rabin
    /// MD5 (16 bytes).
    case md5
    /// SHA-256 (32 bytes).
    case sha256
}

extension AvroSchema {
    /// The fingerprint of the canonical form as bytes: for Rabin, the 8 bytes of the 64-bit value least
    /// significant first (as Java's `SchemaNormalization.parsingFingerprint` and the single-object encoding
    /// header write it); for MD5 and SHA-256, the digest.
    public func fingerprint(_ algorithm: AvroFingerprintAlgorithm) -> [UInt8] {
        let canonical = Array(canonicalForm.utf8)
        switch algorithm {
        case .rabin:
            let value = AvroRabin.fingerprint(canonical)
            return (0..<8).map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
        case .md5:
            return Array(Insecure.MD5.hash(data: canonical))
        case .sha256:
            return Array(SHA256.hash(data: canonical))
        }
    }

    /// The 64-bit Rabin fingerprint of the canonical form.
    public var rabinFingerprint: UInt64 {
        AvroRabin.fingerprint(Array(canonicalForm.utf8))
    }

    /// The fingerprint bytes as lowercase hex (Rabin: 16 digits of the little-endian bytes, as Python's
    /// `Schema.fingerprint` prints it; use `rabinFingerprint` for the number).
    public func fingerprintHex(_ algorithm: AvroFingerprintAlgorithm) -> String {
        fingerprint(algorithm).hexString
    }
}

/// CRC-64-AVRO, the Rabin fingerprint defined by the specification.
public enum AvroRabin {
    /// The fingerprint of no bytes, which is also the polynomial.
    public static let empty: UInt64 = 0xc15d_213a_a4d7_a795

    private static let table: [UInt64] = (0..<256).map { i in
        var fp = UInt64(i)
        for _ in 0..<8 {
            fp = (fp >> 1) ^ (empty & (0 &- (fp & 1)))
        }
        return fp
    }

    /// The 64-bit fingerprint of `bytes` (the specification's table-driven algorithm).
    public static func fingerprint(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var fp = empty
        for b in bytes {
            fp = (fp >> 8) ^ table[Int((fp ^ UInt64(b)) & 0xff)]
        }
        return fp
    }
}

extension Sequence<UInt8> {
    /// Lowercase hex, two digits a byte.
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
