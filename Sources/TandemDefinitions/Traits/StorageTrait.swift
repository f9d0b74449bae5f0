import KubeModel
import TandemJSON
import TandemModel

/// `storage`: volumes for a container, creating the PersistentVolumeClaims, ConfigMaps and
/// Secrets behind them unless told they exist, and ConfigMap and Secret values as variables.
public struct StorageTrait: TraitDefinition {
    public let name = "storage"
    public let description = "Adds volumes to the pod and mounts them, creating the claims, ConfigMaps and Secrets they need."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let mountOnly = Schema.boolean("Only mount it: the object already exists.", default: false)
    static let defaultMode = Schema.integer("File mode bits (decimal; 420 is 0644).", range: 0...511, default: 420)
    static let subPath = Schema.string("Mount only this path inside the volume.")
    static let readOnly = Schema.boolean("Mount it read-only.", default: false)

    static func variables(_ keyName: String, _ kind: String) -> (one: Schema, many: Schema) {
        let variable = Schema.object("A variable set from a key of the \(kind).", [
            .required("envName", .string("The variable.", format: .envVarName)),
            .required(keyName, .string("The key of the \(kind).", format: .dataKey)),
        ])
        return (variable.described("A variable set from a key of the \(kind)."),
                .array(of: variable, "Variables set from keys of the \(kind).", uniqueKey: "envName"))
    }

    public let parameters = Schema.object("Parameters of the storage trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("pvc", .array(of: .object("A PersistentVolumeClaim, mounted (or attached as a block device).", [
            .required("name", .string("Name of the claim.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container; the device path for volumeMode Block.", format: .absolutePath)),
            .optional("subPath", StorageTrait.subPath),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("storageClassName", .string("Storage class (default: the cluster's).", format: .dns1123Subdomain)),
            .optional("accessModes", PersistentVolumeClaims.accessModes),
            .optional("volumeMode", PersistentVolumeClaims.volumeMode),
            .optional("volumeName", .string("Bind to this PersistentVolume.", format: .dns1123Subdomain)),
            .optional("storage", Schema(.quantity, "Requested size (default 8Gi); the same as resources.requests.storage.")),
            .optional("resources", PersistentVolumeClaims.resources),
            .optional("dataSource", PersistentVolumeClaims.dataSource.described("Fill the claim from this object (a snapshot or a claim).")),
            .optional("dataSourceRef", PersistentVolumeClaims.dataSource.described("Fill the claim from this object, of any kind a populator handles.")),
            .optional("selector", PersistentVolumeClaims.selector),
        ], atMostOneOf: [["storage", "resources"]]), "PersistentVolumeClaims.", uniqueKey: "name")),
        .optional("configMap", .array(of: .object("A ConfigMap, mounted as files or read into variables.", [
            .required("name", .string("Name of the ConfigMap.", format: .dns1123Label)),
            .optional("mountPath", .string("Where it appears in the container (none: only the variables).", format: .absolutePath)),
            .optional("subPath", StorageTrait.subPath),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("readOnly", StorageTrait.readOnly),
            .optional("mountToEnv", StorageTrait.variables("configMapKey", "ConfigMap").one),
            .optional("mountToEnvs", StorageTrait.variables("configMapKey", "ConfigMap").many),
            .optional("data", .map(of: .string(), "The ConfigMap's data, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", StorageTrait.defaultMode),
            .optional("items", VolumeMountParameters.items),
        ]), "ConfigMaps.", uniqueKey: "name")),
        .optional("secret", .array(of: .object("A Secret, mounted as files or read into variables.", [
            .required("name", .string("Name of the Secret.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("subPath", StorageTrait.subPath),
            .optional("mountOnly", StorageTrait.mountOnly),
            .optional("readOnly", StorageTrait.readOnly),
            .optional("mountToEnv", StorageTrait.variables("secretKey", "Secret").one),
            .optional("mountToEnvs", StorageTrait.variables("secretKey", "Secret").many),
            .optional("stringData", .map(of: .string(), "The Secret's data as text, when it is created.", keyFormat: .dataKey)),
            .optional("data", .map(of: .string(format: .base64), "The Secret's data, base64-encoded, when it is created.", keyFormat: .dataKey)),
            .optional("defaultMode", StorageTrait.defaultMode),
            .optional("items", VolumeMountParameters.items),
        ]), "Secrets.", uniqueKey: "name")),
        .optional("emptyDir", .array(of: .object("An empty directory for the pod's lifetime.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .optional("subPath", StorageTrait.subPath),
            .optional("medium", .oneOf(["", "Memory"], "Node disk (\"\") or memory.", default: "")),
        ]), "Empty directories.", uniqueKey: "name")),
        .optional("hostPath", .array(of: .object("A path of the node's file system.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where it appears in the container.", format: .absolutePath)),
            .required("path", .string("Path on the node.", format: .absolutePath)),
            .optional("type", .oneOf(["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"],
                                     "What must be at the path.", default: "Directory")),
        ]), "Host paths.", uniqueKey: "name")),
    ], checks: [{ properties, scope in
        for (index, claim) in (properties["pvc"]?.array ?? []).enumerated()
        where claim["volumeMode"]?.string == "Block" && claim["subPath"] != nil {
            scope.error("subPath applies to mounted volumes, not to a block device (volumeMode Block)", at: ["pvc", .index(index), "subPath"],
                        code: .conflictingProperties, hint: "remove subPath")
        }
    }])

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
                      - name: wiki-data
                        mountPath: /var/lib/wiki
                        resources: {requests: {storage: 20Gi}}
                    configMap:
                      - name: wiki-config
                        mountPath: /etc/wiki
                        data: {wiki.conf: "title = Team wiki", theme: dark}
                        mountToEnv: {envName: WIKI_THEME, configMapKey: theme}

        """

    /// What the trait adds to the container: volumes with their mounts (or devices), and variables.
    private struct Additions {
        var volumes: [(volume: Volume, mount: Mount?, device: JSONValue?, path: FieldPath)] = []
        var variables: [JSONValue] = []
    }

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        var additions = Additions()
        for (index, claim) in properties.list("pvc").enumerated() {
            let volumeName = "pvc-" + claim.text("name")
            let block = claim["volumeMode"]?.string == "Block"
            additions.volumes.append((
                VolumeSources.persistentVolumeClaim(volumeName, claimName: claim.value("name")),
                block ? nil : Mount(name: volumeName, mountPath: claim.text("mountPath"), subPath: claim["subPath"]?.string),
                block ? ["name": .string(volumeName), "devicePath": claim.value("mountPath")] : nil,
                ["pvc", .index(index)]))
            if !claim.flag("mountOnly") { component.addObject(PersistentVolumeClaims.claim(claim, named: claim.text("name"), context: context)) }
        }
        for (index, entry) in properties.list("configMap").enumerated() {
            let objectName = entry.text("name")
            if let mountPath = entry["mountPath"]?.string {
                additions.volumes.append((
                    VolumeSources.configMap("configmap-" + objectName, configMapName: .string(objectName), defaultMode: entry.value("defaultMode"),
                                            items: entry["items"]),
                    mount(entry, volume: "configmap-" + objectName, at: mountPath), nil, ["configMap", .index(index)]))
            }
            additions.variables += variables(entry, source: "configMapKeyRef", key: "configMapKey")
            guard !entry.flag("mountOnly") else { continue }
            var object = context.object(.configMap, name: objectName)
            if let data = entry["data"] { object.json["data"] = data }
            component.addObject(object)
        }
        for (index, entry) in properties.list("secret").enumerated() {
            let objectName = entry.text("name")
            additions.volumes.append((
                VolumeSources.secret("secret-" + objectName, secretName: .string(objectName), defaultMode: entry.value("defaultMode"),
                                     items: entry["items"]),
                mount(entry, volume: "secret-" + objectName, at: entry.text("mountPath")), nil, ["secret", .index(index)]))
            additions.variables += variables(entry, source: "secretKeyRef", key: "secretKey")
            guard !entry.flag("mountOnly") else { continue }
            var object = context.object(.secret, name: objectName)
            object.json["type"] = "Opaque"
            if let data = entry["data"] { object.json["data"] = data }
            if let data = entry["stringData"] { object.json["stringData"] = data }
            component.addObject(object)
        }
        for (index, entry) in properties.list("emptyDir").enumerated() {
            let volumeName = "emptydir-" + entry.text("name")
            additions.volumes.append((VolumeSources.emptyDir(volumeName, medium: entry.value("medium")),
                                      Mount(name: volumeName, mountPath: entry.text("mountPath"), subPath: entry["subPath"]?.string), nil,
                                      ["emptyDir", .index(index)]))
        }
        for (index, entry) in properties.list("hostPath").enumerated() {
            let volumeName = "hostpath-" + entry.text("name")
            additions.volumes.append((VolumeSources.hostPath(volumeName, path: entry.value("path"), type: entry.value("type")),
                                      Mount(name: volumeName, mountPath: entry.text("mountPath")), nil, ["hostPath", .index(index)]))
        }
        add(additions, properties, &component, context)
    }

    private func mount(_ entry: JSONValue, volume: String, at path: String) -> Mount {
        Mount(name: volume, mountPath: path, subPath: entry["subPath"]?.string, readOnly: entry.flag("readOnly") ? true : nil)
    }

    /// The variables of `mountToEnv` and `mountToEnvs`, read from the entry's ConfigMap or Secret.
    private func variables(_ entry: JSONValue, source: String, key: String) -> [JSONValue] {
        let requests = (entry["mountToEnv"].map { [$0] } ?? []) + entry.list("mountToEnvs")
        return requests.map { request in
            ["name": request.value("envName"), "valueFrom": [source: ["name": entry.value("name"), "key": request.value(key)]]]
        }
    }

    private func add(_ additions: Additions, _ properties: Parameters, _ component: inout ComponentDraft, _ context: RenderContext) {
        let scope = context.scope
        guard let container = ContainerTarget.resolve(properties, in: component, context) else { return }
        component.editPodSpec { pod in
            var paths = MountPaths(existing: pod.mountPaths(ofContainer: container), heldBy: MountPaths.Holder("in container '\(container)'"))
            for (volume, mount, device, path) in additions.volumes {
                if let problem = StringFormat.dns1123Label.violation(in: volume.name) {
                    scope.error("the volume name '\(volume.name)' is too long or invalid: \(problem)", at: path / "name", code: .invalidVolumeName,
                                hint: "shorten the name")
                    continue
                }
                if pod.hasVolume(named: volume.name) {
                    scope.error("the pod already has a volume named '\(volume.name)'", at: path / "name", code: .duplicateVolume)
                    continue
                }
                if let mount {
                    guard paths.claim(mount.mountPath, for: MountPaths.Holder("in container '\(container)'"), at: path / "mountPath", scope: scope)
                    else { continue }
                }
                pod.add(volume: volume)
                if let mount { pod.add(mounts: [mount], toContainer: container) }
                if let device { pod.add(device: device, toContainer: container) }
            }
            // A variable the container has already takes its value from the ConfigMap or Secret instead.
            guard !additions.variables.isEmpty else { return }
            pod.editContainer(named: container) { object in
                var env = object["env"]?.array ?? []
                for variable in additions.variables {
                    if let index = env.firstIndex(where: { $0["name"] == variable["name"] }) { env[index] = variable } else { env.append(variable) }
                }
                object.setContainerField("env", .array(env))
            }
        }
    }
}
