import CProtobufC
import Foundation

/// libprotobuf-c driven in-process on a descriptor built at run time from our descriptors
/// (`ProtoCDescriptors`), with the system allocator as a protoc-c user would have it.
/// Everything it creates is released in `deinit`.
final class ProtoCBench {
    private let descriptors: ProtoCDescriptors
    private let descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    /// One unpacked message per record, for the pack figure.
    private var unpacked: [UnsafeMutablePointer<ProtobufCMessage>] = []
    /// Where field 14 (`id`, int64) sits in an unpacked message: folded into the unpack checksum.
    private let idOffset: Int

    init(descriptors: ProtoCDescriptors, messageName: String) throws(BenchFailure) {
        guard let descriptor = descriptors.descriptor(messageName) else {
            throw BenchFailure("protobuf-c: no descriptor for \(messageName)")
        }
        guard let id = protobuf_c_message_descriptor_get_field(descriptor, 14) else {
            throw BenchFailure("protobuf-c: \(messageName) has no field 14")
        }
        self.descriptors = descriptors
        self.descriptor = descriptor
        idOffset = Int(id.pointee.offset)
    }

    deinit {
        for message in unpacked {
            protobuf_c_message_free_unpacked(message, nil)
        }
    }

    /// Unpacks every record once and keeps the messages (outside the timed loops); checks that packing
    /// each gives the record back byte for byte.
    func prebuild(_ records: RecordSet) throws(BenchFailure) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        for index in 0..<records.count {
            let record = Array(records.record(index))
            guard let message = record.withUnsafeBufferPointer({ protobuf_c_message_unpack(descriptor, nil, $0.count, $0.baseAddress) }) else {
                throw BenchFailure("protobuf-c rejects record \(index)")
            }
            unpacked.append(message)
            let size = protobuf_c_message_get_packed_size(message)
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            let written = buffer.withUnsafeMutableBufferPointer { protobuf_c_message_pack(message, $0.baseAddress) }
            guard written == size, buffer[..<size] == record[...] else {
                throw BenchFailure("protobuf-c packs record \(index) differently from our codec")
            }
        }
    }

    /// Unpacks and frees every record; folds each message's `id` (the checksum the other peers fold).
    /// Nil if protobuf-c failed.
    func unpackAll(_ records: RecordSet) -> UInt64? {
        records.storage.withUnsafeBufferPointer { buffer -> UInt64? in
            guard let base = buffer.baseAddress else { return nil }
            var h = foldSeed
            for (start, length) in records.spans {
                guard let message = protobuf_c_message_unpack(descriptor, nil, length, base + start) else { return nil }
                h = fold(h, UnsafeRawPointer(message).load(fromByteOffset: idOffset, as: UInt64.self))
                protobuf_c_message_free_unpacked(message, nil)
            }
            return h
        }
    }

    /// Whether protobuf-c unpacks each record.
    func accepts(_ records: RecordSet) -> [Bool] {
        (0..<records.count).map { index in
            let record = Array(records.record(index))
            guard let message = record.withUnsafeBufferPointer({ protobuf_c_message_unpack(descriptor, nil, $0.count, $0.baseAddress) }) else {
                return false
            }
            protobuf_c_message_free_unpacked(message, nil)
            return true
        }
    }

    /// Sizes and packs every prebuilt message into one reused buffer; folds each output's size and last
    /// byte.
    func packAll() -> UInt64? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var h = foldSeed
        for message in unpacked {
            let size = protobuf_c_message_get_packed_size(message)
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            let written = buffer.withUnsafeMutableBufferPointer { protobuf_c_message_pack(message, $0.baseAddress) }
            guard written > 0 else { return nil }
            h = fold(fold(h, UInt64(written)), UInt64(buffer[written - 1]))
        }
        return h
    }
}
