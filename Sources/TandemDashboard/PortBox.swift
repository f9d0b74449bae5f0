import Synchronization

/// The port the server listens on, known once it runs (the request's Host is checked against it).
final class PortBox: Sendable {
    private let storage = Mutex<Int?>(nil)

    var value: Int? { storage.withLock { $0 } }

    func set(_ port: Int) async {
        storage.withLock { $0 = port }
    }
}
