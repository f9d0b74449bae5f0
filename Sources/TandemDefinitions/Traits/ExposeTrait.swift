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
        .optional("ports", .array(of: .object("A port of the Service.", [
            .required("port", .integer("Port of the Service.", range: 1...65535)),
            .optional("targetPort", .port("Port of the pods (default: port).")),
            .optional("name", .string("Port name (default: port-<port>, with -udp or -sctp for those protocols).", format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol.", default: "TCP")),
            .optional("nodePort", .integer("Node port, for type NodePort.", range: 1...65535)),
        ]), "Ports of the Service.", uniqueKey: "port+protocol", minItems: 1)),
        .optional("port", .array(of: .integer(range: 1...65535), "Deprecated: write ports. Port numbers of the Service (TCP).", minItems: 1)),
        .optional("type", .oneOf(["ClusterIP", "NodePort", "LoadBalancer"], "How the Service is reached.", default: "ClusterIP")),
        .optional("annotations", .map(of: .string(), "Annotations of the Service.", keyFormat: .labelKey)),
        .optional("matchLabels", .map(of: .string(format: .labelValue), "Select the pods by these labels instead of the component's.", keyFormat: .labelKey)),
    ], atLeastOneOf: [["ports", "port"]], checks: [{ properties, scope in
        guard let port = properties["port"]?.array else { return }
        for (index, number) in port.enumerated() where port[..<index].contains(number) {
            scope.error("port \(number) is listed twice", at: ["port", .index(index)], code: .duplicateItem)
        }
        let numbers = port.compactMap(\.int).map(String.init).joined(separator: ", ")
        if properties["ports"] != nil {
            scope.warning("port is ignored: ports is given", at: ["port"], code: .deprecatedParameter, hint: "remove port")
        } else {
            scope.warning("port is deprecated; it is still rendered", at: ["port"], code: .deprecatedParameter,
                          hint: "write ports: [" + port.compactMap(\.int).map { "{port: \($0)}" }.joined(separator: ", ") + "] instead of port: [\(numbers)]")
        }
    }])

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
        let ports: [ServiceBuilder.Port]
        if let given = properties["ports"]?.array {
            ports = given.enumerated().map { index, port in
                if type != "NodePort", let nodePort = port["nodePort"] {
                    context.scope.warning("nodePort \(nodePort) is left out: the Service's type is \(type)", at: ["ports", .index(index), "nodePort"],
                                          code: .ignoredValue, hint: "set type: NodePort to open the port on every node")
                }
                let name = port["name"]?.string ?? ServiceBuilder.defaultPortName(port.number("port"), protocol: port.text("protocol"))
                return ServiceBuilder.Port(name: name, port: port.value("port"), targetPort: port["targetPort"] ?? port.value("port"),
                                           protocol: port.value("protocol"), nodePort: port["nodePort"])
            }
        } else {
            // The deprecated form, rendered as KubeVela renders it: TCP ports named port-<number>.
            ports = properties.list("port").map { port in
                ServiceBuilder.Port(name: ServiceBuilder.defaultPortName(port.int ?? 0, protocol: "TCP"), port: port, targetPort: port)
            }
        }
        let selector = properties["matchLabels"]?.object
        component.addObject(ServiceBuilder.service(named: context.componentName, type: type, context: context, ports: ports,
                                                   annotations: properties.map("annotations"), selector: selector))
    }
}
