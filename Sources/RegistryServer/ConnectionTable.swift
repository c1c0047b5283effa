import HummingbirdCore
import NIOCore
import Synchronization

/// The server's open connections and which are idle (no request under way, no response owed). At the
/// connection cap, a new client is not left in the listen backlog behind connections that send nothing (until
/// their idle timeout, a minute): the connection idle the longest is closed to make room. A connection with a
/// request under way is never closed for this, nor one idle for less than `grace` (a client that has just
/// connected and not yet sent its request); when none qualifies, the first to do so is: the next connection
/// to finish a response, or the oldest idle one once its grace has passed.
final class ConnectionTable: Sendable {
    /// How long a connection may be idle before it can be closed to make room.
    let grace: TimeAmount

    init(grace: TimeAmount = .seconds(1)) {
        self.grace = grace
    }

    private struct Entry {
        var channel: any Channel
        /// Requests begun and not yet answered to their end.
        var busy = 0
        var idleSince: NIODeadline
        var closing = false
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// A connection waits for room and no idle one could be closed.
        var wanted = false
        /// A retry of `makeRoom` is scheduled for when the oldest idle connection's grace ends.
        var retrying = false
    }

    private let state = Mutex(State())

    /// A new connection; if one is waiting for room, this one is closed for it when its grace ends, unless it
    /// has a request under way by then (it may well be the one that waited: accepting it is what registers it).
    func opened(_ channel: any Channel) {
        let retry: Bool = state.withLock { state in
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: .now())
            guard state.wanted, !state.retrying else { return false }
            state.retrying = true
            return true
        }
        if retry { retryMakingRoom(on: channel.eventLoop, in: grace) }
    }

    /// Runs `makeRoom` again after `delay` if a connection still waits for room.
    private func retryMakingRoom(on eventLoop: any EventLoop, in delay: TimeAmount) {
        eventLoop.scheduleTask(in: delay) { [self] in
            let wanted = state.withLock { state in
                state.retrying = false
                return state.wanted
            }
            if wanted { makeRoom() }
        }
    }

    func closed(_ channel: any Channel) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func requestStarted(_ channel: any Channel) {
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.busy += 1 }
    }

    /// A response's end was written: the connection is idle if no other request is under way, and is closed
    /// at once if a new connection is waiting for room.
    func responseEnded(_ channel: any Channel) {
        let close: Bool = state.withLock { state in
            let key = ObjectIdentifier(channel)
            guard var entry = state.entries[key] else { return false }
            entry.busy = max(0, entry.busy - 1)
            guard entry.busy == 0 else {
                state.entries[key] = entry
                return false
            }
            entry.idleSince = .now()
            let close = state.wanted && !entry.closing
            if close {
                entry.closing = true
                state.wanted = false
            }
            state.entries[key] = entry
            return close
        }
        // After the response's bytes: a close is queued behind the write on the channel.
        if close { channel.close(mode: .all, promise: nil) }
    }

    /// Closes the connection idle the longest, if its grace has passed; otherwise the first to qualify will be.
    func makeRoom() {
        let now = NIODeadline.now()
        enum Action {
            case close(any Channel)
            case retry(any Channel, in: TimeAmount)
            case wait
        }
        let action: Action = state.withLock { state in
            var oldest: (key: ObjectIdentifier, since: NIODeadline)?
            for (key, entry) in state.entries where entry.busy == 0 && !entry.closing {
                if oldest == nil || entry.idleSince < oldest!.since { oldest = (key, entry.idleSince) }
            }
            guard let oldest, let entry = state.entries[oldest.key] else {
                state.wanted = true
                return .wait
            }
            guard now - oldest.since >= grace else {
                state.wanted = true
                guard !state.retrying else { return .wait }
                state.retrying = true
                return .retry(entry.channel, in: grace - (now - oldest.since))
            }
            state.entries[oldest.key]?.closing = true
            return .close(entry.channel)
        }
        switch action {
        case .close(let channel):
            channel.close(promise: nil)
        case .retry(let channel, let delay):
            retryMakingRoom(on: channel.eventLoop, in: delay)
        case .wait:
            break
        }
    }

    /// A connection closed, so the one waiting for room is accepted: nothing is owed to it any more.
    func roomMade() {
        state.withLock { $0.wanted = false }
    }

    var count: Int { state.withLock { $0.entries.count } }
}

/// At most `maxConnections` connections at once; at the cap, an idle one is closed for each new one waiting.
struct IdleYieldingConnections: AvailableConnectionsDelegate {
    let maxConnections: Int
    let table: ConnectionTable
    var open = 0

    init(_ maxConnections: Int, table: ConnectionTable) {
        self.maxConnections = maxConnections
        self.table = table
    }

    mutating func connectionOpened() {
        open += 1
    }

    mutating func connectionClosed() {
        open -= 1
        table.roomMade()
    }

    func isAcceptingNewConnections() -> Bool {
        guard open < maxConnections else {
            table.makeRoom()
            return false
        }
        return true
    }
}
