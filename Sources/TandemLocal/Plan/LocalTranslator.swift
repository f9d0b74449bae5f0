import Foundation
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering

/// Turns a rendered application into what podman runs: a podman pod per Kubernetes pod (a
/// Deployment's and a StatefulSet's replicas, one for a DaemonSet, one for a Job, one for a
/// CronJob run with `--run-cronjobs`), the volumes, secrets and files its pods use. Pure: every
/// problem is found here, before anything is created.
public struct LocalTranslator: Sendable {
    public struct Options: Sendable {
        /// Publish every declared container port on this machine (`--publish`).
        public var publish: Bool
        /// Run each CronJob once, as a Job, at start (`--run-cronjobs`).
        public var runCronJobs: Bool
        /// What `spec.nodeName` reads.
        public var nodeName: String
        /// Each pod's revision, by pod name, when an update replaces it (`LocalUpdate`): its
        /// podman names carry it, so that the new pod runs beside the old one until it is ready.
        public var revisions: [String: Int]

        public init(publish: Bool = false, runCronJobs: Bool = false, nodeName: String = ProcessInfo.processInfo.hostName,
                    revisions: [String: Int] = [:]) {
            self.publish = publish
            self.runCronJobs = runCronJobs
            self.nodeName = nodeName
            self.revisions = revisions
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The ConfigMaps and Secrets `application` defines itself.
    public static func sources(of application: RenderedApplication) -> ConfigSources {
        var sources = ConfigSources()
        for object in application.objects {
            sources.add(object.object, origin: object.origin.description, defaultNamespace: application.namespace ?? "default")
        }
        return sources
    }

    public func translate(_ application: RenderedApplication, sources: ConfigSources) -> Result<LocalPlan, LocalProblems> {
        let namespace = application.namespace ?? "default"
        var builder = Builder(application: application.name, namespace: namespace, sources: sources, options: options)
        let key = builder.key
        // Services first: a container port a Service reaches is published through the Service.
        for component in application.components {
            for rendered in component.objects where rendered.object.gvk.groupKind == GroupVersionKind.service.groupKind {
                var service = rendered.object
                if service.namespace == nil { service.json[path: ["metadata", "namespace"]] = .string(namespace) }
                builder.addService(service)
            }
        }
        var inventory: [Inventory.Component] = []
        for component in application.components {
            var entries: [Inventory.Entry] = []
            var containers = component.containers.map { Inventory.Container(name: $0.name, role: $0.role, trait: $0.trait?.type) }
            for rendered in component.objects {
                var object = rendered.object
                if object.namespace == nil, !object.isClusterScoped { object.json[path: ["metadata", "namespace"]] = .string(namespace) }
                let trait = rendered.origin.trait?.type
                let roles = rendered.origin.isWorkload ? component.containers : []
                switch KindCatalog.entry(for: object.gvk.groupKind).local {
                case .workload:
                    builder.addWorkload(object, component: component.name, roles: roles)
                case .cronJob:
                    guard options.runCronJobs else {
                        builder.notes.append("cronjob/\(object.name) is not run: CronJobs run locally only when asked to (once, at start)")
                        break
                    }
                    object = Self.job(from: object)
                    builder.notes.append("cronjob/\(object.name) runs once now, as job/\(object.name)")
                    builder.addWorkload(object, component: component.name, roles: roles)
                case .volume:
                    builder.volumes.append(VolumePlan(name: LocalNames.claim(key, object.name), kind: "claim", inMemory: false))
                case .configuration:
                    break
                case .service:
                    guard builder.services.contains(where: { $0.name == object.name }) else { continue }
                case .none:
                    builder.notes.append("\(object.kind.lowercased())/\(object.name) is not emulated locally")
                    continue
                }
                entries.append(Inventory.Entry(reference: object.reference, trait: trait, isWorkload: rendered.origin.isWorkload))
            }
            // A workload Tandem did not model (from k8s-objects): roles from its pod spec.
            if containers.isEmpty, let workload = builder.workloads.last(where: { $0.component == component.name }) {
                containers = builder.roles(of: workload.podSpec, known: []).map { Inventory.Container(name: $0.name, role: $0.role, trait: nil) }
            }
            inventory.append(Inventory.Component(name: component.name, type: component.type, objects: entries, containers: containers,
                                                 healthPolicy: component.healthPolicy, traitHealthPolicies: component.traitHealthPolicies))
        }
        builder.checkPublishedPorts()
        guard builder.problems.isEmpty else { return .failure(LocalProblems(builder.problems)) }
        let inventoryText = JSONWriter.write(Inventory(application: application.name, components: inventory).json)
        return .success(builder.plan(inventory: inventoryText))
    }

    /// The Job a CronJob would start, named as the CronJob.
    static func job(from cronJob: KubeObject) -> KubeObject {
        var job = KubeObject(.job, name: cronJob.name, namespace: cronJob.namespace)
        job.json[path: ["metadata", "labels"]] = cronJob.json[path: ["metadata", "labels"]]
        job.json["spec"] = cronJob.json[path: ["spec", "jobTemplate", "spec"]] ?? .object(JSONObject())
        return job
    }
}

/// What the translation gathers, workload by workload.
private struct Builder {
    var application: String
    var namespace: String
    var sources: ConfigSources
    var options: LocalTranslator.Options
    /// What podman names start with: the application's namespace and name.
    var key: String { LocalNames.key(namespace: namespace, name: application) }
    var pods: [PodPlan] = []
    var services: [ServicePlan] = []
    var workloads: [(component: String, name: String, podSpec: JSONValue, plan: WorkloadPlan)] = []
    var volumes: [VolumePlan] = []
    var secrets: [SecretPlan] = []
    var files: [FilePlan] = []
    var problems: [LocalProblem] = []
    var notes: [String] = []

    init(application: String, namespace: String, sources: ConfigSources, options: LocalTranslator.Options) {
        self.application = application
        self.namespace = namespace
        self.sources = sources
        self.options = options
    }

    /// Roles from the rendered application when it knows them, else from the pod spec: the first
    /// container is the main one, init containers that restart always are native sidecars.
    func roles(of podSpec: JSONValue, known: [RenderedContainer]) -> [(name: String, role: RenderedContainer.Role, trait: String?)] {
        let byName = Dictionary(known.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [(String, RenderedContainer.Role, String?)] = []
        for container in podSpec["initContainers"]?.array ?? [] {
            let name = container["name"]?.string ?? ""
            let role = byName[name]?.role ?? (container["restartPolicy"]?.string == "Always" ? .nativeSidecar : .initContainer)
            result.append((name, role, byName[name]?.trait?.type))
        }
        for (index, container) in (podSpec["containers"]?.array ?? []).enumerated() {
            let name = container["name"]?.string ?? ""
            result.append((name, byName[name]?.role ?? (index == 0 ? .main : .sidecar), byName[name]?.trait?.type))
        }
        return result
    }

    mutating func addWorkload(_ object: KubeObject, component: String, roles known: [RenderedContainer]) {
        let json = object.json
        let kind: WorkloadKind
        var replicas = 1
        switch object.kind {
        case "Deployment": kind = .deployment; replicas = json[path: ["spec", "replicas"]]?.int ?? 1
        case "StatefulSet": kind = .statefulSet; replicas = json[path: ["spec", "replicas"]]?.int ?? 1
        case "DaemonSet": kind = .daemonSet
        default:
            kind = .job
            if (json[path: ["spec", "completions"]]?.int ?? 1) > 1 || (json[path: ["spec", "parallelism"]]?.int ?? 1) > 1 {
                notes.append("job/\(object.name) runs one pod locally, whatever its completions and parallelism")
            }
        }
        let template = json[path: ["spec", "template"]] ?? .object(JSONObject())
        let podSpec = template["spec"] ?? .object(JSONObject())
        let claimTemplates = Set((json[path: ["spec", "volumeClaimTemplates"]]?.array ?? []).compactMap { $0[path: ["metadata", "name"]]?.string })
        var labels = Self.strings(template[path: ["metadata", "labels"]])
        if kind == .job {
            // As the Job controller labels its pods, so that a Job whose template has no labels still selects them.
            labels["job-name"] = object.name
            labels["batch.kubernetes.io/job-name"] = object.name
        }
        let annotations = Self.strings(template[path: ["metadata", "annotations"]])
        let roles = self.roles(of: podSpec, known: known)
        let fingerprint = PodTemplate.fingerprint(template)
        var podNames: [String] = []
        for ordinal in 0..<max(0, replicas) {
            let podName = "\(object.name)-\(ordinal)"
            podNames.append(podName)
            addPod(podName, ordinal: ordinal, object: object, kind: kind, component: component, podSpec: podSpec, labels: labels,
                   annotations: annotations, roles: roles, claimTemplates: claimTemplates, template: fingerprint)
        }
        var status = json
        status[path: ["metadata", "generation"]] = .int(1)
        let plan = WorkloadPlan(component: component, object: JSONWriter.write(status), kind: kind, pods: podNames)
        workloads.append((component, object.name, podSpec, plan))
    }

    private mutating func addPod(_ podName: String, ordinal: Int, object: KubeObject, kind: WorkloadKind, component: String,
                                 podSpec: JSONValue, labels: [String: String], annotations: [String: String],
                                 roles: [(name: String, role: RenderedContainer.Role, trait: String?)], claimTemplates: Set<String>,
                                 template: String) {
        let podSubject = "pod \(podName) (component '\(component)')"
        let revision = options.revisions[podName] ?? 0
        let instance = PodTemplate.instance(podName, revision: revision)
        let volumeOutput = VolumeTranslator(application: key, namespace: namespace, pod: podName, instance: instance, sources: sources,
                                            subject: podSubject, claimTemplates: claimTemplates).translate(podSpec)
        problems += volumeOutput.problems
        notes += volumeOutput.notes
        volumes += volumeOutput.volumes
        secrets += volumeOutput.secrets
        files += volumeOutput.files
        let facts = EnvironmentResolver.PodFacts(
            name: podName, namespace: namespace, uid: UUID().uuidString.lowercased(), labels: labels, annotations: annotations,
            nodeName: options.nodeName, serviceAccount: podSpec["serviceAccountName"]?.string ?? "default")
        var initContainers: [ContainerPlan] = []
        var containers: [ContainerPlan] = []
        var publish: [PortMapping] = []
        let applicationName = key
        for (field, isInit) in [("initContainers", true), ("containers", false)] {
            for json in podSpec[field]?.array ?? [] {
                let name = json["name"]?.string ?? ""
                let role = roles.first { $0.name == name }
                let roleName = role?.role.rawValue ?? (isInit ? "init" : "sidecar")
                var newSecrets: [SecretPlan] = []
                let kindWord = ["sidecar": "sidecar", "native-sidecar": "native sidecar", "init": "init container"][roleName] ?? "container"
                let subject = "\(kindWord) '\(name)' in pod \(podName) (component '\(component)')"
                let environment = EnvironmentResolver(pod: facts, sources: sources, subject: subject) { secret, key, value in
                    let podman = LocalNames.secret(applicationName, secret, key)
                    newSecrets.append(SecretPlan(name: podman, value: value))
                    return podman
                }
                let (plan, containerProblems, containerNotes) = ContainerTranslator(
                    application: key, pod: instance, podSpec: podSpec, mounts: volumeOutput.mounts, environment: environment
                ).translate(json, role: roleName, trait: role?.trait, subject: subject)
                secrets += newSecrets
                problems += containerProblems
                notes += containerNotes
                if isInit { initContainers.append(plan) } else { containers.append(plan) }
                guard options.publish else { continue }
                for port in json["ports"]?.array ?? [] {
                    guard let number = port["containerPort"]?.int else { continue }
                    let reachedByService = services.contains { service in
                        service.selector.map { $0.allSatisfy { labels[$0.key] == $0.value } } == true && service.ports.contains {
                            $0.targetNumber == number || ($0.targetName != nil && $0.targetName == port["name"]?.string)
                        }
                    }
                    if port["hostPort"] == nil, reachedByService { continue }
                    let host = port["hostPort"]?.int ?? number
                    if ordinal > 0 {
                        notes.append("port \(host) is published for pod \(object.name)-0 only, not for \(podName)")
                        continue
                    }
                    publish.append(PortMapping(hostPort: host, containerPort: number,
                                               proto: (port["protocol"]?.string ?? "TCP").lowercased(), container: name))
                }
            }
        }
        let hostAliases = (podSpec["hostAliases"]?.array ?? []).compactMap { alias -> String? in
            guard let ip = alias["ip"]?.string, let names = alias["hostnames"]?.strings else { return nil }
            return ([ip] + names).joined(separator: " ")
        }
        var aliases: [String] = []
        if kind == .statefulSet, let service = object.json[path: ["spec", "serviceName"]]?.string, !service.isEmpty {
            aliases = ["\(podName).\(service)", "\(podName).\(service).\(namespace)", "\(podName).\(service).\(namespace).svc",
                       "\(podName).\(service).\(namespace).svc.cluster.local"]
        }
        let restartPolicy = podSpec["restartPolicy"]?.string ?? (kind == .job ? "Never" : "Always")
        pods.append(PodPlan(
            name: podName, podmanName: LocalNames.pod(key, instance), revision: revision, template: template, component: component,
            workload: "\(object.kind)/\(object.name)", kind: kind, restartPolicy: restartPolicy,
            backoffLimit: object.json[path: ["spec", "backoffLimit"]]?.int ?? 6, labels: labels, annotations: annotations,
            publish: publish, aliases: aliases, hostAliases: hostAliases, terminationGracePeriodSeconds: podSpec["terminationGracePeriodSeconds"]?.int ?? 30,
            initContainers: initContainers, containers: containers, volumes: volumeOutput.mounts, spec: JSONWriter.write(podSpec)))
    }

    /// A Service: what its pod answers to and where it sends. An ExternalName Service names a
    /// host outside the application, which podman's DNS cannot alias: it is noted, not run.
    mutating func addService(_ object: KubeObject) {
        let spec = object.json["spec"] ?? .object(JSONObject())
        guard spec["type"]?.string != "ExternalName" else {
            notes.append("service/\(object.name) (ExternalName) is not emulated locally")
            return
        }
        var ports: [ServicePort] = []
        var publish: [PortMapping] = []
        for port in spec["ports"]?.array ?? [] {
            guard let number = port["port"]?.int else { continue }
            let proto = (port["protocol"]?.string ?? "TCP").lowercased()
            let target = port["targetPort"]
            ports.append(ServicePort(name: port["name"]?.string, port: number, proto: proto,
                                     targetNumber: target?.int ?? (target?.string == nil ? number : nil), targetName: target?.string))
            guard proto == "tcp" else {
                notes.append("port \(number)/\(proto) of service/\(object.name) is not forwarded locally: only TCP ports are")
                continue
            }
            if options.publish {
                publish.append(PortMapping(hostPort: number, containerPort: number, proto: proto, container: ""))
            }
        }
        let selector = spec["selector"]?.object.map { Self.strings(.object($0)) }
        if selector?.isEmpty ?? true {
            notes.append("service/\(object.name) selects no pods: connections to it are refused locally")
        }
        let name = object.name
        services.append(ServicePlan(
            name: name, podmanName: LocalNames.service(key, name),
            aliases: [name, "\(name).\(namespace)", "\(name).\(namespace).svc", "\(name).\(namespace).svc.cluster.local"],
            selector: selector, ports: ports, publish: publish, object: JSONWriter.write(object.json)))
    }

    /// Two containers or Services may not take the same port of this machine.
    mutating func checkPublishedPorts() {
        var taken: [String: String] = [:]
        for service in services {
            for port in service.publish {
                let key = "\(port.hostPort)/\(port.proto)"
                let owner = "service/\(service.name)"
                if let first = taken[key] {
                    problems.append(LocalProblem(owner, "port \(port.hostPort)/\(port.proto) is also published by \(first)",
                                                 hint: "give one of them a different port"))
                } else {
                    taken[key] = owner
                }
            }
        }
        for pod in pods {
            for port in pod.publish {
                let key = "\(port.hostPort)/\(port.proto)"
                let owner = "container '\(port.container)' in pod \(pod.name)"
                if let first = taken[key] {
                    problems.append(LocalProblem(owner, "port \(port.hostPort)/\(port.proto) is also published by \(first)",
                                                 hint: "give one of them a different hostPort"))
                } else {
                    taken[key] = owner
                }
            }
        }
    }

    func plan(inventory: String) -> LocalPlan {
        var seenVolumes = Set<String>(), seenSecrets = Set<String>()
        return LocalPlan(
            application: application, namespace: namespace, pods: pods, network: LocalNames.network(key), services: services, workloads: workloads.map(\.plan),
            volumes: volumes.filter { seenVolumes.insert($0.name).inserted }, secrets: secrets.filter { seenSecrets.insert($0.name).inserted },
            files: files, inventory: inventory, notes: notes)
    }

    static func strings(_ json: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for member in json?.object ?? JSONObject() { result[member.key] = member.value.string ?? "" }
        return result
    }
}
