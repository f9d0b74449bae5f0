import KubeModel
import TandemJSON
import TandemModel

/// `startup-probe`: a startup probe on one container (the main one, or a sidecar).
public struct StartupProbeTrait: TraitDefinition {
    public let name = "startup-probe"
    public let description = "Adds a startup probe to a container: other probes wait until it succeeds."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters: Schema = {
        var schema = ProbeParameters.schema(.startup)
        schema.kind = .object([.optional("containerName", ContainerTarget.schema)] + schema.properties)
        schema.description = "Parameters of the startup-probe trait: a container and a startup probe."
        return schema
    }()

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
        var probe = properties.values.object ?? JSONObject()
        probe["containerName"] = nil
        ContainerTarget.edit(properties, &component, context) { container in
            container.setContainerField("startupProbe", .object(probe))
        }
    }
}
