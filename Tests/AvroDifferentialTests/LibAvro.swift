import AvroCodec
import CAvro

/// A failure reported by libavro, with its own error text.
struct LibAvroError: Error, CustomStringConvertible {
    let description: String

    init(_ what: String, code: Int32) {
        description = "\(what) failed (\(code)): \(String(cString: avro_strerror()))"
        cavro_clear_error()
    }
}

/// Runs a libavro call and turns a non-zero result into a thrown `LibAvroError`.
func check(_ what: String, _ code: Int32) throws(LibAvroError) {
    if code != 0 {
        let error = LibAvroError(what, code: code)
        cavro_clear_error()
        throw error
    }
}

/// One schema parsed by libavro and its generic value class. Both are released when this goes away.
final class LibAvroSchema {
    let schema: avro_schema_t
    let iface: UnsafeMutablePointer<avro_value_iface_t>

    init(json: String) throws(LibAvroError) {
        var parsed: avro_schema_t?
        let utf8 = Array(json.utf8)
        let code = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                avro_schema_from_json_length(chars.baseAddress, chars.count, &parsed)
            }
        }
        try check("avro_schema_from_json_length", code)
        guard let parsed else { throw LibAvroError("avro_schema_from_json_length", code: -1) }
        guard let iface = avro_generic_class_from_schema(parsed) else {
            avro_schema_decref(parsed)
            throw LibAvroError("avro_generic_class_from_schema", code: -1)
        }
        schema = parsed
        self.iface = iface
    }

    deinit {
        cavro_value_iface_decref(iface)
        avro_schema_decref(schema)
    }

    /// Builds a generic value from `value` and writes it with `avro_value_write`.
    func encode(_ value: AvroValue) throws(LibAvroError) -> [UInt8] {
        var generic = avro_value_t()
        try check("avro_generic_value_new", cavro_generic_value_new(iface, &generic))
        defer { cavro_value_decref(&generic) }
        try LibAvroValues.set(&generic, to: value)
        var size = 0
        try check("avro_value_sizeof", cavro_value_sizeof(&generic, &size))
        // At least one byte of storage, so an empty encoding still has a valid buffer address.
        var output = [UInt8](repeating: 0, count: max(size, 1))
        let code = output.withUnsafeMutableBytes { buffer -> Int32 in
            guard let writer = avro_writer_memory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int64(size))
            else { return -1 }
            defer { avro_writer_free(writer) }
            let result = cavro_value_write(writer, &generic)
            return result == 0 && avro_writer_tell(writer) != Int64(size) ? -2 : result
        }
        try check("avro_value_write", code)
        return Array(output.prefix(size))
    }

    /// Reads `bytes` with `avro_value_read` into a generic value and walks it back into an `AvroValue`.
    /// Fails unless every byte is consumed.
    func decode(_ bytes: [UInt8]) throws(LibAvroError) -> AvroValue {
        var generic = avro_value_t()
        try check("avro_generic_value_new", cavro_generic_value_new(iface, &generic))
        defer { cavro_value_decref(&generic) }
        // A reader over zero bytes still needs a valid pointer.
        let storage = bytes.isEmpty ? [0] : bytes
        let result: Result<Void, LibAvroError> = storage.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let reader = avro_reader_memory(chars.baseAddress, Int64(bytes.count)) else {
                    return .failure(LibAvroError("avro_reader_memory", code: -1))
                }
                defer { avro_reader_free(reader) }
                let code = cavro_value_read(reader, &generic)
                if code != 0 {
                    return .failure(LibAvroError("avro_value_read", code: code))
                }
                // avro_reader_is_eof is always false for memory readers: probe for one more byte instead.
                var extra: UInt8 = 0
                if avro_read(reader, &extra, 1) == 0 {
                    return .failure(LibAvroError("avro_value_read left bytes unread; it", code: -3))
                }
                cavro_clear_error()
                return .success(())
            }
        }
        try result.get()
        return try LibAvroValues.read(&generic)
    }
}

/// Moves values between `AvroValue` and libavro's `avro_value_t`, walking both trees.
enum LibAvroValues {
    static func set(_ target: inout avro_value_t, to value: AvroValue) throws(LibAvroError) {
        switch value {
        case .null:
            try check("set_null", cavro_value_set_null(&target))
        case .boolean(let flag):
            try check("set_boolean", cavro_value_set_boolean(&target, flag ? 1 : 0))
        case .int(let number):
            try check("set_int", cavro_value_set_int(&target, number))
        case .long(let number):
            try check("set_long", cavro_value_set_long(&target, number))
        case .float(let number):
            try check("set_float", cavro_value_set_float(&target, number))
        case .double(let number):
            try check("set_double", cavro_value_set_double(&target, number))
        case .bytes(let bytes), .fixed(let bytes):
            var copy = bytes.isEmpty ? [0] : bytes
            let code = copy.withUnsafeMutableBytes { buffer in
                if case .fixed = value {
                    return cavro_value_set_fixed(&target, buffer.baseAddress, bytes.count)
                }
                return cavro_value_set_bytes(&target, buffer.baseAddress, bytes.count)
            }
            try check("set_bytes/set_fixed", code)
        case .string(let text):
            // libavro's string length counts a terminating NUL.
            var utf8 = Array(text.utf8)
            utf8.append(0)
            let code = utf8.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    cavro_value_set_string_len(&target, chars.baseAddress, chars.count)
                }
            }
            try check("set_string_len", code)
        case .array(let items):
            for item in items {
                var child = avro_value_t()
                try check("append", cavro_value_append(&target, &child, nil))
                try set(&child, to: item)
            }
        case .map(let entries):
            for entry in entries {
                var child = avro_value_t()
                var isNew: Int32 = 0
                try check("add", cavro_value_add(&target, entry.key, &child, nil, &isNew))
                if isNew == 0 {
                    throw LibAvroError("add of a repeated map key", code: -4)
                }
                try set(&child, to: entry.value)
            }
        case .record(let fields):
            for (index, field) in fields.enumerated() {
                var child = avro_value_t()
                try check("get_by_index", cavro_value_get_by_index(&target, index, &child, nil))
                try set(&child, to: field)
            }
        case .enumeration(let index, _):
            // libavro identifies an enum value by its index only.
            try check("set_enum", cavro_value_set_enum(&target, Int32(index)))
        case .union(let branch, let inner):
            var child = avro_value_t()
            try check("set_branch", cavro_value_set_branch(&target, Int32(branch), &child))
            try set(&child, to: inner)
        }
    }

    /// Walks a libavro value into an `AvroValue`, taking enum symbols from libavro's own schema.
    static func read(_ source: inout avro_value_t) throws(LibAvroError) -> AvroValue {
        switch cavro_value_get_type(&source) {
        case AVRO_NULL:
            try check("get_null", cavro_value_get_null(&source))
            return .null
        case AVRO_BOOLEAN:
            var flag: Int32 = 0
            try check("get_boolean", cavro_value_get_boolean(&source, &flag))
            return .boolean(flag != 0)
        case AVRO_INT32:
            var number: Int32 = 0
            try check("get_int", cavro_value_get_int(&source, &number))
            return .int(number)
        case AVRO_INT64:
            var number: Int64 = 0
            try check("get_long", cavro_value_get_long(&source, &number))
            return .long(number)
        case AVRO_FLOAT:
            var number: Float = 0
            try check("get_float", cavro_value_get_float(&source, &number))
            return .float(number)
        case AVRO_DOUBLE:
            var number: Double = 0
            try check("get_double", cavro_value_get_double(&source, &number))
            return .double(number)
        case AVRO_BYTES, AVRO_FIXED:
            var pointer: UnsafeRawPointer?
            var size = 0
            let isFixed = cavro_value_get_type(&source) == AVRO_FIXED
            try check("get_bytes/get_fixed", isFixed
                ? cavro_value_get_fixed(&source, &pointer, &size) : cavro_value_get_bytes(&source, &pointer, &size))
            let bytes = pointer.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            return isFixed ? .fixed(bytes) : .bytes(bytes)
        case AVRO_STRING:
            var pointer: UnsafePointer<CChar>?
            var size = 0
            try check("get_string", cavro_value_get_string(&source, &pointer, &size))
            guard let pointer, size > 0 else { return .string("") }
            let bytes = UnsafeRawBufferPointer(start: pointer, count: size - 1)
            return .string(String(decoding: bytes, as: UTF8.self))
        case AVRO_ARRAY:
            var count = 0
            try check("get_size", cavro_value_get_size(&source, &count))
            var items: [AvroValue] = []
            for index in 0..<count {
                var child = avro_value_t()
                try check("get_by_index", cavro_value_get_by_index(&source, index, &child, nil))
                items.append(try read(&child))
            }
            return .array(items)
        case AVRO_MAP:
            var count = 0
            try check("get_size", cavro_value_get_size(&source, &count))
            var entries: [AvroMapEntry] = []
            for index in 0..<count {
                var child = avro_value_t()
                var key: UnsafePointer<CChar>?
                try check("get_by_index", cavro_value_get_by_index(&source, index, &child, &key))
                entries.append(AvroMapEntry(key.map { String(cString: $0) } ?? "", try read(&child)))
            }
            return .map(entries)
        case AVRO_RECORD:
            var count = 0
            try check("get_size", cavro_value_get_size(&source, &count))
            var fields: [AvroValue] = []
            for index in 0..<count {
                var child = avro_value_t()
                try check("get_by_index", cavro_value_get_by_index(&source, index, &child, nil))
                fields.append(try read(&child))
            }
            return .record(fields)
        case AVRO_ENUM:
            var index: Int32 = 0
            try check("get_enum", cavro_value_get_enum(&source, &index))
            // libavro does not range-check the index it reads, and avro_schema_enum_get does not either.
            let enumSchema = cavro_value_get_schema(&source)
            guard index >= 0, index < avro_schema_enum_number_of_symbols(enumSchema),
                let symbol = avro_schema_enum_get(enumSchema, index)
            else { return .enumeration(index: Int(index), symbol: "?") }
            return .enumeration(index: Int(index), symbol: String(cString: symbol))
        case AVRO_UNION:
            var discriminant: Int32 = 0
            var child = avro_value_t()
            try check("get_discriminant", cavro_value_get_discriminant(&source, &discriminant))
            try check("get_current_branch", cavro_value_get_current_branch(&source, &child))
            return .union(branch: Int(discriminant), value: try read(&child))
        default:
            throw LibAvroError("reading a value of unknown type", code: -5)
        }
    }
}
