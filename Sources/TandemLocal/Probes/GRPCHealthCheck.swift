import Foundation

/// `grpc.health.v1.Health/Check` over plaintext HTTP/2 (h2c), as the kubelet's grpc probe calls
/// it: one request on stream 1, headers in HPACK literals, and the response's `status` field read
/// from the reply message. SERVING is a success.
struct GRPCHealthCheck {
    var host: String
    var port: Int
    var service: String
    var deadline: Date

    static let statuses = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"]

    func run() throws(ProbeProblem) -> ProbeOutcome {
        let connection = try SocketConnection(host: host, port: port, deadline: deadline)
        try connection.write(request())
        var buffer: [UInt8] = []
        var message: [UInt8] = []
        while true {
            let chunk = try connection.read()
            if chunk.isEmpty { throw ProbeProblem("rpc error: code = Unavailable desc = connection closed before the reply") }
            buffer += chunk
            while buffer.count >= 9 {
                let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
                guard buffer.count >= 9 + length else { break }
                let type = buffer[3], flags = buffer[4]
                let stream = (UInt32(buffer[5]) << 24 | UInt32(buffer[6]) << 16 | UInt32(buffer[7]) << 8 | UInt32(buffer[8])) & 0x7FFF_FFFF
                let payload = Array(buffer[9..<(9 + length)])
                buffer.removeFirst(9 + length)
                switch type {
                case 0x0 where stream == 1:  // DATA
                    message += payload
                    if flags & 0x1 != 0 { return outcome(message) }
                case 0x1 where stream == 1 && flags & 0x1 != 0:  // HEADERS ending the stream: the trailers
                    return outcome(message)
                case 0x3 where stream == 1:  // RST_STREAM
                    throw ProbeProblem("rpc error: code = Unavailable desc = the server reset the stream")
                case 0x4 where flags & 0x1 == 0:  // SETTINGS: acknowledge
                    try connection.write(Self.frame(type: 0x4, flags: 0x1, stream: 0, []))
                case 0x6 where flags & 0x1 == 0:  // PING: answer
                    try connection.write(Self.frame(type: 0x6, flags: 0x1, stream: 0, payload))
                case 0x7:  // GOAWAY
                    throw ProbeProblem("rpc error: code = Unavailable desc = the server closed the connection")
                default:
                    continue
                }
            }
        }
    }

    /// The reply's `status` (field 1, a varint) after the 5-byte gRPC message prefix.
    func outcome(_ message: [UInt8]) -> ProbeOutcome {
        guard message.count >= 5 else {
            return ProbeOutcome(success: false, message: "rpc error: the server answered with no health status (does it serve grpc.health.v1.Health?)")
        }
        let body = message.dropFirst(5)
        var status = 0
        if let tag = body.first, tag == 0x08, body.count >= 2 { status = Int(body[body.startIndex + 1] & 0x7F) }
        let name = status < Self.statuses.count ? Self.statuses[status] : String(status)
        if status == 1 { return ProbeOutcome(success: true, message: "") }
        return ProbeOutcome(success: false, message: "service unhealthy (responded with \"\(name)\")")
    }

    func request() -> [UInt8] {
        var bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        bytes += Self.frame(type: 0x4, flags: 0, stream: 0, [])
        var headers: [UInt8] = [0x83, 0x86]  // :method POST, :scheme http (HPACK static table)
        headers += [0x04] + Self.string("/grpc.health.v1.Health/Check")  // :path, literal
        headers += [0x01] + Self.string(host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")  // :authority
        headers += [0x0F, 0x10] + Self.string("application/grpc")  // content-type (static index 31)
        headers += [0x00] + Self.string("te") + Self.string("trailers")
        bytes += Self.frame(type: 0x1, flags: 0x4, stream: 1, headers)
        var request: [UInt8] = []
        if !service.isEmpty { request = [0x0A] + Self.varint(service.utf8.count) + Array(service.utf8) }
        let length = UInt32(request.count)
        let message: [UInt8] = [0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + request
        bytes += Self.frame(type: 0x0, flags: 0x1, stream: 1, message)
        return bytes
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    /// An HPACK string literal, not Huffman-coded, its length a 7-bit-prefix integer.
    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return hpackInteger(bytes.count, prefixBits: 7) + bytes
    }

    static func hpackInteger(_ value: Int, prefixBits: Int) -> [UInt8] {
        let limit = (1 << prefixBits) - 1
        if value < limit { return [UInt8(value)] }
        var result: [UInt8] = [UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            result.append(UInt8(rest % 128 + 128))
            rest /= 128
        }
        return result + [UInt8(rest)]
    }

    static func varint(_ value: Int) -> [UInt8] {
        var result: [UInt8] = []
        var rest = value
        while rest >= 128 {
            result.append(UInt8(rest & 0x7F | 0x80))
            rest >>= 7
        }
        return result + [UInt8(rest)]
    }
}
