import NIOCore
import NIOHTTP1
import Synchronization

/// A watch running on a connection, and what must be stopped with it.
final class ActiveWatch {
    let session: WatchSession
    var listenerID: Int?
    var timeout: Scheduled<Void>?
    var bookmarks: RepeatedTask?

    init(session: WatchSession) { self.session = session }

    func stop(store: Store) {
        if let listenerID { store.removeListener(listenerID) }
        listenerID = nil
        timeout?.cancel()
        bookmarks?.cancel()
    }
}

/// Writes a watch's events to its connection as chunks, in the order they were queued; with a
/// cut fault, closes the connection after that many events.
final class ChannelWatchSink: WatchSink {
    private let channel: any Channel
    private let cutAfter: Int?
    private let state = Mutex((sent: 0, closed: false))

    init(channel: any Channel, cutAfter: Int?) {
        self.channel = channel
        self.cutAfter = cutAfter
    }

    func send(_ line: @escaping @Sendable () -> [UInt8]) {
        let channel = self.channel
        channel.eventLoop.execute { [self] in
            let shouldCut: Bool? = state.withLock { state in
                guard !state.closed else { return nil }
                state.sent += 1
                if let cutAfter, state.sent >= cutAfter { state.closed = true; return true }
                return false
            }
            guard let shouldCut, channel.isActive else { return }
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: line()))), promise: nil)
            if shouldCut { channel.close(promise: nil) }
        }
    }

    func finish() {
        let channel = self.channel
        channel.eventLoop.execute { [self] in
            let wasOpen = state.withLock { state in
                defer { state.closed = true }
                return !state.closed
            }
            guard wasOpen, channel.isActive else { return }
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        }
    }
}
