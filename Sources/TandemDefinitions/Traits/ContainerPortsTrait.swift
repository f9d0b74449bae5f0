import KubeModel
import TandemJSON
import TandemModel

/// `container-ports`: ports of one container (for instance a sidecar's).
public struct ContainerPortsTrait: TraitDefinition {
    public let name = "container-ports"
    public let description = "Adds ports to a container (the main one, or another by containerName)."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the container-ports trait.", [
        .optional("containerName", ContainerTarget.schema),
        .required("ports", .array(of: .object("A container port.", [
            .required("containerPort", .integer("Port number.", range: 1...65535)),
            .optional("name", .string("Port name.", format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol.", default: "TCP")),
            .optional("hostPort", .integer("Port on the node to forward.", range: 1...65535)),
            .optional("hostIP", .string("Node IP to bind the host port to.")),
        ]), "Ports to add.", minItems: 1)),
    ])

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
                - type: sidecar
                  properties: {name: metrics, image: example/exporter:1}
                - type: container-ports
                  properties:
                    containerName: metrics
                    ports:
                      - {containerPort: 9100, name: metrics}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let scope = context.scope
        ContainerTarget.edit(properties, &component, context) { container in
            var ports = container["ports"]?.array ?? []
            for (index, port) in (properties["ports"]?.array ?? []).enumerated() {
                let number = port["containerPort"]?.int
                let portProtocol = port.text("protocol")
                if ports.contains(where: { $0["containerPort"]?.int == number && ($0["protocol"]?.string ?? "TCP") == portProtocol }) {
                    scope.error("the container already has port \(number ?? 0)/\(portProtocol)", at: ["ports", .index(index)],
                                code: .duplicatePort)
                    continue
                }
                ports.append(port)
            }
            container.setContainerField("ports", .array(ports))
        }
    }
}
