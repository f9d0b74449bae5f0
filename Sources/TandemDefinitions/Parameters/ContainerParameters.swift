import KubeModel
import TandemJSON
import TandemModel

/// Parameter schemas that several definitions share, so each is written once.
package enum ContainerParameters {
    package static let image = Schema.string("Container image, such as nginx:1.27 or registry.example.com/app:v1.", format: .nonEmpty)

    package static let imagePullPolicy = Schema.oneOf(
        ["Always", "Never", "IfNotPresent"], "When the kubelet pulls the image.")

    package static let imagePullSecrets = Schema.array(
        of: .string(format: .dns1123Subdomain), "Names of Secrets holding credentials for pulling the image.")

    package static let cmd = Schema.array(of: .string(), "Command to run instead of the image's entrypoint.")
    package static let args = Schema.array(of: .string(), "Arguments to the command.")

    static func keyReference(_ kind: String) -> Schema {
        .object("A key of a \(kind) in the application's namespace.", [
            .required("name", .string("Name of the \(kind).", format: .dns1123Subdomain)),
            .required("key", .string("The key in the \(kind)'s data.", format: .nonEmpty)),
            .optional("optional", .boolean("Whether the container starts when the \(kind) or key is missing.")),
        ])
    }

    static let valueSource = Schema.object("Where the variable's value comes from.", [
        .optional("secretKeyRef", keyReference("Secret")),
        .optional("configMapKeyRef", keyReference("ConfigMap")),
        .optional("fieldRef", .object("A field of the pod, such as metadata.name or status.podIP.", [
            .required("fieldPath", .string("Path of the field.", format: .nonEmpty)),
            .optional("apiVersion", .string("API version the path is written in (default v1).")),
        ])),
        .optional("resourceFieldRef", .object("A resource request or limit of a container, such as limits.memory.", [
            .required("resource", .oneOf(
                ["limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage"],
                "The resource to read.")),
            .optional("containerName", .string("The container to read it from (default: this one).", format: .dns1123Label)),
            .optional("divisor", .quantity("Unit of the value (default 1).")),
        ])),
    ], noun: "a value source",
       exactlyOneOf: [["secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef"]])

    package static let env = Schema.array(of: .object("An environment variable: a value, a value from elsewhere, or neither (the empty string).", [
        .required("name", .string("Variable name.", format: .envVarName)),
        .optional("value", .string("A literal value.")),
        .optional("valueFrom", valueSource),
    ], noun: "an environment variable", atMostOneOf: [["value", "valueFrom"]]),
    "Environment variables of the container.", uniqueKey: "name")

    package static let ports = Schema.array(of: .object("A port the container listens on.", [
        .optional("port", .integer("Port number.", range: 1...65535)),
        .optional("containerPort", .integer("Port number, by Kubernetes' name for it (as KubeVela's examples write it).", range: 1...65535)),
        .optional("name", .string("Port name, for probes and Services to refer to.", format: .portName)),
        .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"], "Protocol (default TCP).")),
    ], noun: "a port", exactlyOneOf: [["port", "containerPort"]]), "Ports the container listens on.", uniqueKey: "port+protocol")

    /// Reads the parameters every container has into `container`.
    package static func apply(_ properties: JSONValue, to container: inout Container) {
        container.imagePullPolicy = properties["imagePullPolicy"]?.string
        container.command = properties["cmd"]?.strings
        container.args = properties["args"]?.strings
        container.env = properties["env"]?.array
        container.livenessProbe = properties["livenessProbe"]
        container.readinessProbe = properties["readinessProbe"]
        container.startupProbe = properties["startupProbe"]
        container.ports = properties["ports"]?.array?.map { port in
            var object: JSONObject = ["containerPort": port["port"] ?? port.value("containerPort")]
            if let name = port["name"] { object.append("name", name) }
            if let portProtocol = port["protocol"] { object.append("protocol", portProtocol) }
            return .object(object)
        }
    }
}
