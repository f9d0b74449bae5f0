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
            .optional("defaultMode", defaultMode),
            .optional("items", items),
        ])),
        ("secret", entry("Mounts the keys of a Secret as files.", [
            .required("secretName", .string("Name of the Secret.", format: .dns1123Subdomain)),
            .optional("defaultMode", defaultMode),
            .optional("items", items),
        ])),
        ("emptyDir", entry("Mounts an empty directory that lives as long as the pod.", [
            .optional("medium", medium),
        ])),
        ("hostPath", entry("Mounts a path of the node's file system.", [
            .required("path", .string("Path on the node.", format: .absolutePath)),
            .optional("readOnly", .boolean("Mount it read-only.")),
            .optional("mountPropagation", .oneOf(["None", "HostToContainer", "Bidirectional"],
                                                 "Whether mounts made later on the node (HostToContainer) or in the container (Bidirectional) propagate.")),
        ])),
    ]

    static let defaultMode = Schema.integer("File mode bits of the files (decimal; 420 is 0644).", range: 0...511, default: 420)
    static let medium = Schema.oneOf(["", "Memory"], "Storage medium: the node's disk (\"\") or memory.", default: "")

    package static let items = Schema.array(of: .object("A key to project into a file.", [
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

    /// One volume to declare and mount: its kind, its parameters and where they were written.
    package struct Entry {
        package var kind: String
        package var parameters: JSONValue
        package var path: FieldPath
    }

    /// The entries of `volumeMounts`, kind by kind.
    package static func entries(_ volumeMounts: JSONValue?) -> [Entry] {
        kinds.flatMap { kind, _ in
            (volumeMounts?[kind]?.array ?? []).enumerated().map { index, entry in
                Entry(kind: kind, parameters: entry, path: ["volumeMounts", .key(kind), .index(index)])
            }
        }
    }

    /// The mounts and volumes of `entries`, in their order. Reports a name used for two
    /// different volumes, and a mount path used twice; `scope` is that of the component's properties.
    package static func render(_ entries: [Entry], scope: DiagnosticScope) -> (mounts: [Mount], volumes: [Volume]) {
        var mounts: [Mount] = []
        var volumes: [Volume] = []
        var declaredAt: [String: FieldPath] = [:]
        var paths = MountPaths()
        for entry in entries {
            let name = entry.parameters.text("name")
            let volume = self.volume(entry.kind, name, entry.parameters)
            if let first = declaredAt[name] {
                if volumes.first(where: { $0.name == name }) != volume {
                    scope.error("volume '\(name)' is already declared differently at \(first)",
                                at: entry.path / "name", code: .duplicateVolume,
                                hint: "give each volume its own name; entries may share a name only to mount one volume twice")
                }
            } else {
                declaredAt[name] = entry.path
                volumes.append(volume)
            }
            let mountPath = entry.parameters.text("mountPath")
            paths.claim(mountPath, for: MountPaths.Holder("by \(entry.path)", hint: "a container can mount only one volume at a path"),
                        at: entry.path / "mountPath", scope: scope)
            mounts.append(Mount(name: name, mountPath: mountPath, subPath: entry.parameters["subPath"]?.string,
                                readOnly: entry.parameters["readOnly"]?.bool,
                                mountPropagation: entry.parameters["mountPropagation"]?.string))
        }
        return (mounts, volumes)
    }

    static func volume(_ kind: String, _ name: String, _ entry: JSONValue) -> Volume {
        switch kind {
        case "pvc": return VolumeSources.persistentVolumeClaim(name, claimName: entry.value("claimName"))
        case "configMap":
            return VolumeSources.configMap(name, configMapName: entry.value("cmName"), defaultMode: entry["defaultMode"] ?? 420,
                                           items: entry["items"])
        case "secret":
            return VolumeSources.secret(name, secretName: entry.value("secretName"), defaultMode: entry["defaultMode"] ?? 420,
                                        items: entry["items"])
        case "emptyDir": return VolumeSources.emptyDir(name, medium: entry["medium"] ?? "")
        default: return VolumeSources.hostPath(name, path: entry.value("path"))
        }
    }
}
