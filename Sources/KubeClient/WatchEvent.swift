import TandemJSON

/// One event of a watch.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR"
    }

    public var kind: Kind
    public var object: JSONValue

    public init(kind: Kind, object: JSONValue) {
        self.kind = kind
        self.object = object
    }

    public var resourceVersion: String? { object[path: ["metadata", "resourceVersion"]]?.string }
}

/// Splits a watch body (one JSON event per line) into events, whatever the chunking.
struct WatchEventDecoder {
    private var pending: [UInt8] = []

    mutating func feed(_ chunk: [UInt8]) throws -> [WatchEvent] {
        pending += chunk
        var events: [WatchEvent] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(pending[start..<newline])
            start = newline + 1
            if let event = try Self.decode(line) { events.append(event) }
        }
        pending.removeFirst(start)
        return events
    }

    /// What is left when the stream ends: a last event without its newline.
    mutating func finish() throws -> WatchEvent? {
        defer { pending = [] }
        return try Self.decode(pending)
    }

    static func decode(_ line: [UInt8]) throws -> WatchEvent? {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return nil }
        let json: JSONValue
        do {
            json = try JSONReader().read(line)
        } catch {
            throw WatchDecodingError(reason: "an event is not JSON (\(error))")
        }
        guard let type = json["type"]?.string, let kind = WatchEvent.Kind(rawValue: type), let object = json["object"] else {
            throw WatchDecodingError(reason: "an event has no type or object")
        }
        return WatchEvent(kind: kind, object: object)
    }
}

struct WatchDecodingError: Error {
    var reason: String
}
