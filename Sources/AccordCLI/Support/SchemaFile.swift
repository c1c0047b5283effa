import ArgumentParser
import AvroCodec
import Foundation
import JSONSupport

/// The schema formats the CLI understands. The format comes from the file extension unless `--type` says.
enum SchemaFormat: String, ExpressibleByArgument, CaseIterable {
    case avro

    static func detect(path: String, override: SchemaFormat?) throws(CLIFailure) -> SchemaFormat {
        if let override { return override }
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "avsc": return .avro
        case "proto":
            throw .usage("\(path): Protobuf schemas are not supported yet; this build reads Avro (.avsc)")
        default:
            throw .usage("\(path): cannot tell the schema format from the extension '.\(ext)'; pass --type avro")
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
    static func avro(_ path: String) throws(CLIFailure) -> AvroSchema {
        let text = try FileInput.readText(path)
        do {
            return try AvroSchema(parsing: text)
        } catch {
            throw .usage("\(path): invalid Avro schema: \(error)")
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
