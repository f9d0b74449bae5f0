import KubeModel
import TandemJSON
import TandemModel

/// `container-ports`: ports of one container (for instance a sidecar's).
public struct ContainerPortsTrait: TraitDefinition {
    public let name = "container-ports"
    public let description = "Adds ports to a container (the main one, or another by containerName)."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches = ContainerPatches(.object("Parameters of the container-ports trait.", [
        .optional("containerName", ContainerTarget.schema),
        .required("ports", .array(of: .object("A container port.", [
            .required("containerPort", .integer("Port number.", range: 1...65535)),
            .optional("name", .string("Port name.", format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol.", default: "TCP")),
            .optional("hostPort", .integer("Port on the node to forward.", range: 1...65535)),
            .optional("hostIP", .string("Node IP to bind the host port to.")),
        ]), "Ports to add; a port the container has already (same number and protocol) gets the hostPort and hostIP given.",
        uniqueKey: "containerPort+protocol", minItems: 1)),
    ]), listDescription: "The ports of several containers: one entry per container, each with its containerName.")

    public let parameters = ContainerPortsTrait.patches.schema

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
        Self.patches.forEach(properties, context: context) { properties, context in
            ContainerTarget.edit(properties, &component, context) { container in
                container.setContainerField("ports", .array(Self.merge(properties.list("ports"), into: container["ports"]?.array ?? [])))
            }
        }
    }

    /// As in KubeVela: a port the container has (same number and protocol; none is TCP) takes the
    /// host port and IP given; any other is added.
    static func merge(_ added: [JSONValue], into existing: [JSONValue]) -> [JSONValue] {
        func key(_ port: JSONValue) -> String { "\(port.number("containerPort"))/\(port["protocol"]?.string ?? "TCP")" }
        var ports = existing
        for port in added {
            guard let index = ports.firstIndex(where: { key($0) == key(port) }), var object = ports[index].object else {
                ports.append(port)
                continue
            }
            for field in ["hostPort", "hostIP"] { if let value = port[field] { object[field] = value } }
            ports[index] = .object(object)
        }
        return ports
    }
}
