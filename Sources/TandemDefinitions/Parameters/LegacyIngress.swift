import KubeModel
import TandemJSON
import TandemModel

/// KubeVela's older ingress traits (`ingress`, `ingress-1-20`): a Service for the routed ports
/// and an Ingress routing a domain's paths to it. Both render `networking.k8s.io/v1`: the
/// `v1beta1` Ingress of KubeVela's `ingress` trait was removed in Kubernetes 1.22.
package enum LegacyIngress {
    package static let parameters = Schema.object("Parameters of KubeVela's older ingress traits.", [
        .required("domain", .string("Host name to route, or a wildcard such as *.example.com.", format: .hostName)),
        .required("http", GatewayTrait.routes),
    ], checks: [{ properties, scope in
        for member in properties["http"]?.object ?? JSONObject() where !member.key.hasPrefix("/") {
            scope.error("the path '\(member.key)' must start with '/'", at: ["http", .key(member.key)], code: .invalidPath)
        }
        if (properties["http"]?.object ?? JSONObject()).isEmpty {
            scope.error("needs at least one route: path to port", at: ["http"], code: .noRoutes)
        }
    }])

    package static let collisionHint = "the component's own Service (for its ports marked expose: true) has this name: use the gateway trait, which routes to it"

    package static func example(_ trait: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: hello
        spec:
          components:
            - name: express-server
              type: webservice
              properties:
                image: oamdev/hello-world
                ports: [{port: 8000}]
              traits:
                - type: \(trait)
                  properties:
                    domain: testsvc.example.com
                    http:
                      /: 8000

        """
    }

    package static func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let routes = properties.map("http")
        var ports: [Int] = []
        for member in routes { if let port = member.value.int, !ports.contains(port) { ports.append(port) } }
        component.addObject(ServiceBuilder.service(named: context.componentName, type: nil, context: context, ports: ports.map {
            ServiceBuilder.Port(name: "port-\($0)", port: .int($0), targetPort: .int($0))
        }))
        var ingress = context.object(.ingress, name: context.componentName)
        let paths: [JSONValue] = routes.map { member in
            ["path": .string(member.key), "pathType": "ImplementationSpecific",
             "backend": ["service": ["name": .string(context.componentName), "port": ["number": member.value]]]]
        }
        ingress.json["spec"] = ["rules": [["host": properties.value("domain"), "http": ["paths": .array(paths)]]]]
        component.addObject(ingress)
    }
}
