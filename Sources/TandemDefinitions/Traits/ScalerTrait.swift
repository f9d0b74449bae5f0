import KubeModel
import TandemJSON
import TandemModel

/// `scaler`: a fixed number of replicas.
public struct ScalerTrait: TraitDefinition {
    public let name = "scaler"
    public let description = "Sets the number of replicas of a Deployment or StatefulSet."
    public let appliesTo = TraitTarget.types(ScaleTarget.types)

    public init() {}

    public let parameters = Schema.object("Parameters of the scaler trait.", [
        .optional("replicas", .integer("Number of pods.", range: 0...Int(Int32.max), default: 1)),
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
                  properties:
                    replicas: 3

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        guard ScaleTarget.scalableKinds.contains(component.workload.kind) else {
            context.scope.error("the component's workload is a \(component.workload.kind), which has no replicas", code: .traitNotApplicable,
                                hint: "the scaler sets the replicas of a Deployment, StatefulSet or ReplicaSet")
            return
        }
        var spec = component.workload.json["spec"]?.object ?? JSONObject()
        if spec["replicas"] != nil {
            context.scope.error("the replicas are already set by an earlier trait", code: .conflictingTraits,
                                hint: "keep one scaler trait per component")
            return
        }
        spec.insert("replicas", properties.value("replicas"), before: ["selector", "template"])
        component.workload.json["spec"] = .object(spec)
    }
}
