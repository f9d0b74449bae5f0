import KubeModel

/// What a `KubeClient` needs of an API server: requests sent and answered (errors decoded,
/// retried as the server allows), watches opened, discovery. `KubeEndpoint` is the real one;
/// a test or a recorder can stand in for it.
public protocol KubeAPI: Sendable {
    /// The server, as messages name it (`https://10.0.0.1:6443`).
    var server: String { get }
    /// How many requests were sent (each retry counts).
    var requestCount: Int { get }
    /// Sends `request`; an error answer throws `KubeError.api`.
    func sendRaw(_ request: KubeRequest) async throws -> KubeResponse
    /// Opens a request whose answer streams (a watch), whatever its status.
    func open(_ request: KubeRequest) async throws -> KubeStreamingResponse
    func resource(for gvk: GroupVersionKind) async throws -> APIResource
    /// The resource of a kind, in the version the server prefers.
    func resource(for groupKind: GroupKind) async throws -> APIResource
    func forgetDiscovery() async
    func shutdown() async
}
