// The .proto lexer, parser and linker on any text: a schema or a ProtobufError. Imports resolve to the valid
// compile fixtures (lib/…, shop/…) and the built-in well-known files. An accepted file's canonical text must
// compile again to the same canonical text.
import Foundation
import ProtobufSchema

/// Tests/ProtobufSchemaTests/Fixtures/compile/valid, by import path.
let importable: [String: String] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/ProtobufSchemaTests/Fixtures/compile/valid")
    var files: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    while let relative = enumerator?.nextObject() as? String {
        guard relative.hasSuffix(".proto"),
            let text = try? String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
        else { continue }
        files[relative] = text
    }
    precondition(!files.isEmpty, "no import fixtures under \(root.path)")
    return files
}()

let compiler = ProtoCompiler(resolver: .sources(importable))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let schema = try? compiler.compile(source: text, path: "fuzz/input.proto") else { return 0 }
    let canonical = schema.canonicalText
    _ = schema.normalizedText
    do {
        let again = try compiler.compile(source: canonical, path: "fuzz/input.proto")
        if again.canonicalText != canonical {
            fatalError("canonical text is not a fixed point:\n\(canonical)\n---\n\(again.canonicalText)")
        }
    } catch {
        fatalError("canonical text does not compile: \(error)\n\(canonical)")
    }
    return 0
}
