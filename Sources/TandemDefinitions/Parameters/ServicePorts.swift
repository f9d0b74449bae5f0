import KubeModel
import TandemJSON
import TandemModel

/// The `ports` parameter of component types that can be reached over the network, and the
/// Service that exposes the ports marked `expose: true`.
package enum ServicePorts {
    package static func schema(containerPort: Bool = true, nodePort: Bool = true) -> Schema {
        var properties: [Property] = [.required("port", .integer("Port number (the Service's port when exposed).", range: 1...65535))]
        if containerPort {
            properties.append(.optional("containerPort", .integer("Port the container listens on, when it differs from port.", range: 1...65535)))
        }
        properties += [
            .optional("name", .string("Port name (default: port-<number>, with -udp or -sctp for those protocols).", format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol.", default: "TCP")),
            .optional("expose", .boolean("Expose the port through the component's Service.", default: false)),
        ]
        if nodePort {
            properties.append(.optional("nodePort", .integer("Node port, when exposeType is NodePort.", range: 1...65535)))
        }
        return .array(of: .object("A port of the container.", properties), "Ports the container listens on.", uniqueKey: "port+protocol")
    }

    /// Reports two ports with one name (given, or made up as port-<number>): Kubernetes refuses them.
    package static func checkNames(_ properties: JSONObject, _ scope: DiagnosticScope) {
        var seen: [String: Int] = [:]
        for (index, port) in (properties["ports"]?.array ?? []).enumerated() {
            let portName = name(port)
            if let first = seen[portName] {
                scope.error("port name '\(portName)' is already used by ports[\(first)]", at: ["ports", .index(index)],
                            code: .duplicatePortName, hint: "give the port a name of its own")
            } else {
                seen[portName] = index
            }
        }
    }

    package static let exposeType = Schema.oneOf(
        ["ClusterIP", "NodePort", "LoadBalancer"], "How the Service is reached.", default: "ClusterIP")

    static func containerPort(_ port: JSONValue) -> Int {
        port["containerPort"]?.int ?? port.number("port")
    }

    static func name(_ port: JSONValue) -> String {
        if let name = port["name"]?.string { return name }
        return ServiceBuilder.defaultPortName(containerPort(port), protocol: port.text("protocol"))
    }

    /// Container ports for `ports`.
    package static func containerPorts(_ ports: [JSONValue]) -> [JSONValue] {
        ports.map { port in
            ["containerPort": .int(containerPort(port)), "name": .string(name(port)), "protocol": port.value("protocol")]
        }
    }

    /// The Service named after the component for the exposed ports, if any are. A node port is
    /// written only for a NodePort Service: elsewhere it is said to be left out.
    package static func service(_ ports: [JSONValue], type: String, context: RenderContext) -> KubeObject? {
        for (index, port) in ports.enumerated() where type != "NodePort" {
            guard let nodePort = port["nodePort"] else { continue }
            context.scope.warning("nodePort \(nodePort) is left out: exposeType is \(type)", at: ["ports", .index(index), "nodePort"],
                                  code: .ignoredValue, hint: "set exposeType: NodePort to open the port on every node")
        }
        let exposed = ports.filter { $0.flag("expose") }
        guard !exposed.isEmpty else { return nil }
        return ServiceBuilder.service(named: context.componentName, type: type, context: context, ports: exposed.map { port in
            ServiceBuilder.Port(name: name(port), port: port.value("port"), targetPort: .int(containerPort(port)),
                                protocol: port.value("protocol"), nodePort: port["nodePort"])
        })
    }
}
