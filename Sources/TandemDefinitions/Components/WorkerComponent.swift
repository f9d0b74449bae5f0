import KubeModel
import TandemJSON
import TandemModel

/// `worker`: a long-running, replicated backend with no network endpoint, as a Deployment.
public struct WorkerComponent: ComponentDefinition {
    public let name = "worker"
    public let description = "A long-running, scalable backend workload without network endpoints (a Deployment)."

    public init() {}

    public let parameters = Schema.object("Parameters of the worker component type.",
        ParameterGroups.image + ParameterGroups.command() + ParameterGroups.resources() + ParameterGroups.volumeMounts
            + ParameterGroups.probes, checks: ParameterGroups.componentChecks)

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

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        PodTemplate.workload(.deployment, parameters, context: context)
    }
}
