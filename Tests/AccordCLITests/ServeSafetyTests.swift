import Foundation
import Logging
import Testing

@testable import AccordCLI

/// The CLI side of the security review (issue 8): what counts as loopback, what reaches the log, where the
/// dead-letter file may be written.
@Suite struct ServeSafetyTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("127.255.255.254", true), ("localhost", true), ("::1", true),
        ("127.evil.example", false), ("127.0.0.1.example", false), ("127.0.0.256", false), ("127.1", false),
        ("127.0.0.", false), ("1127.0.0.1", false), ("0.0.0.0", false), ("10.0.0.1", false), ("", false),
        ("127.0.0.0001", false),
    ])
    func loopbackMeansAnAddressIn127Slash8(host: String, loopback: Bool) {
        #expect(ServeCommand.isLoopback(host) == loopback)
    }

    @Test(arguments: [
        ("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db"),
        ("postgres://u:p@ss@word@h/db?sslmode=disable", "postgres://u:***@h/db?sslmode=disable"),
        ("postgres://u@h/db?password=secret&sslmode=require", "postgres://u@h/db?password=***&sslmode=require"),
        ("postgresql://u:a@b@h/db?PASSWORD=x", "postgresql://u:***@h/db?password=***"),
        ("sqlite:./data/accord.sqlite", "sqlite:./data/accord.sqlite"),
    ])
    func storageURLsLoseTheirSecrets(url: String, redacted: String) {
        #expect(StoreFactory.redacted(url) == redacted)
    }

    @Test func logLinesEscapeControlCharacters() {
        #expect(LineLogHandler.escaped("plain subject") == "plain subject")
        #expect(LineLogHandler.escaped("a\nforged 2026-01-01 info accord: x") == "a\\nforged 2026-01-01 info accord: x")
        #expect(LineLogHandler.escaped("\u{1B}[31mred\u{9B}") == "\\u{1b}[31mred\\u{9b}")
        #expect(LineLogHandler.escaped("back\\slash\r\t") == "back\\\\slash\\r\\t")
    }

    @Test func theDeadLetterFileIsNeverReachedThroughASymbolicLink() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-dlq-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("victim").path
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: target))
        let link = folder.appendingPathComponent("dlq.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try AccordProcess.run([
            "validate", "--schema", AccordProcess.schema("orders-value/v2.avsc"), "--format", "json", "--lines",
            "--input", AccordProcess.example("messages/orders-value/orders.jsonl"), "--dead-letter", link,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("symbolic link"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        // A folder that cannot be written is a usage error, not a crash.
        let unwritable = try AccordProcess.run([
            "validate", "--schema", AccordProcess.schema("orders-value/v2.avsc"), "--format", "json", "--lines",
            "--input", AccordProcess.example("messages/orders-value/orders.jsonl"), "--dead-letter",
            "/proc/accord-no-such-dir/x.jsonl",
        ])
        #expect(unwritable.status == 2)
    }
}
