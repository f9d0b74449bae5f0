import KubeClient
import KubeModel
import TandemJSON
import TandemWorkflow

/// Where the controller keeps an Application's workflow, as KubeVela keeps it: the status in
/// `status.workflow`, the context (the steps' outputs, which steps were resumed) in a ConfigMap
/// `workflow-APP-context` beside it. The controller and the `tandem workflow` commands read and
/// write it through here.
public enum ApplicationWorkflowState {
    public static let contextKey = "context"

    public static func contextReference(application: String, namespace: String) -> ObjectReference {
        ObjectReference(gvk: .configMap, namespace: namespace, name: "workflow-\(application)-context")
    }

    /// The workflow of `application` (an Application object) as recorded; a workflow that has not
    /// started when none is.
    public static func read(_ application: KubeObject, client: KubeClient) async throws -> WorkflowStatus {
        guard let json = application.json[path: ["status", "workflow"]], json != .null else { return WorkflowStatus() }
        let context = try await readContext(application: application.name, namespace: application.namespace ?? "default", client: client)
        return try WorkflowStatus(json: json, context: context ?? [:])
    }

    static func readContext(application: String, namespace: String, client: KubeClient) async throws -> JSONValue? {
        let reference = contextReference(application: application, namespace: namespace)
        guard let text = try await client.get(reference)?.json[path: ["data", contextKey]]?.string else { return nil }
        return try? JSONReader().read(Array(text.utf8))
    }

    /// Keeps the context in its ConfigMap.
    public static func writeContext(_ context: JSONValue, application: String, namespace: String, client: KubeClient) async throws {
        let reference = contextReference(application: application, namespace: namespace)
        var configMap = KubeObject(.configMap, name: reference.name, namespace: namespace)
        configMap.addLabels([(LabelKeys.appName, application)])
        var data = JSONObject()
        data.append(contextKey, .string(JSONWriter.compact(context)))
        configMap.json["data"] = .object(data)
        _ = try await client.apply(configMap, options: ApplyOptions(force: true))
    }

    /// `status.workflow` with where its context is kept, as KubeVela writes it.
    public static func json(_ status: WorkflowStatus, application: String, namespace: String) -> JSONValue {
        var json = status.json
        let context = contextReference(application: application, namespace: namespace)
        json["contextBackend"] = ["apiVersion": "v1", "kind": "ConfigMap", "name": .string(context.name), "namespace": .string(namespace)]
        return json
    }

    /// Records a workflow changed by a command (`status.workflow` patched, as `vela workflow`
    /// does; the context first, so that the controller reads both together). `status` nil drops
    /// the workflow: it starts over (`vela workflow restart`).
    public static func write(_ status: WorkflowStatus?, application: String, namespace: String, client: KubeClient) async throws {
        if let status { try await writeContext(status.context, application: application, namespace: namespace, client: client) }
        let workflow = status.map { json($0, application: application, namespace: namespace) } ?? .null
        let resource = try await client.resource(for: ApplicationKey.gvk)
        let request = KubeRequest(.patch, resource.path(namespace: namespace, name: application) + "/status",
                                  headers: [.init("Content-Type", "application/merge-patch+json")],
                                  body: JSONWriter.compactBytes(["status": ["workflow": workflow]]))
        let _: JSONValue = try await client.send(request)
    }
}
