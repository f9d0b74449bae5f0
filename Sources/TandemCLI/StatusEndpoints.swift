import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemRendering

/// `status --endpoints`: where an application can be reached. On a cluster: its Services
/// (cluster IP and ports, node ports, load balancer addresses), Ingress hosts and paths, Gateway
/// listeners and HTTPRoute hostnames. Locally: each Service's names and ports inside the
/// application, and the ports published on this machine (`--publish`).
struct StatusEndpoints {
    struct Endpoint {
        var component: String
        /// `service/web`.
        var object: String
        /// `10.96.0.12:80/TCP → 8080`, `http://shop.example.com/`.
        var address: String
        /// How it is reached: `cluster`, `node port`, `load balancer`, `ingress`, `gateway`, `route`,
        /// `application` (locally, from the application's pods), `host` (locally, from this machine).
        var scope: String
    }

    var endpoints: [Endpoint]

    /// The endpoints of the application's Services, Ingresses, Gateways and HTTPRoutes as they are live.
    static func cluster(_ inventory: Inventory, client: KubeClient) async throws -> StatusEndpoints {
        var endpoints: [Endpoint] = []
        for component in inventory.components {
            for entry in component.objects where ["Service", "Ingress", "Gateway", "HTTPRoute"].contains(entry.reference.gvk.kind) {
                let live: KubeObject?
                do {
                    live = try await client.get(entry.reference)
                } catch KubeError.configuration {
                    live = nil  // a kind the cluster does not serve (Gateway API not installed)
                }
                guard let live else { continue }
                let name = HealthText.name(entry.reference)
                for (scope, address) in addresses(of: live) {
                    endpoints.append(Endpoint(component: component.name, object: name, address: address, scope: scope))
                }
            }
        }
        return StatusEndpoints(endpoints: endpoints)
    }

    /// (scope, address) pairs of one live object.
    static func addresses(of object: KubeObject) -> [(String, String)] {
        let json = object.json
        var result: [(String, String)] = []
        switch object.gvk.kind {
        case "Service":
            let clusterIP = json[path: ["spec", "clusterIP"]]?.string
            let ingress = (json[path: ["status", "loadBalancer", "ingress"]]?.array ?? []).compactMap { $0["ip"]?.string ?? $0["hostname"]?.string }
            for port in json[path: ["spec", "ports"]]?.array ?? [] {
                let number = port["port"]?.int ?? 0
                let proto = port["protocol"]?.string ?? "TCP"
                let target = port["targetPort"].map { $0.int.map(String.init) ?? $0.string ?? "" } ?? String(number)
                if let clusterIP, clusterIP != "None" { result.append(("cluster", "\(clusterIP):\(number)/\(proto) → \(target)")) }
                if let nodePort = port["nodePort"]?.int { result.append(("node port", "NODE:\(nodePort)/\(proto) → \(target)")) }
                for address in ingress { result.append(("load balancer", "\(address):\(number)/\(proto) → \(target)")) }
            }
        case "Ingress":
            let secured = Set((json[path: ["spec", "tls"]]?.array ?? []).flatMap { $0["hosts"]?.strings ?? [] })
            for rule in json[path: ["spec", "rules"]]?.array ?? [] {
                let host = rule["host"]?.string ?? "*"
                for path in rule[path: ["http", "paths"]]?.array ?? [] {
                    let scheme = secured.contains(host) ? "https" : "http"
                    let backend = path[path: ["backend", "service"]].map { service in
                        " → service/\(service["name"]?.string ?? ""):\(service[path: ["port", "number"]]?.int.map(String.init) ?? service[path: ["port", "name"]]?.string ?? "")"
                    } ?? ""
                    result.append(("ingress", "\(scheme)://\(host)\(path["path"]?.string ?? "/")\(backend)"))
                }
            }
            for address in (json[path: ["status", "loadBalancer", "ingress"]]?.array ?? []).compactMap({ $0["ip"]?.string ?? $0["hostname"]?.string }) {
                result.append(("load balancer", address))
            }
        case "Gateway":
            for listener in json[path: ["spec", "listeners"]]?.array ?? [] {
                let proto = (listener["protocol"]?.string ?? "HTTP").lowercased()
                result.append(("gateway", "\(proto)://\(listener["hostname"]?.string ?? "*"):\(listener["port"]?.int ?? 0)"))
            }
        case "HTTPRoute":
            let hosts = json[path: ["spec", "hostnames"]]?.strings ?? ["*"]
            let paths = (json[path: ["spec", "rules"]]?.array ?? []).flatMap { rule in
                (rule["matches"]?.array ?? []).compactMap { $0[path: ["path", "value"]]?.string }
            }
            for host in hosts {
                for path in paths.isEmpty ? ["/"] : paths { result.append(("route", "http://\(host)\(path)")) }
            }
        default:
            break
        }
        return result
    }

    /// The endpoints of an application running locally, from its plan.
    static func local(_ plan: LocalPlan) -> StatusEndpoints {
        var endpoints: [Endpoint] = []
        let components = Dictionary(plan.pods.map { ($0.name, $0.component) }, uniquingKeysWith: { first, _ in first })
        for service in plan.services {
            let component = plan.pods.first(where: service.selects).map(\.component) ?? ""
            for port in service.ports {
                let target = port.targetNumber.map(String.init) ?? port.targetName ?? String(port.port)
                endpoints.append(Endpoint(component: component, object: "service/\(service.name)",
                                          address: "\(service.name):\(port.port)/\(port.proto.uppercased()) → \(target)", scope: "application"))
            }
            for mapping in service.publish {
                endpoints.append(Endpoint(component: component, object: "service/\(service.name)",
                                          address: "127.0.0.1:\(mapping.hostPort)/\(mapping.proto.uppercased()) → \(mapping.containerPort)",
                                          scope: "host"))
            }
        }
        for pod in plan.pods {
            for mapping in pod.publish {
                endpoints.append(Endpoint(component: components[pod.name] ?? pod.component, object: "pod/\(pod.name)",
                                          address: "127.0.0.1:\(mapping.hostPort)/\(mapping.proto.uppercased()) → \(mapping.container):\(mapping.containerPort)",
                                          scope: "host"))
            }
        }
        return StatusEndpoints(endpoints: endpoints)
    }

    func table(application: String, width: Int?) -> String {
        guard !endpoints.isEmpty else { return "application \(application) has no Services, Ingresses or Gateways\n" }
        var rows = [["COMPONENT", "OBJECT", "REACHED FROM", "ENDPOINT"]]
        rows += endpoints.map { [$0.component, $0.object, $0.scope, $0.address] }
        return TextTable(rows).render(width: width)
    }

    var json: JSONValue {
        .array(endpoints.map { endpoint in
            ["component": .string(endpoint.component), "object": .string(endpoint.object), "scope": .string(endpoint.scope),
             "address": .string(endpoint.address)]
        })
    }
}
