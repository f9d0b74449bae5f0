import Foundation

/// A TCP connection with deadlines, for probes: connect, write, read, in plain POSIX calls.
final class SocketConnection {
    private let descriptor: Int32
    private let deadline: Date

    /// Connects to `host:port` before `deadline`; throws the kubelet's (Go's) words on failure:
    /// `dial tcp 10.88.0.4:8080: connect: connection refused`.
    init(host: String, port: Int, deadline: Date) throws(ProbeProblem) {
        self.deadline = deadline
        let target = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ProbeProblem("dial tcp: lookup \(host): no such host")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProbeProblem("dial tcp \(target): socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0, errno != EINPROGRESS {
            let reason = String(cString: strerror(errno)).lowercased()
            close(fd)
            throw ProbeProblem("dial tcp \(target): connect: \(reason)")
        }
        descriptor = fd
        guard wait(for: Int16(POLLOUT)) else {
            close(fd)
            throw ProbeProblem("dial tcp \(target): i/o timeout")
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 {
            close(fd)
            throw ProbeProblem("dial tcp \(target): connect: \(String(cString: strerror(error)).lowercased())")
        }
    }

    deinit { close(descriptor) }

    private func wait(for events: Int16) -> Bool {
        let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        return poll(&entry, 1, remaining) > 0
    }

    func write(_ bytes: [UInt8]) throws(ProbeProblem) {
        var offset = 0
        while offset < bytes.count {
            guard wait(for: Int16(POLLOUT)) else { throw ProbeProblem("write: i/o timeout") }
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw ProbeProblem("write: \(String(cString: strerror(errno)).lowercased())")
            }
            offset += written
        }
    }

    /// Reads what has come, waiting until the deadline for something; empty at the end of the stream.
    func read() throws(ProbeProblem) -> [UInt8] {
        while true {
            guard wait(for: Int16(POLLIN)) else { throw ProbeProblem("read: i/o timeout") }
            var buffer = [UInt8](repeating: 0, count: 16384)
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw ProbeProblem("read: \(String(cString: strerror(errno)).lowercased())")
            }
            return Array(buffer.prefix(count))
        }
    }
}
