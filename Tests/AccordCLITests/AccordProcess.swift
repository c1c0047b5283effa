import Foundation

/// Runs the built `accord` executable as a user or CI job would, and captures what it prints.
struct AccordProcess {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String

        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The package root, found from this file's location.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `schemas/` at the package root.
    static func schema(_ relative: String) -> String {
        packageRoot.appendingPathComponent("schemas").appendingPathComponent(relative).path
    }

    /// `examples/` at the package root: example messages and deliberately breaking schema variants.
    static func example(_ relative: String) -> String {
        packageRoot.appendingPathComponent("examples").appendingPathComponent(relative).path
    }

    /// The `accord` binary beside the test bundle (the same build products folder), or `ACCORD_BIN`.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["ACCORD_BIN"] {
            return URL(fileURLWithPath: path)
        }
        let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            bundleFolder.appendingPathComponent("accord"),
            packageRoot.appendingPathComponent(".build/debug/accord"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }()

    static func run(_ arguments: [String], stdin: [UInt8] = []) throws -> Result {
        // Files rather than pipes: nothing can block however much the child prints.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("stdin")
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        try Data(stdin).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: [UInt8](try Data(contentsOf: outURL)),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    static func run(_ arguments: [String], stdin: String) throws -> Result {
        try run(arguments, stdin: Array(stdin.utf8))
    }
}
