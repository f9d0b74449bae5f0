import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TandemJSON

/// What every connection shares: the handlers, the store, faults, the request log and how
/// requests are authenticated.
final class ServerCore: Sendable {
    let handlers: Handlers
    let store: Store
    let faults = FaultBook()
    let log = RequestLog()
    let exec = ExecCommands()
    let portForwards = PortForwardTargets()
    let authenticator: Authenticator
    let bookmarkInterval: Duration?
    /// The largest request body accepted (413 above it).
    let maxBodySize = 16 << 20

    init(handlers: Handlers, store: Store, authenticator: Authenticator, bookmarkInterval: Duration?) {
        self.handlers = handlers
        self.store = store
        self.authenticator = authenticator
        self.bookmarkInterval = bookmarkInterval
    }
}

/// The requests seen so far.
final class RequestLog: Sendable {
    private let entries = Mutex<[RecordedRequest]>([])

    func append(_ request: RecordedRequest) { entries.withLock { $0.append(request) } }
    var all: [RecordedRequest] { entries.withLock { $0 } }
    func reset() { entries.withLock { $0.removeAll() } }
}

/// One HTTP/1.1 connection: collects each request, authenticates it, applies injected faults,
/// answers through the handlers, and streams watches.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    /// Its name in the pipeline, which an exec's WebSocket upgrade removes it by.
    static let name = "kube-api"

    private let core: ServerCore
    private let usesTLS: Bool
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false
    private var activeWatch: ActiveWatch?
    /// The followed log this connection streams, by its follower id.
    private var activeLog: Int?

    init(core: ServerCore, usesTLS: Bool) {
        self.core = core
        self.usesTLS = usesTLS
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > core.maxBodySize {
                tooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            receive(context: context, head: requestHead, body: Array(body.readableBytesView))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        activeWatch?.stop(store: core.store)
        activeWatch = nil
        if let activeLog { core.handlers.logs.unfollow(activeLog) }
        activeLog = nil
        context.fireChannelInactive()
    }

    private func receive(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let (path, query) = APIRequest.split(uri: head.uri)
        let headers = head.headers.map { (name: $0.name, value: $0.value) }
        var certificateName: String?
        if usesTLS, let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate() {
            certificateName = TLSSetup.commonName(certificate)
        }
        let user = core.authenticator.user(authorization: head.headers.first(name: "Authorization"),
                                           certificateCommonName: certificateName)
        let request = APIRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body,
                                 user: user ?? "")
        let isWatch = ["1", "true"].contains(request.queryValue("watch") ?? "")
        guard user != nil else {
            return finish(context: context, request: request, user: nil, response: .error(.unauthorized), keepAlive: head.isKeepAlive)
        }
        if tooLarge {
            let error = APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(core.maxBodySize)", details: nil)
            return finish(context: context, request: request, user: user, response: .error(error), keepAlive: false)
        }
        var cutAfter: Int?
        switch core.faults.take(method: request.method, path: path, isWatch: isWatch) {
        case .status(let code, let retryAfter)?:
            return finish(context: context, request: request, user: user,
                          response: .error(.injected(code: code, retryAfterSeconds: retryAfter)), keepAlive: head.isKeepAlive)
        case .dropConnection?:
            record(request, user: user, status: 0)
            context.close(promise: nil)
            return
        case .delay(let duration)?:
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
            context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                let (handler, context) = bound.value
                handler.answer(context: context, request: request, user: user, keepAlive: head.isKeepAlive, cutAfter: nil)
            }
            return
        case .cutWatch(let events)?:
            cutAfter = events
        case nil:
            break
        }
        answer(context: context, request: request, user: user, keepAlive: head.isKeepAlive, cutAfter: cutAfter)
    }

    private func answer(context: ChannelHandlerContext, request: APIRequest, user: String?, keepAlive: Bool, cutAfter: Int?) {
        guard context.channel.isActive else { return }
        let response = core.handlers.handle(request)
        if case .watch(let watch) = response {
            startWatch(context: context, watch, cutAfter: cutAfter)
            // Recorded once the watch receives changes, so that a test seeing it can make one.
            record(request, user: user, status: 200)
        } else if case .log(let log) = response {
            record(request, user: user, status: 200)
            startLog(context: context, log)
        } else {
            finish(context: context, request: request, user: user, response: response, keepAlive: keepAlive)
        }
    }

    private func record(_ request: APIRequest, user: String?, status: Int) {
        core.log.append(RecordedRequest(method: request.method, path: request.path,
                                        queryItems: request.query.map { RecordedRequest.QueryItem(name: $0.name, value: $0.value) },
                                        userAgent: request.userAgent, contentType: request.header("Content-Type"), user: user,
                                        statusCode: status, date: Date()))
    }

    private func finish(context: ChannelHandlerContext, request: APIRequest, user: String?, response: APIResponse, keepAlive: Bool) {
        record(request, user: user, status: response.statusCode)
        var headers = HTTPHeaders()
        let payload: [UInt8]
        switch response {
        case .json(_, let body, let contentType, let extra):
            headers.add(name: "Content-Type", value: contentType)
            for (name, value) in extra { headers.add(name: name, value: value) }
            payload = JSONWriter.compactBytes(body) + [UInt8(ascii: "\n")]
        case .text(_, let body, let contentType):
            headers.add(name: "Content-Type", value: contentType)
            payload = Array(body.utf8)
        case .watch, .log:
            return
        }
        headers.add(name: "Cache-Control", value: "no-cache, private")
        headers.add(name: "Content-Length", value: String(payload.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.statusCode)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if request.method != "HEAD" {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: payload)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    // MARK: - Followed logs

    /// Sends the lines so far, then each new one, until the container's run ends or the client goes.
    private func startLog(context: ChannelHandlerContext, _ request: LogRequest) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        let channel = context.channel
        let (id, lines) = core.handlers.logs.follow(request.key) { event in
            channel.eventLoop.execute {
                guard channel.isActive else { return }
                switch event {
                case .line(let line):
                    channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: request.format(line)))),
                                          promise: nil)
                case .end:
                    channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
                }
            }
        }
        activeLog = id
        let first = request.select(lines)
        if !first.isEmpty { context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: first)))), promise: nil) }
    }

    // MARK: - Watches

    private func startWatch(context: ChannelHandlerContext, _ request: WatchRequest, cutAfter: Int?) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: request.asTable ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        let sink = ChannelWatchSink(channel: context.channel, cutAfter: cutAfter)
        let session = WatchSession(request: request, sink: sink)
        let watch = ActiveWatch(session: session)
        do {
            watch.listenerID = try session.start(in: core.store)
        } catch {
            session.sendError(error)
            sink.finish()
            return
        }
        activeWatch = watch
        let store = core.store
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if let seconds = request.timeoutSeconds, seconds > 0 {
            watch.timeout = context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                let handler = bound.value
                guard let active = handler.activeWatch, active === watch else { return }
                active.stop(store: store)
                handler.activeWatch = nil
                sink.finish()
            }
        }
        if request.allowBookmarks, let interval = core.bookmarkInterval {
            let nanoseconds = Int64(interval.components.seconds) * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
            watch.bookmarks = context.eventLoop.scheduleRepeatedTask(initialDelay: .nanoseconds(nanoseconds),
                                                                     delay: .nanoseconds(nanoseconds)) { _ in
                store.synchronized { state in session.sendBookmark(revision: state.revision) }
            }
        }
    }
}

