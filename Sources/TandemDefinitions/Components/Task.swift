import KubeModel
import TandemModel

/// `task`: work that runs to completion, as a Job named `<app>-<component>`. Its sidecars are
/// native by default, so that they never keep the Job from completing.
public struct Task: ComponentDefinition {
    public let name = "task"
    public let description = "Work that runs to completion, such as a migration or a batch job (a Job)."
    public let runsToCompletion = true

    public init() {}

    static let count = Schema.integer("How many pods run, in parallel, and must succeed.", range: 1...10_000, default: 1)
    static let restart = Schema.oneOf(["Never", "OnFailure"], "Whether a failed container restarts in its pod (OnFailure) or the pod is replaced (Never).", default: "Never")

    public let parameters = Schema.object("Parameters of the task component type.", [
        .optional("labels", PodTemplate.labels),
        .optional("annotations", PodTemplate.annotations),
        .optional("count", Task.count),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("imagePullSecrets", ContainerParameters.imagePullSecrets),
        .optional("restart", Task.restart),
        .optional("cmd", ContainerParameters.cmd),
        .optional("args", ContainerParameters.args),
        .optional("env", ContainerParameters.env),
        .optional("cpu", ResourceParameters.cpu.described("CPU requested and limited.")),
        .optional("memory", ResourceParameters.memory.described("Memory requested and limited.")),
        .optional("volumeMounts", VolumeMountParameters.schema),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: reports
        spec:
          components:
            - name: monthly
              type: task
              properties:
                image: example/reports:1.4
                cmd: ["reports", "build", "--month", "previous"]
                count: 2
                restart: OnFailure

        """

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        let (container, volumes) = PodTemplate.mainContainer(properties, context: context)
        let count = properties["count"] ?? 1
        let jobName = "\(context.appName)-\(context.componentName)"
        if jobName.utf8.count > 63 {
            context.scope.parent.error("the Job's name '\(jobName)' would be \(jobName.utf8.count) characters; Kubernetes allows 63",
                                       at: ["name"], code: "name-too-long", hint: "shorten the application or component name")
        }
        // KubeVela names the Job after the application too, so that re-creating it never clashes.
        var job = KubeObject(apiVersion: "batch/v1", kind: "Job", name: "\(context.appName)-\(context.componentName)", namespace: context.namespace)
        job.json["spec"] = [
            "parallelism": count,
            "completions": count,
            "template": PodTemplate.make(properties, container: container, volumes: volumes, context: context,
                                         restartPolicy: properties["restart"]?.string ?? "Never"),
        ]
        return RenderedComponent(workload: job, podSpecPath: ["spec", "template", "spec"], mainContainer: container.name)
    }
}
