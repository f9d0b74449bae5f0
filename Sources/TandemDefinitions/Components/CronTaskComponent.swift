import KubeModel
import TandemJSON
import TandemModel

/// `cron-task`: a task on a schedule, as a CronJob. Its pod template, where traits and sidecars
/// go, is at `spec.jobTemplate.spec.template`.
public struct CronTaskComponent: ComponentDefinition {
    public let name = "cron-task"
    public let description = "A task that runs on a schedule (a CronJob)."
    public let runsToCompletion = true

    public init() {}

    public let parameters = Schema.object("Parameters of the cron-task component type.", [
        .optional("labels", Schema.map(of: .string(format: .labelValue), "Labels for the Jobs and their pods.", keyFormat: .labelKey)),
        .optional("annotations", Schema.map(of: .string(), "Annotations for the Jobs and their pods.", keyFormat: .labelKey)),
        .required("schedule", Schema.string("When to run, in cron format (\"*/5 * * * *\") or a macro such as @hourly.", format: .cronSchedule)),
        .optional("startingDeadlineSeconds", .integer("Seconds after its time that a missed run may still start.", range: 0...Int(Int32.max))),
        .optional("suspend", .boolean("Stop scheduling new runs.", default: false)),
        .optional("concurrencyPolicy", .oneOf(["Allow", "Forbid", "Replace"], "What to do when a run is due while the last is still running.", default: "Allow")),
        .optional("successfulJobsHistoryLimit", .integer("Finished Jobs to keep.", range: 0...Int(Int32.max), default: 3)),
        .optional("failedJobsHistoryLimit", .integer("Failed Jobs to keep.", range: 0...Int(Int32.max), default: 1)),
        .optional("count", TaskComponent.count),
    ] + ParameterGroups.image + [.optional("restart", TaskComponent.restart)] + ParameterGroups.command()
        + ParameterGroups.resources() + ParameterGroups.volumeMounts + ParameterGroups.hostAliases + [
        .optional("ttlSecondsAfterFinished", .integer("Seconds after a Job finishes before it is deleted.", range: 0...Int(Int32.max))),
        .optional("activeDeadlineSeconds", .integer("Seconds a Job may run before it is stopped.", range: 1...Int.max)),
        .optional("backoffLimit", .integer("Retries before a Job counts as failed.", range: 0...Int(Int32.max), default: 6)),
    ], checks: ParameterGroups.componentChecks)

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: backups
        spec:
          components:
            - name: nightly
              type: cron-task
              properties:
                schedule: "0 3 * * *"
                concurrencyPolicy: Forbid
                image: example/backup:2
                cmd: ["backup", "--to", "s3://backups"]

        """

    public func nameProblem(appName: String, componentName: String) -> NameProblem? {
        // The CronJob controller appends 11 characters to name each Job.
        guard componentName.utf8.count > 52 else { return nil }
        return NameProblem(message: "a cron-task's name may have at most 52 characters, not \(componentName.utf8.count)",
                           hint: "shorten the component name")
    }

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        let main = PodTemplate.mainContainer(parameters, context: context)
        var jobSpec: JSONObject = ["parallelism": parameters.value("count"), "completions": parameters.value("count")]
        for field in ["ttlSecondsAfterFinished", "activeDeadlineSeconds", "backoffLimit"] {
            if let value = parameters[field] { jobSpec.append(field, value) }
        }
        jobSpec.append("template", PodTemplate.make(parameters, main: main, context: context, restartPolicy: parameters.text("restart")))
        var jobMetadata: JSONObject = ["labels": .object(context.podLabels.addingMissing(from: parameters.map("labels")))]
        if let annotations = parameters["annotations"] { jobMetadata.append("annotations", annotations) }

        var spec: JSONObject = ["schedule": parameters.value("schedule")]
        for field in ["startingDeadlineSeconds", "suspend", "concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            if let value = parameters[field] { spec.append(field, value) }
        }
        spec.append("jobTemplate", ["metadata": .object(jobMetadata), "spec": .object(jobSpec)])
        var cronJob = context.object(.cronJob, name: context.componentName)
        cronJob.json["spec"] = .object(spec)
        return ComponentDraft(workload: cronJob, podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"], mainContainer: main.container.name)
    }
}
