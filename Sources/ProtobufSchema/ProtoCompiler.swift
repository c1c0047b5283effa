public import SwiftProtobuf
import Foundation

/// Where imported files come from.
public struct ProtoImportResolver: Sendable {
    let lookup: @Sendable (String) -> String?

    /// Resolves an import path with `lookup` (import path → `.proto` text, nil when there is no such file).
    public init(_ lookup: @Sendable @escaping (String) -> String?) {
        self.lookup = lookup
    }

    /// Files read from disk under these folders, in order; then built-in well-known files.
    public static func directories(_ paths: [String]) -> ProtoImportResolver {
        ProtoImportResolver { importPath in
            guard ProtoImportResolver.isSafeRelativePath(importPath) else { return nil }
            for directory in paths {
                let url = URL(fileURLWithPath: directory).appendingPathComponent(importPath)
                if let data = try? Data(contentsOf: url) {
                    return String(decoding: data, as: UTF8.self)
                }
            }
            return BuiltInProtoFiles.source(forImport: importPath)
        }
    }

    /// In-memory files by import path (the registry passes schema references this way); then built-ins.
    public static func sources(_ files: [String: String]) -> ProtoImportResolver {
        ProtoImportResolver { importPath in
            files[importPath] ?? BuiltInProtoFiles.source(forImport: importPath)
        }
    }

    /// Import paths are relative and may not climb out of the import folders.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }
}

/// Bounds on what one compilation reads, so hostile input fails with `.limitExceeded` instead of exhausting
/// memory or stack.
public struct ProtoCompileLimits: Sendable {
    /// Largest accepted size of one `.proto` file, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of message declarations (protoc allows 31 levels) and of option aggregate values.
    public var maxDepth: Int
    /// Most files one compilation may load (the main file and all its imports).
    public var maxFiles: Int
    /// Most tokens in one file.
    public var maxTokens: Int
    /// Deepest nesting of `{ ... }` in an aggregate option value.
    public var maxValueDepth: Int
    /// Most errors one compilation collects before it stops (the last one then says so).
    public var maxErrors: Int

    /// Creates limits; every value must be positive.
    public init(
        maxBytes: Int = 8 << 20,
        maxDepth: Int = 32,
        maxFiles: Int = 512,
        maxTokens: Int = 2_000_000,
        maxValueDepth: Int = 100,
        maxErrors: Int = 100
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxFiles = maxFiles
        self.maxTokens = maxTokens
        self.maxValueDepth = maxValueDepth
        self.maxErrors = maxErrors
    }

    /// 8 MiB per file, 32 levels of messages (as protoc), 512 files, 2 million tokens per file,
    /// 100 levels of aggregate option values, 100 errors.
    public static let `default` = ProtoCompileLimits()
}

/// Compiles `.proto` text into linked descriptors, as `protoc --descriptor_set_out --include_imports` would:
/// the same `FileDescriptorProto`s (without source info) and the same rejections, with compiler-style errors
/// (`file:line:column: message`). Like protoc it reports every error it finds, not just the first: the thrown
/// error is the first one, and `additionalErrors` holds the rest (at most `limits.maxErrors` in all).
public struct ProtoCompiler: Sendable {
    /// Where imports are read from.
    public let resolver: ProtoImportResolver
    /// Bounds on each compilation.
    public let limits: ProtoCompileLimits

    /// A compiler that reads imports through `resolver`.
    public init(resolver: ProtoImportResolver, limits: ProtoCompileLimits = .default) {
        self.resolver = resolver
        self.limits = limits
    }

    /// Compiles `source` (named `path`, e.g. "shop/order.proto") and its imports into a linked schema.
    public func compile(source: String, path: String) throws(ProtobufError) -> ProtoSchema {
        var linker = ProtoLinker(resolver: resolver, limits: limits)
        let files = try linker.link(mainSource: source, mainPath: path)
        guard let main = files.last else {
            throw ProtobufError(.invalidSchema, "nothing was compiled", location: .init(file: path, line: 1, column: 1))
        }
        return try ProtoSchema(file: main, dependencies: Array(files.dropLast()))
    }

    /// Reads `path` through the resolver.
    public func compile(path: String) throws(ProtobufError) -> ProtoSchema {
        guard let source = resolver.lookup(path) else {
            throw ProtobufError(.invalidSchema, "File not found.", location: .init(file: path, line: 1, column: 1))
        }
        return try compile(source: source, path: path)
    }
}

extension ProtoSchema {
    /// Confluent's Protobuf serializers register a base64 serialized FileDescriptorProto; `dependencies` are the
    /// imported files (already linked schemas' files, or sources compiled with the same compiler), each before
    /// the files that import it.
    ///
    /// The descriptor must pass the checks `.proto` text passes (names, numbers, ranges, map entries, nesting
    /// depth under the default limits) and its type references must resolve. This does not prove that its
    /// canonical text compiles back to it: when the text is what is kept, use
    /// `ProtoCompiler.compile(base64Descriptor:path:)`.
    public init(base64Descriptor: String, dependencies: [Google_Protobuf_FileDescriptorProto]) throws(ProtobufError) {
        let file = try Self.decodeDescriptor(base64: base64Descriptor)
        try DescriptorValidation.check(file, limits: .default)
        try DescriptorChecks.checkLinked(file, dependencies: dependencies)
        try self.init(file: file, dependencies: dependencies)
    }

    /// The `FileDescriptorProto` serialized in `base64` (surrounding whitespace allowed).
    static func decodeDescriptor(base64: String) throws(ProtobufError) -> Google_Protobuf_FileDescriptorProto {
        let trimmed = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw ProtobufError(.invalidSchema, "the schema is not valid base64")
        }
        do {
            return try Google_Protobuf_FileDescriptorProto(serializedBytes: data)
        } catch {
            throw ProtobufError(.invalidSchema, "the schema is not a serialized FileDescriptorProto: \(error)")
        }
    }
}
