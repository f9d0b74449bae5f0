import Foundation

/// `up --local` of an application that runs: what changes, as `kubectl apply` would change it.
/// A pod whose template is unchanged keeps running as it is; a pod whose template changed gets
/// a successor of the next revision, which the supervisor starts, and once it is ready removes
/// its predecessor (one pod of a workload at a time); a pod no longer wanted is removed.
public enum LocalUpdate {
    /// The revision each pod of `new` (translated without revisions) gets: its running pod's, or the next one when its template changed.
    public static func revisions(running old: LocalPlan, wanted new: LocalPlan) -> [String: Int] {
        let running = Dictionary(old.pods.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        var revisions: [String: Int] = [:]
        for pod in new.pods {
            guard let current = running[pod.name] else { continue }
            revisions[pod.name] = current.template == pod.template ? current.revision : current.revision + 1
        }
        return revisions
    }

    /// The plan to carry out: `new` (translated with `revisions`), keeping the running plan of
    /// each pod that stays as it is (its pod's facts, such as its uid, are the running ones),
    /// one generation on from `old`.
    public static func merge(running old: LocalPlan, wanted new: LocalPlan) -> LocalPlan {
        let running = Dictionary(old.pods.map { ($0.podmanName, $0) }, uniquingKeysWith: { _, last in last })
        var plan = new
        plan.pods = new.pods.map { running[$0.podmanName] ?? $0 }
        plan.generation = old.generation + 1
        return plan
    }

    /// The pods of `new` that do not run yet: podman creates them before the supervisor is told.
    public static func added(running old: LocalPlan, wanted new: LocalPlan) -> [PodPlan] {
        let running = Set(old.pods.map(\.podmanName))
        return new.pods.filter { !running.contains($0.podmanName) }
    }

    /// The Services to make again (new, or changed: their names and published ports are fixed
    /// when their pod is made) and to remove (gone, or changed).
    public static func services(running old: LocalPlan, wanted new: LocalPlan) -> (create: [ServicePlan], remove: [ServicePlan]) {
        let running = Dictionary(old.services.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        let wanted = Dictionary(new.services.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        let create = new.services.filter { running[$0.name] != $0 }
        let remove = old.services.filter { wanted[$0.name] != $0 }
        return (create, remove)
    }
}
