import KubeModel
import TandemJSON
import TandemModel

/// `startup-probe`: a startup probe on one container (the main one, or a sidecar).
public struct StartupProbeTrait: TraitDefinition {
    public let name = "startup-probe"
    public let description = "Adds a startup probe to a container: other probes wait until it succeeds."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches: ContainerPatches = {
        var schema = ProbeParameters.schema(.startup)
        schema.kind = .object([.optional("containerName", ContainerTarget.schema)] + schema.properties + [
            .optional("terminationGracePeriodSeconds", .integer(
                "Seconds the pod has to stop gracefully when the probe fails (default: the pod's).", range: 1...Int(Int32.max))),
        ])
        schema.description = "Parameters of the startup-probe trait: a container and a startup probe."
        return ContainerPatches(schema, listKey: "probes",
                                listDescription: "Startup probes of several containers: one entry per container, each with its containerName.")
    }()

    public let parameters = StartupProbeTrait.patches.schema

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/slow-starter:1
              traits:
                - type: startup-probe
                  properties:
                    httpGet: {path: /started, port: 8080}
                    periodSeconds: 5
                    failureThreshold: 60

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        Self.patches.forEach(properties, context: context) { properties, context in
            var probe = properties.values.object ?? JSONObject()
            probe["containerName"] = nil
            guard let name = ContainerTarget.resolve(properties, in: component, context) else { return }
            component.editContainer(named: name) { container in
                container.setContainerField("startupProbe", .object(probe))
            }
            component.probeSources[ProbeSlot(container: name, field: "startupProbe")] = context.scope.path
        }
    }
}
