import KubeModel
import TandemJSON
import TandemModel

/// `statefulset`: pods with stable identities, as a StatefulSet, with a Service for exposed ports.
public struct StatefulSetComponent: ComponentDefinition {
    public let name = "statefulset"
    public let description = "Pods with stable names and storage, such as a database (a StatefulSet, and a Service for exposed ports)."

    public init() {}

    public let parameters = Schema.object("Parameters of the statefulset component type.",
        ParameterGroups.podMetadata + ParameterGroups.image + ParameterGroups.ports() + ParameterGroups.revisionLabel
            + ParameterGroups.command() + ParameterGroups.resources() + ParameterGroups.volumeMounts + ParameterGroups.probes
            + ParameterGroups.hostAliases,
        checks: ParameterGroups.componentChecks + [ServicePorts.checkNames])

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

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        // The governing Service's name; the Service itself exists when a port is exposed.
        PodTemplate.workload(.statefulSet, parameters, context: context,
                             extraSpec: ["serviceName": .string(context.componentName)])
    }
}
