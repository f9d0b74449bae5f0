import Hummingbird
import TandemJSON

/// Server-sent events (`text/event-stream`): what a page follows without reloading.
enum EventStream {
    static let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]

    /// How often a quiet stream sends a comment: a page that went away is noticed (the write
    /// fails) and its subscription ends, rather than waiting for the next change.
    static let heartbeat: Duration = .seconds(20)

    /// Sends `render()` as `event` now and after every change on `feed` that alters it, until
    /// the page goes away or the dashboard shuts down.
    static func response(feed: ChangeFeed, event: String, render: @escaping @Sendable () async -> JSONValue) -> Response {
        Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // true: a change; false: time for a heartbeat.
            let (signals, continuation) = AsyncStream.makeStream(of: Bool.self)
            let changes = await feed.subscribe()
            let forward = Task {
                for await _ in changes { continuation.yield(true) }
                continuation.finish()
            }
            let beat = Task {
                while (try? await Task.sleep(for: heartbeat)) != nil { continuation.yield(false) }
            }
            defer {
                forward.cancel()
                beat.cancel()
            }
            var last: [UInt8] = []
            for await isChange in signals {
                guard isChange else {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    continue
                }
                let data = JSONWriter.compactBytes(await render())
                guard data != last else { continue }
                last = data
                try await writer.write(ByteBuffer(bytes: message(event: event, data: data)))
            }
            try await writer.finish(nil)
        })
    }

    /// Sends each line `produce` hands on as a `line` event; an `end` event says why it stopped.
    static func lines(_ produce: @escaping @Sendable (_ line: @escaping @Sendable (String) async -> Void) async throws -> Void) -> Response {
        Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(1000))
            let producer = Task {
                do {
                    try await produce { line in continuation.yield(message(event: "line", data: JSONWriter.compactBytes(.string(line)))) }
                    continuation.yield(message(event: "end", data: JSONWriter.compactBytes(.string("the log ended"))))
                } catch {
                    continuation.yield(message(event: "end", data: JSONWriter.compactBytes(.string("\(error)"))))
                }
                continuation.finish()
            }
            defer { producer.cancel() }
            for await bytes in stream {
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        })
    }

    /// `event: NAME`, `data: JSON`, a blank line. Compact JSON holds no line breaks.
    static func message(event: String, data: [UInt8]) -> [UInt8] {
        Array("event: \(event)\ndata: ".utf8) + data + Array("\n\n".utf8)
    }
}
