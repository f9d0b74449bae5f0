import KubeModel
import TandemJSON
import TandemModel

/// `lifecycle`: postStart and preStop hooks on every container present when the trait runs.
public struct LifecycleTrait: TraitDefinition {
    public let name = "lifecycle"
    public let description = "Adds postStart and preStop hooks to every container in the pod so far (list it after sidecars to include them)."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static func hook(_ when: String) -> Schema {
        .object("A handler run \(when).", [
            .optional("exec", .object("Runs a command in the container.", [
                .required("command", .array(of: .string(), "The command and its arguments.", minItems: 1)),
            ])),
            .optional("httpGet", .object("Sends an HTTP GET.", [
                .optional("path", .string("Path of the request, from '/'.", format: .absolutePath)),
                .required("port", .port("Port number or name.")),
                .optional("host", .string("Host (default: the pod IP).")),
                .optional("scheme", .oneOf(["HTTP", "HTTPS"], "Scheme.", default: "HTTP")),
                .optional("httpHeaders", .array(of: .object("A header.", [
                    .required("name", .string(format: .nonEmpty)), .required("value", .string()),
                ]), "Extra headers.")),
            ])),
            .optional("tcpSocket", .object("Opens a TCP connection.", [
                .required("port", .port("Port number or name.")),
                .optional("host", .string("Host (default: the pod IP).")),
            ])),
        ], noun: "a hook", exactlyOneOf: [["exec", "httpGet", "tcpSocket"]])
    }

    public let parameters = Schema.object("Parameters of the lifecycle trait.", [
        .optional("postStart", LifecycleTrait.hook("right after a container starts")),
        .optional("preStop", LifecycleTrait.hook("before a container is stopped")),
    ], atLeastOneOf: [["postStart", "preStop"]])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: webservice
              properties:
                image: example/api:3
              traits:
                - type: lifecycle
                  properties:
                    preStop:
                      exec: {command: ["sh", "-c", "sleep 10"]}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        var lifecycle = JSONObject()
        for hook in ["postStart", "preStop"] { if let handler = properties[hook] { lifecycle.append(hook, handler) } }
        component.editPodSpec { pod in
            for field in ["containers", "initContainers"] {
                guard let containers = pod.json[field]?.array else { continue }
                pod.json[field] = .array(containers.map { container in
                    // Plain init containers run to completion and take no hooks; native sidecars do.
                    guard field == "containers" || container["restartPolicy"]?.string == "Always",
                          var object = container.object else { return container }
                    object.setContainerField("lifecycle", .object(lifecycle))
                    return .object(object)
                })
            }
        }
    }
}
