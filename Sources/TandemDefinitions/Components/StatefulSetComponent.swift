import KubeModel
import TandemModel

/// `statefulset`: pods with stable identities, as a StatefulSet, with a Service for exposed ports.
public struct StatefulSetComponent: ComponentDefinition {
    public let name = "statefulset"
    public let description = "Pods with stable names and storage, such as a database (a StatefulSet, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the statefulset component type.", [
        .optional("labels", PodTemplate.labels),
        .optional("annotations", PodTemplate.annotations),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("imagePullSecrets", ContainerParameters.imagePullSecrets),
        .optional("ports", ServicePorts.schema()),
        .optional("exposeType", ServicePorts.exposeType),
        .optional("cmd", ContainerParameters.cmd),
        .optional("args", ContainerParameters.args),
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
          name: cache
        spec:
          components:
            - name: redis
              type: statefulset
              properties:
                image: redis:7.4
                ports:
                  - {port: 6379, expose: true}
                volumeMounts:
                  pvc:
                    - {name: data, mountPath: /data, claimName: redis-data}

        """

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        // The governing Service's name; the Service itself exists when a port is exposed.
        PodTemplate.workload(kind: "StatefulSet", properties, context: context,
                             extraSpec: ["serviceName": .string(context.componentName)])
    }
}
