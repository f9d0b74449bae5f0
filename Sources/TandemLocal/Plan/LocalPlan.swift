import Foundation

/// What `up --local` creates and runs, worked out from the rendered application before anything
/// touches podman; written to the application's state folder for the supervisor that runs it.
public struct LocalPlan: Codable, Sendable {
    public var application: String
    /// The Kubernetes namespace the pods report (`default` when the Application names none).
    public var namespace: String
    public var pods: [PodPlan]
    /// Bumped by each update: the supervisor says in its status which one it has carried out.
    public var generation = 1
    /// The podman network its pods and Services join, where podman's DNS answers Services' names.
    public var network: String
    public var services: [ServicePlan]
    /// The workloads, Kubernetes objects as JSON text, whose status the supervisor keeps as a
    /// cluster's controllers would.
    public var workloads: [WorkloadPlan]
    public var volumes: [VolumePlan]
    public var secrets: [SecretPlan]
    /// ConfigMap volumes, written as files under the state folder and mounted read-only.
    public var files: [FilePlan]
    /// The inventory (TandemDeploy's), as JSON text: what status assesses.
    public var inventory: String
    /// What is shown but not run: a CronJob without `--run-cronjobs`, an Ingress.
    public var notes: [String]

    /// Its local key (namespace and name): its label, its state folder, its podman names' start.
    public var key: String { LocalNames.key(namespace: namespace, name: application) }
}

/// One workload and the pods it owns.
public struct WorkloadPlan: Codable, Sendable {
    public var component: String
    /// The object as rendered, JSON text.
    public var object: String
    public var kind: WorkloadKind
    public var pods: [String]
}

public enum WorkloadKind: String, Codable, Sendable {
    case deployment, statefulSet, daemonSet, job

    /// Whether its pods run to completion.
    public var runsToCompletion: Bool { self == .job }
}

/// One Kubernetes pod, as a podman pod.
public struct PodPlan: Codable, Sendable {
    /// The pod's Kubernetes name (`web-0`): its hostname, `metadata.name`, what status shows.
    public var name: String
    public var podmanName: String
    /// How many times an update replaced it: 0 at first, and what its podman names end with after (`shop_web-0.1`).
    public var revision: Int
    /// A fingerprint of its workload's pod template: an update replaces the pod when it changes.
    public var template: String
    public var component: String
    /// The workload's kind and name (`Deployment/web`).
    public var workload: String
    public var kind: WorkloadKind
    /// `Always`, `OnFailure` or `Never`.
    public var restartPolicy: String
    /// How many failures a Job's pod takes before the Job fails.
    public var backoffLimit: Int
    /// The pod template's labels.
    public var labels: [String: String]
    public var annotations: [String: String]
    public var publish: [PortMapping]
    /// The names podman's DNS gives for it: a StatefulSet's pod is `web-0.SERVICE` (and
    /// `.NAMESPACE`, `.NAMESPACE.svc`, `.NAMESPACE.svc.cluster.local`) for its `serviceName`.
    public var aliases: [String]
    /// `IP host...` lines of the pod spec's hostAliases.
    public var hostAliases: [String]
    public var terminationGracePeriodSeconds: Int
    public var initContainers: [ContainerPlan]
    public var containers: [ContainerPlan]
    /// The volumes its containers mount, by pod volume name.
    public var volumes: [String: MountSource]
    /// The pod spec as rendered, JSON text: the status carries it, as a pod's does.
    public var spec: String

    public var allContainers: [ContainerPlan] { initContainers + containers }

    /// Whether some container's environment holds the pod's IP, which is known once the pod runs.
    public var needsPodIP: Bool {
        allContainers.contains { $0.environment.contains { $0.source == .podIP } }
    }
}

public struct PortMapping: Codable, Sendable, Hashable {
    public var hostPort: Int
    public var containerPort: Int
    /// `tcp` or `udp`.
    public var proto: String
    public var container: String
}

/// One container of a pod.
public struct ContainerPlan: Codable, Sendable {
    public var name: String
    public var podmanName: String
    public var role: String
    public var trait: String?
    public var image: String
    public var pullPolicy: String
    public var command: [String]?
    public var args: [String]?
    public var environment: [EnvironmentVariable]
    public var mounts: [MountPlan]
    public var resources: ResourceFlags
    public var workingDir: String?
    public var user: String?
    public var privileged: Bool
    public var readOnlyRoot: Bool
    public var capabilitiesAdded: [String]
    public var capabilitiesDropped: [String]
    public var tty: Bool
    public var stdin: Bool
    public var livenessProbe: ProbeSpec?
    public var readinessProbe: ProbeSpec?
    public var startupProbe: ProbeSpec?

    public var isNativeSidecar: Bool { role == "native-sidecar" }
    public var isInit: Bool { role == "init" }
    /// `sidecar 'log-shipper'`, `container 'app'`: as health messages name containers.
    public var displayName: String {
        switch role {
        case "sidecar": return "sidecar '\(name)'"
        case "native-sidecar": return "native sidecar '\(name)'"
        case "init": return "init container '\(name)'"
        default: return "container '\(name)'"
        }
    }
}

/// An environment variable, its value found before anything starts.
public struct EnvironmentVariable: Codable, Sendable, Hashable {
    public enum Source: Codable, Sendable, Hashable {
        case value(String)
        /// The pod's IP (`status.podIP`), known once the pod runs.
        case podIP
        /// A podman secret, given to the container as a variable so its value stays out of `podman inspect`.
        case secret(String)
    }

    public var name: String
    public var source: Source
}

/// A mount of a container.
public struct MountPlan: Codable, Sendable, Hashable {
    public var source: MountSource
    public var target: String
    public var readOnly: Bool
    public var subPath: String?
}

public enum MountSource: Codable, Sendable, Hashable {
    /// A podman volume, by name.
    case volume(String)
    /// A folder or file of this machine, and the hostPath `type` (`DirectoryOrCreate`…).
    case hostPath(path: String, type: String)
    /// A folder of the state folder holding a ConfigMap's or a Secret's files.
    case files(String)
    /// The keys of a Secret, each a podman secret mounted as a file: (podman secret, file name, mode).
    case secrets([SecretFile])
}

public struct SecretFile: Codable, Sendable, Hashable {
    public var secret: String
    public var path: String
    public var mode: Int
}

/// A podman volume to create.
public struct VolumePlan: Codable, Sendable, Hashable {
    public var name: String
    /// `emptyDir` or `claim`.
    public var kind: String
    /// A memory-backed emptyDir (`medium: Memory`).
    public var inMemory: Bool
}

/// A podman secret to create: one key of a Secret.
public struct SecretPlan: Codable, Sendable, Hashable {
    public var name: String
    public var value: Data
}

/// A file to write under the state folder.
public struct FilePlan: Codable, Sendable, Hashable {
    /// Relative to the state folder's `files/`.
    public var path: String
    public var contents: Data
    public var mode: Int
}

/// What podman is told of a container's resources.
public struct ResourceFlags: Codable, Sendable, Hashable {
    /// `--cpus` (limits.cpu, in cores).
    public var cpus: Double?
    /// `--memory` (limits.memory, in bytes).
    public var memory: Int64?
    /// `--cpu-shares` (requests.cpu, as the kubelet turns millicores into shares).
    public var cpuShares: Int?
    /// `--memory-reservation` (requests.memory).
    public var memoryReservation: Int64?

    public init(cpus: Double? = nil, memory: Int64? = nil, cpuShares: Int? = nil, memoryReservation: Int64? = nil) {
        self.cpus = cpus
        self.memory = memory
        self.cpuShares = cpuShares
        self.memoryReservation = memoryReservation
    }
}
