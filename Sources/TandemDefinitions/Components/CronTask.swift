import KubeModel
import TandemModel

/// `cron-task`: a task on a schedule, as a CronJob. Its pod template, where traits and sidecars
/// go, is at `spec.jobTemplate.spec.template`.
public struct CronTask: ComponentDefinition {
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
        .optional("hostAliases", PodTemplate.hostAliases),
        .optional("ttlSecondsAfterFinished", .integer("Seconds after a Job finishes before it is deleted.", range: 0...Int(Int32.max))),
        .optional("activeDeadlineSeconds", .integer("Seconds a Job may run before it is stopped.", range: 1...Int.max)),
        .optional("backoffLimit", .integer("Retries before a Job counts as failed.", range: 0...Int(Int32.max), default: 6)),
    ])

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

    public func render(_ properties: JSONValue, context: RenderContext) -> RenderedComponent {
        let (container, volumes) = PodTemplate.mainContainer(properties, context: context)
        let count = properties["count"] ?? 1
        if context.componentName.utf8.count > 52 {
            // The CronJob controller appends 11 characters to name each Job.
            context.scope.parent.error("a cron-task's name may have at most 52 characters, not \(context.componentName.utf8.count)",
                                       at: ["name"], code: "name-too-long", hint: "shorten the component name")
        }
        var jobSpec: JSONObject = ["parallelism": count, "completions": count]
        for field in ["ttlSecondsAfterFinished", "activeDeadlineSeconds", "backoffLimit"] {
            if let value = properties[field] { jobSpec.append(field, value) }
        }
        jobSpec.append("template", PodTemplate.make(properties, container: container, volumes: volumes, context: context,
                                                    restartPolicy: properties["restart"]?.string ?? "Never"))
        var jobMetadata: JSONObject = ["labels": .object(context.selectorLabels.merging(properties["labels"]))]
        if let annotations = properties["annotations"] { jobMetadata.append("annotations", annotations) }

        var spec: JSONObject = ["schedule": properties["schedule"] ?? ""]
        for field in ["startingDeadlineSeconds", "suspend", "concurrencyPolicy", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            if let value = properties[field] { spec.append(field, value) }
        }
        spec.append("jobTemplate", ["metadata": .object(jobMetadata), "spec": .object(jobSpec)])
        var cronJob = KubeObject(apiVersion: "batch/v1", kind: "CronJob", name: context.componentName, namespace: context.namespace)
        cronJob.json["spec"] = .object(spec)
        return RenderedComponent(workload: cronJob, podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"], mainContainer: container.name)
    }
}

extension JSONObject {
    /// These members, then those of `other` (an object value) whose keys are not here yet.
    func merging(_ other: JSONValue?) -> JSONObject {
        var result = self
        for member in other?.object ?? JSONObject() where result[member.key] == nil {
            result.append(member.key, member.value)
        }
        return result
    }
}
