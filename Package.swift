// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
        .library(name: "AvroCodec", targets: ["AvroCodec"]),
        .library(name: "SchemaCompatibility", targets: ["SchemaCompatibility"]),
        .library(name: "JSONSupport", targets: ["JSONSupport"]),
        .library(name: "JSONSchemaCompatibility", targets: ["JSONSchemaCompatibility"]),
        .library(name: "JSONSchemaEngine", targets: ["JSONSchemaEngine"]),
        .library(name: "WireFormat", targets: ["WireFormat"]),
        .library(name: "ProtobufSchema", targets: ["ProtobufSchema"]),
        .library(name: "ProtobufCompatibility", targets: ["ProtobufCompatibility"]),
        .library(name: "ProtobufCodec", targets: ["ProtobufCodec"]),
        .library(name: "SchemaProviders", targets: ["SchemaProviders"]),
        .library(name: "RegistryCore", targets: ["RegistryCore"]),
        .library(name: "AccordClient", targets: ["AccordClient"]),
        .library(name: "AccordSerializers", targets: ["AccordSerializers"]),
        .library(name: "RegistrySQLite", targets: ["RegistrySQLite"]),
        .library(name: "RegistryPostgres", targets: ["RegistryPostgres"]),
        .library(name: "ECMARegex", targets: ["ECMARegex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // An ordered, bounded JSON reader and writer with byte offsets and JSON pointers.
        .target(name: "JSONSupport", swiftSettings: swiftSettings),
        // A bounded ECMA-262 (Unicode mode) regular-expression engine for JSON Schema's `pattern`:
        // an explicit backtracking machine with step, size and input limits, safe on hostile patterns.
        .target(name: "ECMARegex", swiftSettings: swiftSettings),
        // JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12: parse and compile once, then validate with every violation.
        .target(name: "JSONSchemaEngine", dependencies: ["ECMARegex", "JSONSupport"], swiftSettings: swiftSettings),
        // Confluent's wire format: V0 (schema id) and GUID framing, Protobuf message indexes, varints.
        .target(name: "WireFormat", swiftSettings: swiftSettings),
        // Format-neutral compatibility levels and transitive histories.
        .target(name: "SchemaCompatibility", swiftSettings: swiftSettings),
        // Confluent's JSON Schema compatibility rules (SchemaDiff), with explanations and STRICT/LENIENT policies.
        .target(
            name: "JSONSchemaCompatibility",
            dependencies: ["ECMARegex", "JSONSupport", "SchemaCompatibility"],
            swiftSettings: swiftSettings
        ),
        // The Avro engine: schema parsing, canonical form, fingerprints, compatibility, binary and JSON codecs.
        .target(
            name: "AvroCodec",
            dependencies: [
                "JSONSupport",
                "SchemaCompatibility",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Protobuf: the .proto parser and linker producing FileDescriptorProtos, the canonical renderer,
        // message indexes, and the descriptor pool the other Protobuf modules look types up in.
        .target(
            name: "ProtobufSchema",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftSettings
        ),
        // Protobuf compatibility: Confluent's rules and buf's WIRE, WIRE_JSON and FILE categories.
        .target(
            name: "ProtobufCompatibility",
            dependencies: [
                "ProtobufSchema",
                "SchemaCompatibility",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["RULES.md"],
            swiftSettings: swiftSettings
        ),
        // Protobuf payloads without generated code: validate, decode to proto3 JSON, encode from it.
        .target(
            name: "ProtobufCodec",
            dependencies: [
                "ProtobufSchema",
                "JSONSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // One provider per schema format (parse, render, compatibility, payload codecs), looked up by type:
        // the registry core, the CLI and the serializers dispatch on formats only through it.
        .target(
            name: "SchemaProviders",
            dependencies: [
                "AvroCodec",
                "JSONSchemaCompatibility",
                "JSONSchemaEngine",
                "JSONSupport",
                "SchemaCompatibility",
                "ProtobufSchema",
                "ProtobufCompatibility",
                "ProtobufCodec",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // The registry's rules (Confluent Schema Registry semantics) over an abstract store; no HTTP, no SQL.
        .target(
            name: "RegistryCore",
            dependencies: [
                "SchemaProviders",
                "JSONSupport",
                "SchemaCompatibility",
                "ProtobufCompatibility",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Confluent Schema Registry's REST API on Hummingbird 2, with auth, metrics and graceful shutdown.
        .target(
            name: "RegistryServer",
            dependencies: [
                "RegistryCore",
                "SchemaProviders",
                "SchemaCompatibility",
                "ProtobufCompatibility",
                "JSONSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // A client of any registry speaking Confluent's REST API: typed calls, retries and failover, caches.
        .target(
            name: "AccordClient",
            dependencies: [
                "JSONSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Serializers and deserializers for producers and consumers: Codable/Avro, SwiftProtobuf and JSON values in
        // Confluent's wire format, schema ids from a registry cached after the first message.
        .target(
            name: "AccordSerializers",
            dependencies: [
                "AccordClient",
                "SchemaProviders",
                "WireFormat",
                "AvroCodec",
                "JSONSupport",
                "ProtobufSchema",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // Migrations: a directory of subjects and versions (manifests in YAML), checked, planned and applied.
        .target(
            name: "Migrations",
            dependencies: [
                "AccordClient",
                "JSONSupport",
                "SchemaProviders",
                "SchemaCompatibility",
                "ProtobufCompatibility",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The registry's embedded store: one SQLite file in WAL mode (GRDB over Debian's libsqlite3).
        .target(
            name: "RegistrySQLite",
            dependencies: ["RegistryCore", "SchemaProviders", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The registry's shared store: PostgreSQL (postgres-nio), several writing nodes on one database.
        .target(
            name: "RegistryPostgres",
            dependencies: [
                "RegistryCore",
                "SchemaProviders",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `accord` subcommands; the executable only calls into this.
        .target(
            name: "AccordCLI",
            dependencies: [
                "AvroCodec",
                "JSONSupport",
                "SchemaCompatibility",
                "ProtobufSchema",
                "ProtobufCompatibility",
                "ProtobufCodec",
                "SchemaProviders",
                "Migrations",
                "WireFormat",
                "AccordClient",
                "RegistryCore",
                "RegistryServer",
                "RegistrySQLite",
                "RegistryPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "accord", dependencies: ["AccordCLI"], swiftSettings: swiftSettings),

        // libavro (Debian libavro-dev): a reference implementation for differential tests and benchmarks only.
        .systemLibrary(
            name: "CAvro",
            pkgConfig: "avro-c",
            providers: [.apt(["libavro-dev"])]
        ),
        // libprotobuf-c (Debian libprotobuf-c-dev): the Protobuf reference for differential tests and benchmarks.
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .executableTarget(
            name: "accord-bench",
            dependencies: ["AvroCodec", "JSONSupport", "CAvro", "ProtobufSchema", "ProtobufCodec", "CProtobufC"],
            swiftSettings: swiftSettings
        ),

        // JSON Schema validation against ajv and the Python validators, and the compatibility check's time.
        .executableTarget(
            name: "accord-jsonschema-bench",
            dependencies: ["JSONSchemaEngine", "JSONSchemaCompatibility", "JSONSupport", "SchemaCompatibility"],
            swiftSettings: swiftSettings
        ),
        // The serializer library's cost over a plain encode/decode, and the registry path of `accord validate`.
        .executableTarget(
            name: "accord-serde-bench",
            dependencies: [
                "AccordClient", "AccordSerializers", "AvroCodec", "JSONSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "JSONSupportTests", dependencies: ["JSONSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "JSONSchemaCompatibilityTests",
            dependencies: ["JSONSchemaCompatibility", "JSONSupport", "SchemaCompatibility"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JSONSchemaEngineTests",
            dependencies: ["JSONSchemaEngine", "JSONSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WireFormatTests", dependencies: ["WireFormat"], swiftSettings: swiftSettings),
        .testTarget(name: "ECMARegexTests", dependencies: ["ECMARegex"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MigrationsTests",
            dependencies: ["Migrations", "SchemaProviders", "SchemaCompatibility", "ProtobufCompatibility", "JSONSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordSerializersTests",
            dependencies: ["AccordSerializers", "AvroCodec"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SchemaProvidersTests",
            dependencies: ["SchemaProviders", "JSONSupport", "SchemaCompatibility"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SchemaCompatibilityTests",
            dependencies: ["SchemaCompatibility"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AvroCodecTests",
            dependencies: ["AvroCodec", "JSONSupport", "SchemaCompatibility"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AvroDifferentialTests",
            dependencies: ["AvroCodec", "JSONSupport", "CAvro"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProtobufSchemaTests",
            dependencies: ["ProtobufSchema", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProtobufCompatibilityTests",
            dependencies: [
                "ProtobufCompatibility", "ProtobufSchema", "SchemaCompatibility",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProtobufCodecTests",
            dependencies: [
                "ProtobufCodec", "ProtobufSchema", "JSONSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProtobufDifferentialTests",
            dependencies: [
                "ProtobufCodec", "ProtobufSchema", "JSONSupport", "CProtobufC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryCoreTests",
            dependencies: [
                "RegistryCore", "SchemaProviders", "JSONSupport", "SchemaCompatibility", "ProtobufSchema",
                "ProtobufCompatibility", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // End-to-end: the built `accord serve` started as a subprocess and driven over HTTP.
        // The HTTP layer in process (Hummingbird's test client): routing, queries, media types, auth, errors.
        .testTarget(
            name: "RegistryHTTPTests",
            dependencies: [
                "RegistryCore",
                "RegistryServer",
                "JSONSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryServerTests",
            dependencies: [
                "RegistryCore",
                "SchemaProviders",
                "AccordSerializers",
                "AvroCodec",
                "AccordClient",
                "JSONSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryStoreTests",
            dependencies: [
                "RegistryCore", "SchemaProviders", "RegistrySQLite", "RegistryPostgres", "JSONSupport", "SchemaCompatibility",
                "ProtobufCompatibility", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordCLITests",
            dependencies: [
                "AccordCLI", "AvroCodec", "JSONSupport", "RegistryCore", "RegistryServer", "RegistryPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// Fuzz targets (`make fuzz`, scripts/fuzz.sh): libFuzzer entry points in Fuzz/<name>/, one executable each. They
// exist only when ACCORD_FUZZ is set, so `swift build` and `make test` never see them; the script builds them
// with coverage and AddressSanitizer (`-sanitize=fuzzer,address`) in a scratch path of their own.
if Context.environment["ACCORD_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("json-parser", ["JSONSupport"]),
        ("avro-schema", ["AvroCodec"]),
        ("avro-decoders", ["AvroCodec", "JSONSupport"]),
        ("avro-differential", ["AvroCodec", "CAvro"]),
        ("proto-compiler", ["ProtobufSchema"]),
        ("protobuf-codec", [
            "ProtobufCodec", "ProtobufSchema", "JSONSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        ("wire-format", ["WireFormat"]),
        ("registry-requests", ["RegistryServer", "JSONSupport"]),
        ("json-schema", ["JSONSchemaEngine", "JSONSupport"]),
        ("ecma-regex", ["ECMARegex"]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(target.name)",
                dependencies: target.dependencies,
                path: "Fuzz/\(target.name)",
                swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]
            ))
    }
}
