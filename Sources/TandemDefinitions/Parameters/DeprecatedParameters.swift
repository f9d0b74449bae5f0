import TandemJSON
import TandemModel

/// Parameters KubeVela keeps for old Applications and calls deprecated: accepted, rendered as
/// KubeVela renders them, and each reported with a warning that says what to write instead.
package enum DeprecatedParameters {
    /// `port`: one container port, and no Service.
    package static let port = Schema.integer("Deprecated: write ports. A port the container listens on; it gets no Service.", range: 1...65535)

    /// `volumes`: the old list of `{name, mountPath, type, ...}`, ignored when `volumeMounts` is given.
    package static let volumes = Schema.array(of: .object("A volume (deprecated form).", [
        .required("name", .string("Volume name.", format: .dns1123Label)),
        .required("mountPath", .string("Where the volume appears in the container.", format: .absolutePath)),
        .optional("type", .oneOf(["emptyDir", "pvc", "configMap", "secret"], "The kind of volume.", default: "emptyDir")),
        .optional("claimName", .string("type pvc: the claim.", format: .dns1123Subdomain)),
        .optional("cmName", .string("type configMap: the ConfigMap.", format: .dns1123Subdomain)),
        .optional("secretName", .string("type secret: the Secret.", format: .dns1123Subdomain)),
        .optional("defaultMode", .integer("type configMap or secret: file mode bits (decimal; default 420, which is 0644).", range: 0...511)),
        .optional("items", VolumeMountParameters.items),
        .optional("medium", .oneOf(["", "Memory"], "type emptyDir: the node's disk (\"\", the default) or memory.")),
    ], checks: [checkVolumeFields]), "Deprecated: write volumeMounts. Volumes to declare and mount.")

    /// The fields each `type` takes (besides name, mountPath and type).
    static let volumeFields: [String: (required: [String], optional: [String])] = [
        "pvc": (["claimName"], []),
        "configMap": (["cmName"], ["defaultMode", "items"]),
        "secret": (["secretName"], ["defaultMode", "items"]),
        "emptyDir": ([], ["medium"]),
    ]

    static func checkVolumeFields(_ volume: JSONObject, _ scope: DiagnosticScope) {
        let type = volume["type"]?.string ?? "emptyDir"
        guard let fields = volumeFields[type] else { return }
        for field in fields.required where volume[field] == nil {
            scope.error("a volume of type \(type) needs '\(field)'", code: .missingProperty)
        }
        for member in volume where !["name", "mountPath", "type"].contains(member.key)
            && !fields.required.contains(member.key) && !fields.optional.contains(member.key) {
            let owner = volumeFields.first { $0.value.required.contains(member.key) || $0.value.optional.contains(member.key) }?.key ?? ""
            scope.error("'\(member.key)' goes with type \(owner), not \(type)", at: [.key(member.key)], code: .conflictingProperties,
                        hint: "set type: \(owner), or remove '\(member.key)'")
        }
    }

    /// The deprecated volumes as `volumeMounts` entries, in the order written.
    package static func volumeEntries(_ volumes: [JSONValue]) -> [VolumeMountParameters.Entry] {
        volumes.enumerated().map { index, volume in
            VolumeMountParameters.Entry(kind: volume["type"]?.string ?? "emptyDir", parameters: volume, path: ["volumes", .index(index)])
        }
    }

    /// Warnings for the deprecated `port` and `volumes` of a component, and for what they lose to
    /// the parameters that replace them: a check of the component's schema.
    package static func check(_ properties: JSONObject, _ scope: DiagnosticScope) {
        if let port = properties["port"] {
            if properties["ports"] != nil {
                scope.warning("port is ignored: ports is given", at: ["port"], code: .deprecatedParameter,
                              hint: "remove port, or add \(port) to ports")
            } else {
                scope.warning("port is deprecated; it still declares container port \(port), without a Service", at: ["port"],
                              code: .deprecatedParameter, hint: "write ports: [{port: \(port)}] instead (add expose: true for a Service)")
            }
        }
        if let volumes = properties["volumes"]?.array, let first = volumes.first {
            if properties["volumeMounts"] != nil {
                scope.warning("volumes is ignored: volumeMounts is given", at: ["volumes"], code: .deprecatedParameter,
                              hint: "move its entries into volumeMounts")
            } else {
                let type = first["type"]?.string ?? "emptyDir"
                scope.warning("volumes is deprecated; it is still rendered", at: ["volumes"], code: .deprecatedParameter,
                              hint: "write volumeMounts instead, by kind: volumeMounts: {\(type): [{name: \(first.text("name")), mountPath: \(first.text("mountPath")), ...}]}")
            }
        }
    }
}
