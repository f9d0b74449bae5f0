import KubeModel
import TandemModel

/// Builds the pod template that every pod-bearing component type shares: the main container
/// from the container parameters, the pod volumes, pull secrets and host aliases, and the
/// template's labels and annotations.
public enum PodTemplate {
    /// The main container, named after the component.
    public static func mainContainer(_ properties: JSONValue, context: RenderContext) -> (Container, [Volume]) {
        var container = Container(name: context.componentName, image: properties["image"]?.string ?? "")
        ContainerParameters.apply(properties, to: &container)
        // As in KubeVela, cpu and memory are both the request and the limit, unless `limit` says otherwise.
        ResourceParameters.copy(properties, into: &container.resources.requests)
        ResourceParameters.copy(properties, into: &container.resources.limits)
        ResourceParameters.copy(properties["limit"], into: &container.resources.limits)
        ResourceParameters.checkRequestsWithinLimits(container.resources, scope: context.scope, at: ["limit"])
        let (mounts, volumes) = VolumeMountParameters.render(
            properties["volumeMounts"], scope: context.scope.scoped(["volumeMounts"]))
        container.volumeMounts = mounts
        return (container, volumes)
    }

    /// The whole component for the long-running workload kinds (Deployment, DaemonSet,
    /// StatefulSet): a selector over the component's pods, their template, `extraSpec` fields, and
    /// the Service for the ports marked `expose: true`.
    public static func workload(
        kind: String, _ properties: JSONValue, context: RenderContext, extraSpec: JSONObject = JSONObject()
    ) -> RenderedComponent {
        var (container, volumes) = mainContainer(properties, context: context)
        let ports = properties["ports"]?.array ?? []
        container.ports = ServicePorts.containerPorts(ports)
        var spec: JSONObject = ["selector": ["matchLabels": .object(context.selectorLabels)]]
        for member in extraSpec { spec.append(member.key, member.value) }
        spec.append("template", make(properties, container: container, volumes: volumes, context: context))
        var workload = KubeObject(apiVersion: "apps/v1", kind: kind, name: context.componentName, namespace: context.namespace)
        workload.json["spec"] = .object(spec)
        var rendered = RenderedComponent(workload: workload, podSpecPath: ["spec", "template", "spec"], mainContainer: container.name)
        if let service = ServicePorts.service(ports, type: properties["exposeType"]?.string ?? "ClusterIP", context: context) {
            rendered.addObject(service)
        }
        return rendered
    }

    /// A pod template (`metadata` and `spec`) around `container`.
    public static func make(
        _ properties: JSONValue, container: Container, volumes: [Volume], context: RenderContext,
        restartPolicy: String? = nil
    ) -> JSONValue {
        var podSpec = PodSpec()
        podSpec.append(container: container)
        if let restartPolicy { podSpec.json.insert("restartPolicy", .string(restartPolicy), following: PodSpec.fieldOrder) }
        if let secrets = properties["imagePullSecrets"]?.strings, !secrets.isEmpty {
            podSpec.json.insert("imagePullSecrets", .array(secrets.map { ["name": .string($0)] }), following: PodSpec.fieldOrder)
        }
        for volume in volumes { podSpec.add(volume: volume) }
        if let aliases = properties["hostAliases"]?.array, !aliases.isEmpty {
            podSpec.json["hostAliases"] = .array(aliases)
        }
        var labels = context.selectorLabels
        for member in properties["labels"]?.object ?? JSONObject() where labels[member.key] == nil {
            labels.append(member.key, member.value)
        }
        var metadata: JSONObject = ["labels": .object(labels)]
        if let annotations = properties["annotations"]?.object, !annotations.isEmpty {
            metadata.append("annotations", .object(annotations))
        }
        return ["metadata": .object(metadata), "spec": .object(podSpec.json)]
    }

    /// Parameters that put labels and annotations on the pods.
    public static let labels = Schema.map(of: .string(format: .labelValue), "Labels for the pods (the pod template).", keyFormat: .labelKey)
    public static let annotations = Schema.map(of: .string(), "Annotations for the pods (the pod template).", keyFormat: .labelKey)
    public static let hostAliases = Schema.array(of: .object("Extra /etc/hosts entries for one IP.", [
        .required("ip", .string("The IP address.", format: .nonEmpty)),
        .required("hostnames", .array(of: .string(format: .nonEmpty), "Host names for the IP.", minItems: 1)),
    ]), "Entries added to the pods' /etc/hosts.", uniqueKey: "ip")
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
