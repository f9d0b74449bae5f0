import KubeModel
import TandemJSON
import TandemModel

/// The workload an autoscaler or update strategy addresses: the kind given, or the component's
/// own workload when none is given, always by the workload's name.
package enum ScaleTarget {
    /// The component types whose workload has replicas (k8s-objects when its first object does).
    package static let types: [String] = ["webservice", "worker", "statefulset", "k8s-objects", "raw"]
    /// The kinds whose replicas an autoscaler can set.
    package static let scalableKinds: Set<String> = ["Deployment", "StatefulSet", "ReplicaSet"]

    package static let apiVersion = Schema.string("API version of the workload to scale (default: the component's workload's).", format: .nonEmpty, default: "apps/v1")
    package static let kind = Schema.string("Kind of the workload to scale (default: the component's workload's).", format: .nonEmpty, default: "Deployment")

    /// `scaleTargetRef`: the given kind, else the workload's own; nil after reporting a workload
    /// that has no replicas.
    package static func reference(_ properties: Parameters, _ component: ComponentDraft, _ context: RenderContext) -> JSONValue? {
        let workload = component.workload
        if properties.isGiven("targetKind") || properties.isGiven("targetAPIVersion") {
            return ["apiVersion": properties.value("targetAPIVersion"), "kind": properties.value("targetKind"), "name": .string(workload.name)]
        }
        guard scalableKinds.contains(workload.kind) else {
            context.scope.error("the component's workload is a \(workload.kind), which has no replicas to scale", code: .traitNotApplicable,
                                hint: "name what to scale with targetAPIVersion and targetKind, or use a Deployment or StatefulSet")
            return nil
        }
        return ["apiVersion": .string(workload.apiVersion), "kind": .string(workload.kind), "name": .string(workload.name)]
    }

    /// `min` not above `max`: a check of the autoscalers' schemas.
    package static func checkBounds(_ properties: JSONObject, _ scope: DiagnosticScope) {
        if let min = properties["min"]?.int, let max = properties["max"]?.int, min > max {
            scope.error("min (\(min)) is above max (\(max))", at: ["min"], code: .invalidValue, hint: "the autoscaler needs min <= max")
        }
    }
}
