/// Appends the primitive encodings of the Avro binary format to a byte array.
package struct AvroBinaryWriter {
    package var bytes: [UInt8]

    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    package mutating func writeLong(_ value: Int64) {
        var n = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    @inline(__always)
    package mutating func writeInt(_ value: Int32) {
        writeLong(Int64(value))
    }

    package mutating func writeBoolean(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    package mutating func writeFloat(_ value: Float) {
        let bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }

    package mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }

    /// Length-prefixed bytes.
    package mutating func writeBytes(_ value: some Collection<UInt8>) {
        writeLong(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Length-prefixed UTF-8.
    package mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Raw bytes with no length (fixed values).
    package mutating func writeRaw(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
    }
}
