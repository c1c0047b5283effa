import Foundation
import Logging

/// One line per event on standard error: time, level, label, metadata as `key=value`, message. Unlike
/// swift-log's StreamLogHandler it renders metadata only when an event is written, so the request id the
/// server attaches to every request's logger costs nothing while nothing is logged.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Control characters (C0, DEL, C1) and backslashes written as escapes, so a value taken from a request
    /// (a subject name, a header) can neither forge a log line nor send terminal escape sequences.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\\" })
        else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\(Self.escaped($0.key))=\(Self.escaped("\($0.value)"))" }
            .joined(separator: " ")
        let stamp = Date().formatted(.iso8601)
        let text =
            "\(stamp) \(event.level) \(Self.escaped(label)):\(fields.isEmpty ? "" : " " + fields) \(Self.escaped("\(event.message)"))\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
