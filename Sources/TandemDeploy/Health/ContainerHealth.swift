import Foundation
import KubeModel
import TandemJSON
import TandemRendering

/// One container of one pod: ready or not, restarts, what it waits on, and the last event that
/// speaks of it.
public struct ContainerHealth: Sendable, Hashable {
    public var pod: String
    public var name: String
    /// What the container is for, from the inventory (nil for one Tandem did not render).
    public var role: RenderedContainer.Role?
    /// The trait that added it.
    public var trait: String?
    public var image: String
    public var ready: Bool
    public var restarts: Int
    /// `running`, `waiting`, `terminated`.
    public var state: String
    /// `CrashLoopBackOff`, `ImagePullBackOff`, `Completed`…
    public var reason: String?
    public var message: String?
    public var lastEvent: String?
    /// How it last ended: its current state when terminated, else its previous one.
    public var lastTermination: Termination?

    /// One end of a container, as the kubelet reports it.
    public struct Termination: Sendable, Hashable {
        /// `Completed`, `Error`, `OOMKilled`…
        public var reason: String
        public var exitCode: Int
        /// When it ended (RFC 3339), when known.
        public var finishedAt: String?

        init?(_ json: JSONValue?) {
            guard let json, let exitCode = json["exitCode"]?.int else { return nil }
            self.exitCode = exitCode
            reason = json["reason"]?.string ?? (exitCode == 0 ? "Completed" : "Error")
            finishedAt = json["finishedAt"]?.string
        }

        public init(reason: String, exitCode: Int, finishedAt: String?) {
            self.reason = reason
            self.exitCode = exitCode
            self.finishedAt = finishedAt
        }

        /// `Error, exit code 3, at 2026-12-07T02:41:09Z`.
        public var summary: String {
            "\(reason), exit code \(exitCode)" + (finishedAt.map { ", at \($0)" } ?? "")
        }
    }

    /// Waiting reasons that do not pass by themselves: `up` stops on them.
    static let failingReasons: Set<String> = [
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError",
        "CreateContainerError", "RunContainerError", "CrashLoopBackOff",
    ]

    /// A container that will not get better by waiting: an image that cannot be pulled, a
    /// missing Secret or ConfigMap key, or a crash loop past its second restart.
    public var isFailing: Bool {
        guard state == "waiting", let reason, Self.failingReasons.contains(reason) else { return false }
        if reason == "ErrImagePull" { return false }  // becomes ImagePullBackOff if it persists
        if reason == "CrashLoopBackOff" { return restarts >= 2 }
        return true
    }

    /// `CrashLoopBackOff (5 restarts)`, `running, not ready`, `ready`.
    public var summary: String {
        var text: String
        if state == "running" {
            text = ready ? "ready" : "running, not ready"
        } else {
            text = reason ?? state
        }
        if restarts > 0 { text += " (\(restarts) restart\(restarts == 1 ? "" : "s"))" }
        return text
    }

    /// The containers of `pods`, init containers first, with roles from `inventory` and the last
    /// event about each from `events`.
    static func of(pods: [KubeObject], containers inventory: [Inventory.Container], events: [KubeObject]) -> [ContainerHealth] {
        var result: [ContainerHealth] = []
        let roles = Dictionary(inventory.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for pod in pods.sorted(by: { $0.name < $1.name }) {
            let podEvents = events.filter {
                $0.json[path: ["involvedObject", "kind"]]?.string == "Pod" && $0.json[path: ["involvedObject", "name"]]?.string == pod.name
            }
            let phase = pod.json[path: ["status", "phase"]]?.string
            for (field, statusField) in [("initContainers", "initContainerStatuses"), ("containers", "containerStatuses")] {
                let statuses = pod.json[path: ["status", statusField]]?.array ?? []
                for spec in pod.json[path: ["spec", field]]?.array ?? [] {
                    guard let name = spec["name"]?.string else { continue }
                    let isInit = field == "initContainers"
                    // Finished init containers are no news once the pod runs.
                    if isInit, spec["restartPolicy"]?.string != "Always", phase == "Running" || phase == "Succeeded" { continue }
                    let status = statuses.first { $0["name"]?.string == name }
                    var health = ContainerHealth(
                        pod: pod.name, name: name, role: roles[name]?.role ?? (isInit ? .initContainer : nil), trait: roles[name]?.trait,
                        image: spec["image"]?.string ?? "", ready: status?["ready"]?.bool ?? false,
                        restarts: status?["restartCount"]?.int ?? 0, state: "waiting", reason: nil, message: nil, lastEvent: nil)
                    if let state = status?["state"]?.object, let entry = state.members.first {
                        health.state = entry.key
                        health.reason = entry.value["reason"]?.string
                        health.message = entry.value["message"]?.string
                    } else {
                        health.reason = phase == "Pending" ? "ContainerCreating" : nil
                    }
                    health.lastTermination = Termination(status?[path: ["state", "terminated"]])
                        ?? Termination(status?[path: ["lastState", "terminated"]])
                    // The latest warning about this container, else its latest event; a failing
                    // container with no event of its own gets the pod's latest warning.
                    let fieldPath = "spec.\(field){\(name)}"
                    let own = podEvents.filter { $0.json[path: ["involvedObject", "fieldPath"]]?.string == fieldPath }
                    health.lastEvent = Self.latest(own.filter(Self.isWarning)) ?? Self.latest(own)
                    if health.lastEvent == nil, health.isFailing { health.lastEvent = Self.latest(podEvents.filter(Self.isWarning)) }
                    result.append(health)
                }
            }
        }
        return result
    }

    static func isWarning(_ event: KubeObject) -> Bool { event.json["type"]?.string == "Warning" }

    /// The message of the most recent event.
    static func latest(_ events: [KubeObject]) -> String? {
        events.max { EventTime.of($0) < EventTime.of($1) }?.json["message"]?.string
    }
}

/// When an event last happened, by its newest timestamp.
public enum EventTime {
    public static func of(_ event: KubeObject) -> String {
        let json = event.json
        return json["lastTimestamp"]?.string ?? json[path: ["series", "lastObservedTime"]]?.string ?? json["eventTime"]?.string
            ?? json[path: ["metadata", "creationTimestamp"]]?.string ?? ""
    }
}
