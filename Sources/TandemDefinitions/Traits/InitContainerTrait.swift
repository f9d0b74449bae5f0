import KubeModel
import TandemJSON
import TandemModel

/// `init-container`: a container that runs to completion before the main container starts,
/// sharing an emptyDir volume with it (to fetch or prepare files).
public struct InitContainerTrait: TraitDefinition {
    public let name = "init-container"
    public let description = "Runs a container to completion before the main container starts, sharing a volume with it."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the init-container trait.", [
        .required("name", .string("Name of the init container, unique in the pod.", format: .dns1123Label)),
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", .oneOf(["IfNotPresent", "Always", "Never"], "When the kubelet pulls the image.", default: "IfNotPresent")),
        .optional("cmd", ContainerParameters.cmd),
        .optional("args", ContainerParameters.args),
        .optional("env", ContainerParameters.env),
        .optional("mountName", .string("Name of the shared emptyDir volume.", format: .dns1123Label, default: "workdir")),
        .required("appMountPath", .string("Where the main container sees the shared volume.", format: .absolutePath)),
        .required("initMountPath", .string("Where the init container sees the shared volume.", format: .absolutePath)),
        .optional("extraVolumeMounts", .array(of: .object("A pod volume to mount in the init container.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears.", format: .absolutePath)),
        ]), "Other pod volumes to mount in the init container.")),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: site
        spec:
          components:
            - name: web
              type: webservice
              properties:
                image: nginx:1.27
                ports: [{port: 80, expose: true}]
              traits:
                - type: init-container
                  properties:
                    name: fetch-content
                    image: busybox:1.36
                    cmd: ["wget", "-O", "/work/index.html", "https://example.com"]
                    mountName: content
                    initMountPath: /work
                    appMountPath: /usr/share/nginx/html

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let scope = context.scope
        var container = Container(name: properties.text("name"), image: properties.text("image"))
        ContainerParameters.apply(properties.values, to: &container)
        let mountName = properties.text("mountName")
        let extraMounts = properties.list("extraVolumeMounts")
        container.volumeMounts = [VolumeMount(name: mountName, mountPath: properties.text("initMountPath"))]
            + extraMounts.map { VolumeMount(name: $0.text("name"), mountPath: $0.text("mountPath")) }
        let appMountPath = properties.text("appMountPath")
        let mainContainer = component.mainContainer ?? context.componentName
        component.editPodSpec { pod in
            if pod.containerNames.contains(container.name) {
                scope.error("a container named '\(container.name)' already exists in the pod", at: ["name"], code: .duplicateContainer,
                            hint: "give the init container a name of its own")
                return
            }
            var initPaths = MountPaths(existing: [properties.text("initMountPath")], heldBy: MountPaths.Holder("in the init container"))
            for (index, mount) in extraMounts.enumerated() {
                initPaths.claim(mount.text("mountPath"), for: MountPaths.Holder("in the init container"),
                                at: ["extraVolumeMounts", .index(index), "mountPath"], scope: scope)
                let volume = mount.text("name")
                if volume != mountName && !pod.hasVolume(named: volume) {
                    scope.error("the pod declares no volume '\(volume)'", at: ["extraVolumeMounts", .index(index), "name"],
                                code: .unknownVolume, hint: "declare it on the component (volumeMounts) or with the storage trait")
                }
            }
            var mainPaths = MountPaths(existing: pod.mountPaths(ofContainer: mainContainer),
                                       heldBy: MountPaths.Holder("in the main container '\(mainContainer)'"))
            guard mainPaths.claim(appMountPath, for: MountPaths.Holder("in the main container"), at: ["appMountPath"], scope: scope) else { return }
            if !pod.hasVolume(named: mountName) { pod.add(volume: .emptyDir(mountName)) }
            pod.add(mount: VolumeMount(name: mountName, mountPath: appMountPath), toContainer: mainContainer)
            pod.append(initContainer: container)
        }
    }
}
