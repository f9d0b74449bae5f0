import Synchronization
import TandemJSON
import TandemKubeVela

/// Providers for step tests: objects kept in memory (an object without a namespace is in
/// `default`), HTTP answered from recorded responses by URL, and everything asked recorded.
final class InMemoryWorkflowProviders: WorkflowProviders {
    struct Recorded {
        var objects: [String: JSONValue] = [:]
        var applied: [JSONValue] = []
        var deleted: [String] = []
        var requests: [WorkflowHTTPRequest] = []
        var logs: [String] = []
    }

    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    private let state = Mutex(Recorded())
    let responses: [String: WorkflowHTTPResponse]
    /// What the cluster does to an object once applied (a controller setting its status).
    let afterApply: @Sendable (JSONValue) -> JSONValue

    init(objects: [JSONValue] = [], responses: [String: WorkflowHTTPResponse] = [:],
         afterApply: @escaping @Sendable (JSONValue) -> JSONValue = { $0 }) {
        self.responses = responses
        self.afterApply = afterApply
        state.withLock { recorded in
            for object in objects { recorded.objects[Self.key(object)] = object }
        }
    }

    var recorded: Recorded { state.withLock { $0 } }

    func object(_ apiVersion: String, _ kind: String, _ namespace: String, _ name: String) -> JSONValue? {
        state.withLock { $0.objects["\(apiVersion)/\(kind)/\(namespace)/\(name)"] }
    }

    static func key(_ object: JSONValue) -> String {
        let namespace = object[path: ["metadata", "namespace"]]?.string ?? "default"
        return "\(object["apiVersion"]?.string ?? "")/\(object["kind"]?.string ?? "")/\(namespace)/\(object[path: ["metadata", "name"]]?.string ?? "")"
    }

    func apply(_ object: JSONValue) async throws -> JSONValue {
        var live = object
        if live[path: ["metadata", "namespace"]] == nil, var metadata = live["metadata"]?.object, case .object(var root) = live {
            metadata["namespace"] = "default"
            root["metadata"] = .object(metadata)
            live = .object(root)
        }
        let key = Self.key(live)
        return state.withLock { recorded in
            if let status = recorded.objects[key]?["status"], live["status"] == nil, case .object(var root) = live {
                root["status"] = status
                live = .object(root)
            }
            live = afterApply(live)
            recorded.objects[key] = live
            recorded.applied.append(object)
            return live
        }
    }

    func read(_ object: JSONValue) async throws -> JSONValue? {
        state.withLock { $0.objects[Self.key(object)] }
    }

    func list(apiVersion: String, kind: String, namespace: String?, matchingLabels: [String: String]) async throws -> [JSONValue] {
        state.withLock { recorded in
            recorded.objects.keys.sorted().compactMap { key in
                guard let object = recorded.objects[key], object["apiVersion"]?.string == apiVersion, object["kind"]?.string == kind else { return nil }
                if let namespace, object[path: ["metadata", "namespace"]]?.string ?? "default" != namespace { return nil }
                let labels = object[path: ["metadata", "labels"]]
                return matchingLabels.allSatisfy { labels?[$0.key]?.string == $0.value } ? object : nil
            }
        }
    }

    func delete(_ object: JSONValue) async throws {
        let key = Self.key(object)
        state.withLock { recorded in
            if recorded.objects.removeValue(forKey: key) != nil { recorded.deleted.append(key) }
        }
    }

    func http(_ request: WorkflowHTTPRequest) async throws -> WorkflowHTTPResponse {
        state.withLock { $0.requests.append(request) }
        guard let response = responses[request.url] else { throw Unreachable() }
        return response
    }

    func log(step: String, _ message: String) async {
        state.withLock { $0.logs.append("\(step): \(message)") }
    }
}
