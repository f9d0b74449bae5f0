import KubeModel
import TandemJSON
import TandemModel

/// `env`: sets, replaces or removes environment variables of one container.
public struct EnvTrait: TraitDefinition {
    public let name = "env"
    public let description = "Sets or removes environment variables of a container (the main one, or another by containerName)."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches = ContainerPatches(.object("Parameters of the env trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("env", .map(of: .string(), "Variables to set: name to value. An existing variable takes the new value.",
                              keyFormat: .envVarName)),
        .optional("unset", .array(of: .string(format: .envVarName), "Variables to remove.")),
        .optional("replace", .boolean("Drop every existing variable first.", default: false)),
    ]), listDescription: "The variables of several containers: one entry per container, each with its containerName.")

    public let parameters = EnvTrait.patches.schema

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
                env:
                  - {name: LOG_LEVEL, value: info}
                  - {name: DEBUG, value: "1"}
              traits:
                - type: env
                  properties:
                    env:
                      LOG_LEVEL: warn
                      REGION: eu-west-1
                    unset: [DEBUG]

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        Self.patches.forEach(properties, context: context) { properties, context in
            setVariables(properties, &component, context)
        }
    }

    private func setVariables(_ properties: Parameters, _ component: inout ComponentDraft, _ context: RenderContext) {
        let settings = properties["env"]?.object ?? JSONObject()
        let unset = Set(properties["unset"]?.strings ?? [])
        let replace = properties.flag("replace")
        ContainerTarget.edit(properties, &component, context) { container in
            var variables = replace ? [] : (container["env"]?.array ?? []).filter { !unset.contains($0["name"]?.string ?? "") }
            for member in settings {
                let variable: JSONValue = ["name": .string(member.key), "value": member.value]
                if let index = variables.firstIndex(where: { $0["name"]?.string == member.key }) {
                    variables[index] = variable
                } else {
                    variables.append(variable)
                }
            }
            container.setContainerField("env", variables.isEmpty ? Optional<JSONValue>.none : JSONValue.array(variables))
        }
    }
}
