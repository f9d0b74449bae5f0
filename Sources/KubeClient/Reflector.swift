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
    public var fieldSelector: String?
    /// How long the server keeps one watch open before the reflector asks again.
    public var watchTimeoutSeconds: Int
    /// What is kept of each object, applied as it arrives (client-go's transform function).
    public var transform: @Sendable (KubeObject) -> KubeObject

    public init(client: KubeClient, resource: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                watchTimeoutSeconds: Int = 290, transform: @escaping @Sendable (KubeObject) -> KubeObject = { $0 }) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.transform = transform
    }

    /// What the reflector holds after a change.
    public typealias Snapshot = [ObjectReference: KubeObject]

    /// A change as the reflector sees it: a whole list (at the start and after `410 Gone`: it
    /// replaces everything held before), or one object added, modified or deleted.
    public enum Change: Sendable {
        case listed([KubeObject])
        case upserted(KubeObject)
        case deleted(KubeObject)
    }

    /// Runs until cancelled, calling `publish` with the whole set after the first list and after
    /// every change. For small sets: each call copies the set.
    public func run(publish: @escaping @Sendable (Snapshot) async -> Void) async throws {
        let held = Held()
        try await run { change in await publish(await held.apply(change)) }
    }

    /// Runs until cancelled, calling `onChange` for every change. A broken connection and
    /// `410 Gone` are handled here; with `persistent`, so are an unreachable server and server
    /// errors (retried with back-off, as a controller must); other errors end the run.
    public func run(persistent: Bool = false, onChange: @Sendable (Change) async -> Void) async throws {
        var resourceVersion: String?
        var failuresInARow = 0
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.list(resource, namespace: namespace, labelSelector: labelSelector,
                                                     fieldSelector: fieldSelector, transform: transform)
                    resourceVersion = list.resourceVersion
                    await onChange(.listed(list.items))
                }
                let events = try await client.watch(resource, namespace: namespace, labelSelector: labelSelector,
                                                    fieldSelector: fieldSelector, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds)
                for try await event in events {
                    failuresInARow = 0
                    if let version = event.resourceVersion { resourceVersion = version }
                    switch event.kind {
                    case .added, .modified: await onChange(.upserted(transform(KubeClient.object(event.object, of: resource))))
                    case .deleted: await onChange(.deleted(transform(KubeClient.object(event.object, of: resource))))
                    case .bookmark, .error: continue
                    }
                }
            } catch let error as KubeError where error.isGone {
                resourceVersion = nil
            } catch let error as KubeError where Self.isPassing(error, persistent: persistent) {
                // Resume from where we were, after a pause that grows while it keeps failing.
                failuresInARow += 1
                try await Task.sleep(for: .milliseconds(min(10_000, 100 << min(failuresInARow, 7))))
            } catch is CancellationError {
                return
            }
        }
    }

    /// Failures worth waiting out: a broken watch always; with `persistent`, a server out of
    /// reach or failing too.
    static func isPassing(_ error: KubeError, persistent: Bool) -> Bool {
        switch error {
        case .connectionLost: return true
        case .unreachable, .timedOut: return persistent
        case .api(_, let status): return persistent && (status.code == 429 || status.code >= 500)
        default: return false
        }
    }
}

/// The set a `run(publish:)` keeps.
private actor Held {
    var objects: Reflector.Snapshot = [:]

    func apply(_ change: Reflector.Change) -> Reflector.Snapshot {
        switch change {
        case .listed(let items): objects = Dictionary(items.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        case .upserted(let object): objects[object.reference] = object
        case .deleted(let object): objects[object.reference] = nil
        }
        return objects
    }
}
