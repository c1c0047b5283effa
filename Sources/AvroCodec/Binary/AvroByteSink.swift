/// A growable scratch buffer for the encoder: each write reserves once, then stores through a raw
/// pointer, so there is no per-byte capacity or uniqueness check as with `Array.append`.
///
/// Non-copyable, so the memory has exactly one owner and is freed on every path, including errors.
struct AvroByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count: Int = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far, valid until the next write.
    var written: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let needed = count + n
        var newCapacity = capacity
        while newCapacity < needed { newCapacity = newCapacity.multipliedReportingOverflow(by: 2).partialValue }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// A zig-zag varint.
    @inline(__always)
    mutating func writeLong(_ value: Int64) {
        reserve(10)
        var n = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var i = count
        while n >= 0x80 {
            base[i] = UInt8(truncatingIfNeeded: n) | 0x80
            n >>= 7
            i &+= 1
        }
        base[i] = UInt8(truncatingIfNeeded: n)
        count = i &+ 1
    }

    @inline(__always)
    mutating func writeInt(_ value: Int32) {
        writeLong(Int64(value))
    }

    @inline(__always)
    mutating func writeByte(_ value: UInt8) {
        reserve(1)
        base[count] = value
        count &+= 1
    }

    @inline(__always)
    mutating func writeFloat(_ value: Float) {
        reserve(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
        count &+= 4
    }

    @inline(__always)
    mutating func writeDouble(_ value: Double) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        count &+= 8
    }

    /// Raw bytes with no length prefix.
    @inline(__always)
    mutating func writeRaw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// Raw bytes with no length prefix (fixed values).
    @inline(__always)
    mutating func writeRaw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeRaw($0) }
    }

    /// Length-prefixed bytes.
    @inline(__always)
    mutating func writeBytes(_ bytes: [UInt8]) {
        writeLong(Int64(bytes.count))
        writeRaw(bytes)
    }

    /// Length-prefixed UTF-8.
    @inline(__always)
    mutating func writeString(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLong(Int64(utf8.count))
            writeRaw(utf8)
        }
        if done == nil {
            writeBytes(Array(string.utf8))
        }
    }
}
