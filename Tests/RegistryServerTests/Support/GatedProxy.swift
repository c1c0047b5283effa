import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP proxy in front of a test server. It forwards bytes both ways until clients have sent `limit`
/// requests whose request line starts with `prefix` (say `POST /subjects/events-value/versions`); the next such
/// request is held: neither it nor anything after it on that connection reaches the server. A test that kills a
/// command part-way points the command at the proxy, waits for `held`, and kills it then: the step it dies on
/// is the one the test chose, however slowly the machine runs, where a poll could miss a fast command.
final class GatedProxy: Sendable {
    private let listener: Int32
    let port: Int
    private let target: Int
    private let prefix: [UInt8]
    private let limit: Int
    private struct State {
        var seen = 0
        var held = false
        var closed = false
        var sockets: [Int32] = []
    }
    private let state = Mutex(State())

    var base: String { "http://127.0.0.1:\(port)" }

    /// Whether a request past the limit is being held.
    var held: Bool { state.withLock { $0.held } }

    /// A proxy to `server` (a `http://127.0.0.1:PORT` base) holding the request after the first `limit` that start with `prefix`.
    init(to server: String, holding prefix: String, after limit: Int) throws {
        guard let portText = server.split(separator: ":").last, let target = Int(portText) else {
            throw ServerError("no port in \(server)")
        }
        self.target = target
        self.prefix = Array(prefix.utf8)
        self.limit = limit
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServerError("socket: \(errno)") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard bound == 0, named == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw ServerError("cannot listen on loopback: \(errno)")
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let proxy = self
        Thread.detachNewThread { proxy.acceptLoop() }
    }

    deinit { shutDown() }

    /// Waits (up to a minute) until a request is held; false when none was.
    func waitUntilHeld() async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !held, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return held
    }

    /// Closes the listener and every connection (a held one included).
    func shutDown() {
        let sockets = state.withLock { state -> [Int32] in
            if state.closed { return [] }
            state.closed = true
            return state.sockets + [listener]
        }
        for socket in sockets {
            Glibc.shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func track(_ socket: Int32) -> Bool {
        state.withLock { state in
            if state.closed { return false }
            state.sockets.append(socket)
            return true
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: UInt16(target))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard upstream >= 0, connected == 0, track(client), track(upstream) else {
                close(client)
                if upstream >= 0 { close(upstream) }
                continue
            }
            let proxy = self
            Thread.detachNewThread { proxy.forward(from: client, to: upstream, gated: true) }
            Thread.detachNewThread { proxy.forward(from: upstream, to: client, gated: false) }
        }
    }

    /// Copies `from` to `to` until either ends; on the gated (client to server) side, stops forwarding at the held request.
    private func forward(from source: Int32, to destination: Int32, gated: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var carried: [UInt8] = []  // the last bytes of the previous read, so a prefix split across reads is found
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            var chunk = Array(buffer[0..<count])
            if gated {
                let (passing, holds) = gate(chunk, after: carried)
                carried = Array((carried + chunk).suffix(prefix.count - 1))
                chunk = passing
                if holds {
                    _ = send(destination, chunk)
                    // Held: nothing more from this client reaches the server; wait for the test to end it.
                    while recv(source, &buffer, buffer.count, 0) > 0 {}
                    return
                }
            }
            guard send(destination, chunk) else { break }
        }
        Glibc.shutdown(destination, Int32(SHUT_WR))
    }

    /// The part of `chunk` to forward, and whether a request in it is to be held (the part ends before it).
    private func gate(_ chunk: [UInt8], after carried: [UInt8]) -> (passing: [UInt8], holds: Bool) {
        let joined = carried + chunk
        var index = 0
        while index + prefix.count <= joined.count {
            if joined[index..<(index + prefix.count)].elementsEqual(prefix) {
                let holds = state.withLock { state -> Bool in
                    if state.held { return true }
                    state.seen += 1
                    if state.seen > limit { state.held = true }
                    return state.held
                }
                if holds { return (Array(chunk[0..<max(0, index - carried.count)]), true) }
                index += prefix.count
            } else {
                index += 1
            }
        }
        return (chunk, false)
    }

    private func send(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
