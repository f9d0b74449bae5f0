import KubeModel
import TandemJSON
import TandemModel

/// `resource`: CPU and memory requests and limits of one container.
public struct ResourceTrait: TraitDefinition {
    public let name = "resource"
    public let description = "Sets CPU and memory requests and limits of a container (the main one, or another by containerName)."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static func pair(_ what: String) -> Schema {
        .object("CPU and memory \(what).", [
            .optional("cpu", ResourceParameters.cpu),
            .optional("memory", ResourceParameters.memory),
        ])
    }

    public let parameters = Schema.object("Parameters of the resource trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("cpu", ResourceParameters.cpu.described("CPU, both requested and limited.")),
        .optional("memory", ResourceParameters.memory.described("Memory, both requested and limited.")),
        .optional("requests", ResourceTrait.pair("requested (the scheduler reserves them)")),
        .optional("limits", ResourceTrait.pair("limits (the container may not use more)")),
    ], atLeastOneOf: [["cpu", "memory", "requests", "limits"]], checks: ResourceParameters.checks)

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
                image: example/api:3
              traits:
                - type: resource
                  properties:
                    requests: {cpu: 250m, memory: 256Mi}
                    limits: {memory: 512Mi}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        ContainerTarget.edit(properties, &component, context) { container in
            var resources = container["resources"]?.object ?? JSONObject()
            for (field, sources) in [("limits", ["", "limits"]), ("requests", ["", "requests"])] {
                var values = resources[field]?.object ?? JSONObject()
                for source in sources {
                    let given = source.isEmpty ? properties.values : properties[source]
                    for resource in ["cpu", "memory"] { if let value = given?[resource] { values[resource] = value } }
                }
                if !values.isEmpty { resources[field] = .object(values) }
            }
            var requirements = ResourceRequirements()
            requirements.requests = resources["requests"]?.object ?? JSONObject()
            requirements.limits = resources["limits"]?.object ?? JSONObject()
            ResourceParameters.checkRequestsWithinLimits(requirements, scope: context.scope, at: [])
            container.setContainerField("resources", .object(resources))
        }
    }
}
