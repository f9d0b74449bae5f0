import KubeModel
import TandemJSON
import TandemModel

/// `sidecar`: a helper container beside the component's own, in the same pod: co-scheduled,
/// sharing the pod's network (it reaches the main container on localhost) and volumes.
public struct SidecarTrait: TraitDefinition {
    public let name = "sidecar"
    public let description = "Adds a helper container to the component's pod, sharing its network and volumes."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the sidecar trait.", [
        .required("name", .string("Name of the sidecar container, unique in the pod.", format: .dns1123Label)),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("cmd", ContainerParameters.cmd),
        .optional("args", ContainerParameters.args),
        .optional("env", ContainerParameters.env),
        .optional("cpu", ResourceParameters.cpu.described("CPU requested, in cores (0.5) or millicores (500m).")),
        .optional("memory", ResourceParameters.memory.described("Memory requested (128Mi, 1Gi).")),
        .optional("limit", ResourceParameters.limit),
        .optional("volumes", .array(of: .object("A pod volume to mount in the sidecar.", [
            .required("name", .string("Volume name. A volume the pod does not declare becomes an emptyDir shared with the main container.", format: .dns1123Label)),
            .required("path", .string("Where the volume appears in the sidecar.", format: .absolutePath)),
        ]), "Volumes to mount, by name.")),
        .optional("ports", ContainerParameters.ports),
        .optional("livenessProbe", ProbeParameters.schema(.liveness)),
        .optional("readinessProbe", ProbeParameters.schema(.readiness)),
        .optional("startupProbe", ProbeParameters.schema(.startup)),
        .optional("native", .boolean(
            "Run as a Kubernetes native sidecar (an init container with restartPolicy Always, Kubernetes 1.29+): it starts before the main container and never keeps a Job from completing. Default: true for task and cron-task, false otherwise.")),
    ], checks: ResourceParameters.checks)

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: blog
        spec:
          components:
            - name: web
              type: webservice
              properties:
                image: ghost:5
                ports:
                  - {port: 2368, expose: true}
                volumeMounts:
                  emptyDir:
                    - {name: logs, mountPath: /var/lib/ghost/content/logs}
              traits:
                - type: sidecar
                  properties:
                    name: log-shipper
                    image: fluent/fluent-bit:3.1
                    args: ["-i", "tail", "-p", "path=/logs/*.log", "-o", "stdout"]
                    volumes:
                      - {name: logs, path: /logs}
                    cpu: 50m
                    memory: 64Mi
                    readinessProbe:
                      tcpSocket: {port: 2020}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let scope = context.scope
        var container = Container(name: properties.text("name"), image: properties.text("image"))
        ContainerParameters.apply(properties.values, to: &container)
        ResourceParameters.copy(properties.values, into: &container.resources.requests)
        ResourceParameters.copy(properties["limit"], into: &container.resources.limits)

        // Not a schema default: it depends on the component type.
        let native = properties["native"]?.bool ?? component.prefersNativeSidecars
        if native {
            guard context.kubeVersion >= KubeVersion.nativeSidecars else {
                scope.error(
                    "a native sidecar needs Kubernetes \(KubeVersion.nativeSidecars) or later; the target is \(context.kubeVersion)",
                    at: properties["native"] == nil ? [] : ["native"], code: .unsupportedVersion,
                    hint: properties["native"] == nil
                        ? "set native: false to render a classic sidecar, which keeps a Job from completing"
                        : "set native: false, or target Kubernetes \(KubeVersion.nativeSidecars) or later")
                return
            }
            container.restartPolicy = "Always"
        }

        let mainContainer = component.mainContainer
        component.editPodSpec { pod in
            if pod.containerNames.contains(container.name) {
                let other = container.name == mainContainer ? "the component's main container" : "another container of the pod"
                scope.error("a container named '\(container.name)' already exists: \(other)", at: ["name"], code: .duplicateContainer,
                            hint: "give the sidecar a name of its own")
                return
            }
            mount(properties.list("volumes"), into: &container, pod: &pod, mainContainer: mainContainer, scope: scope)
            if native { pod.append(initContainer: container) } else { pod.append(container: container) }
        }
        for field in ProbeSlot.fields where properties[field] != nil {
            component.probeSources[ProbeSlot(container: container.name, field: field)] = scope.path / field
        }
    }

    /// Mounts each volume: one the pod declares is mounted as it is; any other is declared as an
    /// emptyDir and mounted in the main container too, so the sidecar sees the main container's files.
    private func mount(
        _ volumes: [JSONValue], into container: inout Container, pod: inout PodSpec, mainContainer: String?, scope: DiagnosticScope
    ) {
        var sidecarPaths = MountPaths()
        var mainPaths = MountPaths(
            existing: mainContainer.map { pod.mountPaths(ofContainer: $0) } ?? [],
            heldBy: MountPaths.Holder("in the main container '\(mainContainer ?? "")' by another volume",
                                      hint: "mount that volume by its name instead, or choose another path"))
        for (index, volume) in volumes.enumerated() {
            let name = volume.text("name")
            let path = volume.text("path")
            let at: FieldPath = ["volumes", .index(index), "path"]
            guard sidecarPaths.claim(path, for: MountPaths.Holder("by volumes[\(index)]", hint: "a container can mount only one volume at a path"),
                                     at: at, scope: scope) else { continue }
            if !pod.hasVolume(named: name), let mainContainer {
                guard mainPaths.claim(path, for: MountPaths.Holder("in the main container"), at: at, scope: scope) else { continue }
                pod.add(volume: .emptyDir(name))
                pod.add(mount: VolumeMount(name: name, mountPath: path), toContainer: mainContainer)
                scope.warning(
                    "the pod declares no volume '\(name)'; declaring it as an emptyDir mounted at \(path) in both '\(mainContainer)' and '\(container.name)'",
                    at: ["volumes", .index(index), "name"], code: .implicitVolume,
                    hint: "declare the volume on the component (volumeMounts) to choose its kind and where the main container sees it")
            }
            container.volumeMounts.append(VolumeMount(name: name, mountPath: path))
        }
    }
}
