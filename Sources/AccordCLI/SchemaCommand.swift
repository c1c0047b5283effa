import ArgumentParser
import AvroCodec

/// `accord schema …`: look at one schema file.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Inspect a schema: canonical form, fingerprint, normalized form.",
        subcommands: [Canonical.self, Fingerprint.self, Normalize.self]
    )

    struct Canonical: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the Avro Parsing Canonical Form of a schema."
        )

        @Option(help: "Schema format, when the file extension does not say.") var type: SchemaFormat?
        @Argument(help: "The schema file (.avsc).") var file: String

        func run() throws {
            switch try SchemaFormat.detect(path: file, override: type) {
            case .avro: Output.writeLine(try SchemaLoader.avro(file).canonicalForm)
            }
        }
    }

    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the fingerprint of a schema's canonical form as lowercase hex.",
            discussion: "rabin is the 64-bit CRC-64-AVRO value as 16 hex digits, most significant first."
        )

        @Option(help: "rabin, md5 or sha256.") var algorithm: AvroFingerprintAlgorithm = .rabin
        @Option(help: "Schema format, when the file extension does not say.") var type: SchemaFormat?
        @Argument(help: "The schema file (.avsc).") var file: String

        func run() throws {
            switch try SchemaFormat.detect(path: file, override: type) {
            case .avro: Output.writeLine(Self.hex(of: try SchemaLoader.avro(file), algorithm))
            }
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
                Stable under whitespace, key order and namespace spelling; keeps logical types, defaults, \
                aliases, field order, docs and custom properties.
                """
        )

        @Option(help: "Schema format, when the file extension does not say.") var type: SchemaFormat?
        @Argument(help: "The schema file (.avsc).") var file: String

        func run() throws {
            switch try SchemaFormat.detect(path: file, override: type) {
            case .avro: Output.writeLine(try SchemaLoader.avro(file).normalizedForm)
            }
        }
    }
}

extension AvroFingerprintAlgorithm: ExpressibleByArgument {}
