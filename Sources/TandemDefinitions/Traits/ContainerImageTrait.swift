import KubeModel
import TandemJSON
import TandemModel

/// `container-image`: the image of one container.
public struct ContainerImageTrait: TraitDefinition {
    public let name = "container-image"
    public let description = "Replaces the image (and pull policy) of a container."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches = ContainerPatches(.object("Parameters of the container-image trait.", [
        .optional("containerName", ContainerTarget.schema),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
    ]), listDescription: "The images of several containers: one entry per container, each with its containerName.")

    public let parameters = ContainerImageTrait.patches.schema

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
                - type: container-image
                  properties:
                    image: example/api:3.1-rc1
                    imagePullPolicy: Always

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        Self.patches.forEach(properties, context: context) { properties, context in
            ContainerTarget.edit(properties, &component, context) { container in
                container["image"] = properties["image"]
                if let policy = properties["imagePullPolicy"] { container.setContainerField("imagePullPolicy", policy) }
            }
        }
    }
}
