import KubeModel
import TandemJSON
import TandemModel

/// The `volumeMounts` parameter of workloads: lists of volumes by kind, each declared in the pod
/// and mounted into the main container.
package enum VolumeMountParameters {
    /// The kinds in the order their mounts are written.
    static let kinds: [(key: String, schema: Schema)] = [
        ("pvc", entry("Mounts a PersistentVolumeClaim.", [
            .required("claimName", .string("Name of the claim.", format: .dns1123Subdomain)),
        ])),
        ("configMap", entry("Mounts the keys of a ConfigMap as files.", [
            .required("cmName", .string("Name of the ConfigMap.", format: .dns1123Subdomain)),
            .optional("defaultMode", .integer("File mode bits of the files (decimal; 420 is 0644).", range: 0...511, default: 420)),
            .optional("items", items),
        ])),
        ("secret", entry("Mounts the keys of a Secret as files.", [
            .required("secretName", .string("Name of the Secret.", format: .dns1123Subdomain)),
            .optional("defaultMode", .integer("File mode bits of the files (decimal; 420 is 0644).", range: 0...511, default: 420)),
            .optional("items", items),
        ])),
        ("emptyDir", entry("Mounts an empty directory that lives as long as the pod.", [
            .optional("medium", .oneOf(["", "Memory"], "Storage medium: the node's disk (\"\") or memory.", default: "")),
        ])),
        ("hostPath", entry("Mounts a path of the node's file system.", [
            .required("path", .string("Path on the node.", format: .absolutePath)),
        ])),
    ]

    static let items = Schema.array(of: .object("A key to project into a file.", [
        .required("key", .string("The key.", format: .nonEmpty)),
        .required("path", .string("Relative path of the file.", format: .nonEmpty)),
        .optional("mode", .integer("File mode bits (decimal; 511 is 0777).", range: 0...511, default: 511)),
    ]), "Only these keys, at these paths (default: every key, named after it).")

    static func entry(_ description: String, _ specific: [Property]) -> Schema {
        .array(of: .object(description, [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .required("mountPath", .string("Where the volume appears in the container.", format: .absolutePath)),
        ] + specific + [
            .optional("subPath", .string("Mount only this path inside the volume.")),
        ]), description)
    }

    package static let schema = Schema.object(
        "Volumes to declare in the pod and mount into the container, by kind.",
        kinds.map { Property.optional($0.key, $0.schema) })

    /// The mounts and volumes that `volumeMounts` describes. Reports a name used for two different
    /// volumes, and a mount path used twice; `scope` is that of the `volumeMounts` property.
    package static func render(_ volumeMounts: JSONValue?, scope: DiagnosticScope) -> (mounts: [VolumeMount], volumes: [Volume]) {
        var mounts: [VolumeMount] = []
        var volumes: [Volume] = []
        var declaredAt: [String: FieldPath] = [:]
        var paths = MountPaths()
        for (kind, _) in kinds {
            for (index, entry) in (volumeMounts?[kind]?.array ?? []).enumerated() {
                let path: FieldPath = [.key(kind), .index(index)]
                let name = entry.text("name")
                let mountPath = entry.text("mountPath")
                let volume = self.volume(kind, name, entry)
                if let first = declaredAt[name] {
                    if volumes.first(where: { $0.name == name }) != volume {
                        scope.error("volume '\(name)' is already declared differently at volumeMounts.\(first)",
                                    at: path / "name", code: .duplicateVolume,
                                    hint: "give each volume its own name; entries may share a name only to mount one volume twice")
                    }
                } else {
                    declaredAt[name] = path
                    volumes.append(volume)
                }
                paths.claim(mountPath, for: MountPaths.Holder("by volumeMounts.\(path)", hint: "a container can mount only one volume at a path"),
                            at: path / "mountPath", scope: scope)
                mounts.append(VolumeMount(name: name, mountPath: mountPath, subPath: entry["subPath"]?.string))
            }
        }
        return (mounts, volumes)
    }

    static func volume(_ kind: String, _ name: String, _ entry: JSONValue) -> Volume {
        switch kind {
        case "pvc": return VolumeSources.persistentVolumeClaim(name, claimName: entry.value("claimName"))
        case "configMap":
            return VolumeSources.configMap(name, configMapName: entry.value("cmName"), defaultMode: entry.value("defaultMode"), items: entry["items"])
        case "secret":
            return VolumeSources.secret(name, secretName: entry.value("secretName"), defaultMode: entry.value("defaultMode"), items: entry["items"])
        case "emptyDir": return VolumeSources.emptyDir(name, medium: entry.value("medium"))
        default: return VolumeSources.hostPath(name, path: entry.value("path"))
        }
    }
}
