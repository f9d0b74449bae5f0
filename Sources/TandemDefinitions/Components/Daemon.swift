import KubeModel
import TandemModel

/// `daemon`: one pod on every node, as a DaemonSet, with a Service for exposed ports.
public struct Daemon: ComponentDefinition {
    public let name = "daemon"
    public let description = "A pod on every node, such as a log collector or node agent (a DaemonSet, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the daemon component type.", [
        .optional("labels", PodTemplate.labels),
        .optional("annotations", PodTemplate.annotations),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("imagePullSecrets", ContainerParameters.imagePullSecrets),
        .optional("ports", ServicePorts.schema(containerPort: false, nodePort: false)),
        .optional("exposeType", ServicePorts.exposeType),
        .optional("cmd", ContainerParameters.cmd),
        .optional("env", ContainerParameters.env),
        .optional("cpu", ResourceParameters.cpu.described("CPU requested and limited.")),
        .optional("memory", ResourceParameters.memory.described("Memory requested and limited.")),
        .optional("volumeMounts", VolumeMountParameters.schema),
        .optional("livenessProbe", ProbeParameters.schema(.liveness)),
        .optional("readinessProbe", ProbeParameters.schema(.readiness)),
        .optional("hostAliases", PodTemplate.hostAliases),
    ], checks: [ServicePorts.checkNames])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: logging
        spec:
          components:
            - name: collector
              type: daemon
              properties:
                image: fluent/fluent-bit:3.1
                volumeMounts:
                  hostPath:
                    - {name: varlog, mountPath: /var/log, path: /var/log}
                memory: 100Mi

        """

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        PodTemplate.workload(kind: "DaemonSet", properties, context: context)
    }
}
