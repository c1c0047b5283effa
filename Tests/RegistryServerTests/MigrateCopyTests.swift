import Foundation
import JSONSupport
import Testing

/// `accord migrate copy` between two `accord serve` instances: a few hundred versions with references,
/// soft deletions, subject levels and modes; stopped by --batch, killed part-way, then resumed and verified.
@Suite struct MigrateCopyTests {
    static func record(_ name: String, fields: Int) -> String {
        let list = (0..<fields).map { #"{"name":"f\#($0)","type":["null","long"],"default":null}"# }.joined(separator: ",")
        return #"{"type":"record","name":"\#(name)","namespace":"copy","fields":[\#(list)]}"#
    }

    @Test func aCopyKeepsIdsVersionsDeletionsAndSettingsAndResumes() async throws {
        try await withServer { source in
            try await withServer { target in
                // Source: a referenced type, 3 subjects of 70 versions each, one using the reference.
                #expect(try await source.post("/subjects/address/versions", Body.schema(Self.record("Address", fields: 1))).status == 200)
                for version in 1...70 {
                    for subject in ["a-value", "b-value"] {
                        let reply = try await source.post(
                            "/subjects/\(subject)/versions", Body.schema(Self.record(subject == "a-value" ? "A" : "B", fields: version)))
                        #expect(reply.status == 200)
                    }
                    let withReference = #"{"type":"record","name":"C","namespace":"copy","fields":[{"name":"home","type":"copy.Address"}\#((0..<version).map { #",{"name":"g\#($0)","type":["null","long"],"default":null}"# }.joined())]}"#
                    let reply = try await source.post(
                        "/subjects/c-value/versions", Body.schema(withReference, references: [("copy.Address", "address", 1)]))
                    #expect(reply.status == 200)
                }
                // Soft deletions, a subject level and a subject mode.
                #expect(try await source.delete("/subjects/a-value/versions/3").status == 200)
                #expect(try await source.delete("/subjects/b-value/versions/70").status == 200)
                #expect(try await source.put("/config/b-value", #"{"compatibility":"FULL"}"#).status == 200)
                #expect(try await source.put("/mode/c-value", #"{"mode":"READONLY"}"#).status == 200)

                let dryRun = try await Build.run(["migrate", "copy", "--from", source.base, "--to", target.base, "--dry-run"])
                #expect(dryRun.status == 0)
                #expect(dryRun.stdout.hasSuffix("211 versions in 4 subjects would be copied\n"))
                #expect(try await target.get("/subjects").body == Array("[]".utf8))

                // Stopped after 80 versions (--batch), then killed part-way through the rest, then resumed.
                let first = try await Build.run(["migrate", "copy", "--from", source.base, "--to", target.base, "--batch", "80"])
                #expect(first.status == 0, "\(first.stderr)")
                #expect(first.stdout == "copied 80 versions (0 already there); run again to continue\n")
                #expect(try await target.get("/mode").string("mode") == "READWRITE")
                // The proxy in front of the target holds the 41st import of the second run; the run is killed there.
                let gate = try GatedProxy(to: target.base, holding: "POST /subjects/", after: 40)
                defer { gate.shutDown() }
                let ended = try await Build.kill(["migrate", "copy", "--from", source.base, "--to", gate.base]) { gate.held }
                #expect(ended == .uncaughtSignal, "the copy finished before it could be killed")
                #expect(try await target.get("/schemas?deleted=true&limit=1000").objects?.count == 120)
                // The killed run left the target in IMPORT mode; the next run gives it READWRITE back.
                #expect(try await target.get("/mode").string("mode") == "IMPORT")
                let rest = try await Build.run(["migrate", "copy", "--from", source.base, "--to", target.base])
                #expect(rest.status == 0, "\(rest.stderr)")
                #expect(rest.stdout.contains(" in 4 subjects\nverified: 211 ids resolve to the same schemas on both sides\n"), "\(rest.stdout)")

                for path in [
                    "/subjects", "/subjects?deleted=true", "/subjects/a-value/versions", "/subjects/a-value/versions?deleted=true",
                    "/subjects/b-value/versions", "/subjects/c-value/versions/70", "/subjects/c-value/versions/12/referencedby",
                    "/schemas/ids/100", "/config/b-value", "/mode/c-value",
                ] {
                    let expected = try await source.get(path)
                    let copied = try await target.get(path)
                    #expect(copied.status == expected.status, "\(path)")
                    #expect(copied.body == expected.body, "\(path)")
                }
                #expect(try await target.get("/mode").string("mode") == "READWRITE")
                // Running it again copies nothing.
                let again = try await Build.run(["migrate", "copy", "--from", source.base, "--to", target.base])
                #expect(again.stdout.hasPrefix("copied 0 versions (211 already there)"))
            }
        }
    }
}
