import KubeModel
import TandemJSON
import TandemModel

/// `hpa`: a HorizontalPodAutoscaler (autoscaling/v2) on CPU, memory and custom pod metrics.
public struct HPATrait: TraitDefinition {
    public let name = "hpa"
    public let description = "Scales the workload between min and max replicas on CPU, memory and pod metrics (a HorizontalPodAutoscaler)."
    public let appliesTo = TraitTarget.types(ScaleTarget.types)

    public init() {}

    static func resource(_ what: String) -> Schema {
        .object("The \(what) target.", [
            .optional("type", .oneOf(["Utilization", "AverageValue"], "A percentage of the request (Utilization), or an average amount (AverageValue).",
                                     default: "Utilization")),
            .optional("value", .integer("The percentage, or the amount.", range: 1...Int(Int32.max), default: 50)),
        ])
    }

    public let parameters: Schema = {
        var cpu = HPATrait.resource("CPU")
        cpu.defaultValue = ["type": "Utilization", "value": 50]
        return Schema.object("Parameters of the hpa trait.", [
            .optional("min", .integer("Fewest replicas.", range: 1...Int(Int32.max), default: 1)),
            .optional("max", .integer("Most replicas.", range: 1...Int(Int32.max), default: 10)),
            .optional("targetAPIVersion", ScaleTarget.apiVersion),
            .optional("targetKind", ScaleTarget.kind),
            .optional("cpu", cpu),
            .optional("mem", HPATrait.resource("memory")),
            .optional("podCustomMetrics", .array(of: .object("A metric of the pods.", [
                .required("name", .string("The metric's name.", format: .nonEmpty)),
                .required("value", .quantity("Its target average value.")),
            ]), "Custom metrics of the pods, each with a target average value.")),
        ], checks: [ScaleTarget.checkBounds])
    }()

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
                cpu: 500m
                memory: 512Mi
              traits:
                - type: hpa
                  properties:
                    min: 2
                    max: 8
                    cpu: {type: Utilization, value: 70}
                    mem: {type: Utilization, value: 80}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        guard let target = ScaleTarget.reference(properties, component, context) else { return }
        var metrics = [Self.metric("cpu", properties.value("cpu"))]
        // KubeVela's template reads the memory target from the cpu one; the memory values given are used here.
        if let memory = properties["mem"] { metrics.append(Self.metric("memory", memory)) }
        for custom in properties.list("podCustomMetrics") {
            metrics.append(["type": "Pods", "pods": ["metric": ["name": custom.value("name")],
                                                     "target": ["type": "AverageValue", "averageValue": custom.value("value")]]])
        }
        var autoscaler = context.object(.horizontalPodAutoscaler, name: context.componentName)
        autoscaler.json["spec"] = ["scaleTargetRef": target, "minReplicas": properties.value("min"),
                                   "maxReplicas": properties.value("max"), "metrics": .array(metrics)]
        component.addObject(autoscaler)
    }

    static func metric(_ resource: String, _ target: JSONValue) -> JSONValue {
        let type = target["type"]?.string ?? "Utilization"
        let value = target["value"] ?? 50
        let goal: JSONValue = type == "Utilization" ? ["type": "Utilization", "averageUtilization": value] : ["type": "AverageValue", "averageValue": value]
        return ["type": "Resource", "resource": ["name": .string(resource), "target": goal]]
    }
}
