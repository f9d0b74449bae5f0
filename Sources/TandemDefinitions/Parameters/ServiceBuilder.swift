import KubeModel
import TandemJSON
import TandemModel

/// The one way Tandem builds a Service for a component's pods, whichever definition asks.
package enum ServiceBuilder {
    package struct Port {
        package var name: String
        package var port: JSONValue
        package var targetPort: JSONValue
        /// Nil leaves the protocol to Kubernetes' default (TCP).
        package var `protocol`: JSONValue?
        package var nodePort: JSONValue?

        package init(name: String, port: JSONValue, targetPort: JSONValue, protocol: JSONValue? = nil, nodePort: JSONValue? = nil) {
            self.name = name
            self.port = port
            self.targetPort = targetPort
            self.protocol = `protocol`
            self.nodePort = nodePort
        }
    }

    /// `port-80`, and `port-53-udp` for other protocols than TCP, so that one port number over two
    /// protocols gets two names.
    package static func defaultPortName(_ port: Int, protocol name: String) -> String {
        "port-\(port)" + (name == "TCP" || name.isEmpty ? "" : "-" + name.lowercased())
    }

    /// A Service selecting the component's pods, or those `selector` matches. `type` nil leaves
    /// it to Kubernetes (ClusterIP); node ports are written only for a NodePort Service.
    package static func service(
        named name: String, type: String?, context: RenderContext, ports: [Port], annotations: JSONObject = JSONObject(),
        selector: JSONObject? = nil
    ) -> KubeObject {
        var service = context.object(.service, name: name)
        if !annotations.isEmpty { service.json[path: ["metadata", "annotations"]] = .object(annotations) }
        var spec: JSONObject = ["selector": .object(selector ?? context.selectorLabels)]
        if let type { spec.append("type", .string(type)) }
        spec.append("ports", .array(ports.map { port in
            var entry: JSONObject = ["name": .string(port.name), "port": port.port, "targetPort": port.targetPort]
            if let portProtocol = port.protocol { entry.append("protocol", portProtocol) }
            if type == "NodePort", let nodePort = port.nodePort { entry.append("nodePort", nodePort) }
            return .object(entry)
        }))
        service.json["spec"] = .object(spec)
        return service
    }
}
