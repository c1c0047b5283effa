import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Where a test server keeps its schemas. The suites run on `Storage.current`: `memory:` unless
/// `ACCORD_E2E_STORAGE` names another kind (`sqlite` gives each server `sqlite:<fresh temp dir>/r.sqlite`;
/// any other value is used as the storage URL itself).
enum Storage: Sendable, CustomStringConvertible {
    case memory
    case sqlite
    case url(String)

    static let current: Storage = {
        switch ProcessInfo.processInfo.environment["ACCORD_E2E_STORAGE"] {
        case nil, "", "memory", "memory:": .memory
        case "sqlite": .sqlite
        case let other?: .url(other)
        }
    }()

    var description: String {
        switch self {
        case .memory: "memory:"
        case .sqlite: "sqlite:<temp>/r.sqlite"
        case .url(let url): url
        }
    }

    /// The `--storage` value for a server whose scratch folder is `folder`.
    func url(in folder: URL) -> String {
        switch self {
        case .memory: "memory:"
        case .sqlite: "sqlite:" + folder.appendingPathComponent("r.sqlite").path
        case .url(let url): url
        }
    }
}

/// The package root and the built `accord` executable (the same lookup as the CLI tests).
enum Build {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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

    /// A fresh scratch folder.
    static func temporaryFolder(_ label: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-e2e-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `accord` (or `tool`) to completion (for `accord auth …`, servers that must refuse to start, scripts).
    static func run(_ arguments: [String], stdin: String = "", timeout: Duration = .seconds(60), tool: String? = nil)
        async throws -> Result
    {
        let folder = try temporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("stdin")
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        try Data(stdin.utf8).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = tool.map { URL(fileURLWithPath: $0) } ?? executable
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw ServerError("\(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

extension Build {
    /// Runs `accord arguments` and kills it without warning (SIGKILL) as soon as `reached()` holds, polling every
    /// 2 ms for at most a minute; `.uncaughtSignal` when the kill came before the command finished.
    static func kill(_ arguments: [String], when reached: () async throws -> Bool) async throws -> Process.TerminationReason {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline {
            if try await reached() { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One `accord serve` subprocess on a free loopback port.
final class AccordServer: Sendable {
    let process: Process
    let folder: URL
    let port: Int
    let client: RegistryClient
    private let errURL: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, folder: URL, port: Int, errURL: URL) {
        self.process = process
        self.folder = folder
        self.port = port
        self.errURL = errURL
        self.client = RegistryClient(base: "http://127.0.0.1:\(port)")
    }

    /// Starts a server; `extra` are more `accord serve` arguments (e.g. `--body-limit 1000`).
    static func start(
        storage: Storage = .current, extra: [String] = [], listen: String = "127.0.0.1", folder existing: URL? = nil
    ) async throws -> AccordServer {
        let folder = try existing ?? Build.temporaryFolder("server")
        let outURL = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = Build.executable
        process.arguments =
            ["serve", "--listen", "\(listen):0", "--storage", storage.url(in: folder), "--log-level", "warning"] + extra
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        // The server prints `accord: listening on http://127.0.0.1:PORT` once it is bound.
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let text = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
            if let range = text.range(of: "accord: listening on http://\(listen):") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), port > 0, text[range.upperBound...].dropFirst(digits.count).first == "\n" {
                    return AccordServer(process: process, folder: folder, port: port, errURL: errURL)
                }
            }
            if !process.isRunning {
                let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
                if existing == nil { try? FileManager.default.removeItem(at: folder) }
                throw ServerError("accord serve exited with \(process.terminationStatus) before listening: \(stderr)")
            }
            if ContinuousClock.now > deadline {
                process.terminate()
                process.waitUntilExit()
                if existing == nil { try? FileManager.default.removeItem(at: folder) }
                throw ServerError("accord serve did not print its port within 60 s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stderr: String {
        String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
    }

    func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Runs `body` against a fresh server and stops it (SIGTERM) afterwards, whatever happens; a nonzero exit
/// after SIGTERM fails the test. With `folder` the server keeps its files there (and they are left in place).
func withServer<T>(
    storage: Storage = .current, extra: [String] = [], listen: String = "127.0.0.1", folder: URL? = nil,
    _ body: (RegistryClient) async throws -> T
) async throws -> T {
    let server = try await AccordServer.start(storage: storage, extra: extra, listen: listen, folder: folder)
    func finish() async -> Int32 {
        let status = await server.stop()
        if folder == nil { server.removeFolder() }
        return status
    }
    do {
        let result = try await body(server.client)
        let stderr = server.stderr
        let status = await finish()
        guard status == 0 else { throw ServerError("accord serve exited with \(status) after SIGTERM: \(stderr)") }
        return result
    } catch {
        _ = await finish()
        throw error
    }
}
