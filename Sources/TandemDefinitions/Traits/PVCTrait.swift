import KubeModel
import TandemJSON
import TandemModel

/// `pvc`: KubeVela's deprecated claim trait, still installed: a PersistentVolumeClaim, mounted
/// (or attached as a block device) under the volume names given.
public struct PVCTrait: TraitDefinition {
    public let name = "pvc"
    public let description = "Deprecated (use storage): creates a PersistentVolumeClaim and mounts it, or attaches it as a block device."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the pvc trait.", [
        .required("claimName", .string("Name of the claim.", format: .dns1123Subdomain)),
        .optional("volumeMode", PersistentVolumeClaims.volumeMode),
        .optional("volumeName", .string("Bind to this PersistentVolume.", format: .dns1123Subdomain)),
        .required("accessModes", PersistentVolumeClaims.accessModes.described("Access modes.")),
        .optional("storageClassName", .string("Storage class (default: the cluster's).", format: .dns1123Subdomain)),
        .required("resources", PersistentVolumeClaims.resources),
        .optional("dataSource", PersistentVolumeClaims.dataSource.described("Fill the claim from this object (a snapshot or a claim).")),
        .optional("dataSourceRef", PersistentVolumeClaims.dataSource.described("Fill the claim from this object, of any kind a populator handles.")),
        .optional("selector", PersistentVolumeClaims.selector),
        .required("volumesToMount", .array(of: .object("A pod volume of the claim.", [
            .required("name", .string("Volume name.", format: .dns1123Label)),
            .optional("mountPath", .string("volumeMode Filesystem: where it appears in the container.", format: .absolutePath)),
            .optional("devicePath", .string("volumeMode Block: the device's path in the container.", format: .absolutePath)),
        ], exactlyOneOf: [["mountPath", "devicePath"]]), "The volumes to declare and mount.", uniqueKey: "name", minItems: 1)),
    ], checks: [{ properties, scope in
        let block = properties["volumeMode"]?.string == "Block"
        for (index, volume) in (properties["volumesToMount"]?.array ?? []).enumerated() where (volume["devicePath"] != nil) != block {
            scope.error(block ? "volumeMode Block attaches a device: give devicePath, not mountPath" : "volumeMode Filesystem mounts: give mountPath, not devicePath",
                        at: ["volumesToMount", .index(index)], code: .conflictingProperties)
        }
    }], editorConstraints: [
        // What the check says, for editors: Block takes devicePath; Filesystem, the default, mountPath.
        "if": ["properties": ["volumeMode": ["const": "Block"]], "required": ["volumeMode"]],
        "then": ["properties": ["volumesToMount": ["items": ["required": ["devicePath"]]]]],
        "else": ["properties": ["volumesToMount": ["items": ["required": ["mountPath"]]]]],
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: cache
        spec:
          components:
            - name: redis
              type: worker
              properties:
                image: redis:7.4
              traits:
                - type: pvc
                  properties:
                    claimName: redis-data
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 2Gi}}
                    volumesToMount:
                      - {name: data, mountPath: /data}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        context.scope.warning("the pvc trait is deprecated; it is still rendered", code: .deprecatedParameter,
                              hint: "write type: storage with pvc: [{name: \(properties.text("claimName")), mountPath: ...}]")
        let container = component.mainContainer ?? context.componentName
        let scope = context.scope
        var failed = false
        component.editPodSpec { pod in
            for (index, volume) in properties.list("volumesToMount").enumerated() {
                let name = volume.text("name")
                if pod.hasVolume(named: name) {
                    scope.error("the pod already has a volume named '\(name)'", at: ["volumesToMount", .index(index), "name"], code: .duplicateVolume)
                    failed = true
                    continue
                }
                pod.add(volume: VolumeSources.persistentVolumeClaim(name, claimName: properties.value("claimName")))
                if let devicePath = volume["devicePath"] {
                    pod.add(device: ["name": .string(name), "devicePath": devicePath], toContainer: container)
                } else {
                    pod.add(mounts: [Mount(name: name, mountPath: volume.text("mountPath"))], toContainer: container)
                }
            }
        }
        if !failed { component.addObject(PersistentVolumeClaims.claim(properties.values, named: properties.text("claimName"), context: context)) }
    }
}
