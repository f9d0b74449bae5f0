import KubeModel
import TandemJSON
import TandemModel

/// `webservice`: a long-running, scalable service with network endpoints: a Deployment, and a
/// Service for the ports marked `expose: true`.
public struct WebserviceComponent: ComponentDefinition {
    public let name = "webservice"
    public let description = "A long-running, scalable service with network endpoints (a Deployment, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the webservice component type.",
        ParameterGroups.podMetadata + ParameterGroups.image + ParameterGroups.ports() + ParameterGroups.revisionLabel
            + ParameterGroups.command() + ParameterGroups.resources(separateLimit: true) + ParameterGroups.volumeMounts
            + ParameterGroups.probes + ParameterGroups.hostAliases,
        checks: ParameterGroups.componentChecks + [ServicePorts.checkNames])

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

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        PodTemplate.workload(.deployment, parameters, context: context)
    }
}
