/// What the server answered, with the whole body.
public struct KubeResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A response whose body arrives over time: a watch.
public struct KubeStreamingResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: [(name: String, value: String)], body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends requests to one API server, with its credentials. `KubeClient` adds what is the same
/// for every transport: decoding, errors, retries.
public protocol KubeTransport: Sendable {
    /// The server, as messages name it (`https://10.0.0.1:6443`).
    var server: String { get }
    func send(_ request: KubeRequest, timeout: Duration) async throws -> KubeResponse
    func open(_ request: KubeRequest) async throws -> KubeStreamingResponse
    func shutdown() async
}

extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
