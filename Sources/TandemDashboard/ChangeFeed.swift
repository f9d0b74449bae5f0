/// Tells every open page that what the dashboard shows has changed. Each subscriber holds at
/// most one pending notice, so a burst of changes costs a page one redraw, not one per change.
public actor ChangeFeed {
    private var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
    private var nextID = 0
    private var finished = false

    public init() {}

    /// A stream that yields once now (the page's first state) and after every change; it ends
    /// when the dashboard shuts down.
    public func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        guard !finished else {
            continuation.finish()
            return stream
        }
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        continuation.yield()
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    public func publish() {
        for continuation in subscribers.values { continuation.yield() }
    }

    /// Ends every stream: the server can then close its connections.
    public func finish() {
        finished = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func unsubscribe(_ id: Int) {
        subscribers[id] = nil
    }
}
