/// The errors of one compilation, in the order found, as protoc's error collector keeps them: parsing and
/// linking record an error and go on with the next statement or element, so one run reports them all.
///
/// Bounded: once `limit` errors are recorded, or an input limit is exceeded (`.limitExceeded`), the log stops
/// the compilation by throwing `combined`; every later `record` rethrows it, so it reaches the caller unchanged.
final class ProtoErrorLog {
    private(set) var errors: [ProtobufError] = []
    let limit: Int
    /// True once the compilation must stop (too many errors, or an input limit).
    private(set) var isStopped = false

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var count: Int { errors.count }

    /// Records `error`, or rethrows it when it is the log's own stop signal.
    func record(_ error: ProtobufError) throws(ProtobufError) {
        if isStopped { throw error }
        errors.append(error)
        if error.code == .limitExceeded {
            isStopped = true
        } else if errors.count >= limit {
            errors.append(
                ProtobufError(
                    .limitExceeded, "Too many errors: stopped after \(limit).", location: error.location
                )
            )
            isStopped = true
        }
        if isStopped, let combined { throw combined }
    }

    /// Runs `body` and records the error it throws, so the caller goes on with the next element.
    func collect(_ body: () throws(ProtobufError) -> Void) throws(ProtobufError) {
        do {
            try body()
        } catch {
            try record(error)
        }
    }

    /// The first error with the others attached, or nil when there is none.
    var combined: ProtobufError? {
        guard var first = errors.first else { return nil }
        first.additionalErrors = Array(errors.dropFirst())
        return first
    }
}
