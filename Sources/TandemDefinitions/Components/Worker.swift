import KubeModel
import TandemModel

/// `worker`: a long-running, replicated backend with no network endpoint, as a Deployment.
public struct Worker: ComponentDefinition {
    public let name = "worker"
    public let description = "A long-running, scalable backend workload without network endpoints (a Deployment)."

    public init() {}

    public let parameters = Schema.object("Parameters of the worker component type.", [
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("imagePullSecrets", ContainerParameters.imagePullSecrets),
        .optional("cmd", ContainerParameters.cmd),
        .optional("args", ContainerParameters.args),
        .optional("env", ContainerParameters.env),
        .optional("cpu", ResourceParameters.cpu.described("CPU requested and limited, in cores (0.5) or millicores (500m).")),
        .optional("memory", ResourceParameters.memory.described("Memory requested and limited (128Mi, 1Gi).")),
        .optional("volumeMounts", VolumeMountParameters.schema),
        .optional("livenessProbe", ProbeParameters.schema(.liveness)),
        .optional("readinessProbe", ProbeParameters.schema(.readiness)),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: mailer
        spec:
          components:
            - name: sender
              type: worker
              properties:
                image: example/mailer:2.1
                cmd: ["mailer", "--queue", "outbox"]
                env:
                  - name: SMTP_PASSWORD
                    valueFrom:
                      secretKeyRef: {name: smtp, key: password}
                cpu: 250m
                memory: 128Mi
                livenessProbe:
                  exec: {command: ["mailer", "health"]}

        """

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        PodTemplate.workload(kind: "Deployment", properties, context: context)
    }
}
