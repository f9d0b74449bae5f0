import KubeModel
import TandemJSON
import TandemModel

/// `k8s-update-strategy`: how a Deployment, StatefulSet or DaemonSet replaces its pods.
public struct UpdateStrategyTrait: TraitDefinition {
    public let name = "k8s-update-strategy"
    public let description = "Sets how a Deployment, StatefulSet or DaemonSet replaces its pods: rolling (with surge and unavailability), recreate or on delete."
    public let appliesTo = TraitTarget.types(["webservice", "worker", "statefulset", "daemon", "k8s-objects", "raw"])

    public init() {}

    public let parameters = Schema.object("Parameters of the k8s-update-strategy trait.", [
        .optional("targetAPIVersion", .string("API version of the workload.", format: .nonEmpty, default: "apps/v1")),
        .optional("targetKind", .oneOf(["Deployment", "StatefulSet", "DaemonSet"], "Kind of the workload (default: the component's workload's).", default: "Deployment")),
        .required("strategy", .object("The strategy.", [
            .optional("type", .oneOf(["RollingUpdate", "Recreate", "OnDelete"],
                                     "RollingUpdate; Recreate (Deployments); OnDelete (StatefulSets and DaemonSets).", default: "RollingUpdate")),
            .optional("rollingStrategy", .object("How a rolling update proceeds.", [
                .optional("maxSurge", .string("Pods above the desired count during the update: a number or a percentage (Deployments, DaemonSets).", format: .nonEmpty, default: "25%")),
                .optional("maxUnavailable", .string("Pods that may be unavailable during the update: a number or a percentage (Deployments, DaemonSets).", format: .nonEmpty, default: "25%")),
                .optional("partition", .integer("Pods with an ordinal below this keep the old version (StatefulSets).", range: 0...Int(Int32.max), default: 0)),
            ])),
        ])),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: webservice
              properties:
                image: example/api:3
              traits:
                - type: scaler
                  properties: {replicas: 4}
                - type: k8s-update-strategy
                  properties:
                    strategy:
                      type: RollingUpdate
                      rollingStrategy: {maxSurge: "1", maxUnavailable: "0"}

        """

    /// The strategy types each kind takes.
    static let types: [String: Set<String>] = [
        "Deployment": ["RollingUpdate", "Recreate"], "StatefulSet": ["RollingUpdate", "OnDelete"], "DaemonSet": ["RollingUpdate", "OnDelete"],
    ]

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let workloadKind = component.workload.kind
        let kind = properties.isGiven("targetKind") ? properties.text("targetKind") : workloadKind
        guard kind == workloadKind, let allowed = Self.types[kind] else {
            context.scope.error("the component's workload is a \(workloadKind)" + (kind == workloadKind ? ", which has no update strategy" : ", not a \(kind)"),
                                at: properties.isGiven("targetKind") ? ["targetKind"] : [], code: .traitNotApplicable,
                                hint: "the trait sets the strategy of a Deployment, StatefulSet or DaemonSet")
            return
        }
        let type = properties.values[path: ["strategy", "type"]]?.string ?? "RollingUpdate"
        guard allowed.contains(type) else {
            context.scope.error("a \(kind) has no \(type) strategy; it takes \(allowed.sorted().joined(separator: " or "))",
                                at: ["strategy", "type"], code: .invalidValue)
            return
        }
        let rolling = properties.values[path: ["strategy", "rollingStrategy"]] ?? .object(JSONObject())
        var strategy: JSONObject = ["type": .string(type)]
        if type == "RollingUpdate" {
            strategy.append("rollingUpdate", kind == "StatefulSet"
                ? ["partition": rolling["partition"] ?? 0]
                : ["maxSurge": rolling["maxSurge"] ?? "25%", "maxUnavailable": rolling["maxUnavailable"] ?? "25%"])
        }
        let field = kind == "Deployment" ? "strategy" : "updateStrategy"
        var spec = component.workload.json["spec"]?.object ?? JSONObject()
        if spec[field] != nil { spec[field] = .object(strategy) } else { spec.insert(field, .object(strategy), before: ["template"]) }
        component.workload.json["spec"] = .object(spec)
    }
}
