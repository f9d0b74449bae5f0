import Foundation
import TandemJSON

/// One container of a pod spec as podman will create it.
struct ContainerTranslator {
    var application: String
    var pod: String
    var podSpec: JSONValue
    var mounts: [String: MountSource]
    var environment: EnvironmentResolver

    func translate(_ json: JSONValue, role: String, trait: String?, subject: String) -> (ContainerPlan, [LocalProblem], [String]) {
        let name = json["name"]?.string ?? ""
        var problems: [LocalProblem] = []
        var notes: [String] = []
        let allContainers = (podSpec["containers"]?.array ?? []) + (podSpec["initContainers"]?.array ?? [])
        let (variables, envProblems) = environment.resolve(json) { containerName in
            let target = containerName.flatMap { wanted in allContainers.first { $0["name"]?.string == wanted } } ?? json
            return target["resources"]
        }
        problems += envProblems

        var ports: [String: Int] = [:]
        for port in json["ports"]?.array ?? [] {
            if let portName = port["name"]?.string, let number = port["containerPort"]?.int { ports[portName] = number }
        }
        func probe(_ field: String) -> ProbeSpec? {
            guard let value = json[field] else { return nil }
            switch ProbeSpec.read(value, ports: ports) {
            case .success(let spec): return spec
            case .failure(let problem):
                problems.append(LocalProblem(subject, "its \(field) cannot be run: \(problem.message)"))
                return nil
            }
        }

        var mountPlans: [MountPlan] = []
        for mount in json["volumeMounts"]?.array ?? [] {
            guard let volume = mount["name"]?.string, let target = mount["mountPath"]?.string else { continue }
            guard let source = mounts[volume] else {
                problems.append(LocalProblem(subject, reason: "CreateContainerConfigError", "the pod has no volume named '\(volume)'"))
                continue
            }
            let subPath = mount["subPath"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            if subPath != nil, case .volume = source {
                notes.append("\(subject): subPath of volume '\(volume)' is not emulated on podman volumes; the whole volume is mounted")
            }
            mountPlans.append(MountPlan(source: source, target: target, readOnly: mount["readOnly"]?.bool ?? false, subPath: subPath))
        }

        let security = json["securityContext"]
        let podSecurity = podSpec["securityContext"]
        let user = (security?["runAsUser"]?.int ?? podSecurity?["runAsUser"]?.int).map { uid in
            let group = security?["runAsGroup"]?.int ?? podSecurity?["runAsGroup"]?.int
            return group.map { "\(uid):\($0)" } ?? String(uid)
        }
        let image = json["image"]?.string ?? ""
        let plan = ContainerPlan(
            name: name, podmanName: LocalNames.container(application, pod, name), role: role, trait: trait, image: image,
            pullPolicy: json["imagePullPolicy"]?.string ?? (image.hasSuffix(":latest") || !image.contains(":") ? "Always" : "IfNotPresent"),
            command: json["command"]?.strings, args: json["args"]?.strings, environment: variables, mounts: mountPlans,
            resources: ResourceValues.flags(json["resources"]), workingDir: json["workingDir"]?.string, user: user,
            privileged: security?["privileged"]?.bool ?? false, readOnlyRoot: security?["readOnlyRootFilesystem"]?.bool ?? false,
            capabilitiesAdded: security?[path: ["capabilities", "add"]]?.strings ?? [],
            capabilitiesDropped: security?[path: ["capabilities", "drop"]]?.strings ?? [],
            tty: json["tty"]?.bool ?? false, stdin: json["stdin"]?.bool ?? false,
            livenessProbe: probe("livenessProbe"), readinessProbe: probe("readinessProbe"), startupProbe: probe("startupProbe"))
        return (plan, problems, notes)
    }
}
