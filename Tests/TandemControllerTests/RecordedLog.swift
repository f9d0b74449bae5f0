import Foundation
import Logging
import Synchronization

/// A controller's log kept in memory, so that a test that times out can say what the controller
/// was doing instead of only that it never got there.
final class RecordedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func handler(label: String) -> some LogHandler {
        Handler(log: self, label: label)
    }

    /// The last `count` lines.
    func tail(_ count: Int = 60) -> String {
        lines.withLock { $0.suffix(count).joined(separator: "\n") }
    }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let log: RecordedLog
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
                 source: String, file: String, function: String, line: UInt) {
            let all = metadata.merging(extra ?? [:]) { $1 }
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let time = Date().formatted(.iso8601.time(includingFractionalSeconds: true))
            log.append("\(time) \(level) \(message) \(fields)")
        }
    }
}
