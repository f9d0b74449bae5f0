import TandemJSON

/// A request as the handlers see it: method, path, decoded query, headers, body, and the
/// authenticated user.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var user: String

    func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
    func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var userAgent: String { header("User-Agent") ?? "" }

    /// Splits `path?query`, decoding `%XX` and `+` (a space, as form encoding and kubectl use it).
    static func split(uri: String) -> (path: String, query: [(name: String, value: String)]) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = percentDecoded(String(parts[0]), plusIsSpace: false)
        guard parts.count > 1 else { return (path, []) }
        let query = parts[1].split(separator: "&").map { pair -> (name: String, value: String) in
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecoded(String(pieces[0]), plusIsSpace: true),
                    pieces.count > 1 ? percentDecoded(String(pieces[1]), plusIsSpace: true) : "")
        }
        return (path, query)
    }

    static func percentDecoded(_ text: String, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                      let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What a handler answers.
enum APIResponse: Sendable {
    case json(status: Int, body: JSONValue, contentType: String, headers: [(String, String)])
    case text(status: Int, body: String, contentType: String)
    /// A watch: the connection streams events until the watch ends.
    case watch(WatchRequest)
    /// A followed log (`pods/NAME/log?follow=true`): the connection streams its lines.
    case log(LogRequest)

    static func ok(_ body: JSONValue, status: Int = 200, contentType: String = "application/json") -> APIResponse {
        .json(status: status, body: body, contentType: contentType, headers: [])
    }

    static func error(_ error: APIError) -> APIResponse {
        .json(status: error.code, body: error.status, contentType: "application/json", headers: error.headers)
    }

    var statusCode: Int {
        switch self {
        case .json(let status, _, _, _), .text(let status, _, _): return status
        case .watch, .log: return 200
        }
    }
}
