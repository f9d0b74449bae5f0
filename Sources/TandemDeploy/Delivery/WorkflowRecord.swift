import Crypto
import KubeClient
import KubeModel
import TandemJSON

/// A workflow's state between runs of `tandem up` (and the `tandem workflow` commands): kept in
/// the application's ApplySet parent Secret, under keys of its own, written by a field manager
/// of its own so that the parent's other writes leave them alone.
public struct WorkflowRecord: Sendable, Equatable {
    /// `status.workflow`, exactly as KubeVela writes it.
    public var status: JSONValue
    /// The steps' outputs, by step name.
    public var outputs: JSONValue
    /// The spec the workflow runs for (`DeliveryPlan.specDigest`): another spec restarts it.
    public var spec: String
    /// The Application as `tandem up` read it, so that `tandem workflow resume` can go on without
    /// its file; nil when it came from standard input.
    public var application: JSONValue?

    public init(status: JSONValue, outputs: JSONValue, spec: String, application: JSONValue? = nil) {
        self.status = status
        self.outputs = outputs
        self.spec = spec
        self.application = application
    }
}

extension SecretParent {
    public static let workflowKey = "workflow"
    public static let workflowOutputsKey = "workflow-outputs"
    public static let workflowSpecKey = "workflow-spec"
    public static let workflowApplicationKey = "workflow-application"
    /// Who writes the workflow's keys.
    public static let workflowFieldManager = "tandem-workflow"

    /// The workflow's state as last recorded; nil when none was.
    public func readWorkflow(_ client: KubeClient) async throws -> WorkflowRecord? {
        guard let secret = try await client.get(reference) else { return nil }
        return Self.workflow(of: secret)
    }

    public static func workflow(of secret: KubeObject) -> WorkflowRecord? {
        func decoded(_ key: String) -> [UInt8]? {
            secret.json[path: ["data", key]]?.string.flatMap(Base64.decode)
        }
        guard let status = decoded(workflowKey).flatMap({ try? JSONReader().read($0) }),
              let spec = decoded(workflowSpecKey).map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
        let outputs = decoded(workflowOutputsKey).flatMap { try? JSONReader().read($0) } ?? [:]
        let application = decoded(workflowApplicationKey).flatMap { try? JSONReader().read($0) }
        return WorkflowRecord(status: status, outputs: outputs, spec: spec, application: application)
    }

    /// Records the workflow's state; the parent must exist (a delivery's `prepare` writes it).
    public func writeWorkflow(_ record: WorkflowRecord, client: KubeClient) async throws {
        var secret = KubeObject(.secret, name: reference.name, namespace: reference.namespace)
        var data: JSONObject = [
            Self.workflowKey: .string(Base64.encode(JSONWriter.compactBytes(record.status))),
            Self.workflowOutputsKey: .string(Base64.encode(JSONWriter.compactBytes(record.outputs))),
            Self.workflowSpecKey: .string(Base64.encode(Array(record.spec.utf8))),
        ]
        if let application = record.application {
            data.append(Self.workflowApplicationKey, .string(Base64.encode(JSONWriter.compactBytes(application))))
        }
        secret.json["data"] = .object(data)
        try await client.managed(by: Self.workflowFieldManager).apply(secret, options: ApplyOptions(force: true))
    }
}

extension DeliveryPlan {
    /// A digest of what the application asks for: every object it renders and its workflow.
    /// The same spec gives the same digest; a workflow recorded for another one starts over.
    public var specDigest: String {
        var hasher = SHA256()
        for item in deploy.items {
            hasher.update(data: JSONWriter.compactBytes(item.object.json))
            hasher.update(data: [0])
        }
        for step in deploy.application.application.workflow.flatMap(\.flattened) {
            let json: JSONValue = ["name": .string(step.name), "type": .string(step.type), "properties": step.properties,
                                   "dependsOn": .array(step.dependsOn.map(JSONValue.string))]
            hasher.update(data: JSONWriter.compactBytes(json))
            hasher.update(data: [0])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
