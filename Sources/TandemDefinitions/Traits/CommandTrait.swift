import KubeModel
import TandemJSON
import TandemModel

/// `command`: the command and arguments of one container.
public struct CommandTrait: TraitDefinition {
    public let name = "command"
    public let description = "Replaces the command or arguments of a container, or adds and removes arguments."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the command trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("command", .array(of: .string(), "The new command.")),
        .optional("args", .array(of: .string(), "The new arguments.")),
        .optional("addArgs", .array(of: .string(), "Arguments to append.")),
        .optional("delArgs", .array(of: .string(), "Arguments to remove.")),
    ], atMostOneOf: [["args", "addArgs"], ["args", "delArgs"]], atLeastOneOf: [["command", "args", "addArgs", "delArgs"]])

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
                args: ["--verbose", "--port=8080"]
              traits:
                - type: command
                  properties:
                    delArgs: ["--verbose"]
                    addArgs: ["--metrics"]

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        ContainerTarget.edit(properties, &component, context) { container in
            if let command = properties["command"] {
                container.setContainerField("command", command)
            }
            var args = properties["args"]?.strings ?? container["args"]?.strings ?? []
            let removed = Set(properties["delArgs"]?.strings ?? [])
            args.removeAll { removed.contains($0) }
            args += properties["addArgs"]?.strings ?? []
            if properties["args"] != nil || properties["addArgs"] != nil || properties["delArgs"] != nil {
                container.setContainerField("args", .array(args.map(JSONValue.string)))
            }
        }
    }
}
