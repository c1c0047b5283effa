import RegistryCore
import Synchronization

/// Fans the notifications heard on `accord_changes` out to every `externalChanges()` stream, dropping the
/// store's own; also knows whether the LISTEN is active.
///
/// Payload: `<node id>:<kind>:<data>` with kind `S` (data: the subject), `G` (global config or mode) or `D`
/// (data: the context, a colon, then comma-separated schema ids of that context; without the context and colon,
/// as nodes before contexts sent it, the default context). Node ids and context names contain no colon, so the
/// subject may contain anything.
final class ChangeFeed: Sendable {
    private struct State {
        var streams: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextKey = 0
        var listening = false
        var listeningWaiters: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    let nodeID: String
    private let state = Mutex(State())

    init(nodeID: String) {
        self.nodeID = nodeID
    }

    /// NOTIFY payloads must stay under 8,000 bytes: deleted ids go in chunks.
    static func payloads(_ change: StoreChange, nodeID: String) -> [String] {
        switch change {
        case .subjectChanged(let subject):
            return ["\(nodeID):S:\(subject)"]
        case .globalChanged:
            return ["\(nodeID):G:"]
        case .resynchronize:
            return ["\(nodeID):R:"]
        case .schemasDeleted(let keys):
            var payloads: [String] = []
            for context in Set(keys.map(\.context)).sorted() {
                let ids = keys.filter { $0.context == context }.map(\.id)
                for start in stride(from: 0, to: ids.count, by: 400) {
                    let chunk = ids[start..<min(start + 400, ids.count)].map(String.init).joined(separator: ",")
                    payloads.append("\(nodeID):D:\(context):" + chunk)
                }
            }
            return payloads
        }
    }

    /// The change a payload describes, or nil for this node's own and for payloads it does not understand.
    static func change(_ payload: String, ownNode: String) -> StoreChange? {
        let parts = payload.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] != ownNode else { return nil }
        switch parts[1] {
        case "S": return .subjectChanged(String(parts[2]))
        case "G": return .globalChanged
        case "R": return .resynchronize
        case "D":
            var context = RegistryContext.defaultName
            var list = parts[2]
            if let colon = list.firstIndex(of: ":") {
                context = String(list[..<colon])
                list = list[list.index(after: colon)...]
            }
            let ids = list.split(separator: ",").compactMap { Int($0) }
            return ids.isEmpty ? nil : .schemasDeleted(ids.map { ContextualID(context: context, id: $0) })
        default: return nil
        }
    }

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self)
        let key: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            let key = state.nextKey
            state.nextKey += 1
            state.streams[key] = continuation
            return key
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.streams.removeValue(forKey: key) }
        }
        return stream
    }

    func deliver(_ payload: String) {
        guard let change = Self.change(payload, ownNode: nodeID) else { return }
        publish(change)
    }

    func publish(_ change: StoreChange) {
        let streams = state.withLock { Array($0.streams.values) }
        for stream in streams { stream.yield(change) }
    }

    func setListening(_ listening: Bool) {
        let waiters = state.withLock { state in
            state.listening = listening
            guard listening else { return [CheckedContinuation<Void, Never>]() }
            defer { state.listeningWaiters = [] }
            return state.listeningWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitUntilListening() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.listening || state.finished { return true }
                state.listeningWaiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }

    func finish() {
        let (streams, waiters) = state.withLock { state in
            state.finished = true
            defer {
                state.streams = [:]
                state.listeningWaiters = []
            }
            return (Array(state.streams.values), state.listeningWaiters)
        }
        for stream in streams { stream.finish() }
        for waiter in waiters { waiter.resume() }
    }
}

/// Runs Accord's migrations once per store handle; a failed run (database down) is tried again by the next caller.
actor MigrationGate {
    private var done = false
    private var running: Task<Void, any Error>?

    func ensure(_ migrate: @escaping @Sendable () async throws -> Void) async throws {
        if done { return }
        let task = running ?? Task { try await migrate() }
        running = task
        do {
            try await task.value
            done = true
        } catch {
            running = nil
            throw error
        }
    }
}

/// Runs async operations one at a time, in arrival order.
final class WriteQueue: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func run<T>(_ operation: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.busy {
                    state.waiters.append(waiter)
                    return false
                }
                state.busy = true
                return true
            }
            if now { waiter.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiters.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.waiters.removeFirst()
            }
            next?.resume()
        }
        return try await operation()
    }
}

/// The first of several racing results (ping's answer or its timeout).
final class PingOutcome: Sendable {
    private struct State {
        var result: (any Error)??
        var waiter: CheckedContinuation<(any Error)?, Never>?
    }
    private let state = Mutex(State())

    func resolve(_ error: (any Error)?) {
        let waiter = state.withLock { state -> CheckedContinuation<(any Error)?, Never>? in
            guard state.result == nil else { return nil }
            state.result = .some(error)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: error)
    }

    func value() async -> (any Error)? {
        await withCheckedContinuation { (waiter: CheckedContinuation<(any Error)?, Never>) in
            let ready = state.withLock { state -> (any Error)?? in
                if let result = state.result { return .some(result) }
                state.waiter = waiter
                return nil
            }
            if let ready { waiter.resume(returning: ready) }
        }
    }
}
