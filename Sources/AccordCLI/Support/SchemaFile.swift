import ArgumentParser
import AvroCodec
import Foundation
import JSONSupport
import ProtobufSchema

/// The schema formats the CLI understands. The format comes from the file extension unless `--type` says.
enum SchemaFormat: String, ExpressibleByArgument, CaseIterable {
    case avro
    case protobuf

    static func detect(path: String, override: SchemaFormat?) throws(CLIFailure) -> SchemaFormat {
        if let override { return override }
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "avsc": return .avro
        case "proto": return .protobuf
        default:
            throw .usage(
                "\(path): cannot tell the schema format from the extension '.\(ext)'; pass --type avro or --type protobuf"
            )
        }
    }
}

/// A schema file loaded in its own format.
enum LoadedSchema {
    case avro(AvroSchema)
    case protobuf(ProtoSchema)

    var format: SchemaFormat {
        switch self {
        case .avro: .avro
        case .protobuf: .protobuf
        }
    }
}

/// Reading files and standard input, with errors that name the file.
enum FileInput {
    static func readBytes(_ path: String) throws(CLIFailure) -> [UInt8] {
        if path == "-" { return readStandardInput() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("\(path): cannot read the file (missing or unreadable)")
        }
        return [UInt8](data)
    }

    static func readText(_ path: String) throws(CLIFailure) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .usage("\(path == "-" ? "standard input" : path): not valid UTF-8 text")
        }
        return text
    }

    static func readStandardInput() -> [UInt8] {
        [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    }
}

/// Loads and parses schema files for the commands.
enum SchemaLoader {
    static func load(_ path: String, type: SchemaFormat?, importPaths: [String]) throws(CLIFailure) -> LoadedSchema {
        switch try SchemaFormat.detect(path: path, override: type) {
        case .avro: .avro(try avro(path))
        case .protobuf: .protobuf(try protobuf(path, importPaths: importPaths))
        }
    }

    /// A schema a registry stored (its text and type), compiled on its own: Avro JSON, or `.proto` text whose
    /// only imports are the built-in ones.
    static func stored(_ text: String, type: String, label: String) throws(CLIFailure) -> LoadedSchema {
        switch type.uppercased() {
        case "AVRO":
            do {
                return .avro(try AvroSchema(parsing: text))
            } catch {
                throw .usage("\(label): invalid Avro schema: \(error)")
            }
        case "PROTOBUF":
            do {
                return .protobuf(try ProtoCompiler(resolver: .sources([:])).compile(source: text, path: "default"))
            } catch {
                throw .usage("\(label): \(error.description)")
            }
        default:
            throw .usage("\(label): \(type) schemas are not supported here")
        }
    }

    static func avro(_ path: String) throws(CLIFailure) -> AvroSchema {
        let text = try FileInput.readText(path)
        do {
            return try AvroSchema(parsing: text)
        } catch {
            throw .usage("\(path): invalid Avro schema: \(error)")
        }
    }

    /// Compiles a `.proto` file. Imports resolve against `importPaths` and then the file's own folder, as
    /// protoc's `-I`; the file is named relative to the first import path that contains it.
    static func protobuf(_ path: String, importPaths: [String]) throws(CLIFailure) -> ProtoSchema {
        let text = try FileInput.readText(path)
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let folder = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
        var roots = importPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if !roots.contains(folder) { roots.append(folder) }
        var name = URL(fileURLWithPath: absolute).lastPathComponent
        for root in roots where absolute.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            name = String(absolute.dropFirst(root.count).drop { $0 == "/" })
            break
        }
        let compiler = ProtoCompiler(resolver: .directories(roots))
        do {
            return try compiler.compile(source: text, path: name)
        } catch {
            throw .usage(error.description)
        }
    }
}

/// Writing to stdout and stderr without Foundation's buffering surprises.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeLine(_ text: String) {
        write(text + "\n")
    }

    static func writeBytes(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
