import Foundation
import Migrations

/// A migrations directory as it was at a git reference, extracted into a temporary folder with `git archive`.
struct GitSnapshot {
    let path: String
    /// True when the directory did not exist at the reference (everything is new).
    let isEmpty: Bool

    init(directory: String, reference: String) throws(MigrationError) {
        // A reference is a name, never an option: refuse what git would read as one.
        guard !reference.hasPrefix("-"), !reference.contains("\u{0}"), !reference.isEmpty else {
            throw .invalidLayout(directory, "'\(reference)' is not a git reference")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-plan-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unreadable(folder.path, error.localizedDescription)
        }
        path = folder.path
        // Does the directory exist at the reference? `git cat-file -e REF:./` from inside it says.
        let exists = Self.run(["git", "-C", directory, "cat-file", "-e", "\(reference):./"], into: nil)
        if !exists.success {
            let known = Self.run(["git", "-C", directory, "rev-parse", "--verify", "--quiet", "\(reference)^{commit}"], into: nil)
            guard known.success else {
                try? FileManager.default.removeItem(at: folder)
                throw .invalidLayout(directory, "git does not know '\(reference)' here: \(known.stderr.isEmpty ? exists.stderr : known.stderr)")
            }
            isEmpty = true
            return
        }
        let archive = Self.run(["git", "-C", directory, "archive", "--format=tar", reference, "--", "."], into: path)
        guard archive.success else {
            try? FileManager.default.removeItem(at: folder)
            throw .invalidLayout(directory, "git archive \(reference) failed: \(archive.stderr)")
        }
        isEmpty = false
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `arguments`; with `into`, its standard output is a tar stream unpacked there.
    private static func run(_ arguments: [String], into folder: String?) -> (success: Bool, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        var untar: Process?
        if let folder {
            let pipe = Pipe()
            process.standardOutput = pipe
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-x", "-C", folder]
            tar.standardInput = pipe
            tar.standardError = FileHandle.nullDevice
            untar = tar
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        do {
            try untar?.run()
            try process.run()
        } catch {
            return (false, "\(error)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        untar?.waitUntilExit()
        let untarOK = untar.map { $0.terminationStatus == 0 } ?? true
        return (process.terminationStatus == 0 && untarOK, message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
