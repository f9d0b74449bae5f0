import KubeModel
import TandemJSON

/// A current copy of the objects of one resource that a label selector selects, kept by
/// watching: list, then watch from the list's resourceVersion; a watch that ends or breaks is
/// resumed from the last resourceVersion seen (bookmarks move it on), and a `410 Gone` means the
/// server's history no longer reaches back: list again. Every change is published whole.
public struct Reflector: Sendable {
    public var client: KubeClient
    public var resource: APIResource
    public var namespace: String?
    public var labelSelector: String?
    /// How long the server keeps one watch open before the reflector asks again.
    public var watchTimeoutSeconds: Int

    public init(client: KubeClient, resource: APIResource, namespace: String?, labelSelector: String? = nil,
                watchTimeoutSeconds: Int = 290) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.watchTimeoutSeconds = watchTimeoutSeconds
    }

    /// What the reflector holds after a change.
    public typealias Snapshot = [ObjectReference: KubeObject]

    /// Runs until cancelled, calling `publish` with the whole set after the first list and after
    /// every change. Errors other than a broken connection or `410 Gone` end it.
    public func run(publish: @Sendable (Snapshot) async -> Void) async throws {
        var objects: Snapshot = [:]
        var resourceVersion: String?
        var brokenInARow = 0
        while !Task.isCancelled {
            if resourceVersion == nil {
                let list = try await client.list(resource, namespace: namespace, labelSelector: labelSelector)
                objects = Dictionary(list.items.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
                resourceVersion = list.resourceVersion
                await publish(objects)
            }
            do {
                let events = try await client.watch(resource, namespace: namespace, labelSelector: labelSelector,
                                                    resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds)
                for try await event in events {
                    brokenInARow = 0
                    let object = KubeClient.object(event.object, of: resource)
                    if let version = event.resourceVersion { resourceVersion = version }
                    switch event.kind {
                    case .added, .modified: objects[object.reference] = object
                    case .deleted: objects[object.reference] = nil
                    case .bookmark, .error: continue
                    }
                    await publish(objects)
                }
            } catch let error as KubeError where error.isGone {
                resourceVersion = nil
            } catch KubeError.connectionLost {
                // Resume from where we were, after a pause that grows while it keeps breaking.
                brokenInARow += 1
                try await Task.sleep(for: .milliseconds(min(5000, 100 << min(brokenInARow, 6))))
            } catch is CancellationError {
                return
            }
        }
    }
}
