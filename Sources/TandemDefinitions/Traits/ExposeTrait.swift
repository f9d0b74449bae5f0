import KubeModel
import TandemJSON
import TandemModel

/// `expose`: a Service for the component's pods.
public struct ExposeTrait: TraitDefinition {
    public let name = "expose"
    public let description = "Creates a Service, named after the component, that routes to its pods."
    public let appliesTo = TraitTarget.types(["webservice", "worker", "daemon", "statefulset"])

    public init() {}

    public let parameters = Schema.object("Parameters of the expose trait.", [
        .required("ports", .array(of: .object("A port of the Service.", [
            .required("port", .integer("Port of the Service.", range: 1...65535)),
            .optional("targetPort", .port("Port of the pods (default: port).")),
            .optional("name", .string("Port name (default: port-<port>).", format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol.", default: "TCP")),
            .optional("nodePort", .integer("Node port, for type NodePort.", range: 1...65535)),
        ]), "Ports of the Service.", uniqueKey: "port+protocol", minItems: 1)),
        .optional("type", .oneOf(["ClusterIP", "NodePort", "LoadBalancer"], "How the Service is reached.", default: "ClusterIP")),
        .optional("annotations", .map(of: .string(), "Annotations of the Service.", keyFormat: .labelKey)),
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
                - type: expose
                  properties:
                    type: LoadBalancer
                    ports:
                      - {port: 443, targetPort: 8443}

        """

    public let collisionHint: String? = "the component's own Service (for its ports marked expose: true) has this name: expose the ports there, or remove expose: true from them and keep this trait"

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let type = properties.text("type")
        let ports = properties.list("ports").enumerated().map { index, port in
            if type != "NodePort", let nodePort = port["nodePort"] {
                context.scope.warning("nodePort \(nodePort) is left out: the Service's type is \(type)", at: ["ports", .index(index), "nodePort"],
                                      code: .ignoredValue, hint: "set type: NodePort to open the port on every node")
            }
            return ServiceBuilder.Port(name: port["name"]?.string ?? ServiceBuilder.defaultPortName(port.number("port"), protocol: "TCP"),
                                       port: port.value("port"), targetPort: port["targetPort"] ?? port.value("port"),
                                       protocol: port.value("protocol"), nodePort: port["nodePort"])
        }
        component.addObject(ServiceBuilder.service(named: context.componentName, type: type, context: context,
                                                   ports: ports, annotations: properties.map("annotations")))
    }
}
