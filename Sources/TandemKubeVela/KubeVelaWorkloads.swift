import TandemJSON

/// What KubeVela knows of workload kinds: their resource names (`deployments.apps`), which have
/// pod templates, and where.
enum KubeVelaWorkloads {
    static let podKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]

    static let resources: [String: String] = [
        "deployments.apps": "Deployment", "statefulsets.apps": "StatefulSet", "daemonsets.apps": "DaemonSet",
        "replicasets.apps": "ReplicaSet", "jobs.batch": "Job", "cronjobs.batch": "CronJob",
    ]

    static func kind(ofResource resource: String) -> String? { resources[resource] }

    /// Where the pod spec sits in a workload object, if it has one.
    static func podSpecPath(of json: JSONValue) -> [String]? {
        for path in [["spec", "template", "spec"], ["spec", "jobTemplate", "spec", "template", "spec"]] where json[path: path]?.object != nil {
            return path
        }
        return nil
    }

    /// Whether a trait's `appliesToWorkloads` admits a workload of `kind` made by the component
    /// type `componentType`: `*`, the resource (`deployments.apps`), or the component type's name.
    static func admits(_ appliesTo: [String], kind: String, componentType: String) -> Bool {
        appliesTo.isEmpty || appliesTo.contains { entry in
            entry == "*" || entry == componentType || resources[entry] == kind || entry.lowercased() == kind.lowercased()
        }
    }
}
