import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// HTTP/1.1 connections that cannot be held open by a slow or silent client: Hummingbird's HTTP1 channel, with
/// a handler in front of the HTTP decoder that gives every request `requestTimeout` from its first byte to its
/// last (head and body), and Hummingbird's idle timeout between requests.
struct DeadlineHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel
    let requestTimeout: TimeAmount
    /// Where the connection says whether it is idle, so that at the connection cap an idle one makes room.
    var connections: ConnectionTable? = nil

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        let deadline = RequestDeadline(timeout: requestTimeout, connections: connections)
        if let connections {
            connections.opened(channel)
            channel.closeFuture.whenComplete { _ in connections.closed(channel) }
        }
        do {
            try channel.pipeline.syncOperations.addHandler(RequestStartHandler(deadline: deadline))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        // Both handlers run on the channel's event loop; the bound box lets the closure carry the timer there.
        let bound = NIOLoopBound(deadline, eventLoop: channel.eventLoop)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Right after the HTTP/1 decoder: sees where each request ends.
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(RequestEndHandler(deadline: bound.value), position: .after(decoder))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// The timer one connection's two handlers share (both run on the channel's event loop).
final class RequestDeadline {
    let timeout: TimeAmount
    let connections: ConnectionTable?
    var inRequest = false
    var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount, connections: ConnectionTable? = nil) {
        self.timeout = timeout
        self.connections = connections
    }

    func started(_ context: ChannelHandlerContext) {
        guard !inRequest else { return }
        inRequest = true
        let channel = context.channel
        connections?.requestStarted(channel)
        scheduled = context.eventLoop.scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
    }

    func finished() {
        inRequest = false
        scheduled?.cancel()
        scheduled = nil
    }

    /// A response's last part was written.
    func responded(_ channel: any Channel) {
        connections?.responseEnded(channel)
    }
}

/// First in the pipeline: the first bytes of a request start its deadline.
final class RequestStartHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let deadline: RequestDeadline

    init(deadline: RequestDeadline) {
        self.deadline = deadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadline.started(context)
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline.finished()
        context.fireChannelInactive()
    }
}

/// After the HTTP decoder: a request's head starts its deadline if its first bytes did not, its end stops it;
/// a response's end (on its way to the encoder) makes the connection idle again.
final class RequestEndHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart
    let deadline: RequestDeadline

    init(deadline: RequestDeadline) {
        self.deadline = deadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        // A head whose bytes came with the previous request's end (pipelining) starts its own deadline here.
        case .head: deadline.started(context)
        case .body: break
        case .end: deadline.finished()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        // Idle once the response has gone out (so a close to make room comes after its last byte).
        let written = promise ?? context.eventLoop.makePromise()
        // The promise completes on the channel's event loop, where the deadline lives.
        let deadline = NIOLoopBound(self.deadline, eventLoop: context.eventLoop)
        let channel = context.channel
        written.futureResult.whenComplete { _ in deadline.value.responded(channel) }
        context.write(data, promise: written)
    }
}
