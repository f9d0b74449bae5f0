import Foundation
import KubeModel
import TandemDeploy
import TandemJSON

/// An application running locally, as its supervisor last wrote it: its health, assessed by
/// the same rules as on a cluster, and the last result of each probe.
public struct LocalStatus: Sendable {
    public struct Probe: Sendable, Hashable {
        public var pod: String
        public var container: String
        public var kind: String
        public var handler: String
        public var result: String
        public var message: String
        public var consecutiveFailures: Int
    }

    public var health: ApplicationHealth
    public var probes: [Probe]
    public var notes: [String]
    /// When the supervisor last wrote (it writes on every change).
    public var updatedAt: String
    public var supervisorPID: Int32?
    /// The plan generation the supervisor carries out, and whether an update's pods are still replacing old ones.
    public var observedGeneration: Int
    public var rollingOut: Bool

    /// Whether the supervisor has carried out `plan` whole: every pod of it ready, nothing it replaced left.
    public func hasRolledOut(_ plan: LocalPlan) -> Bool {
        observedGeneration >= plan.generation && !rollingOut
    }

    /// Reads the status file of `state`; nil when there is none or it cannot be read.
    public static func read(_ state: StateDirectory) -> LocalStatus? {
        guard let data = FileManager.default.contents(atPath: state.statusFile),
              let json = try? JSONReader().read([UInt8](data)) else { return nil }
        return LocalStatus(json: json)
    }

    init?(json: JSONValue) {
        guard let inventoryJSON = json["inventory"], let inventory = Inventory(json: inventoryJSON) else { return nil }
        let namespace = json["namespace"]?.string ?? "default"
        var objects: [ObjectReference: KubeObject] = [:]
        for item in json["objects"]?.array ?? [] {
            let object = KubeObject(json: item)
            objects[object.reference] = object
        }
        // Claims are podman volumes, there as soon as the application is.
        for reference in inventory.references where reference.gvk.groupKind == GroupVersionKind.persistentVolumeClaim.groupKind {
            var claim = KubeObject(reference.gvk, name: reference.name, namespace: reference.namespace)
            claim.json["status"] = ["phase": "Bound"]
            objects[reference] = claim
        }
        let pods = (json["pods"]?.array ?? []).map(KubeObject.init(json:))
        let events = (json["events"]?.array ?? []).map(KubeObject.init(json:))
        health = ApplicationHealth.assess(inventory, namespace: namespace, objects: objects, pods: pods, events: events)
        probes = (json["probes"]?.array ?? []).map { probe in
            Probe(pod: probe["pod"]?.string ?? "", container: probe["container"]?.string ?? "", kind: probe["probe"]?.string ?? "",
                  handler: probe["handler"]?.string ?? "", result: probe["result"]?.string ?? "",
                  message: probe["message"]?.string ?? "", consecutiveFailures: probe["consecutiveFailures"]?.int ?? 0)
        }
        notes = json["notes"]?.strings ?? []
        updatedAt = json[path: ["supervisor", "updatedAt"]]?.string ?? ""
        supervisorPID = json[path: ["supervisor", "pid"]]?.int.map(Int32.init)
        observedGeneration = json[path: ["supervisor", "observedGeneration"]]?.int ?? 1
        rollingOut = json[path: ["supervisor", "rollingOut"]]?.bool ?? false
    }

    /// The containers that have finished for good (a completed Job's), for `up`'s foreground to
    /// know when nothing is left to run.
    public var isFinished: Bool {
        let workloads = health.components.compactMap(\.workload)
        return !workloads.isEmpty && workloads.allSatisfy { $0.reference.gvk.kind == "Job" && $0.verdict.status != .inProgress }
    }
}
