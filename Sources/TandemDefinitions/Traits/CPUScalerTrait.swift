import KubeModel
import TandemJSON
import TandemModel

/// `cpuscaler`: a HorizontalPodAutoscaler on CPU utilization alone.
public struct CPUScalerTrait: TraitDefinition {
    public let name = "cpuscaler"
    public let description = "Scales the workload between min and max replicas to keep CPU use near a percentage (a HorizontalPodAutoscaler)."
    public let appliesTo = TraitTarget.types(ScaleTarget.types)

    public init() {}

    public let parameters = Schema.object("Parameters of the cpuscaler trait.", [
        .optional("min", .integer("Fewest replicas.", range: 1...Int(Int32.max), default: 1)),
        .optional("max", .integer("Most replicas.", range: 1...Int(Int32.max), default: 10)),
        .optional("cpuUtil", .integer("Target CPU use, as a percentage of the CPU requested.", range: 1...Int(Int32.max), default: 50)),
        .optional("targetAPIVersion", ScaleTarget.apiVersion),
        .optional("targetKind", ScaleTarget.kind),
    ], checks: [ScaleTarget.checkBounds])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: website
        spec:
          components:
            - name: frontend
              type: webservice
              properties:
                image: nginx:1.27
                cpu: 250m
              traits:
                - type: cpuscaler
                  properties:
                    min: 2
                    max: 6
                    cpuUtil: 60

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        guard let target = ScaleTarget.reference(properties, component, context) else { return }
        var autoscaler = context.object(.horizontalPodAutoscaler, name: context.componentName)
        autoscaler.json["spec"] = [
            "scaleTargetRef": target, "minReplicas": properties.value("min"), "maxReplicas": properties.value("max"),
            "metrics": [HPATrait.metric("cpu", ["type": "Utilization", "value": properties.value("cpuUtil")])],
        ]
        component.addObject(autoscaler)
    }
}
