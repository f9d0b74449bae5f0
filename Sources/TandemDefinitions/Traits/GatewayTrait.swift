import KubeModel
import TandemJSON
import TandemModel

/// `gateway`: HTTP routes from outside the cluster, as an Ingress (and the Service behind it).
public struct GatewayTrait: TraitDefinition {
    public let name = "gateway"
    public let description = "Routes HTTP traffic from outside the cluster to the component (an Ingress and a Service)."
    public let appliesTo = TraitTarget.types(["webservice", "worker", "daemon", "statefulset"])

    public init() {}

    /// Routes, path to port; the checks below say that there is one and that paths start with
    /// '/', and so does the editor's schema.
    static let routes: Schema = {
        var schema = Schema.map(of: .integer("Port of the pods.", range: 1...65535), "Routes: URL path (from '/') to port; at least one.")
        schema.editorConstraints = ["minProperties": 1, "propertyNames": ["pattern": "^/"]]
        return schema
    }()

    public let parameters = Schema.object("Parameters of the gateway trait.", [
        .required("http", GatewayTrait.routes),
        .optional("domain", .string("Host name to route, or a wildcard such as *.example.com (default: any).", format: .hostName)),
        .optional("class", .string("Ingress class.", format: .nonEmpty, default: "nginx")),
        .optional("classInSpec", .boolean("Name the class in spec.ingressClassName instead of the kubernetes.io/ingress.class annotation.", default: false)),
        .optional("secretName", .string("TLS Secret for the domain.", format: .dns1123Subdomain)),
        .optional("name", .string("Suffix of the Ingress and Service names, for several gateways on one component.", format: .dns1123Label)),
        .optional("pathType", .oneOf(["ImplementationSpecific", "Prefix", "Exact"], "How paths match.", default: "ImplementationSpecific")),
        .optional("annotations", .map(of: .string(), "Annotations of the Ingress.", keyFormat: .labelKey)),
        .optional("labels", .map(of: .string(format: .labelValue), "Labels of the Ingress.", keyFormat: .labelKey)),
        .optional("existingServiceName", .string("Route to this Service instead of creating one.", format: .dns1123Label)),
        .optional("gatewayHost", .string("The host of the ingress controller, written to the ingress.controller/host annotation.", format: .nonEmpty)),
    ], checks: [{ properties, scope in
        for member in properties["http"]?.object ?? JSONObject() where !member.key.hasPrefix("/") {
            scope.error("the path '\(member.key)' must start with '/'", at: ["http", .key(member.key)], code: .invalidPath)
        }
        if (properties["http"]?.object ?? JSONObject()).isEmpty {
            scope.error("needs at least one route: path to port", at: ["http"], code: .noRoutes)
        }
        if properties["secretName"] != nil, properties["domain"] == nil {
            scope.error("secretName needs a domain to serve TLS for", at: ["secretName"], code: .missingDomain)
        }
    }])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
        spec:
          components:
            - name: frontend
              type: webservice
              properties:
                image: example/shop:5
                ports: [{port: 8080}]
              traits:
                - type: gateway
                  properties:
                    domain: shop.example.com
                    secretName: shop-tls
                    classInSpec: true
                    http:
                      /: 8080
                      /api: 8080

        """

    public let collisionHint: String? = "give the gateway a name (its Service and Ingress become <component>-<name>), or route to an existing Service with existingServiceName"

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let routes = properties.map("http")
        let suffix = properties["name"]?.string.map { "-" + $0 } ?? ""
        let objectName = context.componentName + suffix
        // A component that exposes its own ports already has a Service of this name: route to it.
        let ownService = suffix.isEmpty ? component.auxiliaries.first { $0.kind == "Service" && $0.name == objectName } : nil
        let serviceName = properties["existingServiceName"]?.string ?? objectName
        checkPorts(routes, component, ownService, context)
        if properties["existingServiceName"] == nil, ownService == nil {
            var ports: [Int] = []
            for member in routes { if let port = member.value.int, !ports.contains(port) { ports.append(port) } }
            component.addObject(ServiceBuilder.service(named: serviceName, type: nil, context: context, ports: ports.map {
                ServiceBuilder.Port(name: "port-\($0)", port: .int($0), targetPort: .int($0))
            }))
        }
        var ingress = context.object(.ingress, name: objectName)
        let className = properties.value("class")
        let classInSpec = properties.flag("classInSpec")
        var annotations = properties.map("annotations")
        if !classInSpec { annotations["kubernetes.io/ingress.class"] = className }
        if let host = properties["gatewayHost"] { annotations["ingress.controller/host"] = host }
        let labels = properties.map("labels")
        if !labels.isEmpty { ingress.json[path: ["metadata", "labels"]] = .object(labels) }
        if !annotations.isEmpty { ingress.json[path: ["metadata", "annotations"]] = .object(annotations) }
        var spec = JSONObject()
        if classInSpec { spec.append("ingressClassName", className) }
        if let secret = properties["secretName"], let domain = properties["domain"] {
            spec.append("tls", [["hosts": [domain], "secretName": secret]])
        }
        let paths: [JSONValue] = routes.map { member in
            ["path": .string(member.key), "pathType": properties.value("pathType"),
             "backend": ["service": ["name": .string(serviceName), "port": ["number": member.value]]]]
        }
        var rule = JSONObject()
        if let domain = properties["domain"] { rule.append("host", domain) }
        rule.append("http", ["paths": .array(paths)])
        spec.append("rules", [.object(rule)])
        ingress.json["spec"] = .object(spec)
        component.addObject(ingress)
    }

    /// A route to a port the component's Service does not have is an error (the Ingress would
    /// point nowhere); one to a port no container declares is a warning (it may still listen).
    private func checkPorts(_ routes: JSONObject, _ component: ComponentDraft, _ ownService: KubeObject?, _ context: RenderContext) {
        let servicePorts = Set((ownService?.json[path: ["spec", "ports"]]?.array ?? []).compactMap { $0["port"]?.int })
        let containerPorts = Set((component.podSpec.map { $0.containers + $0.initContainers } ?? [])
            .flatMap { $0["ports"]?.array ?? [] }.compactMap { $0["containerPort"]?.int })
        for member in routes {
            guard let port = member.value.int else { continue }
            if ownService != nil, !servicePorts.contains(port) {
                context.scope.error("routes \(member.key) to port \(port), which the component's Service '\(ownService?.name ?? "")' does not expose",
                                    at: ["http", .key(member.key)], code: .unknownPort,
                                    hint: "mark the port expose: true on the component, or route to one of its exposed ports: \(servicePorts.sorted().map(String.init).joined(separator: ", "))")
            } else if ownService == nil, !containerPorts.isEmpty, !containerPorts.contains(port) {
                context.scope.warning("routes \(member.key) to port \(port), which no container of the pod declares",
                                      at: ["http", .key(member.key)], code: .unknownPort,
                                      hint: "the containers declare \(containerPorts.sorted().map(String.init).joined(separator: ", ")); check the port number")
            }
        }
    }
}
