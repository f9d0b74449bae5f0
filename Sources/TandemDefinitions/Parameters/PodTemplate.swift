import KubeModel
import TandemJSON
import TandemModel

/// Builds the pod template that every pod-bearing component type shares: the main container
/// from the container parameters, the pod volumes, pull secrets and host aliases, and the
/// template's labels and annotations.
package enum PodTemplate {
    /// The main container, named after the component, with its mounts and the pod volumes they need.
    package struct MainContainer {
        package var container: Container
        package var mounts: [Mount]
        package var volumes: [Volume]
    }

    package static func mainContainer(_ properties: Parameters, context: RenderContext) -> MainContainer {
        var container = Container(name: context.componentName, image: properties.text("image"))
        ContainerParameters.apply(properties.values, to: &container)
        // As in KubeVela, cpu and memory are both the request and the limit, unless `limit` says otherwise.
        ResourceParameters.copy(properties.values, into: &container.resources.requests)
        ResourceParameters.copy(properties.values, into: &container.resources.limits)
        ResourceParameters.copy(properties["limit"], into: &container.resources.limits)
        // The deprecated `volumes` counts only without `volumeMounts`, as in KubeVela.
        let entries = properties["volumeMounts"] != nil
            ? VolumeMountParameters.entries(properties["volumeMounts"])
            : DeprecatedParameters.volumeEntries(properties.list("volumes"))
        let (mounts, volumes) = VolumeMountParameters.render(entries, scope: context.scope)
        return MainContainer(container: container, mounts: mounts, volumes: volumes)
    }

    /// The whole component for the long-running workload kinds (Deployment, DaemonSet,
    /// StatefulSet): a selector over the component's pods, their template, `extraSpec` fields, and
    /// the Service for the ports marked `expose: true`.
    package static func workload(
        _ gvk: GroupVersionKind, _ properties: Parameters, context: RenderContext, extraSpec: JSONObject = JSONObject()
    ) -> ComponentDraft {
        var main = mainContainer(properties, context: context)
        let ports = properties.list("ports")
        if ports.isEmpty, let port = properties["port"] {
            main.container.ports = [["containerPort": port]]  // the deprecated form: a bare port
        } else {
            main.container.ports = ServicePorts.containerPorts(ports)
        }
        var spec: JSONObject = ["selector": ["matchLabels": .object(context.selectorLabels)]]
        for member in extraSpec { spec.append(member.key, member.value) }
        spec.append("template", make(properties, main: main, context: context))
        var workload = context.object(gvk, name: context.componentName)
        workload.json["spec"] = .object(spec)
        var rendered = ComponentDraft(workload: workload, podSpecPath: ["spec", "template", "spec"], mainContainer: main.container.name)
        if let service = ServicePorts.service(ports, type: properties.text("exposeType"), context: context) {
            rendered.addObject(service)
        }
        return rendered
    }

    /// A pod template (`metadata` and `spec`) around the main container.
    package static func make(
        _ properties: Parameters, main: MainContainer, context: RenderContext, restartPolicy: String? = nil
    ) -> JSONValue {
        var podSpec = PodSpec()
        podSpec.append(container: main.container)
        podSpec.add(mounts: main.mounts, toContainer: main.container.name)
        if let restartPolicy { podSpec.json.insert("restartPolicy", .string(restartPolicy), following: PodSpec.fieldOrder) }
        let secrets = properties.texts("imagePullSecrets")
        if !secrets.isEmpty {
            podSpec.json.insert("imagePullSecrets", .array(secrets.map { ["name": .string($0)] }), following: PodSpec.fieldOrder)
        }
        for volume in main.volumes { podSpec.add(volume: volume) }
        let aliases = properties.list("hostAliases")
        if !aliases.isEmpty { podSpec.json["hostAliases"] = .array(aliases) }
        var metadata: JSONObject = ["labels": .object(podLabels(properties, context: context))]
        let annotations = properties.map("annotations")
        if !annotations.isEmpty { metadata.append("annotations", .object(annotations)) }
        return ["metadata": .object(metadata), "spec": .object(podSpec.json)]
    }

    /// The pods' labels: Tandem's own (the application and component), the revision when asked
    /// for, then the component's `labels`.
    package static func podLabels(_ properties: Parameters, context: RenderContext) -> JSONObject {
        var labels = context.podLabels
        if properties.flag("addRevisionLabel") { labels.append(RenderContext.revisionLabel, .string(context.revision)) }
        return labels.addingMissing(from: properties.map("labels"))
    }

    /// Reports `labels` that would change the labels Tandem selects the pods by: a check of the
    /// component's schema (KubeVela refuses them too, as conflicting values).
    package static func checkReservedLabels(_ properties: JSONObject, _ scope: DiagnosticScope) {
        for member in properties["labels"]?.object ?? JSONObject() where RenderContext.ownLabelKeys.contains(member.key) {
            scope.error("the label '\(member.key)' is set by Tandem, to the application's or component's name", at: ["labels", .key(member.key)],
                        code: .reservedLabel, hint: "workload selectors depend on it; remove it, or choose another key")
        }
    }

    /// Parameters that put labels and annotations on the pods.
    package static let labels = Schema.map(of: .string(format: .labelValue), "Labels for the pods (the pod template).", keyFormat: .labelKey)
    package static let annotations = Schema.map(of: .string(), "Annotations for the pods (the pod template).", keyFormat: .labelKey)
    package static let hostAliases = Schema.array(of: .object("Extra /etc/hosts entries for one IP.", [
        .required("ip", .string("The IP address.", format: .nonEmpty)),
        .required("hostnames", .array(of: .string(format: .nonEmpty), "Host names for the IP.", minItems: 1)),
    ]), "Entries added to the pods' /etc/hosts.", uniqueKey: "ip")
}
