import Synchronization
import TandemJSON

/// A watch asked for: what to watch, from where, for how long.
struct WatchRequest: Sendable {
    var type: ResourceType
    var namespace: String?
    var labelSelector: LabelSelector
    var fieldSelector: FieldSelector
    /// nil or "0": start with ADDED for every current object; otherwise replay changes after it.
    var resourceVersion: String?
    var allowBookmarks: Bool
    var timeoutSeconds: Int?
    /// `sendInitialEvents=true` (watch-list): ADDED for current objects, then a bookmark that says so.
    var sendInitialEvents: Bool
    /// The client asked for server-side printing: each event's object is a one-row Table.
    var asTable = false

    func matches(_ object: JSONValue) -> Bool {
        if type.namespaced, let namespace, object[path: ["metadata", "namespace"]]?.string != namespace { return false }
        return labelSelector.matches(object: object) && fieldSelector.matches(object)
    }
}

/// Where a watch's lines go: the HTTP connection. `send` only queues, in order; it is called
/// with the store locked, so the line is written later, by the connection.
protocol WatchSink: Sendable {
    func send(_ line: @escaping @Sendable () -> [UInt8])
    /// Ends the stream normally (the final chunk); the connection stays usable.
    func finish()
}

/// One running watch: turns committed changes into the events this watcher should see. An
/// object that stops matching the selectors is a DELETED for it, one that starts is an ADDED.
final class WatchSession: ChangeListener {
    let request: WatchRequest
    let sink: any WatchSink

    init(request: WatchRequest, sink: any WatchSink) {
        self.request = request
        self.sink = sink
    }

    func deliver(_ event: ChangeEvent) {
        guard event.key.resource == request.type.groupResource else { return }
        let type: String
        switch event.kind {
        case .added:
            guard request.matches(event.object) else { return }
            type = "ADDED"
        case .deleted:
            guard request.matches(event.object) else { return }
            type = "DELETED"
        case .modified:
            let before = event.previous.map(request.matches) ?? false
            let after = request.matches(event.object)
            switch (before, after) {
            case (true, true): type = "MODIFIED"
            case (false, true): type = "ADDED"
            case (true, false): type = "DELETED"
            case (false, false): return
            }
        }
        send(type, event.object)
    }

    func send(_ type: String, _ object: JSONValue) {
        var object = object
        if object["apiVersion"]?.string != request.type.apiVersion { object["apiVersion"] = .string(request.type.apiVersion) }
        let (request, changed) = (request, object)
        sink.send {
            Self.line(type, request.asTable ? Tables.table(for: changed, type: request.type, includeObject: nil) : changed)
        }
    }

    func sendBookmark(revision: Int, initialEventsEnd: Bool = false) {
        var metadata: JSONObject = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let bookmark: JSONValue = ["kind": .string(request.type.kind), "apiVersion": .string(request.type.apiVersion),
                                   "metadata": .object(metadata)]
        sink.send { Self.line("BOOKMARK", bookmark) }
    }

    func sendError(_ error: APIError) {
        let status = error.status
        sink.send { Self.line("ERROR", status) }
    }

    static func line(_ type: String, _ object: JSONValue) -> [UInt8] {
        JSONWriter.compactBytes(["type": .string(type), "object": object]) + [UInt8(ascii: "\n")]
    }

    /// Registers with the store and sends what comes before live changes, under the store's
    /// lock so that nothing is missed or repeated. Throws 410 for a resourceVersion whose
    /// changes are no longer kept.
    func start(in store: Store) throws(APIError) -> Int {
        let request = self.request
        return try store.addListener(self) { state throws(APIError) in
            let version = request.resourceVersion ?? ""
            if version.isEmpty || version == "0" || request.sendInitialEvents {
                for object in state.list(request.type.groupResource, namespace: request.type.namespaced ? request.namespace : nil)
                where request.matches(object) {
                    send("ADDED", object)
                }
                if request.sendInitialEvents { sendBookmark(revision: state.revision, initialEventsEnd: true) }
                return
            }
            guard let revision = Int(version) else {
                throw APIError.badRequest("resourceVersion: Invalid value: \"\(version)\": must be a valid resourceVersion")
            }
            guard let changes = state.changes(after: revision) else {
                throw APIError.expired(requested: revision, oldest: state.compactedRevision)
            }
            for event in changes { deliver(event) }
        }
    }
}
