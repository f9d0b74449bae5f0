import KubeModel
import TandemModel

/// `expose`: a Service for the component's pods.
public struct Expose: TraitDefinition {
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

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        let type = properties["type"]?.string ?? "ClusterIP"
        var service = KubeObject(apiVersion: "v1", kind: "Service", name: context.componentName, namespace: context.namespace)
        if let annotations = properties["annotations"]?.object, !annotations.isEmpty {
            service.json[path: ["metadata", "annotations"]] = .object(annotations)
        }
        service.json["spec"] = [
            "selector": .object(context.selectorLabels),
            "type": .string(type),
            "ports": .array((properties["ports"]?.array ?? []).map { port in
                var entry: JSONObject = ["name": port["name"] ?? .string("port-\(port["port"]?.int ?? 0)"), "port": port["port"] ?? .null,
                                         "targetPort": port["targetPort"] ?? port["port"] ?? .null, "protocol": port["protocol"] ?? "TCP"]
                if type == "NodePort", let nodePort = port["nodePort"] { entry.append("nodePort", nodePort) }
                return .object(entry)
            }),
        ]
        component.addObject(service, madeBy: name)
    }
}
