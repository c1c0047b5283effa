import ArgumentParser
import AvroCodec
import Foundation
import JSONSupport
import ProtobufSchema
import SchemaProviders
import SwiftProtobuf

/// Options every command that reads a schema file shares.
struct SchemaFileOptions: ParsableArguments {
    @Option(help: "Schema format (avro, protobuf or json), when the file extension does not say.")
    var type: SchemaType?

    @Option(
        name: .customLong("import-path"),
        help: "A folder .proto imports are resolved in (repeatable; the schema file's folder is always searched last)."
    )
    var importPaths: [String] = []

    @Flag(
        name: .customLong("assert-formats"),
        help: "JSON Schema: check `format` (date-time, email, uri, uuid, …) rather than treat it as an annotation.")
    var assertFormats = false

    func load(_ path: String) throws(CLIFailure) -> any ParsedSchema {
        try SchemaLoader.load(path, type: type, importPaths: importPaths, assertFormats: assertFormats)
    }
}

/// `accord schema …`: look at one schema file.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Inspect a schema: canonical form, fingerprint, normalized form, descriptors.",
        subcommands: [Canonical.self, Fingerprint.self, Normalize.self, Describe.self]
    )

    struct Canonical: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the canonical form: Avro's Parsing Canonical Form, or canonical .proto text."
        )

        @OptionGroup var schema: SchemaFileOptions
        @Argument(help: "The schema file (.avsc or .proto).") var file: String

        func run() throws {
            Output.writeText(try schema.load(file).canonicalText)
        }
    }

    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the fingerprint of an Avro schema's canonical form as lowercase hex.",
            discussion: "rabin is the 64-bit CRC-64-AVRO value as 16 hex digits, most significant first."
        )

        @Option(help: "rabin, md5 or sha256.") var algorithm: AvroFingerprintAlgorithm = .rabin
        @OptionGroup var schema: SchemaFileOptions
        @Argument(help: "The schema file (.avsc).") var file: String

        func run() throws {
            guard let avro = try schema.load(file) as? AvroParsedSchema else {
                throw CLIFailure.usage("\(file): fingerprints are defined for Avro schemas only")
            }
            Output.writeLine(Self.hex(of: avro.schema, algorithm))
        }

        /// Rabin prints the 64-bit value most significant digit first (the number, as the contract
        /// and Java's `Long.toHexString` show it); the digests print their bytes in order.
        static func hex(of schema: AvroSchema, _ algorithm: AvroFingerprintAlgorithm) -> String {
            switch algorithm {
            case .rabin:
                let digits = String(schema.rabinFingerprint, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            case .md5, .sha256:
                return schema.fingerprintHex(algorithm)
            }
        }
    }

    struct Normalize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the normalized form the registry uses for schema identity.",
            discussion: """
                Avro: stable under whitespace, key order and namespace spelling; keeps logical types, defaults, \
                aliases, field order, docs and custom properties. Protobuf: the canonical .proto text with imports, fields, \
                enum values, ranges and extensions in a fixed order (messages keep theirs: message indexes point at them).
                """
        )

        @OptionGroup var schema: SchemaFileOptions
        @Argument(help: "The schema file (.avsc or .proto).") var file: String

        func run() throws {
            Output.writeText(try schema.load(file).normalizedText)
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a .proto file and its imports as a FileDescriptorSet.",
            discussion: """
                The set lists imports first and the file last, as protoc --include_imports does. An invalid file \
                exits 2 with compiler-style errors (file:line:column) on stderr.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, binary
        }

        @Option(help: "json (protobuf's JSON form) or binary (serialized FileDescriptorSet).")
        var output: Format = .json
        @OptionGroup var schema: SchemaFileOptions
        @Argument(help: "The schema file (.proto).") var file: String

        func run() throws {
            guard let proto = (try schema.load(file) as? ProtobufParsedSchema)?.schema else {
                throw CLIFailure.usage("\(file): describe prints Protobuf descriptors; this is not a Protobuf schema")
            }
            var set = Google_Protobuf_FileDescriptorSet()
            set.file = proto.dependencies + [proto.file]
            switch output {
            case .json:
                var options = JSONEncodingOptions()
                options.preserveProtoFieldNames = false
                let json = try set.jsonString(options: options)
                Output.writeLine((try? JSONParser.parse(json).serialized(.pretty)) ?? json)
            case .binary:
                let bytes: [UInt8] = try set.serializedBytes()
                Output.writeBytes(bytes)
            }
        }
    }
}

extension AvroFingerprintAlgorithm: ExpressibleByArgument {}
