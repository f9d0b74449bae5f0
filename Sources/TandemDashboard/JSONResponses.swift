import Hummingbird
import TandemJSON

/// Responses the API gives: JSON bodies, and errors as `{"error": "..."}` with a status.
enum JSONResponses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.compactBytes(value))))
    }

    static func error(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        json(.object(["error": .string(reason)]), status: status)
    }
}
