import TandemJSON

/// The defaults the API server fills in on every write (what `kubectl get -o yaml` shows that
/// nobody wrote), for the built-in kinds that commonly carry them. Only missing fields are set.
enum Defaulting {
    static func apply(_ type: ResourceType, to object: inout JSONValue, isCreate: Bool) {
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            // A new namespace always waits for the namespace controller.
            if isCreate { object[path: ["spec", "finalizers"]] = ["kubernetes"] }
            setIfMissing(&object, ["metadata", "labels", "kubernetes.io/metadata.name"], object[path: ["metadata", "name"]] ?? "")
            if isCreate { object["status"] = ["phase": "Active"] }
        case ("", "Secret"):
            setIfMissing(&object, ["type"], "Opaque")
        case ("", "Service"):
            defaultService(&object)
        case ("", "PersistentVolumeClaim"):
            setIfMissing(&object, ["spec", "volumeMode"], "Filesystem")
            if isCreate { object["status"] = ["phase": "Pending"] }
        case ("", "Pod"):
            defaultPodSpec(&object, at: ["spec"], restartPolicy: "Always")
            if isCreate { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
        case ("apps", "Deployment"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            setIfMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&object, ["spec", "progressDeadlineSeconds"], 600)
            setIfMissing(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                setIfMissing(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                setIfMissing(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            defaultPodSpec(&object, at: ["spec", "template", "spec"], restartPolicy: "Always")
        case ("apps", "ReplicaSet"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            defaultPodSpec(&object, at: ["spec", "template", "spec"], restartPolicy: "Always")
        case ("apps", "StatefulSet"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            setIfMissing(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            setIfMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                setIfMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
            }
            setIfMissing(&object, ["spec", "persistentVolumeClaimRetentionPolicy"], ["whenDeleted": "Retain", "whenScaled": "Retain"])
            defaultPodSpec(&object, at: ["spec", "template", "spec"], restartPolicy: "Always")
        case ("apps", "DaemonSet"):
            setIfMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                setIfMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
                setIfMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
            }
            defaultPodSpec(&object, at: ["spec", "template", "spec"], restartPolicy: "Always")
        case ("batch", "Job"):
            defaultJobSpec(&object, at: ["spec"], isCreate: isCreate)
        case ("batch", "CronJob"):
            setIfMissing(&object, ["spec", "concurrencyPolicy"], "Allow")
            setIfMissing(&object, ["spec", "suspend"], false)
            setIfMissing(&object, ["spec", "successfulJobsHistoryLimit"], 3)
            setIfMissing(&object, ["spec", "failedJobsHistoryLimit"], 1)
            defaultPodSpec(&object, at: ["spec", "jobTemplate", "spec", "template", "spec"], restartPolicy: nil)
        default:
            break
        }
    }

    static func setIfMissing(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        guard object[path: path] == nil else { return }
        // Only fill inside objects that exist or can be made: never over a scalar.
        var parent: JSONValue? = object
        for key in path.dropLast() {
            parent = parent?[key]
            if let parent, parent.object == nil { return }
        }
        object[path: path] = value
    }

    private static func defaultPodSpec(_ object: inout JSONValue, at path: [String], restartPolicy: String?) {
        guard object[path: path]?.object != nil else { return }
        if let restartPolicy { setIfMissing(&object, path + ["restartPolicy"], .string(restartPolicy)) }
        setIfMissing(&object, path + ["terminationGracePeriodSeconds"], 30)
        setIfMissing(&object, path + ["dnsPolicy"], "ClusterFirst")
        setIfMissing(&object, path + ["schedulerName"], "default-scheduler")
        setIfMissing(&object, path + ["securityContext"], .object([:]))
        for list in ["initContainers", "containers"] {
            guard var containers = object[path: path + [list]]?.array else { continue }
            for index in containers.indices where containers[index].object != nil {
                defaultContainer(&containers[index])
            }
            object[path: path + [list]] = .array(containers)
        }
    }

    private static func defaultContainer(_ container: inout JSONValue) {
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.string ?? ""
            let lastPart = image.split(separator: "/").last.map(String.init) ?? image
            let untagged = !lastPart.contains(":") && !image.contains("@")
            container["imagePullPolicy"] = (untagged || image.hasSuffix(":latest")) ? "Always" : "IfNotPresent"
        }
        setIfMissing(&container, ["terminationMessagePath"], "/dev/termination-log")
        setIfMissing(&container, ["terminationMessagePolicy"], "File")
        setIfMissing(&container, ["resources"], .object([:]))
        if var ports = container["ports"]?.array {
            for index in ports.indices where ports[index].object != nil {
                setIfMissing(&ports[index], ["protocol"], "TCP")
            }
            container["ports"] = .array(ports)
        }
    }

    private static func defaultJobSpec(_ object: inout JSONValue, at path: [String], isCreate: Bool) {
        guard object[path: path]?.object != nil else { return }
        setIfMissing(&object, path + ["parallelism"], 1)
        setIfMissing(&object, path + ["completions"], 1)
        setIfMissing(&object, path + ["backoffLimit"], 6)
        setIfMissing(&object, path + ["completionMode"], "NonIndexed")
        setIfMissing(&object, path + ["suspend"], false)
        setIfMissing(&object, path + ["podReplacementPolicy"], "TerminatingOrFailed")
        // The selector and its labels are generated from the Job's uid, unless set by hand.
        if isCreate, object[path: path + ["manualSelector"]]?.bool != true,
           let uid = object[path: ["metadata", "uid"]]?.string, let name = object[path: ["metadata", "name"]]?.string {
            object[path: path + ["selector"]] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
            let labels: [(String, String)] = [("batch.kubernetes.io/controller-uid", uid), ("batch.kubernetes.io/job-name", name),
                                              ("controller-uid", uid), ("job-name", name)]
            for (key, value) in labels {
                setIfMissing(&object, path + ["template", "metadata", "labels", key], .string(value))
            }
        }
        defaultPodSpec(&object, at: path + ["template", "spec"], restartPolicy: nil)
    }

    private static func defaultService(_ object: inout JSONValue) {
        guard object["spec"]?.object != nil else { object["spec"] = .object([:]); return defaultService(&object) }
        setIfMissing(&object, ["spec", "type"], "ClusterIP")
        let type = object[path: ["spec", "type"]]?.string ?? "ClusterIP"
        if var ports = object[path: ["spec", "ports"]]?.array {
            for index in ports.indices where ports[index].object != nil {
                setIfMissing(&ports[index], ["protocol"], "TCP")
                if let port = ports[index]["port"] { setIfMissing(&ports[index], ["targetPort"], port) }
            }
            object[path: ["spec", "ports"]] = .array(ports)
        }
        guard type != "ExternalName" else { return }
        setIfMissing(&object, ["spec", "sessionAffinity"], "None")
        setIfMissing(&object, ["spec", "ipFamilies"], ["IPv4"])
        setIfMissing(&object, ["spec", "ipFamilyPolicy"], "SingleStack")
        setIfMissing(&object, ["spec", "internalTrafficPolicy"], "Cluster")
        if type == "NodePort" || type == "LoadBalancer" {
            setIfMissing(&object, ["spec", "externalTrafficPolicy"], "Cluster")
        }
        if type == "LoadBalancer" {
            setIfMissing(&object, ["spec", "allocateLoadBalancerNodePorts"], true)
        }
    }
}
