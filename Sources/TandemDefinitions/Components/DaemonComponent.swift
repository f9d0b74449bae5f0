import KubeModel
import TandemJSON
import TandemModel

/// `daemon`: one pod on every node, as a DaemonSet, with a Service for exposed ports.
public struct DaemonComponent: ComponentDefinition {
    public let name = "daemon"
    public let description = "A pod on every node, such as a log collector or node agent (a DaemonSet, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the daemon component type.",
        ParameterGroups.podMetadata + ParameterGroups.image + ParameterGroups.ports(containerPort: false, nodePort: false)
            + ParameterGroups.revisionLabel + ParameterGroups.command(args: false) + ParameterGroups.resources()
            + ParameterGroups.volumeMounts + ParameterGroups.probes + ParameterGroups.hostAliases,
        checks: ParameterGroups.componentChecks + [ServicePorts.checkNames])

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

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        PodTemplate.workload(.daemonSet, parameters, context: context)
    }
}
