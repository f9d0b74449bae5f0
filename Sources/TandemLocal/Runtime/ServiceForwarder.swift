import Foundation
import TandemJSON

/// `tandem local-forward`: what a Service's ClusterIP does on a cluster, for one Service run
/// locally. The supervisor runs it inside the network of the Service's podman pod (whose
/// address podman's DNS gives for the Service's names), where it listens on each TCP port of
/// the Service and sends each connection to the next ready pod behind it, at the port the
/// Service targets, as kube-proxy does. The ready pods are read from the state folder's
/// endpoints file, which the supervisor rewrites as pods become ready or stop being so, at
/// each connection: a connection never goes to a pod that was not ready when it came.
///
/// Why a process in the pod's network rather than DNS answers naming the pods themselves:
/// DNS cannot change a port (`api:8080` must reach the container's `targetPort`), knows
/// nothing of readiness, and a client keeps the first address it got. One blocking thread per
/// direction of a connection keeps it small: local traffic is a developer's, not a load test's.
public final class ServiceForwarder: Sendable {
    /// The hidden subcommand that runs one.
    public static let commandName = "local-forward"

    public let state: StateDirectory
    public let service: String
    /// The supervisor that started it: it ends when that one has.
    public let supervisor: pid_t
    private let turns = Turns()

    public init(state: StateDirectory, service: String, supervisor: pid_t) {
        self.state = state
        self.service = service
        self.supervisor = supervisor
    }

    /// Listens on `ports` until the supervisor has gone; a port that cannot be listened on is an error.
    public func run(ports: [Int]) throws {
        _ = try start(ports: ports)
        // The supervisor ends with `down` (SIGTERM): nothing of this process may outlive it and
        // keep the pod's network alive.
        while kill(supervisor, 0) == 0 || errno == EPERM {
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    /// Listens on `ports`, each served by a thread of its own; returns their sockets, whose
    /// closing ends them.
    func start(ports: [Int]) throws -> [Int32] {
        var listeners: [Int32] = []
        do {
            for port in ports { listeners.append(try Self.listen(port)) }
        } catch {
            listeners.forEach { close($0) }
            throw error
        }
        for (listener, port) in zip(listeners, ports) {
            Thread.detachNewThread { [self] in accept(listener, port: port) }
        }
        return listeners
    }

    private func accept(_ listener: Int32, port: Int) {
        while true {
            let client = Foundation.accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            Thread.detachNewThread { [self] in serve(client, port: port) }
        }
    }

    /// Connects `client` to the next ready pod that answers, and copies both ways until both
    /// sides are done; with no pod to go to, the client's connection is closed, as a Service
    /// without endpoints refuses it.
    private func serve(_ client: Int32, port: Int) {
        let endpoints = Self.endpoints(state, service: service, port: port)
        let first = turns.next("\(port)", count: endpoints.count)
        var upstream: Int32 = -1
        for offset in 0..<endpoints.count {
            let endpoint = endpoints[(first + offset) % endpoints.count]
            upstream = Self.connect(endpoint.host, endpoint.port)
            if upstream >= 0 { break }
        }
        guard upstream >= 0 else {
            close(client)
            return
        }
        let done = DispatchGroup()
        let server = upstream
        done.enter()
        Thread.detachNewThread {
            Self.copy(from: client, to: server)
            done.leave()
        }
        Self.copy(from: server, to: client)
        done.wait()
        close(client)
        close(server)
    }

    /// Copies until the end of `source`, then ends the writing half of `target`.
    static func copy(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, count - offset) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break copying }
                offset += written
            }
        }
        shutdown(target, Int32(SHUT_WR))
    }

    /// The ready pods behind `port` of `service`, as the supervisor last wrote them.
    public static func endpoints(_ state: StateDirectory, service: String, port: Int) -> [(host: String, port: Int)] {
        guard let data = FileManager.default.contents(atPath: state.endpointsFile),
              let json = try? JSONReader().read([UInt8](data)) else { return [] }
        return (json[service]?["\(port)/tcp"]?.strings ?? []).compactMap { address in
            guard let colon = address.lastIndex(of: ":"), let number = Int(address[address.index(after: colon)...]) else { return nil }
            return (String(address[..<colon]), number)
        }
    }

    static func listen(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ForwarderError("port \(port): socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Foundation.listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ForwarderError("port \(port): cannot listen: \(reason)")
        }
        return fd
    }

    /// A connected socket to `host:port`, or -1. A pod that has just gone may not answer at
    /// all: after a few seconds the next one is tried.
    static func connect(_ host: String, _ port: Int, timeoutMilliseconds: Int32 = 3000) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return -1 }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var connected = started == 0
        if !connected, errno == EINPROGRESS {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            connected = poll(&entry, 1, timeoutMilliseconds) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
        }
        guard connected else {
            close(fd)
            return -1
        }
        _ = fcntl(fd, F_SETFL, flags)
        return fd
    }
}

/// Whose turn it is, per port: round robin over the ready pods.
private final class Turns: @unchecked Sendable {
    private let lock = NSLock()
    private var counters: [String: Int] = [:]

    func next(_ key: String, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return lock.withLock {
            let value = counters[key, default: 0]
            counters[key] = value &+ 1
            return value % count
        }
    }
}

public struct ForwarderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
