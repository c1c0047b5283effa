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

    init(descriptors: ProtoCDescriptors, messageName: String) throws(BenchFailure) {
        guard let descriptor = descriptors.descriptor(messageName) else {
            throw BenchFailure("protobuf-c: no descriptor for \(messageName)")
        }
        self.descriptors = descriptors
        self.descriptor = descriptor
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

    /// Unpacks and frees every record. Returns the number of records, or nil if protobuf-c failed.
    func unpackAll(_ records: RecordSet) -> Int? {
        records.storage.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var fields = 0
            for (start, length) in records.spans {
                guard let message = protobuf_c_message_unpack(descriptor, nil, length, base + start) else { return nil }
                fields &+= Int(message.pointee.n_unknown_fields) &+ 1
                protobuf_c_message_free_unpacked(message, nil)
            }
            return fields
        }
    }

    /// Sizes and packs every prebuilt message into one reused buffer. Returns the bytes written.
    func packAll() -> Int? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        for message in unpacked {
            let size = protobuf_c_message_get_packed_size(message)
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            total &+= buffer.withUnsafeMutableBufferPointer { protobuf_c_message_pack(message, $0.baseAddress) }
        }
        return total
    }
}
