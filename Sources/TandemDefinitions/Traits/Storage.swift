import KubeModel
import TandemModel

/// `storage`: volumes for the main container, creating the PersistentVolumeClaims, ConfigMaps
/// and Secrets behind them unless told they exist.
public struct Storage: TraitDefinition {
    public let name = "storage"
    public let description = "Adds volumes to the pod and mounts them, creating the claims, ConfigMaps and Secrets they need."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let mountOnly = Schema.boolean("Only mount it: the object already exists.", default: false)
    static let defaultMode = Schema.integer("File mode bits (decimal; 420 is 0644).", range: 0...511, default: 420)

    public let parameters = Schema.object("Parameters of the storage trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("pvc", .array(of: .object("A PersistentVolumeClaim, mounted.", [
            .required("name", .string("Name of the claim.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .nonEmpty)),
            .optional("subPath", .string("Mount only this path inside the volume.")),
            .optional("mountOnly", Storage.mountOnly),
            .optional("storageClassName", .string("Storage class (default: the cluster's).", format: .dns1123Subdomain)),
            .optional("accessModes", .array(of: .oneOf(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]),
                                            "Access modes (default ReadWriteOnce).", minItems: 1)),
            .optional("volumeMode", .oneOf(["Filesystem", "Block"], "Volume mode.", default: "Filesystem")),
            .optional("storage", .quantity("Requested size (default 8Gi).")),
        ]), "PersistentVolumeClaims.", uniqueKey: "name")),
        .optional("configMap", .array(of: .object("A ConfigMap, mounted as files.", [
            .required("name", .string("Name of the ConfigMap.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .nonEmpty)),
            .optional("mountOnly", Storage.mountOnly),
            .optional("data", .map(of: .string(), "The ConfigMap's data, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", Storage.defaultMode),
        ]), "ConfigMaps.", uniqueKey: "name")),
        .optional("secret", .array(of: .object("A Secret, mounted as files.", [
            .required("name", .string("Name of the Secret.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .nonEmpty)),
            .optional("mountOnly", Storage.mountOnly),
            .optional("stringData", .map(of: .string(), "The Secret's data as text, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", Storage.defaultMode),
        ]), "Secrets.", uniqueKey: "name")),
        .optional("emptyDir", .array(of: .object("An empty directory for the pod's lifetime.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .nonEmpty)),
            .optional("medium", .oneOf(["", "Memory"], "Node disk (\"\") or memory.", default: "")),
        ]), "Empty directories.", uniqueKey: "name")),
        .optional("hostPath", .array(of: .object("A path of the node's file system.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .nonEmpty)),
            .required("path", .string("Path on the node.", format: .nonEmpty)),
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

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        var volumes: [(Volume, VolumeMount, FieldPath)] = []
        for (index, claim) in (properties["pvc"]?.array ?? []).enumerated() {
            let claimName = claim["name"]?.string ?? ""
            volumes.append((Volume(name: "pvc-" + claimName, sourceKind: "persistentVolumeClaim", source: ["claimName": .string(claimName)]),
                            VolumeMount(name: "pvc-" + claimName, mountPath: claim["mountPath"]?.string ?? "", subPath: claim["subPath"]?.string),
                            ["pvc", .index(index)]))
            guard claim["mountOnly"]?.bool != true else { continue }
            var object = KubeObject(apiVersion: "v1", kind: "PersistentVolumeClaim", name: claimName, namespace: context.namespace)
            var spec: JSONObject = ["accessModes": claim["accessModes"] ?? ["ReadWriteOnce"], "volumeMode": claim["volumeMode"] ?? "Filesystem",
                                    "resources": ["requests": ["storage": claim["storage"] ?? "8Gi"]]]
            if let storageClass = claim["storageClassName"] { spec.append("storageClassName", storageClass) }
            object.json["spec"] = .object(spec)
            component.addObject(object, madeBy: name)
        }
        for (kind, prefix, sourceKind) in [("configMap", "configmap-", "configMap"), ("secret", "secret-", "secret")] {
            for (index, entry) in (properties[kind]?.array ?? []).enumerated() {
                let objectName = entry["name"]?.string ?? ""
                let source: JSONValue = kind == "secret"
                    ? ["defaultMode": entry["defaultMode"] ?? 420, "secretName": .string(objectName)]
                    : ["defaultMode": entry["defaultMode"] ?? 420, "name": .string(objectName)]
                volumes.append((Volume(name: prefix + objectName, sourceKind: sourceKind, source: source),
                                VolumeMount(name: prefix + objectName, mountPath: entry["mountPath"]?.string ?? ""), [.key(kind), .index(index)]))
                guard entry["mountOnly"]?.bool != true else { continue }
                var object = KubeObject(apiVersion: "v1", kind: kind == "secret" ? "Secret" : "ConfigMap", name: objectName, namespace: context.namespace)
                if kind == "secret" {
                    object.json["type"] = "Opaque"
                    if let data = entry["stringData"] { object.json["stringData"] = data }
                } else if let data = entry["data"] {
                    object.json["data"] = data
                }
                component.addObject(object, madeBy: name)
            }
        }
        for (index, entry) in (properties["emptyDir"]?.array ?? []).enumerated() {
            let volumeName = "emptydir-" + (entry["name"]?.string ?? "")
            volumes.append((Volume(name: volumeName, sourceKind: "emptyDir", source: ["medium": entry["medium"] ?? ""]),
                            VolumeMount(name: volumeName, mountPath: entry["mountPath"]?.string ?? ""), ["emptyDir", .index(index)]))
        }
        for (index, entry) in (properties["hostPath"]?.array ?? []).enumerated() {
            let volumeName = "hostpath-" + (entry["name"]?.string ?? "")
            volumes.append((Volume(name: volumeName, sourceKind: "hostPath", source: ["path": entry["path"] ?? "", "type": entry["type"] ?? "Directory"]),
                            VolumeMount(name: volumeName, mountPath: entry["mountPath"]?.string ?? ""), ["hostPath", .index(index)]))
        }
        mount(volumes, properties, &component, context)
    }

    private func mount(_ volumes: [(Volume, VolumeMount, FieldPath)], _ properties: JSONValue,
                       _ component: inout RenderedComponent, _ context: RenderContext) {
        let scope = context.scope
        let requested = properties["containerName"]?.string ?? ""
        let container = requested.isEmpty ? (component.mainContainer ?? context.componentName) : requested
        component.editPodSpec { pod in
            guard pod.containerNames.contains(container) else {
                scope.error("the pod has no container named '\(container)'", at: ["containerName"], code: "unknown-container",
                            hint: "its containers are: \(pod.containerNames.joined(separator: ", "))")
                return
            }
            var paths = Set(pod.mountPaths(ofContainer: container))
            for (volume, mount, path) in volumes {
                if let problem = StringFormat.dns1123Label.violation(in: volume.name) {
                    scope.error("the volume name '\(volume.name)' is too long or invalid: \(problem)", at: path / "name", code: "invalid-volume-name",
                                hint: "shorten the name")
                    continue
                }
                if pod.hasVolume(named: volume.name) {
                    scope.error("the pod already has a volume named '\(volume.name)'", at: path / "name", code: "duplicate-volume")
                    continue
                }
                guard paths.insert(mount.mountPath).inserted else {
                    scope.error("mount path '\(mount.mountPath)' is already used in container '\(container)'", at: path / "mountPath",
                                code: "duplicate-mount-path")
                    continue
                }
                pod.add(volume: volume)
                pod.add(mount: mount, toContainer: container)
            }
        }
    }
}
