import KubeModel
import TandemJSON
import TandemModel

/// `storage`: volumes for the main container, creating the PersistentVolumeClaims, ConfigMaps
/// and Secrets behind them unless told they exist.
public struct StorageTrait: TraitDefinition {
    public let name = "storage"
    public let description = "Adds volumes to the pod and mounts them, creating the claims, ConfigMaps and Secrets they need."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let mountOnly = Schema.boolean("Only mount it: the object already exists.", default: false)
    static let accessModes: Schema = {
        var schema = Schema.array(of: .oneOf(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]), "Access modes.", minItems: 1)
        schema.defaultValue = ["ReadWriteOnce"]
        return schema
    }()
    static let defaultMode = Schema.integer("File mode bits (decimal; 420 is 0644).", range: 0...511, default: 420)

    public let parameters = Schema.object("Parameters of the storage trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("pvc", .array(of: .object("A PersistentVolumeClaim, mounted.", [
            .required("name", .string("Name of the claim.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("subPath", .string("Mount only this path inside the volume.")),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("storageClassName", .string("Storage class (default: the cluster's).", format: .dns1123Subdomain)),
            .optional("accessModes", StorageTrait.accessModes),
            .optional("volumeMode", .oneOf(["Filesystem", "Block"], "Volume mode.", default: "Filesystem")),
            .optional("storage", Schema(.quantity, "Requested size.", default: "8Gi")),
        ]), "PersistentVolumeClaims.", uniqueKey: "name")),
        .optional("configMap", .array(of: .object("A ConfigMap, mounted as files.", [
            .required("name", .string("Name of the ConfigMap.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("data", .map(of: .string(), "The ConfigMap's data, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", StorageTrait.defaultMode),
        ]), "ConfigMaps.", uniqueKey: "name")),
        .optional("secret", .array(of: .object("A Secret, mounted as files.", [
            .required("name", .string("Name of the Secret.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("stringData", .map(of: .string(), "The Secret's data as text, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", StorageTrait.defaultMode),
        ]), "Secrets.", uniqueKey: "name")),
        .optional("emptyDir", .array(of: .object("An empty directory for the pod's lifetime.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("medium", .oneOf(["", "Memory"], "Node disk (\"\") or memory.", default: "")),
        ]), "Empty directories.", uniqueKey: "name")),
        .optional("hostPath", .array(of: .object("A path of the node's file system.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .required("path", .string("Path on the node.", format: .absolutePath)),
            .optional("type", .oneOf(["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"],
                                     "What must be at the path.", default: "Directory")),
        ]), "Host paths.", uniqueKey: "name")),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: wiki
        spec:
          components:
            - name: server
              type: statefulset
              properties:
                image: example/wiki:1
              traits:
                - type: storage
                  properties:
                    pvc:
                      - {name: wiki-data, mountPath: /var/lib/wiki, storage: 20Gi}
                    configMap:
                      - name: wiki-config
                        mountPath: /etc/wiki
                        data: {wiki.conf: "title = Team wiki"}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        var volumes: [(Volume, VolumeMount, FieldPath)] = []
        for (index, claim) in properties.list("pvc").enumerated() {
            let claimName = claim.text("name")
            volumes.append((VolumeSources.persistentVolumeClaim("pvc-" + claimName, claimName: .string(claimName)),
                            VolumeMount(name: "pvc-" + claimName, mountPath: claim.text("mountPath"), subPath: claim["subPath"]?.string),
                            ["pvc", .index(index)]))
            guard !claim.flag("mountOnly") else { continue }
            var object = context.object(.persistentVolumeClaim, name: claimName)
            var spec: JSONObject = ["accessModes": claim.value("accessModes"), "volumeMode": claim.value("volumeMode"),
                                    "resources": ["requests": ["storage": claim.value("storage")]]]
            if let storageClass = claim["storageClassName"] { spec.append("storageClassName", storageClass) }
            object.json["spec"] = .object(spec)
            component.addObject(object)
        }
        for (index, entry) in properties.list("configMap").enumerated() {
            let objectName = entry.text("name")
            volumes.append((VolumeSources.configMap("configmap-" + objectName, configMapName: .string(objectName), defaultMode: entry.value("defaultMode")),
                            VolumeMount(name: "configmap-" + objectName, mountPath: entry.text("mountPath")), ["configMap", .index(index)]))
            guard !entry.flag("mountOnly") else { continue }
            var object = context.object(.configMap, name: objectName)
            if let data = entry["data"] { object.json["data"] = data }
            component.addObject(object)
        }
        for (index, entry) in properties.list("secret").enumerated() {
            let objectName = entry.text("name")
            volumes.append((VolumeSources.secret("secret-" + objectName, secretName: .string(objectName), defaultMode: entry.value("defaultMode")),
                            VolumeMount(name: "secret-" + objectName, mountPath: entry.text("mountPath")), ["secret", .index(index)]))
            guard !entry.flag("mountOnly") else { continue }
            var object = context.object(.secret, name: objectName)
            object.json["type"] = "Opaque"
            if let data = entry["stringData"] { object.json["stringData"] = data }
            component.addObject(object)
        }
        for (index, entry) in properties.list("emptyDir").enumerated() {
            let volumeName = "emptydir-" + entry.text("name")
            volumes.append((VolumeSources.emptyDir(volumeName, medium: entry.value("medium")),
                            VolumeMount(name: volumeName, mountPath: entry.text("mountPath")), ["emptyDir", .index(index)]))
        }
        for (index, entry) in properties.list("hostPath").enumerated() {
            let volumeName = "hostpath-" + entry.text("name")
            volumes.append((VolumeSources.hostPath(volumeName, path: entry.value("path"), type: entry.value("type")),
                            VolumeMount(name: volumeName, mountPath: entry.text("mountPath")), ["hostPath", .index(index)]))
        }
        mount(volumes, properties, &component, context)
    }

    private func mount(_ volumes: [(Volume, VolumeMount, FieldPath)], _ properties: Parameters,
                       _ component: inout ComponentDraft, _ context: RenderContext) {
        let scope = context.scope
        guard let container = ContainerTarget.resolve(properties, in: component, context) else { return }
        component.editPodSpec { pod in
            var paths = MountPaths(existing: pod.mountPaths(ofContainer: container), heldBy: MountPaths.Holder("in container '\(container)'"))
            for (volume, mount, path) in volumes {
                if let problem = StringFormat.dns1123Label.violation(in: volume.name) {
                    scope.error("the volume name '\(volume.name)' is too long or invalid: \(problem)", at: path / "name", code: .invalidVolumeName,
                                hint: "shorten the name")
                    continue
                }
                if pod.hasVolume(named: volume.name) {
                    scope.error("the pod already has a volume named '\(volume.name)'", at: path / "name", code: .duplicateVolume)
                    continue
                }
                guard paths.claim(mount.mountPath, for: MountPaths.Holder("in container '\(container)'"), at: path / "mountPath", scope: scope)
                else { continue }
                pod.add(volume: volume)
                pod.add(mount: mount, toContainer: container)
            }
        }
    }
}
