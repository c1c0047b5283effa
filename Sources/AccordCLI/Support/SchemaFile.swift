import ArgumentParser
import Foundation
import JSONSupport
import SchemaProviders

/// The schema formats the CLI understands: `--type` names a provider (`avro`, `protobuf`); otherwise the file
/// extension picks one.
extension SchemaType: ExpressibleByArgument {
    public init?(argument: String) {
        guard let provider = SchemaProviders.standard.provider(for: SchemaType(name: argument)) else { return nil }
        self = provider.type
    }

    public static var allValueStrings: [String] { SchemaProviders.standard.types.map { $0.rawValue.lowercased() } }

    /// The type of the schema in `path`: `override`, or the provider for the file's extension.
    static func detect(path: String, override: SchemaType?) throws(CLIFailure) -> any SchemaProvider {
        let providers = SchemaProviders.standard
        if let override, let provider = providers.provider(for: override) { return provider }
        guard let provider = providers.provider(forFile: path) else {
            let ext = (path as NSString).pathExtension.lowercased()
            let choices = allValueStrings.map { "--type \($0)" }.joined(separator: " or ")
            throw .usage("\(path): cannot tell the schema format from the extension '.\(ext)'; pass \(choices)")
        }
        return provider
    }

    /// The name `--type` takes for this type.
    var argumentName: String { rawValue.lowercased() }
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
    /// Parses a schema file. Imports resolve against `importPaths` and then the file's own folder, as protoc's
    /// `-I`; the file is named relative to the first import path that contains it.
    static func load(_ path: String, type: SchemaType?, importPaths: [String], assertFormats: Bool = false)
        throws(CLIFailure) -> any ParsedSchema
    {
        var provider = try SchemaType.detect(path: path, override: type)
        if assertFormats, let json = provider as? JSONSchemaProvider { provider = json.assertingFormats() }
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
        do {
            return try provider.parse(text, path: name, imports: .directories(roots))
        } catch {
            // Compiler-style errors already start with the file's name; the others get the path.
            let text = error.description
            throw .usage(text.hasPrefix(name + ":") ? text : "\(path): invalid \(provider.type.argumentName) schema: \(text)")
        }
    }

    /// A schema a registry stored (its text and type), parsed with its references' text.
    static func stored(_ text: String, type: String, label: String, references: [SchemaSource] = [])
        throws(CLIFailure) -> any ParsedSchema
    {
        do {
            return try SchemaProviders.standard.parse(text, type: SchemaType(name: type), imports: .sources(references))
        } catch {
            throw .usage("\(label): \(error)")
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

    /// Writes `text`, ending it with a newline when it does not end with one.
    static func writeText(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n")
    }

    static func writeBytes(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
