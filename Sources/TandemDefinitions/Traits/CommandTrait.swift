import KubeModel
import TandemJSON
import TandemModel

/// `command`: the command and arguments of one container.
public struct CommandTrait: TraitDefinition {
    public let name = "command"
    public let description = "Replaces the command or arguments of a container, or adds and removes arguments."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches = ContainerPatches(.object("Parameters of the command trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("command", .array(of: .string(), "The new command.")),
        .optional("args", .array(of: .string(), "The new arguments.")),
        .optional("addArgs", .array(of: .string(), "Arguments to append, unless the container has them already.")),
        .optional("delArgs", .array(of: .string(), "Arguments to remove (also from addArgs).")),
    ], atMostOneOf: [["args", "addArgs"], ["args", "delArgs"]], atLeastOneOf: [["command", "args", "addArgs", "delArgs"]]),
    listDescription: "The commands of several containers: one entry per container, each with its containerName.")

    public let parameters = CommandTrait.patches.schema

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
        Self.patches.forEach(properties, context: context) { properties, context in
            ContainerTarget.edit(properties, &component, context) { container in
                if let command = properties["command"] {
                    container.setContainerField("command", command)
                }
                guard properties["args"] != nil || properties["addArgs"] != nil || properties["delArgs"] != nil else { return }
                let args = Self.arguments(given: properties["args"]?.strings ?? container["args"]?.strings ?? [],
                                          adding: properties["addArgs"]?.strings ?? [], removing: properties["delArgs"]?.strings ?? [])
                container.setContainerField("args", .array(args.map(JSONValue.string)))
            }
        }
    }

    /// KubeVela's rule: the arguments without those removed, then those added that are neither
    /// removed nor there already.
    package static func arguments(given: [String], adding: [String], removing: [String]) -> [String] {
        let removed = Set(removing)
        var present = Set(given)
        var result = given.filter { !removed.contains($0) }
        for argument in adding where !removed.contains(argument) && !present.contains(argument) {
            result.append(argument)
            present.insert(argument)
        }
        return result
    }
}
