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

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        var container = Container(name: context.componentName, image: properties["image"]?.string ?? "")
        ContainerParameters.apply(properties, to: &container)
        // As in KubeVela, cpu and memory are both the request and the limit.
        ResourceParameters.copy(properties, into: &container.resources.requests)
        ResourceParameters.copy(properties, into: &container.resources.limits)
        let (mounts, volumes) = VolumeMountParameters.render(
            properties["volumeMounts"], scope: context.scope.scoped(["volumeMounts"]))
        container.volumeMounts = mounts

        var podSpec = PodSpec()
        podSpec.append(container: container)
        for secret in properties["imagePullSecrets"]?.strings ?? [] {
            podSpec.json.update("imagePullSecrets", default: .array([])) { list in
                list = .array((list.array ?? []) + [["name": .string(secret)]])
            }
        }
        for volume in volumes { podSpec.add(volume: volume) }

        var deployment = KubeObject(apiVersion: "apps/v1", kind: "Deployment", name: context.componentName, namespace: context.namespace)
        deployment.json["spec"] = [
            "selector": ["matchLabels": .object(context.selectorLabels)],
            "template": [
                "metadata": ["labels": .object(context.selectorLabels)],
                "spec": .object(podSpec.json),
            ],
        ]
        return RenderedComponent(workload: deployment, podSpecPath: ["spec", "template", "spec"], mainContainer: container.name)
    }
}
