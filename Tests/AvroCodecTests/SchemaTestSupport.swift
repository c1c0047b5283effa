import AvroCodec
import JSONSupport
import Testing

/// Parses `text`, failing the test with the error when it is rejected.
func parseSchema(_ text: String, options: AvroParseOptions = .default) throws -> AvroSchema {
    try AvroSchema(parsing: text, options: options)
}

/// The error `text` is rejected with, or nil when it parses.
func schemaError(_ text: String, options: AvroParseOptions = .default) -> AvroError? {
    do {
        _ = try AvroSchema(parsing: text, options: options)
        return nil
    } catch {
        return error
    }
}

extension AvroSchema {
    /// The record at the root (fails the test when the root is not a record).
    func rootRecord() throws -> AvroRecord {
        guard case .record(let record) = rootNode.kind else {
            throw AvroError(.invalidSchema, "root is \(rootNode.typeName), not a record")
        }
        return record
    }

    /// The node of the root record's field `name`.
    func fieldNode(_ name: String) throws -> AvroNode {
        let record = try rootRecord()
        let index = try #require(record.fieldIndex(named: name))
        return self[record.fields[index].type]
    }

    /// The node for a defined full name.
    func named(_ fullName: String) throws -> AvroNode {
        self[try #require(namedTypes[fullName])]
    }
}
