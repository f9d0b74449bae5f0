import KubeModel
import TandemJSON
import TandemModel

/// `task`: work that runs to completion, as a Job named `<app>-<component>`. Its sidecars are
/// native by default, so that they never keep the Job from completing.
public struct TaskComponent: ComponentDefinition {
    public let name = "task"
    public let description = "Work that runs to completion, such as a migration or a batch job (a Job)."
    public let runsToCompletion = true

    public init() {}

    static let count = Schema.integer("How many pods run, in parallel, and must succeed.", range: 1...10_000, default: 1)
    static let restart = Schema.oneOf(["Never", "OnFailure"], "Whether a failed container restarts in its pod (OnFailure) or the pod is replaced (Never).", default: "Never")

    public let parameters = Schema.object("Parameters of the task component type.",
        ParameterGroups.podMetadata + [.optional("count", TaskComponent.count)] + ParameterGroups.image
            + [.optional("restart", TaskComponent.restart)] + ParameterGroups.command() + ParameterGroups.resources()
            + ParameterGroups.volumeMounts, checks: ParameterGroups.componentChecks)

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

    public func nameProblem(appName: String, componentName: String) -> NameProblem? {
        let jobName = Self.jobName(appName, componentName)
        guard jobName.utf8.count > 63 else { return nil }
        return NameProblem(message: "the Job's name '\(jobName)' would be \(jobName.utf8.count) characters; Kubernetes allows 63",
                           hint: "shorten the application or component name")
    }

    /// KubeVela names the Job after the application too, so that re-creating it never clashes.
    static func jobName(_ appName: String, _ componentName: String) -> String { "\(appName)-\(componentName)" }

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        let main = PodTemplate.mainContainer(parameters, context: context)
        var job = context.object(.job, name: Self.jobName(context.appName, context.componentName))
        job.json["spec"] = [
            "parallelism": parameters.value("count"),
            "completions": parameters.value("count"),
            "template": PodTemplate.make(parameters, main: main, context: context, restartPolicy: parameters.text("restart")),
        ]
        return ComponentDraft(workload: job, podSpecPath: ["spec", "template", "spec"], mainContainer: main.container.name)
    }
}
