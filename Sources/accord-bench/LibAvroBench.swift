import AvroCodec
import CAvro

/// libavro (Apache Avro C) driven in-process: one parsed schema and its generic value class.
/// Everything it creates is released in `deinit`.
final class LibAvroBench {
    private let schema: avro_schema_t
    private let iface: UnsafeMutablePointer<avro_value_iface_t>
    /// One prebuilt generic value per record, for the encode figure.
    private var prebuilt: [avro_value_t] = []

    init(json: String) throws(BenchFailure) {
        var parsed: avro_schema_t?
        let utf8 = Array(json.utf8)
        let code = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { avro_schema_from_json_length($0.baseAddress, $0.count, &parsed) }
        }
        guard code == 0, let parsed else { throw Self.failure("avro_schema_from_json_length") }
        guard let iface = avro_generic_class_from_schema(parsed) else {
            avro_schema_decref(parsed)
            throw Self.failure("avro_generic_class_from_schema")
        }
        schema = parsed
        self.iface = iface
    }

    deinit {
        for index in prebuilt.indices {
            cavro_value_decref(&prebuilt[index])
        }
        cavro_value_iface_decref(iface)
        avro_schema_decref(schema)
    }

    private static func failure(_ what: String) -> BenchFailure {
        BenchFailure("libavro: \(what) failed: \(String(cString: avro_strerror()))")
    }

    /// Builds one generic value per record (outside the timed loops).
    func prebuild(_ values: [AvroValue]) throws(BenchFailure) {
        prebuilt.reserveCapacity(values.count)
        for value in values {
            var generic = avro_value_t()
            guard cavro_generic_value_new(iface, &generic) == 0 else { throw Self.failure("avro_generic_value_new") }
            prebuilt.append(generic)
            guard Self.set(&prebuilt[prebuilt.count - 1], to: value) else { throw Self.failure("setting a value") }
        }
    }

    /// Reads every record (`avro_reader_memory` re-pointed at each one) into one reused generic value.
    /// Returns the number of records read, or nil if libavro failed.
    func decodeAll(_ records: RecordSet) -> Int? {
        decodeAll(records, verify: false)
    }

    /// Like `decodeAll`, and checks each value read re-encodes to exactly the record's length
    /// (so the reused value is really reset between records). Returns nil on any failure or mismatch.
    func decodeAllVerifying(_ records: RecordSet) -> Int? {
        decodeAll(records, verify: true)
    }

    private func decodeAll(_ records: RecordSet, verify: Bool) -> Int? {
        var generic = avro_value_t()
        guard cavro_generic_value_new(iface, &generic) == 0 else { return nil }
        defer { cavro_value_decref(&generic) }
        return records.storage.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            guard let reader = avro_reader_memory(chars, Int64(buffer.count)) else { return nil }
            defer { avro_reader_free(reader) }
            for (start, length) in records.spans {
                avro_reader_memory_set_source(reader, chars + start, Int64(length))
                if cavro_value_read(reader, &generic) != 0 {
                    return nil
                }
                if verify {
                    var size = 0
                    guard cavro_value_sizeof(&generic, &size) == 0, size == length else { return nil }
                }
            }
            return records.spans.count
        }
    }

    /// Writes every prebuilt value into one reused memory writer (reset before each record).
    /// Returns the total number of bytes written, or nil if libavro failed.
    func encodeAll() -> Int? {
        var buffer = [CChar](repeating: 0, count: 1 << 16)
        return buffer.withUnsafeMutableBufferPointer { storage -> Int? in
            guard let writer = avro_writer_memory(storage.baseAddress, Int64(storage.count)) else { return nil }
            defer { avro_writer_free(writer) }
            var total = 0
            for index in prebuilt.indices {
                avro_writer_reset(writer)
                if cavro_value_write(writer, &prebuilt[index]) != 0 {
                    return nil
                }
                total += Int(avro_writer_tell(writer))
            }
            return total
        }
    }

    /// The encoding of prebuilt record `index` (for checking libavro and our codec agree).
    func encoded(_ index: Int) -> [UInt8]? {
        var size = 0
        guard cavro_value_sizeof(&prebuilt[index], &size) == 0 else { return nil }
        var output = [UInt8](repeating: 0, count: max(size, 1))
        let ok = output.withUnsafeMutableBytes { raw -> Bool in
            guard let writer = avro_writer_memory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int64(size))
            else { return false }
            defer { avro_writer_free(writer) }
            return cavro_value_write(writer, &prebuilt[index]) == 0
        }
        return ok ? Array(output.prefix(size)) : nil
    }

    private static func set(_ target: inout avro_value_t, to value: AvroValue) -> Bool {
        switch value {
        case .null:
            return cavro_value_set_null(&target) == 0
        case .boolean(let flag):
            return cavro_value_set_boolean(&target, flag ? 1 : 0) == 0
        case .int(let number):
            return cavro_value_set_int(&target, number) == 0
        case .long(let number):
            return cavro_value_set_long(&target, number) == 0
        case .float(let number):
            return cavro_value_set_float(&target, number) == 0
        case .double(let number):
            return cavro_value_set_double(&target, number) == 0
        case .bytes(let bytes):
            var copy = bytes.isEmpty ? [0] : bytes
            return copy.withUnsafeMutableBytes { cavro_value_set_bytes(&target, $0.baseAddress, bytes.count) } == 0
        case .fixed(let bytes):
            var copy = bytes.isEmpty ? [0] : bytes
            return copy.withUnsafeMutableBytes { cavro_value_set_fixed(&target, $0.baseAddress, bytes.count) } == 0
        case .string(let text):
            // libavro's string length counts the terminating NUL.
            var utf8 = Array(text.utf8)
            utf8.append(0)
            return utf8.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cavro_value_set_string_len(&target, $0.baseAddress, $0.count) }
            } == 0
        case .array(let items):
            for item in items {
                var child = avro_value_t()
                guard cavro_value_append(&target, &child, nil) == 0, set(&child, to: item) else { return false }
            }
            return true
        case .map(let entries):
            for entry in entries {
                var child = avro_value_t()
                guard cavro_value_add(&target, entry.key, &child, nil, nil) == 0, set(&child, to: entry.value) else {
                    return false
                }
            }
            return true
        case .record(let fields):
            for (index, field) in fields.enumerated() {
                var child = avro_value_t()
                guard cavro_value_get_by_index(&target, index, &child, nil) == 0, set(&child, to: field) else {
                    return false
                }
            }
            return true
        case .enumeration(let index, _):
            return cavro_value_set_enum(&target, Int32(clamping: index)) == 0
        case .union(let branch, let inner):
            var child = avro_value_t()
            return cavro_value_set_branch(&target, Int32(clamping: branch), &child) == 0 && set(&child, to: inner)
        }
    }
}
