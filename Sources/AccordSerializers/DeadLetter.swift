public import Foundation
import JSONSupport
#if canImport(Glibc)
    import Glibc
#endif

/// A message a serializer refused to produce or a deserializer could not read, with why.
public struct DeadLetter: Sendable, Hashable {
    public enum Stage: String, Sendable, Hashable {
        case serialize, deserialize
    }

    public var stage: Stage
    public var topic: String
    public var field: MessageField
    /// The subject, when it was known.
    public var subject: String?
    /// The framed bytes that could not be read (deserialization); empty when the value never became bytes.
    public var payload: [UInt8]
    public var reason: String
    public var time: Date

    public init(
        stage: Stage, topic: String, field: MessageField, subject: String?, payload: [UInt8], reason: String,
        time: Date = Date()
    ) {
        self.stage = stage
        self.topic = topic
        self.field = field
        self.subject = subject
        self.payload = payload
        self.reason = reason
        self.time = time
    }

    /// One JSON object: stage, topic, field, subject, reason, payload (base64) and time (ISO 8601).
    public var jsonLine: String {
        var object = JSONObject()
        object["stage"] = .string(stage.rawValue)
        object["topic"] = .string(topic)
        object["field"] = .string(field.rawValue)
        if let subject { object["subject"] = .string(subject) }
        object["reason"] = .string(reason)
        object["payload"] = .string(Data(payload).base64EncodedString())
        object["time"] = .string(ISO8601DateFormatter().string(from: time))
        return JSONValue.object(object).serialized()
    }
}

/// Where refused and unreadable messages go. Called before the serializer or deserializer throws.
public protocol DeadLetterSink: Sendable {
    func deadLetter(_ letter: DeadLetter) async
}

/// Runs `body`; when it throws, hands `sink` a dead letter of `payload` with the reason, then throws again.
func deadLettering<T>(
    _ sink: (any DeadLetterSink)?, _ stage: DeadLetter.Stage, topic: String, field: MessageField, subject: String? = nil,
    payload: [UInt8], _ body: () async throws(SerdeError) -> T
) async throws(SerdeError) -> T {
    do {
        return try await body()
    } catch {
        await sink?.deadLetter(
            DeadLetter(stage: stage, topic: topic, field: field, subject: subject, payload: payload, reason: error.description))
        throw error
    }
}

/// Appends each dead letter to a file as one JSON line (`DeadLetter.jsonLine`). The file is opened per batch
/// with `O_APPEND` and never through a symbolic link; a write that fails is counted in `failedWrites`, not thrown
/// (a dead-letter sink must not take the producer down).
public actor JSONLinesDeadLetterFile: DeadLetterSink {
    public let path: String
    public private(set) var written = 0
    public private(set) var failedWrites = 0

    public init(path: String) {
        self.path = path
    }

    public func deadLetter(_ letter: DeadLetter) async {
        let bytes = Array((letter.jsonLine + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            failedWrites += 1
            return
        }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let result = bytes[done...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                failedWrites += 1
                return
            }
            done += result
        }
        written += 1
    }
}
