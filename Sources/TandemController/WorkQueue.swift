/// The keys waiting to be reconciled. A key is queued once however often it is added; a key
/// added while it is being worked on is queued again when that work is done (so no change is
/// missed, and one key is never worked on twice at once); failures are retried after an
/// exponential back-off of their own.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var order: [Key] = []
    private var head = 0
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    /// Keys that `addBatched` will add when their window ends.
    private var batching: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var shutDown = false
    public let baseDelay: Duration
    public let maximumDelay: Duration

    public init(baseDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(300)) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// Keys waiting, not counting those being worked on.
    public var depth: Int { order.count - head }

    public func add(_ key: Key) {
        guard !shutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard queued.insert(key).inserted else { return }
        if let waiter = waiters.first {
            waiters.removeFirst()
            queued.remove(key)
            processing.insert(key)
            waiter.resume(returning: key)
            return
        }
        order.append(key)
    }

    /// Adds `key` after `delay`.
    public nonisolated func add(_ key: Key, after delay: Duration) {
        Task {
            try? await Task.sleep(for: delay)
            await self.add(key)
        }
    }

    /// Adds `key` when `window` has passed, absorbing any other `addBatched` of it meanwhile
    /// (a pass that holds back a rollout's progress asks to be run again this way).
    public func addBatched(_ key: Key, window: Duration) {
        guard !shutDown, !queued.contains(key), batching.insert(key).inserted else { return }
        Task {
            try? await Task.sleep(for: window)
            self.endBatch(key)
        }
    }

    private func endBatch(_ key: Key) {
        batching.remove(key)
        add(key)
    }

    /// Adds `key` again after its own back-off, which doubles with each failure in a row.
    public func retry(_ key: Key) {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        var delay = baseDelay
        for _ in 1..<min(count, 30) { delay = min(delay * 2, maximumDelay) }
        add(key, after: delay)
    }

    /// The key succeeded: its back-off starts over.
    public func forget(_ key: Key) {
        failures[key] = nil
    }

    public func failureCount(_ key: Key) -> Int { failures[key] ?? 0 }

    /// The next key to work on, waiting for one; nil once the queue is shut down.
    public func next() async -> Key? {
        if head < order.count {
            let key = order[head]
            head += 1
            if head > 1024, head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
            queued.remove(key)
            processing.insert(key)
            return key
        }
        if shutDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Work on `key` is over; a change that came meanwhile queues it again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// No more keys: waiting workers get nil, keys already handed out may finish.
    public func shutDownQueue() {
        shutDown = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    public var isShutDown: Bool { shutDown }
}
