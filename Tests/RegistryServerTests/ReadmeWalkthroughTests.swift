import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The README's migrations walkthrough, run as written (in a scratch folder, `accord` on the PATH, with free
/// ports for 8081 and 8082): a newcomer pasting it gets what its comments say.
@Suite struct ReadmeWalkthroughTests {
    /// The shell lines between the walkthrough markers.
    static func walkthrough() throws -> String {
        let readme = try String(contentsOf: Build.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "<!-- walkthrough:start -->\n```sh\n"),
            let end = readme.range(of: "```\n<!-- walkthrough:end -->", range: start.upperBound..<readme.endIndex)
        else { throw ServerError("README.md has no walkthrough block") }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// A loopback port nothing listens on now (bound and released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw ServerError("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func theMigrationsWalkthroughRunsAsWritten() async throws {
        let folder = try Build.temporaryFolder("walkthrough")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, second) = (try Self.freePort(), try Self.freePort())
        let script =
            try Self.walkthrough()
            .replacingOccurrences(of: "/path/to/accord/schemas", with: Build.packageRoot.appendingPathComponent("schemas").path)
            .replacingOccurrences(of: "127.0.0.1:8081", with: "127.0.0.1:\(first)")
            .replacingOccurrences(of: "127.0.0.1:8082", with: "127.0.0.1:\(second)")
        // Errexit, so a command that fails where the walkthrough does not expect it fails the test; the servers
        // are stopped however the script ends.
        let wrapped = "set -e\ncd '\(folder.path)'\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script
        try wrapped.write(to: folder.appendingPathComponent("walkthrough.sh"), atomically: true, encoding: .utf8)
        let path = Build.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try await Build.run(
            ["-c", "export PATH='\(path)'; unset ACCORD_REGISTRY; bash '\(folder.path)/walkthrough.sh'"], timeout: .seconds(120),
            tool: "/bin/bash")
        let output = result.stdout
        #expect(result.status == 0, "\(output)\n\(result.stderr)")
        for line in [
            "ok: 7 subjects, 14 versions\n",
            "16 changes, 0 would be refused\n",
            "nothing to do: the registry already holds schemas\n",
            "  register orders-value version 4 from schemas/orders-value/v4.avsc\n",
            ": 1 changes\n",
            "in step: the registry holds schemas\n",
            // v4 → v1: the fields v1 lacks are gone.
            #"{"id":7,"customer":"c-1","amount":12.50,"status":"PAID","items":[{"sku":"A-1","quantity":2}],"placed_at":1700000000000}"# + "\n",
            ": 1 changes reverted\n",
            "drift: not registered: orders-value v4.avsc\n",
            "exit 1\n",
            "copied 15 versions (0 already there) in 7 subjects\n",
            "verified: 15 ids resolve to the same schemas on both sides\n",
        ] {
            #expect(output.contains(line), "missing \(line)")
        }
        #expect(output.components(separatedBy: "applied release ").count == 3)
        let upgraded = try String(contentsOf: folder.appendingPathComponent("order-v4.json"), encoding: .utf8)
        #expect(upgraded.contains(#""coupon":null,"channel":"WEB","gift_note":null"#))
        #expect(upgraded.contains(#""referrer":null"#))
    }
}
