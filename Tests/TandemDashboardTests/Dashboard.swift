import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TandemJSON
import TandemTestSupport
import Testing

/// A `tandem dashboard --port 0` process, the port and token it printed, and requests to it.
struct Dashboard {
    let process: RunningProcess
    let port: Int
    let token: String?
    var base: String { "http://127.0.0.1:\(port)" }

    static func start(_ arguments: [String], home: URL) async throws -> Dashboard {
        let process = try RunningProcess([Tandem.executable.path, "dashboard", "--port", "0"] + arguments,
                                         environment: ["HOME": home.path, "TANDEM_STATE_DIR": home.appendingPathComponent("state").path])
        let allowsActions = arguments.contains("--allow-actions")
        let started = await process.awaitOutput { output in
            output.contains("Dashboard at ") && (!allowsActions || output.contains("Actions token: ") && output.hasSuffix("\n"))
        }
        try #require(started, "the dashboard did not start: \(process.output)\(process.errors)")
        let lines = process.output.split(separator: "\n").map(String.init)
        // The contract with the browser tests: the address first, then the token.
        let address = try #require(lines.first?.firstMatch(of: /^Dashboard at http:\/\/127\.0\.0\.1:(\d+)\/$/))
        let port = try #require(Int(address.1))
        let token = allowsActions ? lines.dropFirst().first?.firstMatch(of: /^Actions token: (\S+)$/).map { String($0.1) } : nil
        if allowsActions { try #require(token != nil, "\(lines)") }
        return Dashboard(process: process, port: port, token: token)
    }

    func stop() async {
        await process.stop()
    }

    func request(_ path: String, method: HTTPMethod = .GET, body: String? = nil,
                 headers: [String: String] = [:]) async throws -> (HTTPClientResponse, String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (response, String(buffer: bytes))
    }

    func json(_ path: String) async throws -> (Int, JSONValue) {
        let (response, text) = try await request(path)
        return (Int(response.status.code), try JSONReader().read(text))
    }

    func post(_ path: String, body: String, headers: [String: String]) async throws -> (Int, JSONValue) {
        let (response, text) = try await request(path, method: .POST, body: body, headers: headers)
        return (Int(response.status.code), try JSONReader().read(text))
    }

    /// Reads a server-sent event stream, handing each event to `handle` until it returns true
    /// (or 30 seconds pass: a failure).
    func events(_ path: String, handle: (String, JSONValue) throws -> Bool) async throws {
        let request = HTTPClientRequest(url: base + path)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let end = pending.range(of: "\n\n") {
                let message = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                var event = "", data = ""
                for line in message.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                // A comment (the server's heartbeat) carries no data: a browser skips it too.
                guard !data.isEmpty else { continue }
                if try handle(event, try JSONReader().read(data)) { return }
            }
        }
        Issue.record("the event stream ended before the expected event")
    }
}
