import KubeModel
import TandemModel

/// `webservice`: a long-running, scalable service with network endpoints: a Deployment, and a
/// Service for the ports marked `expose: true`.
public struct Webservice: ComponentDefinition {
    public let name = "webservice"
    public let description = "A long-running, scalable service with network endpoints (a Deployment, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the webservice component type.", [
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
        .optional("cpu", ResourceParameters.cpu.described("CPU requested (and limited, unless limit.cpu is set).")),
        .optional("memory", ResourceParameters.memory.described("Memory requested (and limited, unless limit.memory is set).")),
        .optional("limit", ResourceParameters.limit),
        .optional("volumeMounts", VolumeMountParameters.schema),
        .optional("livenessProbe", ProbeParameters.schema(.liveness)),
        .optional("readinessProbe", ProbeParameters.schema(.readiness)),
        .optional("hostAliases", PodTemplate.hostAliases),
    ], checks: [ServicePorts.checkNames])

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
                image: nginx:1.27
                ports:
                  - {port: 80, expose: true}
                  - {port: 9113, name: metrics}
                cpu: 250m
                memory: 256Mi
                limit: {memory: 512Mi}
                readinessProbe:
                  httpGet: {path: /, port: 80}

        """

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        PodTemplate.workload(kind: "Deployment", properties, context: context)
    }
}
